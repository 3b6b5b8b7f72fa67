//! The document shell and the router.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::ui::components::layout::AppLayout;
use crate::ui::components::not_found::NotFoundPage;
use crate::ui::pages::api_reference::page::ApiReferencePage;
use crate::ui::pages::compare::page::ComparePage;
use crate::ui::pages::join::page::JoinPage;
use crate::ui::pages::overview::page::OverviewPage;
use crate::ui::pages::run_detail::page::RunDetailPage;
use crate::ui::pages::settings::page::SettingsPage;
use crate::ui::pages::sign_in::page::SignInPage;
use crate::ui::pages::trends::page::TrendsPage;

/// The stylesheet's path: named with the script and the WebAssembly (server/assets.rs), so a
/// new build's pages never pick up an old build's cached styles.
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    format!("/{}/{}.css", options.site_pkg_dir, options.output_name)
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The page's inline hydration scripts carry this response's nonce; the policy allows them
    // and nothing else inline.
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(parts)) = (use_nonce(), use_context::<axum::http::request::Parts>()) {
        if let Some(slot) = parts.extensions.get::<crate::server::security_headers::PageNonce>() {
            let _ = slot.0.set(nonce.to_string());
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <meta
                    name="description"
                    content="Automation Runs: what each run of your content pipeline did, where its credits went, how it compares with the usual, and what the next run will cost."
                />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href=stylesheet_href(&options) />
                <script src="/theme.js"></script>
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <AppLayout>
                <Routes fallback=NotFoundPage>
                    // Async rendering puts the figures in the HTML, so the page reads without JavaScript.
                    <Route path=path!("/automation/overview") view=OverviewPage ssr=SsrMode::Async />
                    <Route path=path!("/automation/runs/:run_id") view=RunDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/automation/compare") view=ComparePage ssr=SsrMode::Async />
                    <Route path=path!("/automation/trends") view=TrendsPage ssr=SsrMode::Async />
                    <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async />
                    // `/join/<token>`: domain::team::paths::JOIN and the link's token.
                    <Route path=path!("/join/:token") view=JoinPage ssr=SsrMode::Async />
                    // Must equal domain::budget::paths::SETTINGS (path! takes a literal).
                    <Route path=path!("/settings") view=SettingsPage ssr=SsrMode::Async />
                    // Must equal domain::api_reference::paths::API_REFERENCE (path! takes a literal).
                    <Route path=path!("/api") view=ApiReferencePage ssr=SsrMode::Async />
                </Routes>
            </AppLayout>
        </Router>
    }
}
