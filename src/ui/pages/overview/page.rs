use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::run_history::RunHistory;
use super::site_switcher::SiteSwitcher;
use crate::server_fns::{get_history, get_sites};
use crate::ui::components::error_view::{first_app_error, ErrorView};

#[component]
pub fn OverviewPage() -> impl IntoView {
    let query = use_query_map();
    let site_id = move || query.read().get("site_id").and_then(|s| s.parse::<i64>().ok());
    let page = move || query.read().get("page").and_then(|s| s.parse::<u32>().ok());

    let sites = Resource::new(|| (), |_| get_sites());
    let history = Resource::new(move || (site_id(), page()), |(site, page)| get_history(site, page));

    view! {
        <Title text="Overview" />
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <ol>
                <li>"Automation"</li>
                <li aria-current="page">"Overview"</li>
            </ol>
        </nav>
        <div class="page-header">
            <h1>"Automation Overview"</h1>
            <Suspense fallback=|| view! { <div class="site-switcher placeholder" aria-hidden="true"></div> }>
                {move || Suspend::new(async move {
                    let sites = sites.await.unwrap_or_default();
                    let current = history.await.ok().map(|h| h.site.id);
                    view! { <SiteSwitcher sites current /> }
                })}
            </Suspense>
        </div>
        <Transition fallback=|| view! { <section class="card loading" aria-busy="true">"Loading runs…"</section> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView error=first_app_error(&errors.get()) /> }>
                {move || Suspend::new(async move { history.await.map(|page| view! { <RunHistory page /> }) })}
            </ErrorBoundary>
        </Transition>
    }
}
