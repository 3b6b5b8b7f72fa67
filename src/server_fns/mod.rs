//! Server functions: thin calls into the service, one per file. All are GET: they only read,
//! so none needs a CSRF token, and the gate refuses any other method without one.

mod get_alerts;
mod get_api_reference;
mod get_audit;
mod get_budget;
mod get_compare;
mod get_history;
mod get_invitation;
mod get_overview;
mod get_run_detail;
mod get_run_logs;
mod get_session;
mod get_sign_in;
mod get_sites;
mod get_team;
mod get_tokens;
mod get_trends;

pub use get_alerts::get_alerts;
pub use get_api_reference::get_api_reference;
pub use get_audit::get_audit;
pub use get_budget::get_budget;
pub use get_compare::get_compare;
pub use get_history::get_history;
pub use get_invitation::{get_invitation, GetInvitation};
pub use get_overview::get_overview;
pub use get_run_detail::get_run_detail;
pub use get_run_logs::get_run_logs;
pub use get_session::{get_session, GetSession};
pub use get_sign_in::{get_sign_in, GetSignIn};
pub use get_sites::get_sites;
pub use get_team::get_team;
pub use get_tokens::get_tokens;
pub use get_trends::get_trends;

#[cfg(feature = "ssr")]
fn app_state() -> Result<crate::server::state::AppState, crate::error::AppError> {
    leptos::prelude::use_context::<crate::server::state::AppState>().ok_or_else(|| {
        tracing::error!("server function called without the app state in context");
        crate::error::AppError::Internal
    })
}

/// What the authentication middleware put on the request: the caller, and the CSRF token.
#[cfg(feature = "ssr")]
fn request_extension<T: Clone + Send + Sync + 'static>() -> Option<T> {
    leptos::prelude::use_context::<axum::http::request::Parts>().and_then(|parts| parts.extensions.get::<T>().cloned())
}

/// Runs a server function's work and gives a failure its HTTP status (404 for another
/// account's site, as for a missing one), which the server-function handler would otherwise
/// turn into 500.
#[cfg(feature = "ssr")]
async fn answer<T>(
    work: impl std::future::Future<Output = Result<T, crate::error::AppError>>,
) -> Result<T, crate::error::AppError> {
    let result = work.await;
    if let (Err(e), Some(response)) = (&result, leptos::prelude::use_context::<leptos_axum::ResponseOptions>()) {
        response.set_status(e.http_status());
    }
    result
}

/// The request's CSRF token, for the forms a page draws.
#[cfg(feature = "ssr")]
pub(crate) fn csrf_token() -> Result<String, crate::error::AppError> {
    request_extension::<crate::server::auth::CsrfToken>()
        .map(|crate::server::auth::CsrfToken(token)| token)
        .ok_or(crate::error::AppError::Unauthorized)
}

/// The caller the gate found; 401 without one.
#[cfg(feature = "ssr")]
pub(crate) fn caller() -> Result<crate::server::auth::Caller, crate::error::AppError> {
    request_extension::<crate::server::auth::Caller>().ok_or(crate::error::AppError::Unauthorized)
}

/// Why the caller may not do this (shown beside the disabled form), or `None` when they may.
#[cfg(feature = "ssr")]
pub(crate) fn refusal(permission: crate::domain::team::Permission) -> Result<Option<String>, crate::error::AppError> {
    Ok(caller()?.may(permission).err().map(|e| e.to_string()))
}

/// The service and the caller's scope; 401 without a signed-in caller.
#[cfg(feature = "ssr")]
pub(crate) fn context() -> Result<(crate::server::service::Service, crate::domain::scope::Scope), crate::error::AppError>
{
    let state = app_state()?;
    Ok((state.service, caller()?.scope()))
}
