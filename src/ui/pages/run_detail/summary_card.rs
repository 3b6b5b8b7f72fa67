use leptos::prelude::*;

use crate::domain::detail::RunDetail;
use crate::domain::format::{duration_short, percent, thousands};
use crate::domain::stage::{CREDIT, STAGE_COUNT};
use crate::ui::components::local_time::LocalTime;
use crate::ui::components::status_badge::StatusBadge;

/// When, how long, how far, how much; and the queue it worked through. An active run's duration
/// ticks in the browser (`data-tick-elapsed`).
#[component]
pub fn SummaryCard(detail: RunDetail) -> impl IntoView {
    let run = &detail.run;
    let m = &detail.metrics;
    let duration = run.duration_seconds;
    let ticking = run.status.is_active().then(|| duration.to_string());
    view! {
        <section class="card" aria-labelledby="summary-title">
            <h2 id="summary-title">"Run summary"</h2>
            <div class="summary-grid stats-grid">
                <article class="stat-card" aria-labelledby="sum-started">
                    <h3 class="stat-label" id="sum-started">"Started"</h3>
                    <p class="stat-value-sm">
                        <LocalTime at=run.started_at seconds=true />
                    </p>
                </article>
                <article class="stat-card" aria-labelledby="sum-duration">
                    <h3 class="stat-label" id="sum-duration">"Duration"</h3>
                    <p class="stat-value">
                        <span data-testid="summary-duration" data-tick-elapsed=ticking>
                            {duration_short(Some(duration))}
                        </span>
                        {run.status.is_active().then(|| view! { <span class="stat-unit">" so far"</span> })}
                    </p>
                </article>
                <article class="stat-card" aria-labelledby="sum-status">
                    <h3 class="stat-label" id="sum-status">"Status"</h3>
                    <p class="stat-value-sm">
                        <StatusBadge status=run.status />
                    </p>
                    <p class="stat-trend" data-testid="summary-stages">
                        {format!("{} of {STAGE_COUNT} stages completed", m.stages_completed)}
                    </p>
                </article>
                <article class="stat-card" aria-labelledby="sum-credits">
                    <h3 class="stat-label" id="sum-credits">"Credits"</h3>
                    <p class="stat-value">
                        <span data-testid="summary-credits">{thousands(run.total_credits_used.into())}</span>
                        <span class="stat-unit">{format!(" {}", CREDIT.for_count(run.total_credits_used as f64))}</span>
                    </p>
                </article>
            </div>
            <p class="queue-flow" data-testid="queue-flow">
                {format!("Initial queue: {} items", thousands(m.total_initial_items.into()))}
                <span aria-hidden="true">" → "</span>
                {format!("processed: {} items", thousands(m.items_processed.into()))}
                <span aria-hidden="true">" → "</span>
                {format!("created: {} items", thousands(m.items_created.into()))}
                {format!(" · {} of the queue processed", percent(m.queue_processed_percent))}
            </p>
        </section>
    }
}
