//! `GET` and `PUT /api/v1/automation/alerts`: the account's webhook, its alerts and the
//! deliveries' log.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;

use super::budget::SettingsWriter;
use super::run_requests::ApiJson;
use super::{ApiError, CallerScope, ErrorBody};
use crate::domain::alerts::{AlertsView, WebhookSet};
use crate::error::AppError;
use crate::server::state::AppState;

/// The body of `PUT /api/v1/automation/alerts`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookBody {
    /// The http(s) URL alerts are POSTed to; null removes it. Required.
    #[schema(value_type = Option<String>)]
    pub webhook_url: serde_json::Value,
}

/// The account's webhook, its newest alerts (budget at risk or over, balance below the next
/// run's buffer, failed runs) and the deliveries with their answers' status codes.
#[utoipa::path(get, path = "/api/v1/automation/alerts", responses(
    (status = 200, body = AlertsView),
))]
pub async fn get_alerts(
    State(state): State<AppState>,
    CallerScope(scope): CallerScope,
) -> Result<Json<AlertsView>, ApiError> {
    Ok(Json(state.service.alerts(scope).await?))
}

/// Sets the account's webhook (a signed-in owner with the CSRF token, or an ingest token) and
/// answers with its new signing secret, shown only in this answer; null removes it. Alerts are
/// POSTed as JSON with `X-Automation-Signature: sha256=<hex HMAC-SHA256 of the body>`.
#[utoipa::path(put, path = "/api/v1/automation/alerts", request_body = WebhookBody, responses(
    (status = 200, body = WebhookSet, description = "set, with the new secret (or removed)"),
    (status = 400, body = ErrorBody, description = "not an http(s) URL, or a host the server does not allow"),
    (status = 403, body = ErrorBody, description = "a read token, a member or viewer, or a session without the CSRF token"),
    (status = 415, body = ErrorBody, description = "not application/json"),
))]
pub async fn put_alerts(
    State(state): State<AppState>,
    writer: SettingsWriter,
    ApiJson(body): ApiJson<WebhookBody>,
) -> Result<Json<WebhookSet>, ApiError> {
    let url = match &body.webhook_url {
        serde_json::Value::Null => None,
        serde_json::Value::String(url) => Some(url.as_str()),
        _ => return Err(ApiError(AppError::BadRequest("webhook_url must be a URL or null.".into()))),
    };
    Ok(Json(state.service.set_webhook(writer.scope, url, &writer.actor).await?))
}
