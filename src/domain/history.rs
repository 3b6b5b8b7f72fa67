//! One run as a row of the run history (metrics.md, "Run history").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::run::{run_title, Run, RunStatus, TriggerType};
use super::stage::StageNumber;
use super::stage_status::{count_statuses, run_stage_statuses, StageStatus};

/// (completed_at or cancelled_at or now) − started_at, never negative.
pub fn duration_seconds(run: &Run, now: DateTime<Utc>) -> i64 {
    let end = run.completed_at.or(run.cancelled_at).unwrap_or(now);
    (end - run.started_at).num_seconds().max(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunSummary {
    /// Σ inputs of the seven stages.
    pub items_processed: u64,
    /// Σ outputs of stages 1 to 6 (stage 7 approves, it creates nothing).
    pub items_created: u64,
    pub content_created: u64,
    pub images_generated: u64,
}

pub fn run_summary(run: &Run) -> RunSummary {
    let output = |n: i64| run.result(StageNumber::try_from(n).expect("1..=7")).map_or(0, |r| r.output);
    RunSummary {
        items_processed: run.stages.iter().flatten().map(|r| r.input).sum(),
        items_created: (1..=6).map(output).sum(),
        content_created: output(4),
        images_generated: output(6),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SnapshotTotal {
    pub total_initial_items: u64,
}

/// One row of the run history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HistoryRun {
    pub run_id: String,
    pub run_number: i64,
    pub run_title: String,
    pub status: RunStatus,
    pub trigger_type: TriggerType,
    pub started_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub duration_seconds: i64,
    pub total_credits_used: u64,
    pub current_stage: u8,
    pub stages_completed: u32,
    pub stages_failed: u32,
    /// The stage that failed, for a failed run.
    pub failed_stage: Option<u8>,
    pub initial_snapshot: SnapshotTotal,
    pub summary: RunSummary,
    pub stage_statuses: Vec<StageStatus>,
}

impl HistoryRun {
    /// The plan's "⚠ Partial": a failed run that finished at least one stage first.
    pub fn is_partial(&self) -> bool {
        self.status == RunStatus::Failed && self.stages_completed > 0
    }
}

pub fn history_run(run: &Run, domain: &str, now: DateTime<Utc>) -> HistoryRun {
    let statuses = run_stage_statuses(run);
    let (stages_completed, stages_failed) = count_statuses(&statuses);
    HistoryRun {
        run_id: run.run_id.clone(),
        run_number: run.run_number,
        run_title: run_title(domain, run.run_number),
        status: run.status,
        trigger_type: run.trigger_type,
        started_at: run.started_at,
        completed_at: run.completed_at,
        duration_seconds: duration_seconds(run, now),
        total_credits_used: run.total_credits_used,
        current_stage: run.current_stage.get(),
        stages_completed,
        stages_failed,
        failed_stage: statuses.iter().position(|s| *s == StageStatus::Failed).map(|i| i as u8 + 1),
        initial_snapshot: SnapshotTotal { total_initial_items: run.initial_snapshot.total_initial_items },
        summary: run_summary(run),
        stage_statuses: statuses.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::plan_run;

    #[test]
    fn a_failed_run_is_partial_once_it_finished_a_stage() {
        let mut run = plan_run();
        run.status = RunStatus::Failed;
        run.completed_at = None;
        run.current_stage = StageNumber::from_u8(5).unwrap();
        run.stages[4] = None;
        let h = history_run(&run, "techblog.com", run.started_at);
        assert!(h.is_partial());
        assert_eq!(h.failed_stage, Some(5));
        run.current_stage = StageNumber::from_u8(1).unwrap();
        run.stages = Default::default();
        assert!(!history_run(&run, "techblog.com", run.started_at).is_partial(), "failed at stage 1: nothing done");
        let completed = plan_run();
        assert!(!history_run(&completed, "techblog.com", completed.started_at).is_partial());
    }
}
