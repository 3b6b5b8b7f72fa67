use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::domain::format::{duration_short, time_left};
use crate::domain::live::LiveProjection;
use crate::domain::run::RunStatus;
use crate::domain::run_detail::RunInfo;
use crate::domain::stage::{CREDIT, STAGE_COUNT};
use crate::paths;
use crate::ui::components::local_time::LocalTime;

/// Seconds from the server's answer to the projected finish; the server's clock at the answer is
/// where an active run's duration runs up to.
fn seconds_left(run: &RunInfo, finish: DateTime<Utc>) -> i64 {
    (finish - (run.started_at + chrono::Duration::seconds(run.duration_seconds))).num_seconds()
}

/// A running or paused run as it goes: where it is, how long and how much so far, and what
/// the run is projected to cost in all and when it is projected to finish (metrics.md, "Beyond
/// the plan: a running run"), from the run's comparison runs. Figures without enough history
/// are left out rather than guessed.
#[expect(clippy::too_many_lines, reason = "one card of a running run's figures, a line of markup each")]
#[component]
pub fn LiveProgress(
    run: RunInfo,
    live: LiveProjection,
    /// The name of the stage the run is at.
    stage_name: String,
    comparison_runs: u32,
) -> impl IntoView {
    let paused = run.status == RunStatus::Paused;
    let title = if paused { "Run paused" } else { "Run in progress" };
    let duration = run.duration_seconds;
    let so_far = live.credits_so_far;
    let projected_credits = live.projected_total_credits.map(|total| {
        view! {
            <div class="live-projected">
                <dt>"Projected total credits"</dt>
                <dd data-testid="projected-credits">
                    {format!("{} (projected)", CREDIT.count(total))}
                </dd>
            </div>
        }
    });
    let projected_finish = live.projected_finish_at.map(|finish| {
        let left = seconds_left(&run, finish);
        view! {
            <div class="live-projected">
                <dt>"Projected finish"</dt>
                <dd data-testid="projected-finish">
                    <LocalTime at=finish />
                    ", "
                    <span data-tick-left=left.to_string()>{time_left(left)}</span>
                    " (projected)"
                </dd>
            </div>
        }
    });
    let basis = match (&live.projected_total_credits, paused) {
        (None, _) => format!(
            "No projection yet: it needs 3 earlier completed runs of this site, and there are {comparison_runs}."
        ),
        (Some(_), true) => format!(
            "Projected from the {comparison_runs} earlier completed runs of this site. No finish is projected while the run is paused."
        ),
        (Some(_), false) => format!(
            "Projected from the average rates and times of the {comparison_runs} earlier completed runs of this site."
        ),
    };
    let reload = paths::run_path(&run.run_id);
    view! {
        <section class=format!("card live-progress status-{}", run.status.as_str()) aria-labelledby="progress-title">
            <h2 id="progress-title">{title}</h2>
            <p class="live-stage" data-testid="live-stage">
                {format!(
                    "Stage {} of {STAGE_COUNT}, {stage_name}: {}",
                    run.current_stage,
                    if paused { "paused" } else { "in progress" },
                )}
            </p>
            <dl class="live-figures">
                <div>
                    <dt>"Elapsed"</dt>
                    <dd data-testid="live-elapsed" data-tick-elapsed=duration.to_string()>
                        {duration_short(Some(duration))}
                    </dd>
                </div>
                <div>
                    <dt>"Credits so far"</dt>
                    <dd data-testid="live-credits">{CREDIT.count(so_far)}</dd>
                </div>
                {projected_credits}
                {projected_finish}
            </dl>
            <p class="muted live-basis">{basis}</p>
            <p class="no-script-note muted">
                "These figures are as of loading the page. " <a href=reload>"Reload for the latest"</a>
            </p>
        </section>
    }
}
