//! `GET /api/v1/audit`: the account's audit log (issue 14), the newest 100 changes first.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::Json;

use super::{ApiError, ErrorBody};
use crate::domain::team::AuditEntry;
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::server::state::AppState;

/// The whole caller (the audit log is an owner's reading, not every user's).
pub struct FullCaller(Caller);

impl<S: Send + Sync> FromRequestParts<S> for FullCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Caller>().cloned().map(FullCaller).ok_or(ApiError(AppError::Unauthorized))
    }
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AuditLog {
    /// Newest first, at most 100.
    pub entries: Vec<AuditEntry>,
}

/// Who changed what, and when: role changes, removals, invitations, API tokens made and
/// revoked, password changes, budget and webhook changes, and run requests.
#[utoipa::path(get, path = "/api/v1/audit", responses(
    (status = 200, body = AuditLog),
    (status = 401, body = ErrorBody, description = "no valid token or session"),
    (status = 403, body = ErrorBody, description = "a session of a member or viewer: the log is the owners'"),
))]
pub async fn audit(State(state): State<AppState>, FullCaller(caller): FullCaller) -> Result<Json<AuditLog>, ApiError> {
    Ok(Json(AuditLog { entries: state.auth.audit_log(&caller).await? }))
}
