//! The JSON API under /api/v1: thin handlers over the service, one error shape.

pub mod alerts;
pub mod audit;
pub mod budget;
mod export;
pub mod ingest;
mod openapi;
pub mod reference;
pub mod run_requests;
mod trends;

use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::state::AppState;
use crate::domain::detail::RunDetail;
use crate::domain::overview::{HistoryPage, OverviewStats, SiteSummary};
use crate::domain::params::{parse_id, parse_run_id, HistoryFilter, PageRequest, ParamError};
use crate::domain::requests::Estimate;
use crate::domain::scope::Scope;
use crate::error::AppError;
use crate::paths;

pub use openapi::ApiDoc;

/// The JSON error body: `{"error":{"code","message","request_id"}}`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
    /// With `insufficient_balance`: what the run would cost and the balance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<Estimate>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    /// The request's id (also in the `x-request-id` header), to find it in the server log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// An [`AppError`] as the API answers it.
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl From<ParamError> for ApiError {
    fn from(e: ParamError) -> Self {
        ApiError(e.into())
    }
}

/// The JSON error body of `error`, with the current request's id.
pub(crate) fn error_body(error: &AppError) -> ErrorBody {
    let request_id = crate::server::request_id::current();
    let estimate = match error {
        AppError::InsufficientBalance(estimate) => Some(*estimate),
        _ => None,
    };
    ErrorBody { error: ErrorDetail { code: error.code().into(), message: error.to_string(), request_id }, estimate }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0.http_status(), Json(error_body(&self.0))).into_response()
    }
}

/// Query parameters whose malformed encoding is a 400 in the API's error shape.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| ApiQuery(q))
            .map_err(|e| ApiError(AppError::BadRequest(e.body_text())))
    }
}

/// Who is asking: the account of the request's token or session, which the authentication
/// middleware has put on the request. Its absence means the route was left open by mistake, so
/// it answers 401 rather than seeing everything.
pub struct CallerScope(pub Scope);

impl<S: Send + Sync> FromRequestParts<S> for CallerScope {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<crate::server::auth::Caller>()
            .map(|caller| CallerScope(caller.scope()))
            .ok_or(ApiError(AppError::Unauthorized))
    }
}

/// A caller that may write through the API: an `ingest` token. Others get 403 `forbidden`.
pub struct Ingester(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Ingester {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let caller = parts.extensions.get::<crate::server::auth::Caller>().ok_or(ApiError(AppError::Unauthorized))?;
        if !caller.can_ingest() {
            return Err(ApiError(AppError::NotAllowed(
                "This endpoint needs an API token with the ingest scope (token create --scope ingest).".into(),
            )));
        }
        Ok(Ingester(caller.account_id))
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SiteParams {
    /// The site's id.
    site_id: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryParams {
    /// The site's id.
    site_id: Option<String>,
    /// 1-based page number (default 1).
    page: Option<String>,
    /// Runs per page, 1 to 100 (default 20).
    page_size: Option<String>,
    /// Only runs with this status (running, paused, cancelled, completed, failed).
    status: Option<String>,
    /// Only runs with this trigger (manual, scheduled).
    trigger_type: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunParams {
    /// The run's id, e.g. run_20260117_140523_manual.
    run_id: Option<String>,
}

pub(crate) fn required<'a>(name: &str, value: &'a Option<String>) -> Result<&'a str, ApiError> {
    value.as_deref().ok_or_else(|| ApiError(AppError::BadRequest(format!("the {name} parameter is required"))))
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SitesResponse {
    pub sites: Vec<SiteSummary>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`, or `degraded` when the database does not answer.
    pub status: String,
    /// The backend: `sqlite` or `postgres`.
    pub database: String,
    /// Whether the database answered a query within a second.
    pub database_reachable: bool,
}

/// The health check waits this long for the database, so it answers while every other request
/// is still waiting for a connection.
pub const HEALTH_PING_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(1);

/// The sites the caller can see.
#[utoipa::path(get, path = "/api/v1/automation/sites/", responses(
    (status = 200, body = SitesResponse),
))]
pub async fn sites(
    State(state): State<AppState>,
    CallerScope(scope): CallerScope,
) -> Result<Json<SitesResponse>, ApiError> {
    Ok(Json(SitesResponse { sites: state.service.sites(scope).await?.as_ref().clone() }))
}

/// Run statistics (with the credits failed and cancelled runs wasted), pipeline, prediction (with
/// its likely range, where the balance runs out and how far it was off before) and attention
/// items of a site.
#[utoipa::path(get, path = "/api/v1/automation/overview_stats/", params(SiteParams), responses(
    (status = 200, body = OverviewStats),
    (status = 400, body = ErrorBody, description = "missing or malformed site_id"),
    (status = 404, body = ErrorBody, description = "unknown site"),
))]
pub async fn overview_stats(
    State(state): State<AppState>,
    CallerScope(scope): CallerScope,
    ApiQuery(q): ApiQuery<SiteParams>,
) -> Result<Json<OverviewStats>, ApiError> {
    let site_id = parse_id("site_id", required("site_id", &q.site_id)?)?;
    Ok(Json(state.service.overview_stats(scope, Some(site_id)).await?))
}

/// A page of a site's runs, newest first.
#[utoipa::path(get, path = "/api/v1/automation/history/", params(HistoryParams), responses(
    (status = 200, body = HistoryPage),
    (status = 400, body = ErrorBody, description = "missing or out-of-range parameter"),
    (status = 404, body = ErrorBody, description = "unknown site"),
))]
pub async fn history(
    State(state): State<AppState>,
    CallerScope(scope): CallerScope,
    ApiQuery(q): ApiQuery<HistoryParams>,
) -> Result<Json<HistoryPage>, ApiError> {
    let site_id = parse_id("site_id", required("site_id", &q.site_id)?)?;
    let page = PageRequest::new(q.page.as_deref(), q.page_size.as_deref())?;
    let filter = HistoryFilter::parse(q.status.as_deref(), q.trigger_type.as_deref())?;
    Ok(Json(state.service.history(scope, Some(site_id), page, filter).await?))
}

/// Everything about one run.
#[utoipa::path(get, path = "/api/v1/automation/run_detail/", params(RunParams), responses(
    (status = 200, body = RunDetail),
    (status = 400, body = ErrorBody, description = "missing or malformed run_id"),
    (status = 404, body = ErrorBody, description = "unknown run"),
))]
pub async fn run_detail(
    State(state): State<AppState>,
    CallerScope(scope): CallerScope,
    ApiQuery(q): ApiQuery<RunParams>,
) -> Result<Json<RunDetail>, ApiError> {
    let run_id = parse_run_id(required("run_id", &q.run_id)?)?;
    Ok(Json(state.service.run_detail(scope, &run_id).await?.as_ref().clone()))
}

/// Liveness and database reachability: 200 when the database answers, 503 when it does not.
#[utoipa::path(get, path = "/healthz", responses(
    (status = 200, body = Health, description = "the database answers"),
    (status = 503, body = Health, description = "the database does not answer: status degraded"),
))]
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let store = state.service.store();
    let reachable = match tokio::time::timeout(HEALTH_PING_TIMEOUT, store.ping()).await {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: the database did not answer");
            false
        }
        Err(_) => {
            tracing::warn!("health check: the database did not answer within {HEALTH_PING_TIMEOUT:?}");
            false
        }
    };
    let (status, word) = if reachable { (StatusCode::OK, "ok") } else { (StatusCode::SERVICE_UNAVAILABLE, "degraded") };
    (status, Json(Health { status: word.into(), database: store.backend().into(), database_reachable: reachable }))
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    use utoipa::OpenApi;
    Json(ApiDoc::openapi())
}

async fn unknown_endpoint() -> ApiError {
    ApiError(AppError::NotFound("API endpoint".into()))
}

/// The API's routes; each list endpoint answers with and without its trailing slash.
pub fn routes() -> Router<AppState> {
    let both = |router: Router<AppState>, path: &str, handler: axum::routing::MethodRouter<AppState>| {
        router.route(path, handler.clone()).route(&format!("{path}/"), handler)
    };
    use paths::api;
    let api = Router::new();
    let api = both(api, api::SITES, get(sites));
    let api = both(api, api::OVERVIEW_STATS, get(overview_stats));
    let api = both(api, api::HISTORY, get(history));
    let api = both(api, api::RUN_DETAIL, get(run_detail));
    let api = both(api, api::TRENDS, get(trends::trends));
    let api = both(api, api::COMPARE, get(trends::compare));
    let api = both(api, api::EVENTS, get(crate::server::events::events));
    let api = both(api, api::RUN_REQUESTS, get(run_requests::list).post(run_requests::create));
    let api = both(api, api::BUDGET, get(budget::get_budget).put(budget::put_budget));
    let api = both(api, api::ALERTS, get(alerts::get_alerts).put(alerts::put_alerts));
    let api = both(api, api::AUDIT, get(audit::audit));
    api.route(api::TRENDS_CSV, get(trends::trends_csv))
        .route(api::REPORT_CSV, get(export::report_csv))
        .route(api::REPORT_JSON, get(export::report_json))
        .route(api::LOGS_NDJSON, get(export::logs_ndjson))
        .route(api::INGEST, post(ingest::ingest).layer(axum::extract::DefaultBodyLimit::max(ingest::INGEST_BODY_LIMIT)))
        .route(api::ENGINE_CLAIM, post(run_requests::claim))
        .route(api::ENGINE_STARTED, post(run_requests::started))
        .route(api::ENGINE_REJECTED, post(run_requests::rejected))
        .route(api::OPENAPI, get(openapi_json))
        .route(paths::HEALTHZ, get(healthz))
        .route(api::UNKNOWN, get(unknown_endpoint))
}
