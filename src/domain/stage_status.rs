//! Status of each stage within a run (metrics.md, "Stage status within a run").

use serde::{Deserialize, Serialize};

use super::run::{Run, RunStatus};
use super::stage::{StageNumber, STAGE_COUNT};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum StageStatus {
    Completed,
    Running,
    Paused,
    Failed,
    Cancelled,
    Skipped,
    Pending,
}

impl StageStatus {
    pub const ALL: [StageStatus; 7] = [
        StageStatus::Completed,
        StageStatus::Running,
        StageStatus::Paused,
        StageStatus::Failed,
        StageStatus::Cancelled,
        StageStatus::Skipped,
        StageStatus::Pending,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StageStatus::Completed => "completed",
            StageStatus::Running => "running",
            StageStatus::Paused => "paused",
            StageStatus::Failed => "failed",
            StageStatus::Cancelled => "cancelled",
            StageStatus::Skipped => "skipped",
            StageStatus::Pending => "pending",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StageStatus::Completed => "Completed",
            StageStatus::Running => "Running",
            StageStatus::Paused => "Paused",
            StageStatus::Failed => "Failed",
            StageStatus::Cancelled => "Cancelled",
            StageStatus::Skipped => "Skipped",
            StageStatus::Pending => "Pending",
        }
    }

    /// The compact symbol of the history badges, distinct for each status and always shown
    /// beside a label or in the legend.
    pub fn symbol(self) -> &'static str {
        match self {
            StageStatus::Completed => "✓",
            StageStatus::Failed => "✗",
            StageStatus::Cancelled => "⊘",
            StageStatus::Running => "●",
            StageStatus::Paused => "❚❚",
            StageStatus::Skipped => "–",
            StageStatus::Pending => "○",
        }
    }
}

/// Statuses of the seven stages of a run with `status`, at `current_stage`, where
/// `has_result[i]` tells whether stage i+1 recorded a result.
pub fn stage_statuses(
    status: RunStatus,
    current_stage: StageNumber,
    has_result: [bool; STAGE_COUNT],
) -> [StageStatus; STAGE_COUNT] {
    let done_or_skipped = |i: usize| {
        if has_result[i] {
            StageStatus::Completed
        } else {
            StageStatus::Skipped
        }
    };
    std::array::from_fn(|i| {
        let current = current_stage.index();
        match (i.cmp(&current), status) {
            (_, RunStatus::Completed) => done_or_skipped(i),
            (std::cmp::Ordering::Less, _) => done_or_skipped(i),
            (std::cmp::Ordering::Equal, RunStatus::Running) => StageStatus::Running,
            (std::cmp::Ordering::Equal, RunStatus::Paused) => StageStatus::Paused,
            (std::cmp::Ordering::Equal, RunStatus::Failed) => StageStatus::Failed,
            (std::cmp::Ordering::Equal, RunStatus::Cancelled) => StageStatus::Cancelled,
            (std::cmp::Ordering::Greater, RunStatus::Running | RunStatus::Paused) => StageStatus::Pending,
            (std::cmp::Ordering::Greater, RunStatus::Failed | RunStatus::Cancelled) => StageStatus::Skipped,
        }
    })
}

/// The statuses of a stored run.
pub fn run_stage_statuses(run: &Run) -> [StageStatus; STAGE_COUNT] {
    stage_statuses(run.status, run.current_stage, std::array::from_fn(|i| run.stages[i].is_some()))
}

/// (stages_completed, stages_failed).
pub fn count_statuses(statuses: &[StageStatus]) -> (u32, u32) {
    let count = |s| statuses.iter().filter(|&&x| x == s).count() as u32;
    (count(StageStatus::Completed), count(StageStatus::Failed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use StageStatus::*;

    fn stage(n: i64) -> StageNumber {
        StageNumber::try_from(n).unwrap()
    }

    #[test]
    fn failed_run_at_stage_five() {
        let has = [true, true, true, true, false, false, false];
        assert_eq!(
            stage_statuses(RunStatus::Failed, stage(5), has),
            [Completed, Completed, Completed, Completed, Failed, Skipped, Skipped]
        );
    }

    #[test]
    fn running_run_has_pending_stages_after_current() {
        let has = [true, true, false, false, false, false, false];
        assert_eq!(
            stage_statuses(RunStatus::Running, stage(3), has),
            [Completed, Completed, Running, Pending, Pending, Pending, Pending]
        );
    }

    #[test]
    fn completed_run_without_a_stage_result_skipped_it() {
        let has = [true, true, false, true, true, true, true];
        assert_eq!(
            stage_statuses(RunStatus::Completed, stage(7), has),
            [Completed, Completed, Skipped, Completed, Completed, Completed, Completed]
        );
    }
}
