//! Builds the application: store, service, router; binds its port (0 for tests).

use std::net::SocketAddr;

use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use super::config::Settings;
use super::db::Store;
use super::service::{Clock, Service};
use super::state::AppState;
use crate::app::{shell, App};

pub struct Application {
    listener: TcpListener,
    router: Router,
    service: Service,
}

/// The full router: JSON API, pages, server functions and static files.
pub fn router(service: Service, options: LeptosOptions) -> Router {
    let state = AppState { leptos_options: options.clone(), service };
    let routes = generate_route_list(App);
    Router::new()
        .merge(super::rest::routes())
        // A real HTTP redirect, so it works for any client, not only a rendering one.
        .route("/", axum::routing::get(|| async { axum::response::Redirect::to("/automation/overview") }))
        .leptos_routes(&state, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

pub fn leptos_options(settings: &Settings, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("automation-runs")
        .site_root(settings.site_root.display().to_string())
        .site_pkg_dir("pkg")
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
        let service = Service::new(store, clock, settings.run_detail_cache_entries);
        let router = router(service.clone(), leptos_options(settings, addr));
        Ok(Application { listener, router, service })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("bound listener has an address")
    }

    pub fn service(&self) -> &Service {
        &self.service
    }

    /// Serves until `shutdown` resolves, then finishes the requests in flight.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(self.listener, self.router).with_graceful_shutdown(shutdown).await?;
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
