use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use super::auth::Auth;
use super::events::EventHub;
use super::service::Service;

/// What every handler and server function can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub service: Service,
    pub auth: Auth,
    pub events: EventHub,
}
