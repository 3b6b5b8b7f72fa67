//! Builds the application: store, service, router; binds its port (0 for tests).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use super::auth::{self, Auth};
use super::config::Settings;
use super::db::Store;
use super::events::EventHub;
use super::service::{Clock, Service};
use super::state::AppState;
use crate::app::{shell, App};
use crate::domain::proxy::TrustedProxies;
use crate::paths;

/// No request of this app carries more than a sign-in form.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;
/// A request still unanswered after this gets 408 instead of holding its connection.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Application {
    listener: TcpListener,
    router: Router,
    service: Service,
    auth: Auth,
    events: EventHub,
}

/// The full router: JSON API, pages, server functions and static files, behind the request
/// id, the client's address (believing `trusted_proxies` only), security headers, limits and the
/// authentication gate (outermost first).
pub fn router(state: AppState, trusted_proxies: TrustedProxies) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let request_id = HeaderName::from_static(super::request_id::HEADER);
    let outer = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
        .layer(PropagateRequestIdLayer::new(request_id))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request.headers().get(super::request_id::HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", method = %request.method(), uri = %request.uri(), request_id = %id)
        }))
        .layer(from_fn_with_state(Arc::new(trusted_proxies), super::forwarded::resolve))
        .layer(from_fn(super::security_headers::add))
        .layer(from_fn(super::assets::cache_control))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(CompressionLayer::new())
        .layer(from_fn(super::request_id::scope))
        .layer(from_fn_with_state(state.clone(), auth::middleware::authenticate));
    Router::new()
        .merge(super::rest::routes())
        // A real HTTP redirect, so it works for any client, not only a rendering one.
        .route("/", get(|| async { axum::response::Redirect::to(paths::DEFAULT_LANDING) }))
        .route(paths::SIGN_IN, post(auth::handlers::sign_in))
        .route(paths::SIGN_OUT, post(auth::handlers::sign_out))
        .route(paths::REQUEST_FORM, post(super::requests::forms::submit))
        .route(paths::BUDGET_FORM, post(super::budget::forms::submit))
        .route(paths::ALERTS_FORM, post(super::alerts::forms::submit))
        .route(paths::PASSWORD_FORM, post(super::team::password::submit))
        .route(paths::ROLE_FORM, post(super::team::forms::change_role))
        .route(paths::REMOVE_FORM, post(super::team::forms::remove_user))
        .route(paths::INVITE_FORM, post(super::team::invitations::invite))
        .route(paths::TOKEN_CREATE_FORM, post(super::team::tokens::create))
        .route(paths::TOKEN_REVOKE_FORM, post(super::team::tokens::revoke))
        .route(paths::JOIN, post(super::team::invitations::join))
        .leptos_routes(&state, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .nest_service(paths::PKG, super::assets::pkg_service(std::path::Path::new(options.site_root.as_ref())))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(outer)
        .with_state(state)
}

pub fn leptos_options(settings: &Settings, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(super::assets::output_name(&settings.site_root))
        .site_root(settings.site_root.display().to_string())
        .site_pkg_dir(super::assets::PKG_DIR)
        .site_addr(addr)
        .build()
}

impl Application {
    /// Connects the store and binds `settings.site_addr` (port 0 picks a free one).
    pub async fn build(settings: &Settings, clock: Clock) -> anyhow::Result<Application> {
        let store = Store::connect(&settings.database_url, settings.database_max_connections).await?;
        Self::with_store(settings, store, clock).await
    }

    pub async fn with_store(settings: &Settings, store: Store, clock: Clock) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(settings.site_addr).await?;
        let addr = listener.local_addr()?;
        let service = Service::new(store.clone(), clock.clone(), settings.run_detail_cache_entries)
            .with_webhook_allow(settings.webhook_allow.clone());
        let demo_users = if settings.demo { super::dataset::demo_users() } else { Vec::new() };
        let events = EventHub::start(store.clone()).await;
        super::requests::sweeper::start(service.clone(), events.clone());
        super::alerts::outbox::start(service.clone());
        let auth = Auth::new(store, clock, settings.session_idle_secs, demo_users)?;
        let state = AppState {
            leptos_options: leptos_options(settings, addr),
            service: service.clone(),
            auth: auth.clone(),
            events: events.clone(),
        };
        Ok(Application { listener, router: router(state, settings.trusted_proxies.clone()), service, auth, events })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("bound listener has an address")
    }

    pub fn service(&self) -> &Service {
        &self.service
    }

    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    pub fn events(&self) -> &EventHub {
        &self.events
    }

    /// Serves until `shutdown` resolves, then finishes the requests in flight.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        // The peer address feeds the per-address sign-in throttle.
        let app = self.router.into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(self.listener, app).with_graceful_shutdown(shutdown).await?;
        self.service.store().close().await;
        Ok(())
    }
}

/// Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
