use crate::ui::components::page_title::PageTitle;
use leptos::prelude::*;
use leptos::Params;
use leptos_router::params::Params;

use super::attention_items::AttentionItemsAlert;
use super::budget_banner::BudgetBanner;
use super::monthly_budget::MonthlyBudgetCard;
use super::pipeline_status::PipelineStatus;
use super::predictive_cost::PredictiveCostAnalysis;
use super::run_history::RunHistory;
use super::run_statistics::RunStatisticsSummary;
use super::site_switcher::SiteSwitcher;
use crate::domain::params::HistoryFilter;
use crate::domain::requests::RequestKind;
use crate::error::AppError;
use crate::paths;
use crate::server_fns::{get_alerts, get_budget, get_history, get_overview, get_sites};
use crate::ui::components::alert_notices::AlertNotices;
use crate::ui::components::error_view::{first_app_error, ErrorView};
use crate::ui::components::run_requests::request_form::RequestAction;
use crate::ui::components::run_requests::request_panel::RunRequestPanel;
use crate::ui::islands::live_updates::LiveUpdates;
use crate::ui::query::{field, page_query, Given};

/// Placeholders the size of the sections, so nothing jumps when the data arrives.
#[component]
fn OverviewSkeleton() -> impl IntoView {
    view! {
        <div class="page-grid" aria-busy="true">
            <p class="visually-hidden" role="status">"Loading the overview…"</p>
            <section class="card loading skeleton-stats"></section>
            <section class="card loading skeleton-pipeline"></section>
            <section class="card loading skeleton-prediction"></section>
        </div>
    }
}

/// A new installation: no site to show yet.
#[component]
fn NoSites() -> impl IntoView {
    view! {
        <section class="card empty-state" aria-labelledby="welcome-title">
            <h2 id="welcome-title">"Welcome: no runs loaded yet"</h2>
            <p>"Load your automation engine's run history (NDJSON, one record a line):"</p>
            <pre>
                <code>"automation-runs import runs.ndjson"</code>
            </pre>
            <p>
                "Or try the demo data: " <code>"automation-runs demo"</code>
                ", then reload this page."
            </p>
        </section>
    }
}

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
            let site = overview.stats.site.clone();
            Ok(view! {
                <div id="overview-content" data-live-region="">
                    <div class="page-toolbar">
                        <p class="muted">{format!("{} · {}", site.name, site.domain)}</p>
                        <SiteSwitcher sites current=Some(site.id) />
                        <a class="button secondary" href=paths::trends_path(site.id)>
                            "Trends"
                        </a>
                    </div>
                    <div class="page-grid">
                        <BudgetBanner budget=budget.budget />
                        <RunStatisticsSummary stats=overview.stats.run_statistics />
                        <PipelineStatus pipeline=overview.stats.pipeline />
                        <PredictiveCostAnalysis
                            prediction=overview.stats.predictive_analysis
                            chart=overview.credits_chart
                            accuracy_chart=overview.accuracy_chart
                            estimate_runs=overview.estimate_runs
                        />
                        <RunRequestPanel
                            panel=overview.requests
                            actions=vec![
                                RequestAction {
                                    kind: RequestKind::Run,
                                    source_run_id: None,
                                    stage: None,
                                    label: "Run now".into(),
                                },
                            ]
                            title="Run automation now"
                            return_to=paths::overview_path(site.id)
                            filed=untrack(|| field(query, |q| q.request.0.clone())).is_some()
                            error=untrack(|| field(query, |q| q.request_error.0.clone()))
                        />
                        <MonthlyBudgetCard panel=budget />
                        {(!notices.is_empty())
                            .then(|| view! { <AlertNotices alerts=notices limit=5 link_to_settings=true /> })}
                        <AttentionItemsAlert items=overview.stats.attention_items />
                        <RunHistory page=history filter />
                    </div>
                </div>
            }
            .into_any())
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
