use crate::ui::components::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::credits_breakdown::CreditsBreakdown;
use super::insights_panel::InsightsPanel;
use super::live_progress::{seconds_since_drawn, LiveProgress};
use super::log_viewer::{run_logs, LogViewer};
use super::pipeline_flow::PipelineFlow;
use super::run_actions::RunActions;
use super::run_header::RunHeader;
use super::run_timeline::RunTimeline;
use super::stage_accordion::{OpenPanels, StageAccordion};
use super::summary_card::SummaryCard;
use crate::domain::events::LiveEvent;
use crate::domain::run::RunStatus;
use crate::error::AppError;
use crate::server_fns::get_run_detail;
use crate::ui::components::error_view::{first_app_error, ErrorView};
use crate::ui::live::{coalesced, use_live_events};

#[component]
pub fn RunDetailPage() -> impl IntoView {
    let params = use_params_map();
    let run_id = move || params.read().get("run_id").unwrap_or_default();
    let detail = Resource::new(run_id, get_run_detail);
    let (log_refresh, set_log_refresh) = signal(0u32);
    let logs = run_logs(run_id, log_refresh);
    let panels = OpenPanels::new();

    // An active run follows its site's events and fetches itself again when the engine
    // reports it; once it has finished the stream closes. A failed fetch (the database away)
    // keeps following, so the page recovers by itself when the stream is back.
    let followed = Memo::new(move |before: Option<&Option<i64>>| match detail.get() {
        Some(Ok(v)) => v.detail.run.status.is_active().then_some(v.detail.run.site_id),
        _ => before.copied().flatten(),
    });
    let refresh = coalesced(move || {
        detail.refetch();
        set_log_refresh.update(|n| *n = n.wrapping_add(1));
    });
    let connection = use_live_events(
        move || followed.get(),
        move |event| match event {
            LiveEvent::Run(run) if run.run_id == untrack(run_id) => refresh(),
            LiveEvent::Resync => refresh(),
            _ => {}
        },
    );

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
            let since = seconds_since_drawn(run.status.is_active());
            let stage_name =
                d.stages.iter().find(|s| s.number == run.current_stage).map(|s| s.name.clone()).unwrap_or_default();
            let progress = d.live.clone().map(|live| {
                view! {
                    <LiveProgress
                        run=run.clone()
                        live
                        stage_name
                        comparison_runs=d.comparison_runs
                        since
                        connection
                    />
                }
            });
            Ok::<_, AppError>(view! {
                <PageTitle text=run.run_title.clone() />
                <RunHeader run=run.clone() history_page=view_data.history_page />
                {failed}
                <div class="page-grid">
                    {progress}
                    <SummaryCard detail=d.clone() since />
                    <PipelineFlow stages=d.stages.clone() />
                    <StageAccordion stages=d.stages.clone() comparison_runs=d.comparison_runs panels />
                    <CreditsBreakdown
                        shares=d.metrics.credit_shares.clone()
                        total=d.metrics.stage_credits_total
                        donut=view_data.credits_donut
                    />
                    <InsightsPanel insights=d.insights.clone() />
                    <RunTimeline events=d.timeline.clone() />
                    <RunActions run_id=run.run_id.clone() site_id=run.site_id />
                    <LogViewer run_id=run.run_id.clone() logs />
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
