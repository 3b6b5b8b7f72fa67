//! `GET` and `PUT /api/v1/automation/budget` (metrics.md, the budget): the caller's account's
//! monthly budget and the month's spend.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::Json;
use serde::Deserialize;

use super::run_requests::ApiJson;
use super::{ApiError, CallerScope, ErrorBody};
use crate::domain::budget::{BudgetView, MonthlyBudget};
use crate::domain::scope::Scope;
use crate::domain::team::Permission;
use crate::error::AppError;
use crate::server::state::AppState;

/// A caller that may change the account's settings: a signed-in owner (whose session's CSRF
/// token the gate has checked), or an `ingest` token. Members, viewers and read tokens get 403.
pub struct SettingsWriter {
    pub scope: Scope,
    /// Who the audit log names.
    pub actor: String,
}

impl<S: Send + Sync> FromRequestParts<S> for SettingsWriter {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let caller = parts.extensions.get::<crate::server::auth::Caller>().ok_or(ApiError(AppError::Unauthorized))?;
        caller.may(Permission::ChangeSettings)?;
        Ok(SettingsWriter { scope: caller.scope(), actor: caller.actor() })
    }
}

/// The body of `PUT /api/v1/automation/budget`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetBody {
    /// Credits a calendar month (UTC) may cost, a whole number from 0 to 1,000,000,000; null
    /// removes the budget. Required.
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 1_000_000_000)]
    pub monthly_budget: serde_json::Value,
}

/// The account's monthly budget, its spend this calendar month (UTC), the projected month-end
/// spend and the status.
#[utoipa::path(get, path = "/api/v1/automation/budget", responses(
    (status = 200, body = BudgetView),
))]
pub async fn get_budget(
    State(state): State<AppState>,
    CallerScope(scope): CallerScope,
) -> Result<Json<BudgetView>, ApiError> {
    Ok(Json(state.service.budget(scope).await?))
}

/// Sets or removes the account's monthly budget (a signed-in owner with the CSRF token, or an
/// ingest token); answers with the budget as GET does.
#[utoipa::path(put, path = "/api/v1/automation/budget", request_body = BudgetBody, responses(
    (status = 200, body = BudgetView, description = "set (or removed, with null)"),
    (status = 400, body = ErrorBody, description = "a negative, fractional, absurd (over 1,000,000,000) or missing budget; nothing written"),
    (status = 403, body = ErrorBody, description = "a read token, or a session without the CSRF token"),
    (status = 415, body = ErrorBody, description = "not application/json"),
))]
pub async fn put_budget(
    State(state): State<AppState>,
    writer: SettingsWriter,
    ApiJson(body): ApiJson<BudgetBody>,
) -> Result<Json<BudgetView>, ApiError> {
    let budget = MonthlyBudget::from_json(&body.monthly_budget).map_err(|e| AppError::BadRequest(e.to_string()))?;
    Ok(Json(state.service.set_budget(writer.scope, budget, &writer.actor).await?))
}
