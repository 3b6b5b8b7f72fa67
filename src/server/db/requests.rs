//! Reads of run requests, always through a site the caller may see.

use chrono::{DateTime, Utc};
use sqlx::types::Json;

use super::{with_pool, ScopedSite, Store, StoreError};
use crate::domain::requests::{Estimate, RequestKind, RequestState, RunRequest};

/// Columns of `run_requests` as every request query selects or returns them.
pub const REQUEST_COLUMNS: &str = "id, site_id, kind, source_run_id, stage, state, requested_at, requested_by, \
     estimate, run_id, reason, claimed_at, answered_at";

#[derive(Debug, sqlx::FromRow)]
pub struct RequestRow {
    id: i64,
    site_id: i64,
    kind: String,
    source_run_id: Option<String>,
    stage: Option<i64>,
    state: String,
    requested_at: DateTime<Utc>,
    requested_by: String,
    estimate: Json<Estimate>,
    run_id: Option<String>,
    reason: Option<String>,
    claimed_at: Option<DateTime<Utc>>,
    answered_at: Option<DateTime<Utc>>,
}

impl TryFrom<RequestRow> for RunRequest {
    type Error = StoreError;

    fn try_from(row: RequestRow) -> Result<RunRequest, StoreError> {
        let corrupt = |reason: String| StoreError::Corrupt { id: format!("run request {}", row.id), reason };
        Ok(RunRequest {
            kind: RequestKind::parse(&row.kind).ok_or_else(|| corrupt(format!("kind {:?}", row.kind)))?,
            state: RequestState::parse(&row.state).ok_or_else(|| corrupt(format!("state {:?}", row.state)))?,
            stage: row.stage.map(u8::try_from).transpose().map_err(|e| corrupt(e.to_string()))?,
            id: row.id,
            site_id: row.site_id,
            source_run_id: row.source_run_id,
            requested_at: row.requested_at,
            requested_by: row.requested_by,
            estimate: row.estimate.0,
            run_id: row.run_id,
            reason: row.reason,
            claimed_at: row.claimed_at,
            answered_at: row.answered_at,
        })
    }
}

fn to_requests(rows: Vec<RequestRow>) -> Result<Vec<RunRequest>, StoreError> {
    rows.into_iter().map(RunRequest::try_from).collect()
}

/// The newest run of a site that has not finished.
pub const ACTIVE_RUN_SQL: &str = "SELECT run_id FROM runs WHERE site_id = $1 AND status IN ('running', 'paused') \
     ORDER BY run_number DESC LIMIT 1";

impl Store {
    /// The site's run that has not finished (running or paused), if any.
    pub async fn active_run(&self, site: &ScopedSite) -> Result<Option<String>, StoreError> {
        Ok(with_pool!(self, |pool| sqlx::query_scalar(ACTIVE_RUN_SQL).bind(site.id()).fetch_optional(pool).await)?)
    }

    /// The site's requests, newest first.
    pub async fn requests(&self, site: &ScopedSite, limit: u32) -> Result<Vec<RunRequest>, StoreError> {
        let sql = format!("SELECT {REQUEST_COLUMNS} FROM run_requests WHERE site_id = $1 ORDER BY id DESC LIMIT $2");
        let rows: Vec<RequestRow> =
            with_pool!(self, |pool| sqlx::query_as(&sql).bind(site.id()).bind(i64::from(limit)).fetch_all(pool).await)?;
        to_requests(rows)
    }

    /// The request that the engine answered by starting this run of the site.
    pub async fn request_of_run(&self, site: &ScopedSite, run_id: &str) -> Result<Option<RunRequest>, StoreError> {
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM run_requests WHERE run_id = $1 AND site_id = $2 ORDER BY id DESC LIMIT 1"
        );
        let row: Option<RequestRow> =
            with_pool!(self, |pool| sqlx::query_as(&sql).bind(run_id).bind(site.id()).fetch_optional(pool).await)?;
        row.map(RunRequest::try_from).transpose()
    }
}
