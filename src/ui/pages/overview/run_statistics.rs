use leptos::prelude::*;

use crate::domain::format::{decimal, duration_short, percent, thousands};
use crate::domain::stats::RunStatistics;

/// A week-over-week change, by arrow and words; lower is better for both trends shown.
fn trend_view(change: Option<f64>, describe: impl Fn(f64) -> String) -> AnyView {
    match change {
        None => view! { <p class="stat-trend trend-flat">"No data to compare with last week"</p> }.into_any(),
        Some(0.0) => view! { <p class="stat-trend trend-flat">"Same as last week"</p> }.into_any(),
        Some(c) => {
            let (arrow, class) = if c < 0.0 { ("↓", "trend-better") } else { ("↑", "trend-worse") };
            view! {
                <p class=format!("stat-trend {class}")>
                    <span aria-hidden="true">{arrow}</span>
                    " "
                    {describe(c)}
                </p>
            }
            .into_any()
        }
    }
}

/// Total runs, success rate, average duration and credits, with their trends.
#[component]
pub fn RunStatisticsSummary(stats: RunStatistics) -> impl IntoView {
    let finished = stats.completed_runs + stats.failed_runs + stats.cancelled_runs;
    let duration_trend = trend_view(stats.duration_trend.map(|s| s as f64), |s| {
        let word = if s < 0.0 { "faster" } else { "slower" };
        format!("{} {word} than last week", duration_short(Some(s.abs() as i64)))
    });
    let credits_trend = trend_view(stats.credits_trend, |p| {
        let word = if p < 0.0 { "less" } else { "more" };
        format!("{:.1}% {word} than last week", p.abs())
    });
    view! {
        <section class="card" aria-labelledby="stats-title">
            <div class="section-header">
                <h2 id="stats-title">"Run statistics"</h2>
                <p class="muted">"Rates and averages over the last 30 days"</p>
            </div>
            <div class="stats-grid">
                <article class="stat-card" aria-labelledby="stat-total">
                    <h3 class="stat-label" id="stat-total">"Total runs"</h3>
                    <p class="stat-value" data-testid="total-runs">{thousands(stats.total_runs.into())}</p>
                    <p class="stat-trend trend-flat">
                        {format!(
                            "{} this week, {} the week before",
                            stats.runs_this_week,
                            stats.runs_last_week,
                        )}
                    </p>
                </article>
                <article class="stat-card" aria-labelledby="stat-success">
                    <h3 class="stat-label" id="stat-success">"Success rate"</h3>
                    <p class="stat-value" data-testid="success-rate">{percent(stats.success_rate)}</p>
                    <p class="stat-trend trend-flat">
                        {format!("{} of {finished} finished runs completed", stats.completed_runs)}
                    </p>
                </article>
                <article class="stat-card" aria-labelledby="stat-duration">
                    <h3 class="stat-label" id="stat-duration">"Average duration"</h3>
                    <p class="stat-value" data-testid="avg-duration">{duration_short(stats.avg_duration_seconds)}</p>
                    {duration_trend}
                </article>
                <article class="stat-card" aria-labelledby="stat-credits">
                    <h3 class="stat-label" id="stat-credits">"Average credits"</h3>
                    <p class="stat-value" data-testid="avg-credits">
                        {stats
                            .avg_credits_per_run
                            .map_or_else(|| "—".to_string(), |c| format!("{} cr", decimal(Some(c), 1)))}
                    </p>
                    {credits_trend}
                </article>
            </div>
        </section>
    }
}
