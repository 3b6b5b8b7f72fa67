//! The run's events along a time axis, as offsets from its start.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::run::{Run, RunStatus};
use super::stage::{StageNumber, STAGE_COUNT};
use super::stage_status::StageStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    Started,
    StageStarted,
    Paused,
    Resumed,
    Cancelled,
    Failed,
    Completed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimelineEvent {
    pub kind: TimelineKind,
    pub stage: Option<u8>,
    pub at: DateTime<Utc>,
    pub offset_seconds: i64,
}

/// Stage starts are the run's start plus the time of the stages before them: the engine
/// records each stage's length, not its start, and runs stages one after another.
pub fn timeline(run: &Run, statuses: &[StageStatus; STAGE_COUNT], now: DateTime<Utc>) -> Vec<TimelineEvent> {
    let event = |kind, stage: Option<u8>, at: DateTime<Utc>| TimelineEvent {
        kind,
        stage,
        at,
        offset_seconds: (at - run.started_at).num_seconds().max(0),
    };
    let mut events = vec![event(TimelineKind::Started, Some(1), run.started_at)];
    let mut elapsed = 0u64;
    let mut last_stage_end = run.started_at;
    for stage in StageNumber::all() {
        let status = statuses[stage.index()];
        if matches!(status, StageStatus::Skipped | StageStatus::Pending) {
            continue;
        }
        let start = run.started_at + Duration::seconds(elapsed as i64);
        if stage.get() > 1 && events.iter().all(|e| e.stage != Some(stage.get())) {
            events.push(event(TimelineKind::StageStarted, Some(stage.get()), start));
        }
        if let Some(result) = run.result(stage) {
            elapsed += result.seconds;
            last_stage_end = run.started_at + Duration::seconds(elapsed as i64);
        }
    }
    for (kind, at) in [
        (TimelineKind::Paused, run.paused_at),
        (TimelineKind::Resumed, run.resumed_at),
        (TimelineKind::Cancelled, run.cancelled_at),
    ] {
        if let Some(at) = at {
            events.push(event(kind, Some(run.current_stage.get()), at));
        }
    }
    match run.status {
        RunStatus::Completed => {
            events.push(event(TimelineKind::Completed, None, run.completed_at.unwrap_or(last_stage_end)));
        }
        RunStatus::Failed => {
            let at = run.completed_at.unwrap_or(last_stage_end.max(run.started_at)).min(now.max(run.started_at));
            events.push(event(TimelineKind::Failed, Some(run.current_stage.get()), at));
        }
        _ => {}
    }
    events.sort_by_key(|e| e.offset_seconds);
    events
}
