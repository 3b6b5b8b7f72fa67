//! Server functions: thin calls into the service, one per file.

mod get_history;
mod get_overview;
mod get_run_detail;
mod get_run_logs;
mod get_sites;

pub use get_history::get_history;
pub use get_overview::get_overview;
pub use get_run_detail::get_run_detail;
pub use get_run_logs::get_run_logs;
pub use get_sites::get_sites;

/// The service and the caller's scope, from the request's context.
#[cfg(feature = "ssr")]
pub(crate) fn context() -> Result<(crate::server::service::Service, crate::server::db::Scope), crate::error::AppError> {
    let state = leptos::prelude::use_context::<crate::server::state::AppState>().ok_or_else(|| {
        tracing::error!("server function called without the app state in context");
        crate::error::AppError::Internal
    })?;
    Ok((state.service, crate::server::db::Scope::Installation))
}
