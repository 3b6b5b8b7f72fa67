//! Row types and their conversion into the domain's validated types.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use sqlx::types::Json;

use super::StoreError;
use crate::domain::run::{InitialSnapshot, Run, StageResult};
use crate::domain::stage::StageNumber;

/// Columns of `runs` as every run query selects them (table alias `r`).
pub const RUN_COLUMNS: &str = "r.run_id, r.site_id, r.run_number, r.status, r.trigger_type, r.current_stage, \
     r.started_at, r.completed_at, r.paused_at, r.resumed_at, r.cancelled_at, r.total_credits_used, \
     r.error_message, r.initial_snapshot, r.stage_results";

#[derive(Debug, sqlx::FromRow)]
pub struct RunRow {
    run_id: String,
    site_id: i64,
    run_number: i64,
    status: String,
    trigger_type: String,
    current_stage: i64,
    started_at: DateTime<Utc>,
    completed_at: Option<DateTime<Utc>>,
    paused_at: Option<DateTime<Utc>>,
    resumed_at: Option<DateTime<Utc>>,
    cancelled_at: Option<DateTime<Utc>>,
    total_credits_used: i64,
    error_message: Option<String>,
    initial_snapshot: Json<InitialSnapshot>,
    stage_results: Json<Vec<Option<Map<String, Value>>>>,
}

impl TryFrom<RunRow> for Run {
    type Error = StoreError;

    fn try_from(row: RunRow) -> Result<Run, StoreError> {
        let corrupt = |reason: String| StoreError::Corrupt { id: row.run_id.clone(), reason };
        let mut results = row.stage_results.0.into_iter();
        let fields: [Option<Map<String, Value>>; 7] = std::array::from_fn(|_| results.next().flatten());
        let stages = StageNumber::all()
            .zip(fields)
            .map(|(stage, fields)| {
                fields.map(|f| StageResult::from_fields(stage, f).map_err(|e| corrupt(e.to_string()))).transpose()
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Run {
            site_id: row.site_id,
            run_number: row.run_number,
            status: row.status.parse().map_err(corrupt)?,
            trigger_type: row.trigger_type.parse().map_err(corrupt)?,
            current_stage: StageNumber::try_from(row.current_stage).map_err(corrupt)?,
            started_at: row.started_at,
            completed_at: row.completed_at,
            paused_at: row.paused_at,
            resumed_at: row.resumed_at,
            cancelled_at: row.cancelled_at,
            total_credits_used: u64::try_from(row.total_credits_used).map_err(|e| corrupt(e.to_string()))?,
            error_message: row.error_message,
            initial_snapshot: row.initial_snapshot.0,
            stages: stages.try_into().map_err(|_| corrupt("expected 7 stage results".into()))?,
            run_id: row.run_id,
        })
    }
}

/// A site with what its pages show of its account.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SiteRow {
    pub id: i64,
    pub account_id: i64,
    pub account_name: String,
    pub credit_balance: i64,
    pub name: String,
    pub domain: String,
    pub revision: i64,
}

pub const SITE_COLUMNS: &str =
    "s.id, s.account_id, a.name AS account_name, a.credit_balance, s.name, s.domain, s.revision";
