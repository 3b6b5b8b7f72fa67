//! A run as the engine records it, validated: statuses, stage results, snapshot.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::stage::{StageNumber, STAGE_COUNT};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    Running,
    Paused,
    Cancelled,
    Completed,
    Failed,
}

impl RunStatus {
    pub const ALL: [RunStatus; 5] =
        [RunStatus::Running, RunStatus::Paused, RunStatus::Cancelled, RunStatus::Completed, RunStatus::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Paused => "paused",
            RunStatus::Cancelled => "cancelled",
            RunStatus::Completed => "completed",
            RunStatus::Failed => "failed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RunStatus::Running => "Running",
            RunStatus::Paused => "Paused",
            RunStatus::Cancelled => "Cancelled",
            RunStatus::Completed => "Completed",
            RunStatus::Failed => "Failed",
        }
    }

    /// Whether the run can still change (and so must not be cached).
    pub fn is_active(self) -> bool {
        matches!(self, RunStatus::Running | RunStatus::Paused)
    }
}

impl std::str::FromStr for RunStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RunStatus::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| format!("unknown status {s:?} (expected running, paused, cancelled, completed or failed)"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum TriggerType {
    Manual,
    Scheduled,
}

impl TriggerType {
    pub const ALL: [TriggerType; 2] = [TriggerType::Manual, TriggerType::Scheduled];

    pub fn as_str(self) -> &'static str {
        match self {
            TriggerType::Manual => "manual",
            TriggerType::Scheduled => "scheduled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TriggerType::Manual => "Manual",
            TriggerType::Scheduled => "Scheduled",
        }
    }
}

impl std::str::FromStr for TriggerType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TriggerType::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| format!("unknown trigger_type {s:?} (expected manual or scheduled)"))
    }
}

/// Why a stage result or snapshot was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("{field}: expected a non-negative integer, got {got}")]
    NotACount { field: String, got: String },
    #[error("{field}: expected HH:MM:SS, got {got}")]
    BadDuration { field: String, got: String },
    #[error("{field}: expected an object")]
    NotAnObject { field: String },
}

/// One stage's result. The engine's fields are kept whole (`fields`), including ones this
/// version does not know, so that nothing an export carries is lost; the figures every metric
/// needs are validated once, here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "Map<String, Value>", try_from = "Map<String, Value>")]
pub struct StageResult {
    pub input: u64,
    pub output: u64,
    pub credits: u64,
    pub seconds: u64,
    fields: Map<String, Value>,
}

impl StageResult {
    /// Validates the engine's object for stage `stage`. Missing counts read as 0 (the engine
    /// omits fields a stage did not touch); present ones must be non-negative integers.
    pub fn from_fields(stage: StageNumber, fields: Map<String, Value>) -> Result<Self, RecordError> {
        let def = stage.def();
        let input = count_field(&fields, def.input_field)?;
        let output = count_field(&fields, def.output_field)?;
        let credits = count_field(&fields, "credits_used")?;
        let seconds = match fields.get("time_elapsed") {
            None | Some(Value::Null) => 0,
            Some(Value::String(s)) => {
                parse_hms(s).ok_or_else(|| RecordError::BadDuration { field: "time_elapsed".into(), got: s.clone() })?
            }
            Some(other) => {
                return Err(RecordError::BadDuration { field: "time_elapsed".into(), got: other.to_string() })
            }
        };
        // Every other numeric field is a count or a measure the engine added; reject negatives
        // so no figure derived from them can go below zero.
        for (key, value) in &fields {
            if let Some(n) = value.as_f64() {
                if n < 0.0 {
                    return Err(RecordError::NotACount { field: key.clone(), got: value.to_string() });
                }
            }
        }
        Ok(StageResult { input, output, credits, seconds, fields })
    }

    pub fn fields(&self) -> &Map<String, Value> {
        &self.fields
    }
}

impl From<StageResult> for Map<String, Value> {
    fn from(r: StageResult) -> Self {
        r.fields
    }
}

/// Deserialising without knowing the stage can only check the shared fields; the store and
/// importer use [`StageResult::from_fields`] with the stage number.
impl TryFrom<Map<String, Value>> for StageResult {
    type Error = RecordError;
    fn try_from(fields: Map<String, Value>) -> Result<Self, Self::Error> {
        let stage = StageNumber::all()
            .find(|s| fields.contains_key(s.def().input_field))
            .unwrap_or(StageNumber::all().next().expect("seven stages"));
        StageResult::from_fields(stage, fields)
    }
}

fn count_field(fields: &Map<String, Value>, key: &str) -> Result<u64, RecordError> {
    match fields.get(key) {
        None | Some(Value::Null) => Ok(0),
        Some(v) => v.as_u64().ok_or_else(|| RecordError::NotACount { field: key.to_string(), got: v.to_string() }),
    }
}

/// `HH:MM:SS` (hours may exceed 24) to seconds.
pub fn parse_hms(s: &str) -> Option<u64> {
    let mut parts = s.split(':');
    let (h, m, sec) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || m.len() != 2 || sec.len() != 2 || h.is_empty() {
        return None;
    }
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if !(digits(h) && digits(m) && digits(sec)) {
        return None;
    }
    let (h, m, sec): (u64, u64, u64) = (h.parse().ok()?, m.parse().ok()?, sec.parse().ok()?);
    if m >= 60 || sec >= 60 {
        return None;
    }
    h.checked_mul(3600)?.checked_add(m * 60 + sec)
}

/// Seconds back to `HH:MM:SS`.
pub fn format_hms(seconds: u64) -> String {
    format!("{:02}:{:02}:{:02}", seconds / 3600, (seconds / 60) % 60, seconds % 60)
}

/// Items waiting at each stage when the run started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InitialSnapshot {
    pub stage_1_initial: u64,
    pub stage_2_initial: u64,
    pub stage_3_initial: u64,
    pub stage_4_initial: u64,
    pub stage_5_initial: u64,
    pub stage_6_initial: u64,
    pub stage_7_initial: u64,
    pub total_initial_items: u64,
}

impl InitialSnapshot {
    pub fn per_stage(&self) -> [u64; STAGE_COUNT] {
        [
            self.stage_1_initial,
            self.stage_2_initial,
            self.stage_3_initial,
            self.stage_4_initial,
            self.stage_5_initial,
            self.stage_6_initial,
            self.stage_7_initial,
        ]
    }
}

/// A run with its stage results, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub run_id: String,
    pub site_id: i64,
    pub run_number: i64,
    pub status: RunStatus,
    pub trigger_type: TriggerType,
    pub current_stage: StageNumber,
    pub started_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub paused_at: Option<DateTime<Utc>>,
    pub resumed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub total_credits_used: u64,
    pub error_message: Option<String>,
    pub initial_snapshot: InitialSnapshot,
    pub stages: [Option<StageResult>; STAGE_COUNT],
}

impl Run {
    pub fn result(&self, stage: StageNumber) -> Option<&StageResult> {
        self.stages[stage.index()].as_ref()
    }
}

/// "{site domain} #{n}".
pub fn run_title(domain: &str, run_number: i64) -> String {
    format!("{domain} #{run_number}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stage(n: i64) -> StageNumber {
        StageNumber::try_from(n).unwrap()
    }

    #[test]
    fn hms_parses_and_formats() {
        assert_eq!(parse_hms("00:03:24"), Some(204));
        assert_eq!(parse_hms("100:00:01"), Some(360_001));
        assert_eq!(parse_hms("00:60:00"), None);
        assert_eq!(parse_hms("3:24"), None);
        assert_eq!(parse_hms("aa:bb:cc"), None);
        assert_eq!(parse_hms("-1:00:00"), None);
        assert_eq!(format_hms(2301), "00:38:21");
    }

    #[test]
    fn stage_result_keeps_unknown_fields() {
        let fields = json!({"keywords_processed":150,"clusters_created":12,"batches":3,
            "credits_used":45,"time_elapsed":"00:03:24","model":"gpt-x"});
        let r = StageResult::from_fields(stage(1), fields.as_object().unwrap().clone()).unwrap();
        assert_eq!((r.input, r.output, r.credits, r.seconds), (150, 12, 45, 204));
        assert_eq!(serde_json::to_value(&r).unwrap(), fields);
    }

    #[test]
    fn stage_seven_reads_one_field_as_input_and_output() {
        let fields = json!({"ready_for_review":5,"credits_used":0,"time_elapsed":"00:00:03"});
        let r = StageResult::from_fields(stage(7), fields.as_object().unwrap().clone()).unwrap();
        assert_eq!((r.input, r.output), (5, 5));
    }

    #[test]
    fn stage_result_rejects_negative_and_malformed() {
        let neg = json!({"keywords_processed":-1});
        assert!(StageResult::from_fields(stage(1), neg.as_object().unwrap().clone()).is_err());
        let bad_time = json!({"time_elapsed":"3 minutes"});
        assert!(StageResult::from_fields(stage(1), bad_time.as_object().unwrap().clone()).is_err());
        let neg_extra = json!({"batches":-2});
        assert!(StageResult::from_fields(stage(1), neg_extra.as_object().unwrap().clone()).is_err());
    }
}
