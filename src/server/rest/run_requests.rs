//! Run requests over the JSON API (live-api.md, "Run requests: re-run and retry"): users and
//! their tools file and list requests; the engine, with an `ingest` token, claims and answers
//! them.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::{required, ApiError, ApiQuery, CallerScope, ErrorBody, Ingester, SiteParams};
use crate::domain::params::{parse_id, parse_run_id};
use crate::domain::requests::{clean_reason, Answer, Ask, RequestKind, RunRequest};
use crate::domain::team::Permission;
use crate::error::AppError;
use crate::server::requests::{RequestOrder, RECENT_REQUESTS};
use crate::server::state::AppState;

/// A caller that may ask for runs: a signed-in owner or member, or an `ingest` token.
pub struct Requester {
    account_id: i64,
    name: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Requester {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let caller = parts.extensions.get::<crate::server::auth::Caller>().ok_or(ApiError(AppError::Unauthorized))?;
        caller.may(Permission::RequestRuns)?;
        Ok(Requester { account_id: caller.account_id, name: caller.actor() })
    }
}

/// A JSON body whose rejection is a 400 (415 without the JSON content type) in the API's shape.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        Json::<T>::from_request(req, state).await.map(|Json(v)| ApiJson(v)).map_err(|e: JsonRejection| {
            ApiError(match e.status() {
                StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                    AppError::UnsupportedMediaType("Send the body as application/json.".into())
                }
                StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge(crate::server::startup::BODY_LIMIT_BYTES),
                _ => AppError::BadRequest(e.body_text()),
            })
        })
    }
}

/// The body of `POST /api/v1/automation/run_requests`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRunRequest {
    pub site_id: i64,
    pub kind: RequestKind,
    /// The run a `rerun` or `retry_stage` repeats.
    #[serde(default)]
    pub source_run_id: Option<String>,
    /// The failed stage a `retry_stage` runs again (1 to 7).
    #[serde(default)]
    pub stage: Option<u8>,
    /// Request it even though the balance is below the recommended buffer.
    #[serde(default)]
    pub confirm_over_balance: bool,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RunRequestList {
    /// Newest first.
    pub requests: Vec<RunRequest>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartedBody {
    /// The run the engine began for the request.
    pub run_id: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectedBody {
    /// Why the engine will not run it; shown to users.
    pub reason: String,
}

/// Asks the engine for a run of a site: a new run, a re-run of a finished run, or a retry of a
/// failed run's failed stage.
#[utoipa::path(
    post,
    path = "/api/v1/automation/run_requests",
    request_body = CreateRunRequest,
    responses(
        (status = 201, body = RunRequest, description = "filed, pending"),
        (status = 400, body = ErrorBody, description = "fields that do not fit the kind, or a stage that did not fail"),
        (status = 403, body = ErrorBody, description = "a read token, or a viewer"),
        (status = 404, body = ErrorBody, description = "a site or run of another account, or none"),
        (status = 409, body = ErrorBody, description = "conflict: the site has a request on its way or an unfinished run; insufficient_balance: the buffer exceeds the balance (with the estimate)"),
        (status = 415, body = ErrorBody, description = "not application/json"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    requester: Requester,
    ApiJson(body): ApiJson<CreateRunRequest>,
) -> Result<Response, ApiError> {
    let order = RequestOrder {
        site_id: body.site_id,
        ask: Ask {
            kind: body.kind,
            source_run_id: body.source_run_id.as_deref().map(parse_run_id).transpose()?,
            stage: body.stage,
        },
        confirm_over_balance: body.confirm_over_balance,
    };
    let request = state
        .service
        .request_run(crate::domain::scope::Scope::Account(requester.account_id), &requester.name, &order)
        .await?;
    state.events.written();
    Ok((StatusCode::CREATED, Json(request)).into_response())
}

/// A site's run requests, newest first (the last 50).
#[utoipa::path(get, path = "/api/v1/automation/run_requests", params(SiteParams), responses(
    (status = 200, body = RunRequestList),
    (status = 400, body = ErrorBody, description = "missing or malformed site_id"),
    (status = 404, body = ErrorBody, description = "unknown site"),
))]
pub async fn list(
    State(state): State<AppState>,
    CallerScope(scope): CallerScope,
    ApiQuery(q): ApiQuery<SiteParams>,
) -> Result<Json<RunRequestList>, ApiError> {
    let site_id = parse_id("site_id", required("site_id", &q.site_id)?)?;
    let requests = state.service.run_requests(scope, site_id, RECENT_REQUESTS * 10).await?;
    Ok(Json(RunRequestList { requests }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClaimParams {
    /// Only a request of this site (an engine that serves some of the account's sites).
    site_id: Option<String>,
}

/// The engine takes the oldest pending request of its account; 204 when there is none.
#[utoipa::path(post, path = "/api/v1/engine/run_requests/claim", params(ClaimParams), responses(
    (status = 200, body = RunRequest, description = "now claimed by the caller"),
    (status = 204, description = "no pending request"),
    (status = 400, body = ErrorBody, description = "a malformed site_id"),
    (status = 401, body = ErrorBody, description = "no valid token"),
    (status = 403, body = ErrorBody, description = "not an ingest token"),
), security(("bearer" = [])))]
pub async fn claim(
    State(state): State<AppState>,
    Ingester(account): Ingester,
    ApiQuery(q): ApiQuery<ClaimParams>,
) -> Result<Response, ApiError> {
    let site_id = q.site_id.as_deref().map(|raw| parse_id("site_id", raw)).transpose()?;
    match state.service.claim_run_request(account, site_id).await? {
        Some(request) => {
            state.events.written();
            Ok(Json(request).into_response())
        }
        None => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}

/// Gives request `raw_id` the engine's answer, and tells the site's streams.
async fn give_answer(
    state: &AppState,
    account: i64,
    raw_id: &str,
    answer: Answer,
) -> Result<Json<RunRequest>, ApiError> {
    let id = parse_id("id", raw_id)?;
    let request = state.service.answer_run_request(account, id, &answer).await?;
    state.events.written();
    Ok(Json(request))
}

/// The engine began a run for the request it claimed.
#[utoipa::path(post, path = "/api/v1/engine/run_requests/{id}/started",
    params(("id" = i64, Path, description = "the request's id")),
    request_body = StartedBody,
    responses(
        (status = 200, body = RunRequest, description = "started (also when it already was, with this run)"),
        (status = 400, body = ErrorBody, description = "a malformed body, or a run of another site"),
        (status = 401, body = ErrorBody, description = "no valid token"),
        (status = 403, body = ErrorBody, description = "not an ingest token"),
        (status = 404, body = ErrorBody, description = "no such request in the token's account"),
        (status = 409, body = ErrorBody, description = "the request is not claimed (its claim lapsed) or was answered otherwise"),
        (status = 415, body = ErrorBody, description = "not application/json"),
    ),
    security(("bearer" = [])))]
pub async fn started(
    State(state): State<AppState>,
    Ingester(account): Ingester,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StartedBody>,
) -> Result<Json<RunRequest>, ApiError> {
    let run_id = parse_run_id(&body.run_id)?;
    give_answer(&state, account, &id, Answer::Started { run_id }).await
}

/// The engine will not run the request it claimed; the reason is shown to users.
#[utoipa::path(post, path = "/api/v1/engine/run_requests/{id}/rejected",
    params(("id" = i64, Path, description = "the request's id")),
    request_body = RejectedBody,
    responses(
        (status = 200, body = RunRequest, description = "rejected (also when it already was, for this reason)"),
        (status = 400, body = ErrorBody, description = "a malformed body or an empty reason"),
        (status = 401, body = ErrorBody, description = "no valid token"),
        (status = 403, body = ErrorBody, description = "not an ingest token"),
        (status = 404, body = ErrorBody, description = "no such request in the token's account"),
        (status = 409, body = ErrorBody, description = "the request is not claimed (its claim lapsed) or was answered otherwise"),
        (status = 415, body = ErrorBody, description = "not application/json"),
    ),
    security(("bearer" = [])))]
pub async fn rejected(
    State(state): State<AppState>,
    Ingester(account): Ingester,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RejectedBody>,
) -> Result<Json<RunRequest>, ApiError> {
    let reason = clean_reason(&body.reason)
        .ok_or_else(|| ApiError(AppError::BadRequest("The reason must not be empty: users are shown it.".into())))?;
    give_answer(&state, account, &id, Answer::Rejected { reason }).await
}
