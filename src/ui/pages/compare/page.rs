use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::credit_donuts::CreditDonuts;
use super::run_picker::RunPicker;
use super::run_summaries::RunSummaries;
use super::stage_differences::StageDifferences;
use super::timelines::Timelines;
use crate::domain::compare::CompareView;
use crate::error::AppError;
use crate::paths;
use crate::server_fns::get_compare;
use crate::ui::components::error_view::{first_app_error, ErrorView};
use crate::ui::components::page_title::PageTitle;

fn content(view: CompareView) -> AnyView {
    let CompareView { comparison, a, b, a_donut, b_donut, recent_runs } = view;
    view! {
        <RunPicker
            runs=recent_runs
            a=(a.run.run_id.clone(), a.run.run_title.clone())
            b=(b.run.run_id.clone(), b.run.run_title.clone())
        />
        <div class="page-grid compare-grid">
            <RunSummaries a=a.run.clone() b=b.run.clone() />
            <StageDifferences comparison a=a.stages.clone() b=b.stages.clone() />
            <CreditDonuts
                a=(format!("Run A: {}", a.run.run_title), a.run.total_credits_used, a_donut)
                b=(format!("Run B: {}", b.run.run_title), b.run.total_credits_used, b_donut)
            />
            <Timelines a=a.timeline b=b.timeline />
        </div>
    }
    .into_any()
}

#[component]
pub fn ComparePage() -> impl IntoView {
    let query = use_query_map();
    // `?a=X&b=Y`, or `?run=X&run=Y` as the overview's history checkboxes send it: a checkbox
    // form without JavaScript can only repeat one name. A missing run reaches the server as
    // an empty id, which it answers with 400.
    let pair = move || {
        let q = query.read();
        let runs = q.get_all("run").unwrap_or_default();
        let pick = |key: &str, i: usize| q.get(key).or_else(|| runs.get(i).cloned()).unwrap_or_default();
        (pick("a", 0), pick("b", 1))
    };
    let compare = Resource::new(pair, |(a, b)| get_compare(a, b));
    let body = move || Suspend::new(async move { Ok::<_, AppError>(content(compare.await?)) });
    view! {
        <PageTitle text="Compare runs" />
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <ol>
                <li>"Automation"</li>
                <li>
                    <a href=paths::OVERVIEW>"Overview"</a>
                </li>
                <li aria-current="page">"Compare"</li>
            </ol>
        </nav>
        <div class="page-header">
            <h1>"Compare runs"</h1>
        </div>
        <Transition fallback=|| {
            view! {
                <p class="card loading" role="status">
                    "Loading both runs…"
                </p>
            }
        }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView error=first_app_error(&errors.get()) /> }>
                {body}
            </ErrorBoundary>
        </Transition>
    }
}
