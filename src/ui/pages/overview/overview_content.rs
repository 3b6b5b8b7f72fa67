use leptos::prelude::*;

use super::attention_items::AttentionItemsAlert;
use super::budget_banner::BudgetBanner;
use super::monthly_budget::MonthlyBudgetCard;
use super::pipeline_status::PipelineStatus;
use super::predictive_cost::PredictiveCostAnalysis;
use super::run_history::RunHistory;
use super::run_statistics::RunStatisticsSummary;
use super::site_switcher::SiteSwitcher;
use crate::domain::alerts::Alert;
use crate::domain::budget::BudgetPanel;
use crate::domain::overview::{HistoryPage, OverviewView, SiteSummary};
use crate::domain::params::HistoryFilter;
use crate::domain::requests::RequestKind;
use crate::paths;
use crate::ui::components::alert_notices::AlertNotices;
use crate::ui::components::run_requests::request_form::RequestAction;
use crate::ui::components::run_requests::request_panel::RunRequestPanel;

/// The overview of a loaded site: the region the live updates redraw.
#[component]
#[allow(clippy::too_many_arguments, reason = "a component's props: each is one part the page loaded")]
pub fn OverviewContent(
    sites: Vec<SiteSummary>,
    overview: OverviewView,
    history: HistoryPage,
    budget: BudgetPanel,
    notices: Vec<Alert>,
    filter: HistoryFilter,
    /// The request form's outcome, from the address.
    filed: bool,
    error: Option<String>,
) -> impl IntoView {
    let site = overview.stats.site.clone();
    view! {
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
                    filed
                    error
                />
                <MonthlyBudgetCard panel=budget />
                {(!notices.is_empty())
                    .then(|| view! { <AlertNotices alerts=notices limit=5 link_to_settings=true /> })}
                <AttentionItemsAlert items=overview.stats.attention_items />
                <RunHistory page=history filter />
            </div>
        </div>
    }
}
