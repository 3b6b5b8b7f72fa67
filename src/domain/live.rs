//! A running run's projection (metrics.md, "Beyond the plan: a running run"): what it has
//! spent, what it will likely spend in all, and when it will likely finish.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::averages::HistoricalAverages;
use super::run::{Run, RunStatus};
use super::stage::StageNumber;

/// `run_detail.live`, present for a running or paused run only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LiveProjection {
    /// The run's total_credits_used as the engine last reported it.
    pub credits_so_far: u64,
    /// Credits so far plus the stages still without a result, at the comparison runs' rates;
    /// null with fewer than 3 comparison runs.
    pub projected_total_credits: Option<u64>,
    /// Now plus the average time still to go; null while paused or with fewer than 3
    /// comparison runs.
    pub projected_finish_at: Option<DateTime<Utc>>,
}

/// The projection of an active run; `None` for a finished one. `history` holds the averages
/// of the run's comparison runs (`None` with fewer than 3).
pub fn live_projection(run: &Run, history: Option<&HistoricalAverages>, now: DateTime<Utc>) -> Option<LiveProjection> {
    if !run.status.is_active() {
        return None;
    }
    let initial = run.initial_snapshot.per_stage();
    let projected_total_credits = history.map(|h| {
        let to_come: u64 = StageNumber::all()
            .filter(|stage| run.result(*stage).is_none())
            // A stage the comparison runs never fed has no rate: like the prediction, it adds
            // nothing rather than a guess.
            .filter_map(|stage| h.stage(stage).credits_for(initial[stage.index()]))
            .sum();
        run.total_credits_used.saturating_add(to_come)
    });
    let projected_finish_at = history.filter(|_| run.status == RunStatus::Running).map(|h| {
        let current = run.current_stage;
        let avg_seconds = |stage: StageNumber| h.stage(stage).avg_seconds.unwrap_or(0.0);
        let in_current = seconds_in_current_stage(run, now);
        let current_left = (avg_seconds(current) - in_current as f64).max(0.0);
        let after: f64 = StageNumber::all().filter(|s| s.get() > current.get()).map(avg_seconds).sum();
        now + Duration::milliseconds(((current_left + after) * 1000.0).round() as i64)
    });
    Some(LiveProjection { credits_so_far: run.total_credits_used, projected_total_credits, projected_finish_at })
}

/// Time the run has spent in its current stage: its running time (a pause taken out) less the
/// time of the stages it finished.
fn seconds_in_current_stage(run: &Run, now: DateTime<Utc>) -> i64 {
    let paused = match (run.paused_at, run.resumed_at) {
        (Some(p), Some(r)) if r > p => (r - p).num_seconds(),
        _ => 0,
    };
    let done: u64 = run.stages.iter().flatten().map(|r| r.seconds).sum();
    ((now - run.started_at).num_seconds() - paused - i64::try_from(done).unwrap_or(i64::MAX)).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::averages::historical_averages;
    use crate::domain::fixtures::plan_run;

    /// The plan's run, stopped after stage 2, still running.
    fn running() -> Run {
        let mut run = plan_run();
        run.status = RunStatus::Running;
        run.completed_at = None;
        for stage in 3..=7 {
            run.stages[stage - 1] = None;
        }
        run.current_stage = StageNumber::from_u8(3).unwrap();
        run.total_credits_used = run.stages.iter().flatten().map(|r| r.credits).sum();
        run
    }

    fn three_plan_runs() -> HistoricalAverages {
        historical_averages(&[plan_run(), plan_run(), plan_run()]).unwrap()
    }

    #[test]
    fn a_finished_run_has_no_projection() {
        let run = plan_run();
        assert_eq!(live_projection(&run, Some(&three_plan_runs()), run.started_at), None);
    }

    #[test]
    fn a_run_like_its_history_is_projected_to_cost_what_they_cost() {
        let run = running();
        let history = three_plan_runs();
        // The initial queue equals the plan run's inputs, so the rest costs what it cost there.
        let p = live_projection(&run, Some(&history), run.started_at).unwrap();
        assert_eq!(p.credits_so_far, 45 + 120);
        assert_eq!(p.projected_total_credits, Some(569));
    }

    #[test]
    fn finish_counts_the_time_left_in_the_current_stage_and_the_stages_after() {
        let run = running();
        let history = three_plan_runs();
        let done: u64 = run.stages.iter().flatten().map(|r| r.seconds).sum();
        let now = run.started_at + Duration::seconds(done as i64 + 10);
        let p = live_projection(&run, Some(&history), now).unwrap();
        let avg = |s: u8| history.stage(StageNumber::from_u8(s).unwrap()).avg_seconds.unwrap_or(0.0);
        let left = (avg(3) - 10.0).max(0.0) + (4..=7).map(avg).sum::<f64>();
        assert_eq!(p.projected_finish_at, Some(now + Duration::milliseconds((left * 1000.0).round() as i64)));
    }

    #[test]
    fn overdue_stage_adds_nothing_negative() {
        let run = running();
        let history = three_plan_runs();
        let now = run.started_at + Duration::days(1);
        let p = live_projection(&run, Some(&history), now).unwrap();
        let avg = |s: u8| history.stage(StageNumber::from_u8(s).unwrap()).avg_seconds.unwrap_or(0.0);
        let after = (4..=7).map(avg).sum::<f64>();
        assert_eq!(p.projected_finish_at, Some(now + Duration::milliseconds((after * 1000.0).round() as i64)));
    }

    #[test]
    fn paused_runs_have_credits_but_no_finish() {
        let mut run = running();
        run.status = RunStatus::Paused;
        run.paused_at = Some(run.started_at + Duration::minutes(5));
        let p = live_projection(&run, Some(&three_plan_runs()), run.started_at + Duration::minutes(6)).unwrap();
        assert_eq!(p.projected_total_credits, Some(569));
        assert_eq!(p.projected_finish_at, None);
    }

    #[test]
    fn without_history_only_the_credits_so_far() {
        let run = running();
        let p = live_projection(&run, None, run.started_at).unwrap();
        assert_eq!(p, LiveProjection { credits_so_far: 165, projected_total_credits: None, projected_finish_at: None });
    }
}
