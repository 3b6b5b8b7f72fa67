use leptos::prelude::*;

use super::credits_breakdown::CreditsBreakdown;
use super::failure_banner::FailureBanner;
use super::insights_panel::InsightsPanel;
use super::live_progress::LiveProgress;
use super::log_viewer::LogViewer;
use super::pipeline_flow::PipelineFlow;
use super::run_actions::RunActions;
use super::run_header::RunHeader;
use super::run_timeline::RunTimeline;
use super::stage_accordion::StageAccordion;
use super::summary_card::SummaryCard;
use crate::domain::detail::RunDetailView;
use crate::domain::logs::LogPage;
use crate::domain::requests::RequestKind;
use crate::domain::run::RunStatus;
use crate::domain::run_detail::RunInfo;
use crate::domain::stage_status::StageStatus;
use crate::error::AppError;
use crate::paths;
use crate::ui::components::page_title::PageTitle;
use crate::ui::components::run_requests::request_form::RequestAction;
use crate::ui::components::run_requests::request_panel::RunRequestPanel;
use crate::ui::components::run_requests::started_from_request::StartedFromRequest;
use crate::ui::islands::live_updates::LiveUpdates;

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

/// Everything the run page shows of a loaded run, below its breadcrumb: the live badge, then
/// the region the live updates redraw.
#[component]
pub fn RunContent(
    view_data: RunDetailView,
    /// The request form's outcome, from the address.
    filed: bool,
    error: Option<String>,
    logs: Resource<Result<LogPage, AppError>>,
) -> impl IntoView {
    let d = view_data.detail;
    let run = d.run.clone();
    let failed_stage = d.stages.iter().find(|s| s.status == StageStatus::Failed).map(|s| s.number);
    let failed = (run.status == RunStatus::Failed).then(|| {
        let stage = d.stages.iter().find(|s| s.status == StageStatus::Failed).cloned();
        view! { <FailureBanner stage error_message=run.error_message.clone() /> }
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
                filed
                error
            />
        }
    });
    view! {
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
    }
}
