//! Downloads of a run: its report as CSV or JSON, and its log.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{ApiError, CallerScope};
use crate::domain::detail::RunDetail;
use crate::domain::params::{parse_run_id, LogQuery};
use crate::domain::report::stages_csv;
use crate::server::state::AppState;

/// Lines a log download holds at most; the page pages through longer logs.
const MAX_LOG_LINES: u64 = 1_000_000;

/// The download's name: "techblog.com-47-report.csv", safe in any file system.
fn file_name(detail: &RunDetail, suffix: &str) -> String {
    let base: String = format!("{}-{}", detail.run.site_domain, detail.run.run_number)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    format!("{base}-{suffix}")
}

/// A body that names itself: finished runs are cached and revalidated by a hash of the body
/// (an import that rewrites the run changes it); an active run is never cached.
fn download(headers: &HeaderMap, detail: &RunDetail, content_type: &str, name: String, body: String) -> Response {
    let etag = format!("\"{:016x}\"", fnv1a(body.as_bytes()));
    let cache = if detail.run.status.is_active() { "no-store" } else { "private, max-age=300, must-revalidate" };
    let fresh = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str());
    let mut response = if fresh && !detail.run.status.is_active() {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [
                (header::CONTENT_TYPE, content_type.to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            body,
        )
            .into_response()
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    response
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// The run report, one row per stage.
#[utoipa::path(get, path = "/api/v1/automation/runs/{run_id}/report.csv",
    params(("run_id" = String, Path, description = "The run's id")),
    responses((status = 200, content_type = "text/csv", body = String), (status = 304), (status = 400, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn report_csv(
    State(state): State<AppState>,
    CallerScope(scope): CallerScope,
    Path(run_id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let detail = state.service.run_detail(scope, &parse_run_id(&run_id)?).await?;
    let body = stages_csv(&detail);
    Ok(download(&headers, &detail, "text/csv; charset=utf-8", file_name(&detail, "report.csv"), body))
}

/// The run_detail document as a file.
#[utoipa::path(get, path = "/api/v1/automation/runs/{run_id}/report.json",
    params(("run_id" = String, Path, description = "The run's id")),
    responses((status = 200, body = RunDetail), (status = 304), (status = 400, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn report_json(
    State(state): State<AppState>,
    CallerScope(scope): CallerScope,
    Path(run_id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let detail = state.service.run_detail(scope, &parse_run_id(&run_id)?).await?;
    let body = serde_json::to_string_pretty(detail.as_ref()).map_err(|e| {
        tracing::error!(error = %e, "run detail did not serialise");
        ApiError(crate::error::AppError::Internal)
    })?;
    Ok(download(&headers, &detail, "application/json", file_name(&detail, "report.json"), body))
}

/// The run's whole log as NDJSON, in the import format's `log` lines.
#[utoipa::path(get, path = "/api/v1/automation/runs/{run_id}/logs.ndjson",
    params(("run_id" = String, Path, description = "The run's id")),
    responses((status = 200, content_type = "application/x-ndjson", body = String), (status = 400, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn logs_ndjson(
    State(state): State<AppState>,
    CallerScope(scope): CallerScope,
    Path(run_id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let run_id = parse_run_id(&run_id)?;
    let detail = state.service.run_detail(scope, &run_id).await?;
    let page = state.service.run_logs(scope, &run_id, &LogQuery::whole(MAX_LOG_LINES)).await?;
    let mut body = String::with_capacity(page.lines.len() * 120);
    for line in &page.lines {
        let record = serde_json::json!({
            "kind": "log", "run_id": run_id, "stage": line.stage, "at": line.at,
            "level": line.level, "message": line.message,
        });
        body.push_str(&record.to_string());
        body.push('\n');
    }
    Ok(download(&headers, &detail, "application/x-ndjson", file_name(&detail, "logs.ndjson"), body))
}
