use crate::ui::components::page_title::PageTitle;
use leptos::prelude::*;
use leptos::Params;
use leptos_router::hooks::use_params_map;
use leptos_router::params::Params;

use super::log_viewer::run_logs;
use super::run_content::RunContent;
use crate::error::AppError;
use crate::server_fns::get_run_detail;
use crate::ui::components::error_view::{first_app_error, ErrorView};
use crate::ui::query::{field, page_query, Given};

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
            let filed = param(|q| q.request.0.clone()).is_some();
            let error = param(|q| q.request_error.0.clone());
            Ok::<_, AppError>(view! { <RunContent view_data filed error logs /> })
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
