use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::domain::detail::RunInfo;
use crate::domain::format::duration_short;
use crate::domain::live::LiveProjection;
use crate::domain::run::RunStatus;
use crate::domain::stage::{CREDIT, STAGE_COUNT};
use crate::ui::components::live_indicator::LiveIndicator;
use crate::ui::components::local_time::LocalTime;
use crate::ui::live::LiveState;

/// Seconds since the page drew this state of the run, counting each second once hydrated for an
/// active run: 0 on the server and in the browser's first render, so both write the same
/// figures. Figures that tick add it to what the server computed when it answered, so a clock
/// that is wrong in the browser moves nothing.
pub fn seconds_since_drawn(active: bool) -> ReadSignal<i64> {
    let (seconds, _set_seconds) = signal(0i64);
    #[cfg(feature = "hydrate")]
    if active {
        Effect::new(move |_| {
            let tick = move || _set_seconds.update(|s| *s += 1);
            if let Ok(handle) = set_interval_with_handle(tick, std::time::Duration::from_secs(1)) {
                on_cleanup(move || handle.clear());
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = active;
    seconds
}

/// The server's clock when it answered: an active run's duration runs up to then.
fn answered_at(run: &RunInfo) -> DateTime<Utc> {
    run.started_at + chrono::Duration::seconds(run.duration_seconds)
}

/// "in about 8m 12s" to the projected finish, or that it is due.
fn time_to(finish: DateTime<Utc>, from: DateTime<Utc>, since: i64) -> String {
    let left = (finish - from).num_seconds() - since;
    if left > 0 {
        format!("in about {}", duration_short(Some(left)))
    } else {
        "due now".to_string()
    }
}

/// A running or paused run as it goes: where it is, how long and how much so far, and what
/// the run is projected to cost in all and when it is projected to finish (metrics.md, "Beyond
/// the plan: a running run"), from the run's comparison runs. Figures without enough history
/// are left out rather than guessed.
#[component]
pub fn LiveProgress(
    run: RunInfo,
    live: LiveProjection,
    /// The name of the stage the run is at.
    stage_name: String,
    comparison_runs: u32,
    since: ReadSignal<i64>,
    connection: ReadSignal<LiveState>,
) -> impl IntoView {
    let paused = run.status == RunStatus::Paused;
    let title = if paused { "Run paused" } else { "Run in progress" };
    let duration = run.duration_seconds;
    let from = answered_at(&run);
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
        view! {
            <div class="live-projected">
                <dt>"Projected finish"</dt>
                <dd data-testid="projected-finish">
                    <LocalTime at=finish />
                    {move || format!(", {} (projected)", time_to(finish, from, since.get()))}
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
    let reload = format!("/automation/runs/{}", run.run_id);
    view! {
        <section class=format!("card live-progress status-{}", run.status.as_str()) aria-labelledby="progress-title">
            <div class="section-header">
                <h2 id="progress-title">{title}</h2>
                <LiveIndicator state=connection />
            </div>
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
                    <dd data-testid="live-elapsed">{move || duration_short(Some(duration + since.get()))}</dd>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_to_finish_counts_down_from_the_answer() {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let finish = at + chrono::Duration::seconds(492);
        assert_eq!(time_to(finish, at, 0), "in about 8m 12s");
        assert_eq!(time_to(finish, at, 12), "in about 8m 00s");
        assert_eq!(time_to(finish, at, 492), "due now");
    }
}
