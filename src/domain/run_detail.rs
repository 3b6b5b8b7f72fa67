//! What the run page and the `run_detail` API show of one run, part by part. `detail` computes
//! them and `insights` reads them, so they live apart from both.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::run::{format_hms, RunStatus, StageResult, TriggerType};
use super::stage::StageNumber;
use super::stage_status::StageStatus;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunInfo {
    pub run_id: String,
    pub run_number: i64,
    pub run_title: String,
    pub site_id: i64,
    pub site_name: String,
    pub site_domain: String,
    pub status: RunStatus,
    pub trigger_type: TriggerType,
    pub current_stage: u8,
    pub started_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub paused_at: Option<DateTime<Utc>>,
    pub resumed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub duration_seconds: i64,
    pub total_credits_used: u64,
    pub error_message: Option<String>,
}

/// A stage result as the plan's `result` shows it: the common figures, then every field of the
/// engine's record flat beside them (`keywords_processed`, `batches`, `total_words`, and any the
/// engine adds later), so a client reads the record's own names. The OpenAPI schema is written
/// by hand (`server::rest::openapi`) because it lists the stages' fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageResultView {
    pub input_count: u64,
    pub output_count: u64,
    pub credits_used: u64,
    pub time_elapsed: String,
    pub time_elapsed_seconds: u64,
    /// The record's fields but those above, in the order the engine wrote them.
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

/// Names the view sets itself; a record field of the same name would be a second key.
pub const STAGE_RESULT_COMMON_FIELDS: [&str; 5] =
    ["input_count", "output_count", "credits_used", "time_elapsed", "time_elapsed_seconds"];

impl StageResultView {
    pub fn new(r: &StageResult) -> Self {
        StageResultView {
            input_count: r.input,
            output_count: r.output,
            credits_used: r.credits,
            time_elapsed: format_hms(r.seconds),
            time_elapsed_seconds: r.seconds,
            fields: r
                .fields()
                .iter()
                .filter(|(k, _)| !STAGE_RESULT_COMMON_FIELDS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    /// The fields beyond the stage's input and output counts: batches, total_words, and
    /// whatever else the engine recorded.
    pub fn extras(&self, stage: StageNumber) -> impl Iterator<Item = (&String, &Value)> {
        let def = stage.def();
        self.fields.iter().filter(move |(k, _)| k.as_str() != def.input_field && k.as_str() != def.output_field)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Efficiency {
    pub cost_per_input: Option<f64>,
    pub cost_per_output: Option<f64>,
    pub output_ratio: Option<f64>,
    /// Input items per minute of time_elapsed.
    pub processing_rate: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Comparison {
    /// Completed runs of the site that started before this one and ran this stage.
    pub runs_compared: u32,
    pub avg_credits: Option<f64>,
    pub avg_output: Option<f64>,
    pub credits_diff_percent: Option<f64>,
    pub output_diff_percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageDetail {
    pub number: u8,
    pub name: String,
    pub input_type: String,
    pub output_type: String,
    pub status: StageStatus,
    /// The stage recorded a result in this run.
    pub is_enabled: bool,
    pub result: Option<StageResultView>,
    pub efficiency: Option<Efficiency>,
    /// Null when the run has no result for the stage or there is not enough history.
    pub comparison: Option<Comparison>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreditShare {
    pub stage: u8,
    pub name: String,
    pub activity: String,
    pub credits: u64,
    /// credits / total × 100, one decimal; null when the run used no credits.
    pub share_percent: Option<f64>,
    pub is_free: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunMetrics {
    pub total_input_items: u64,
    pub total_output_items: u64,
    pub items_processed: u64,
    pub items_created: u64,
    pub total_initial_items: u64,
    /// items_processed / total_initial_items × 100.
    pub queue_processed_percent: Option<f64>,
    /// The plan's name for queue_processed_percent: the same figure.
    pub efficiency_percent: Option<f64>,
    pub duration_seconds: i64,
    pub stages_completed: u32,
    pub stages_failed: u32,
    /// Σ of the stages' credits_used (the donut's total).
    pub stage_credits_total: u64,
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub credits_by_stage: Map<String, Value>,
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub time_by_stage: Map<String, Value>,
    pub credit_shares: Vec<CreditShare>,
}
