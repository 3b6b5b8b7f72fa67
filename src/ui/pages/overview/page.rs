use crate::ui::components::page_title::PageTitle;
use leptos::prelude::*;
use leptos::Params;
use leptos_router::params::Params;

use super::no_sites::NoSites;
use super::overview_content::OverviewContent;
use super::overview_skeleton::OverviewSkeleton;
use crate::domain::params::HistoryFilter;
use crate::error::AppError;
use crate::server_fns::{get_alerts, get_budget, get_history, get_overview, get_sites};
use crate::ui::components::error_view::{first_app_error, ErrorView};
use crate::ui::islands::live_updates::LiveUpdates;
use crate::ui::query::{field, page_query, Given};

/// `?site_id=&page=&status=&trigger=`: the site, the history page and its filter.
#[derive(Params, Clone, PartialEq)]
struct OverviewQuery {
    site_id: Given<i64>,
    page: Given<u32>,
    status: Given<String>,
    trigger: Given<String>,
    /// The outcome of the request form (`domain::requests::outcome_path`).
    request: Given<String>,
    request_error: Given<String>,
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let (query, valid) = page_query::<OverviewQuery>();
    let site_id = move || field(query, |q| q.site_id.0);
    let page = move || field(query, |q| q.page.0);
    let status = move || field(query, |q| q.status.0.clone());
    let trigger = move || field(query, |q| q.trigger.0.clone());

    let sites = Resource::new(|| (), |_| get_sites());
    let overview = Resource::new(site_id, get_overview);
    let budget = Resource::new(site_id, get_budget);
    let alerts = Resource::new(|| (), |_| get_alerts());
    let history = Resource::new(
        move || (site_id(), page(), status(), trigger()),
        |(site, page, status, trigger)| get_history(site, page, status, trigger),
    );

    let content = move || {
        Suspend::new(async move {
            valid()?;
            let sites = sites.await?;
            if sites.is_empty() && site_id().is_none() {
                return Ok::<_, AppError>(view! { <NoSites /> }.into_any());
            }
            let (overview, history, budget) = (overview.await?, history.await?, budget.await?);
            let notices = alerts.await?.alerts.alerts;
            let filter = HistoryFilter::parse(status().as_deref(), trigger().as_deref())
                .map_err(|e| AppError::BadRequest(e.0))?;
            let filed = untrack(|| field(query, |q| q.request.0.clone())).is_some();
            let error = untrack(|| field(query, |q| q.request_error.0.clone()));
            Ok(view! { <OverviewContent sites overview history budget notices filter filed error /> }.into_any())
        })
    };

    view! {
        <PageTitle text="Automation Overview" />
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <ol>
                <li>"Automation"</li>
                <li aria-current="page">"Overview"</li>
            </ol>
        </nav>
        <div class="page-header">
            <h1>"Automation Overview"</h1>
            // The island follows the site shown; it stays outside the region it redraws.
            <Suspense>
                {move || Suspend::new(async move {
                    overview.await.ok().map(|o| view! { <LiveUpdates site_id=o.stats.site.id /> })
                })}
            </Suspense>
        </div>
        <Transition fallback=OverviewSkeleton>
            <ErrorBoundary fallback=|errors| view! { <ErrorView error=first_app_error(&errors.get()) /> }>
                {content}
            </ErrorBoundary>
        </Transition>
    }
}
