//! Trends of a site's completed runs (JSON and CSV) and two runs side by side (metrics.md,
//! "Where the figures beyond the plan are served").

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::{required, ApiError, ApiQuery, CallerScope};
use crate::domain::compare::RunComparison;
use crate::domain::params::{parse_compared_run_id, parse_id, TrendDays};
use crate::domain::trends::{trends_csv as csv_of, Trends};
use crate::server::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrendParams {
    /// The site's id.
    site_id: Option<String>,
    /// Days back from now, 1 to 3650 (default 90).
    days: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareParams {
    /// The first run's id: the one compared against.
    a: Option<String>,
    /// The second run's id (any run of the account, the same as `a` too).
    b: Option<String>,
}

async fn read_trends(
    state: &AppState,
    scope: crate::domain::scope::Scope,
    q: &TrendParams,
) -> Result<Trends, ApiError> {
    let site_id = parse_id("site_id", required("site_id", &q.site_id)?)?;
    let days = TrendDays::parse(q.days.as_deref())?;
    Ok(Trends { runs: state.service.trends(scope, site_id, days).await?.runs })
}

/// The site's completed runs started in the last `days` days, oldest first: credits, duration,
/// credits per content item, and the figures on which each run is an anomaly against the
/// (at most 10) completed runs before it.
#[utoipa::path(get, path = "/api/v1/automation/trends", params(TrendParams), responses(
    (status = 200, body = Trends),
    (status = 400, body = super::ErrorBody, description = "missing or malformed site_id, days not an integer from 1 to 3650"),
    (status = 404, body = super::ErrorBody, description = "unknown site"),
))]
pub async fn trends(
    State(state): State<AppState>,
    CallerScope(scope): CallerScope,
    ApiQuery(q): ApiQuery<TrendParams>,
) -> Result<Json<Trends>, ApiError> {
    Ok(Json(read_trends(&state, scope, &q).await?))
}

/// The rows of `/api/v1/automation/trends` as CSV: the same columns in the same order, an
/// empty cell for null, the anomalies joined by `;`.
#[utoipa::path(get, path = "/api/v1/automation/trends.csv", params(TrendParams), responses(
    (status = 200, content_type = "text/csv", body = String),
    (status = 400, body = super::ErrorBody, description = "missing or malformed site_id, days not an integer from 1 to 3650"),
    (status = 404, body = super::ErrorBody, description = "unknown site"),
))]
pub async fn trends_csv(
    State(state): State<AppState>,
    CallerScope(scope): CallerScope,
    ApiQuery(q): ApiQuery<TrendParams>,
) -> Result<Response, ApiError> {
    let rows = read_trends(&state, scope, &q).await?;
    let days = TrendDays::parse(q.days.as_deref())?.get();
    let name = format!("site-{}-trends-{days}d.csv", q.site_id.as_deref().unwrap_or_default().trim());
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            // The range ends now: the same request a moment later may hold another run.
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        csv_of(&rows.runs),
    )
        .into_response())
}

/// Run `b` against run `a`, stage by stage: credits, output and seconds of each, and b's
/// difference in percent (null where a's figure is 0 or either run has no result for the
/// stage). Any two runs of the caller's account, across its sites.
#[utoipa::path(get, path = "/api/v1/automation/compare", params(CompareParams), responses(
    (status = 200, body = RunComparison),
    (status = 400, body = super::ErrorBody, description = "missing or malformed a or b"),
    (status = 404, body = super::ErrorBody, description = "unknown run"),
))]
pub async fn compare(
    State(state): State<AppState>,
    CallerScope(scope): CallerScope,
    ApiQuery(q): ApiQuery<CompareParams>,
) -> Result<Json<RunComparison>, ApiError> {
    let a = parse_compared_run_id("a", required("a", &q.a)?)?;
    let b = parse_compared_run_id("b", required("b", &q.b)?)?;
    Ok(Json(state.service.compare(scope, &a, &b).await?))
}
