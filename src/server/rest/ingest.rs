//! `POST /api/v1/ingest` (live-api.md): the engine reports runs as they happen, in the
//! records of import-format.md, through the importer ([`crate::server::import`]) in one
//! transaction per request, confined to the token's account.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::{ApiError, ErrorBody, ErrorDetail, Ingester};
use crate::error::AppError;
use crate::server::import::{import_reader, BadLine, ImportError, ImportOptions, ImportReport};
use crate::server::state::AppState;

/// A request of the engine may carry this much; the rest of the API keeps its small limit.
pub const INGEST_BODY_LIMIT: usize = 8 * 1024 * 1024;
pub const NDJSON: &str = "application/x-ndjson";

/// Records of one kind, by what the request did to them.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct KindCounts {
    pub accounts: u64,
    pub sites: u64,
    pub runs: u64,
    pub pipelines: u64,
    pub logs: u64,
}

/// What an ingest request wrote. Sending the same body again inserts and updates nothing.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IngestResult {
    pub inserted: KindCounts,
    pub updated: KindCounts,
    /// Records sent again as they were stored.
    pub unchanged: KindCounts,
}

impl IngestResult {
    fn from_report(r: &ImportReport) -> IngestResult {
        let pick = |f: fn(&_) -> u64| KindCounts {
            accounts: f(&r.accounts),
            sites: f(&r.sites),
            runs: f(&r.runs),
            pipelines: f(&r.pipelines),
            logs: f(&r.logs),
        };
        IngestResult { inserted: pick(|u| u.inserted), updated: pick(|u| u.updated), unchanged: pick(|u| u.unchanged) }
    }
}

/// The 400 of a body with bad lines: the API's error, and the lines beside it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InvalidRecordsBody {
    pub error: ErrorDetail,
    /// The first 100 bad lines, by line number.
    pub lines: Vec<BadLineBody>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BadLineBody {
    pub line: u64,
    pub reason: String,
}

fn invalid_records(report: &ImportReport) -> Response {
    let error = AppError::InvalidRecords(format!(
        "{} line(s) of the body are not valid records; nothing was written.",
        report.invalid_lines
    ));
    let ErrorBody { error, .. } = super::error_body(&error);
    let lines =
        report.errors.iter().map(|BadLine { line, reason }| BadLineBody { line: *line, reason: reason.clone() });
    (StatusCode::BAD_REQUEST, Json(InvalidRecordsBody { error, lines: lines.collect() })).into_response()
}

fn is_ndjson(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case(NDJSON))
}

/// Writes the engine's records: runs (a running run's record replaces its earlier state),
/// sites, pipeline counts, log lines, and the token's own account balance.
#[utoipa::path(
    post,
    path = "/api/v1/ingest",
    request_body(content = String, content_type = "application/x-ndjson",
        description = "Records of import-format.md, one JSON object a line, at most 8 MiB"),
    responses(
        (status = 200, body = IngestResult, description = "written in one transaction"),
        (status = 400, body = InvalidRecordsBody, description = "bad lines (code invalid_records); nothing written"),
        (status = 401, body = ErrorBody, description = "no valid token"),
        (status = 403, body = ErrorBody, description = "a read token, or another account's balance"),
        (status = 404, body = ErrorBody, description = "a site or run of another account; nothing written"),
        (status = 413, body = ErrorBody, description = "body over 8 MiB"),
        (status = 415, body = ErrorBody, description = "not application/x-ndjson"),
    ),
    security(("bearer" = []))
)]
pub async fn ingest(
    State(state): State<AppState>,
    Ingester(account): Ingester,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    if !is_ndjson(&headers) {
        return Err(ApiError(AppError::UnsupportedMediaType(format!(
            "Send the records as {NDJSON}, one JSON object a line."
        ))));
    }
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge(INGEST_BODY_LIMIT),
        _ => AppError::BadRequest(rejection.body_text()),
    })?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError(AppError::BadRequest("The body holds no records.".into())));
    }
    let options = ImportOptions { account: Some(account), ..ImportOptions::default() };
    let report =
        import_reader(state.service.store(), std::io::Cursor::new(body), options).await.map_err(|e| match e {
            ImportError::NotFound(what) => AppError::NotFound(what),
            ImportError::Forbidden(why) => AppError::NotAllowed(why),
            ImportError::Store(e) => AppError::from(e),
            ImportError::Read { source, .. } => AppError::BadRequest(format!("The body could not be read: {source}")),
            ImportError::Deferred(e) => {
                tracing::error!(error = %e, "ingest could not keep log lines aside");
                AppError::Internal
            }
        })?;
    if !report.committed {
        return Ok(invalid_records(&report));
    }
    state.events.written();
    state.service.detect_alerts_later(account);
    Ok(Json(IngestResult::from_report(&report)).into_response())
}
