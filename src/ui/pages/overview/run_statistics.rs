use leptos::prelude::*;

use crate::domain::format::{duration_short, percent, thousands};
use crate::domain::stats::RunStatistics;

use super::trend_line::trend_line;
use super::wasted_credits::WastedCreditsCard;

/// The period the weekly trends compare with.
const LAST_WEEK: &str = "last week";

/// Total runs, success rate, average duration and credits, with their trends, and the credits
/// failed and cancelled runs wasted.
#[component]
pub fn RunStatisticsSummary(stats: RunStatistics) -> impl IntoView {
    let finished = stats.completed_runs + stats.failed_runs + stats.cancelled_runs;
    let duration_trend = trend_line(stats.duration_trend.map(|s| s as f64), false, LAST_WEEK, |s| {
        let word = if s < 0.0 { "faster" } else { "slower" };
        format!("{} {word} than last week", duration_short(Some(s.abs() as i64)))
    });
    let success_trend = trend_line(stats.success_rate_trend, true, LAST_WEEK, |p| {
        let word = if p < 0.0 { "lower" } else { "higher" };
        format!("{:.1} points {word} than last week", p.abs())
    });
    let credits_trend = trend_line(stats.credits_trend, false, LAST_WEEK, |p| {
        let word = if p < 0.0 { "less" } else { "more" };
        format!("{:.1}% {word} than last week", p.abs())
    });
    view! {
        <section class="card" aria-labelledby="stats-title">
            <div class="section-header">
                <h2 id="stats-title">"Run statistics"</h2>
                <p class="muted">"Total of all time; rates and averages over the last 30 days"</p>
            </div>
            <div class="stats-grid">
                <article class="stat-card" aria-labelledby="stat-total">
                    <h3 class="stat-label" id="stat-total">"Total runs, all time"</h3>
                    <p class="stat-value" data-testid="total-runs">{thousands(stats.total_runs.into())}</p>
                    <p class="stat-note">
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
                    {success_trend}
                    <p class="stat-note">
                        {format!("{} of {finished} finished runs completed", stats.completed_runs)}
                    </p>
                </article>
                <article class="stat-card" aria-labelledby="stat-duration">
                    <h3 class="stat-label" id="stat-duration">"Average duration, completed runs"</h3>
                    <p class="stat-value" data-testid="avg-duration">{duration_short(stats.avg_duration_seconds)}</p>
                    {duration_trend}
                </article>
                <article class="stat-card" aria-labelledby="stat-credits">
                    <h3 class="stat-label" id="stat-credits">"Average credits per completed run"</h3>
                    <p class="stat-value" data-testid="avg-credits">
                        {stats
                            .avg_credits_per_run
                            .map_or_else(|| "—".to_string(), |c| format!("{} cr", thousands(c.round() as i128)))}
                    </p>
                    {credits_trend}
                </article>
                <WastedCreditsCard wasted=stats.wasted_credits previous=stats.wasted_credits_previous />
            </div>
        </section>
    }
}
