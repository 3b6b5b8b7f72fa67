use leptos::prelude::*;

use crate::domain::format::{duration_short, thousands};
use crate::domain::run_detail::RunInfo;
use crate::paths;
use crate::ui::components::local_time::LocalTime;

/// One run's headline figures and a link to its page.
#[component]
fn RunSummary(which: &'static str, run: RunInfo) -> impl IntoView {
    let id = format!("compare-summary-{}", which.to_lowercase());
    let (labelled_by, testid) = (id.clone(), id.clone());
    view! {
        <section class="card compare-summary" aria-labelledby=labelled_by data-testid=testid>
            <h2 id=id>{format!("Run {which}: ")} <a href=paths::run_path(&run.run_id)>{run.run_title.clone()}</a></h2>
            <dl class="compare-facts">
                <dt>"Status"</dt>
                <dd>{run.status.label()}</dd>
                <dt>"Trigger"</dt>
                <dd>{run.trigger_type.label()}</dd>
                <dt>"Started"</dt>
                <dd>
                    <LocalTime at=run.started_at seconds=false after=None />
                </dd>
                <dt>"Duration"</dt>
                <dd>{duration_short(Some(run.duration_seconds))}</dd>
                <dt>"Credits used"</dt>
                <dd>{format!("{} cr", thousands(run.total_credits_used.into()))}</dd>
            </dl>
        </section>
    }
}

/// Both runs' summaries side by side (stacked on a phone).
#[component]
pub fn RunSummaries(a: RunInfo, b: RunInfo) -> impl IntoView {
    view! {
        <div class="compare-pair">
            <RunSummary which="A" run=a />
            <RunSummary which="B" run=b />
        </div>
    }
}
