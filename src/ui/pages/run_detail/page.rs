use crate::ui::components::page_title::PageTitle;
use leptos::prelude::*;
use leptos::Params;
use leptos_router::hooks::use_params_map;
use leptos_router::params::Params;

use super::credits_breakdown::CreditsBreakdown;
use super::insights_panel::InsightsPanel;
use super::live_progress::LiveProgress;
use super::log_viewer::{run_logs, LogViewer};
use super::pipeline_flow::PipelineFlow;
use super::run_actions::RunActions;
use super::run_header::RunHeader;
use super::run_timeline::RunTimeline;
use super::stage_accordion::StageAccordion;
use super::summary_card::SummaryCard;
use crate::domain::requests::RequestKind;
use crate::domain::run::RunStatus;
use crate::domain::run_detail::RunInfo;
use crate::domain::stage_status::StageStatus;
use crate::error::AppError;
use crate::paths;
use crate::server_fns::get_run_detail;
use crate::ui::components::error_view::{first_app_error, ErrorView};
use crate::ui::components::run_requests::request_form::RequestAction;
use crate::ui::components::run_requests::request_panel::RunRequestPanel;
use crate::ui::components::run_requests::started_from_request::StartedFromRequest;
use crate::ui::islands::live_updates::LiveUpdates;
use crate::ui::query::{field, page_query, Given};

/// What a run's page offers to run again: a re-run of a finished run, and a retry of the
/// failed stage of a failed one. An unfinished run offers nothing (one run at a time).
fn run_again(run: &RunInfo, failed_stage: Option<u8>) -> Vec<RequestAction> {
    if run.status.is_active() {
        return Vec::new();
    }
    let source = Some(run.run_id.clone());
    let rerun = RequestAction {
        kind: RequestKind::Rerun,
        source_run_id: source.clone(),
        stage: None,
        label: "Re-run with the same settings".into(),
    };
    let retry = (run.status == RunStatus::Failed).then_some(failed_stage).flatten().map(|stage| RequestAction {
        kind: RequestKind::RetryStage,
        source_run_id: source,
        stage: Some(stage),
        label: format!("Retry stage {stage}"),
    });
    retry.into_iter().chain(std::iter::once(rerun)).collect()
}

/// `?request=&request_error=`: the outcome of the request form (`domain::requests::outcome_path`).
/// The log viewer reads its own parameters.
#[derive(Params, Clone, PartialEq)]
struct RunQuery {
    request: Given<String>,
    request_error: Given<String>,
}

#[component]
pub fn RunDetailPage() -> impl IntoView {
    let params = use_params_map();
    let (query, valid) = page_query::<RunQuery>();
    let param = move |pick: fn(&RunQuery) -> Option<String>| untrack(|| field(query, pick));
    let run_id = move || params.read().get("run_id").unwrap_or_default();
    let detail = Resource::new(run_id, get_run_detail);
    let logs = run_logs(run_id);

    let content = move || {
        Suspend::new(async move {
            valid()?;
            let view_data = detail.await?;
            let d = view_data.detail;
            let run = d.run.clone();
            let failed_stage = d.stages.iter().find(|s| s.status == StageStatus::Failed).map(|s| s.number);
            let failed = (run.status == RunStatus::Failed).then(|| {
                let stage = d.stages.iter().find(|s| s.status == StageStatus::Failed);
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
            let stage_name =
                d.stages.iter().find(|s| s.number == run.current_stage).map(|s| s.name.clone()).unwrap_or_default();
            let progress = d.live.clone().map(|live| {
                view! {
                    <LiveProgress
                        run=run.clone()
                        live
                        stage_name
                        comparison_runs=d.comparison_runs
                    />
                }
            });
            // An unfinished run cannot be asked for again: its page shows its progress instead.
            let actions = run_again(&run, failed_stage);
            let again = (!actions.is_empty()).then(|| {
                view! {
                    <RunRequestPanel
                        panel=view_data.requests
                        actions
                        title="Run it again"
                        return_to=paths::run_path(&run.run_id)
                        filed=param(|q| q.request.0.clone()).is_some()
                        error=param(|q| q.request_error.0.clone())
                    />
                }
            });
            Ok::<_, AppError>(view! {
                <PageTitle text=run.run_title.clone() />
                // The island follows the run's site; it stays outside the region it redraws.
                <div class="live-bar">
                    <LiveUpdates site_id=run.site_id />
                </div>
                <div id="run-content" data-live-region="">
                    <RunHeader run=run.clone() history_page=view_data.history_page />
                    {view_data.started_by.map(|request| view! { <StartedFromRequest request /> })}
                    {failed}
                    <div class="page-grid">
                        {progress}
                        <SummaryCard detail=d.clone() />
                        {again}
                        <PipelineFlow stages=d.stages.clone() />
                        <StageAccordion stages=d.stages.clone() comparison_runs=d.comparison_runs />
                        <CreditsBreakdown
                            shares=d.metrics.credit_shares.clone()
                            total=d.metrics.stage_credits_total
                            donut=view_data.credits_donut
                        />
                        <InsightsPanel insights=d.insights.clone() />
                        <RunTimeline events=d.timeline.clone() />
                        <RunActions run_id=run.run_id.clone() previous_run_id=view_data.previous_run_id.clone() />
                        <LogViewer run_id=run.run_id.clone() logs />
                    </div>
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
