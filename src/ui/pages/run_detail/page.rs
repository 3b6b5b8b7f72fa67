use crate::ui::components::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::credits_breakdown::CreditsBreakdown;
use super::insights_panel::InsightsPanel;
use super::log_viewer::LogViewer;
use super::pipeline_flow::PipelineFlow;
use super::run_actions::RunActions;
use super::run_header::RunHeader;
use super::run_timeline::RunTimeline;
use super::stage_accordion::StageAccordion;
use super::summary_card::SummaryCard;
use crate::domain::run::RunStatus;
use crate::error::AppError;
use crate::server_fns::get_run_detail;
use crate::ui::components::error_view::{first_app_error, ErrorView};

/// Seconds between refreshes of a running run.
#[cfg(feature = "hydrate")]
const REFRESH_SECONDS: u32 = 5;

#[component]
pub fn RunDetailPage() -> impl IntoView {
    let params = use_params_map();
    let run_id = move || params.read().get("run_id").unwrap_or_default();
    let detail = Resource::new(run_id, get_run_detail);

    // A running run refreshes itself until it finishes.
    #[cfg(feature = "hydrate")]
    {
        let handle = set_interval_with_handle(
            move || {
                let active =
                    detail.get_untracked().and_then(|r| r.ok()).is_some_and(|v| v.detail.run.status.is_active());
                if active {
                    detail.refetch();
                }
            },
            std::time::Duration::from_secs(u64::from(REFRESH_SECONDS)),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    }

    let content = move || {
        Suspend::new(async move {
            let view_data = detail.await?;
            let d = view_data.detail;
            let run = d.run.clone();
            let failed = (run.status == RunStatus::Failed).then(|| {
                let stage = d.stages.iter().find(|s| s.status == crate::domain::stage_status::StageStatus::Failed);
                view! {
                    <section class="error-banner" role="alert" aria-labelledby="failure-title">
                        <h2 id="failure-title">
                            <span aria-hidden="true">"✗ "</span>
                            {stage.map_or_else(|| "The run failed".to_string(), |s| format!("Stage {} ({}) failed", s.number, s.name))}
                        </h2>
                        <p>{run.error_message.clone().unwrap_or_else(|| "No error message was recorded.".to_string())}</p>
                    </section>
                }
            });
            let live = run.status.is_active().then(|| {
                view! {
                    <p class="notice" role="status">
                        {format!("This run is {}: the page refreshes every few seconds. ", run.status.label().to_lowercase())}
                        <a href=format!("/automation/runs/{}", run.run_id)>"Reload now"</a>
                    </p>
                }
            });
            Ok::<_, AppError>(view! {
                <PageTitle text=run.run_title.clone() />
                <RunHeader run=run.clone() history_page=view_data.history_page />
                {failed}
                {live}
                <div class="page-grid">
                    <SummaryCard detail=d.clone() />
                    <PipelineFlow stages=d.stages.clone() />
                    <StageAccordion stages=d.stages.clone() comparison_runs=d.comparison_runs />
                    <CreditsBreakdown
                        shares=d.metrics.credit_shares.clone()
                        total=d.metrics.stage_credits_total
                        donut=view_data.credits_donut
                    />
                    <InsightsPanel insights=d.insights.clone() />
                    <RunTimeline events=d.timeline.clone() />
                    <RunActions run_id=run.run_id.clone() site_id=run.site_id />
                    <LogViewer run_id=run.run_id.clone() />
                </div>
            })
        })
    };

    view! {
        <Transition fallback=|| {
            view! {
                <div class="page-grid" aria-busy="true">
                    <p class="visually-hidden" role="status">"Loading the run…"</p>
                    <section class="card loading skeleton-stats"></section>
                    <section class="card loading skeleton-prediction"></section>
                </div>
            }
        }>
            <ErrorBoundary fallback=|errors| {
                let error = first_app_error(&errors.get());
                let title = match error {
                    AppError::NotFound(_) => "Run not found",
                    _ => "The run could not be shown",
                };
                view! {
                    <PageTitle text=title />
                    <h1>{title}</h1>
                    <ErrorView error />
                }
            }>{content}</ErrorBoundary>
        </Transition>
    }
}
