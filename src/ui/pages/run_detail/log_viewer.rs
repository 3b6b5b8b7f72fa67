use leptos::prelude::*;
use leptos::Params;
use leptos_router::hooks::use_query;
use leptos_router::params::Params;

use super::log_filters::LogFilters;
use super::log_table::LogTable;
use crate::domain::format::thousands;
use crate::domain::logs::{LogPage, LOG_PAGE_SIZE};
use crate::error::AppError;
use crate::paths;
use crate::server_fns::get_run_logs;
use crate::ui::components::error_view::{first_app_error, ErrorView};
use crate::ui::components::pagination::Pagination;
use crate::ui::query::{field, Given};

/// The log's filter as the URL holds it, so a filtered view can be shared and works without
/// JavaScript.
#[derive(Clone, Default, PartialEq)]
struct LogFilter {
    stage: Option<u8>,
    level: Option<String>,
    search: Option<String>,
}

impl LogFilter {
    fn href(&self, run_id: &str, page: u32) -> String {
        let mut href = format!("{}?", paths::run_path(run_id));
        if let Some(s) = self.stage {
            href += &format!("log_stage={s}&");
        }
        if let Some(l) = &self.level {
            href += &format!("log_level={l}&");
        }
        if let Some(q) = &self.search {
            href += &format!("q={}&", urlencode(q));
        }
        if page > 1 {
            href += &format!("log_page={page}&");
        }
        href.trim_end_matches(['&', '?']).to_string() + "#logs-title"
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `?log_stage=&log_level=&q=&log_page=`: the log's filter and page.
#[derive(Params, Clone, PartialEq)]
struct LogQuery {
    log_stage: Given<u8>,
    log_level: Given<String>,
    q: Given<String>,
    log_page: Given<u32>,
}

/// The log's filter and page from the URL.
fn log_query(
) -> (impl Fn() -> LogFilter + Copy + Send + Sync + 'static, impl Fn() -> u32 + Copy + Send + Sync + 'static) {
    let query = use_query::<LogQuery>();
    // The log is one part of the run page: a malformed filter shows the whole log rather than
    // failing the page.
    let filter = move || LogFilter {
        stage: field(query, |q| q.log_stage.0),
        level: field(query, |q| q.log_level.0.clone()),
        search: field(query, |q| q.q.0.clone()),
    };
    let page = move || field(query, |q| q.log_page.0).unwrap_or(1).max(1);
    (filter, page)
}

/// The page of log lines the URL asks for. The run page owns it, so that the run and its log
/// load side by side.
pub fn run_logs(run_id: impl Fn() -> String + Send + Sync + 'static) -> Resource<Result<LogPage, AppError>> {
    let (filter, page) = log_query();
    Resource::new(
        move || (run_id(), filter(), page()),
        |(id, f, page)| get_run_logs(id, f.stage, f.level, f.search, Some(page)),
    )
}

/// The run's log lines, filterable by stage, level and text, a page of 100 at a time (the
/// database does the filtering, so 100,000 lines stay fast), and downloadable whole.
#[component]
pub fn LogViewer(run_id: String, logs: Resource<Result<LogPage, AppError>>) -> impl IntoView {
    let (filter, _) = log_query();
    let download = paths::api::fill(paths::api::LOGS_NDJSON, &run_id);
    let current = filter();
    view! {
        <section class="card log-viewer" aria-labelledby="logs-title">
            <div class="section-header">
                <h2 id="logs-title">"Logs"</h2>
                <a href=download class="button secondary" download="">"Download the log"</a>
            </div>
            <LogFilters run_id=run_id.clone() stage=current.stage level=current.level search=current.search />
            <Transition fallback=|| view! { <p class="loading" aria-busy="true">"Loading the log…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorView error=first_app_error(&errors.get()) /> }>
                    {
                        let run_id = run_id.clone();
                        move || {
                            let run_id = run_id.clone();
                            Suspend::new(async move {
                                let logs = logs.await?;
                                let f = filter();
                                let total_pages = u32::try_from(logs.total_count.div_ceil(LOG_PAGE_SIZE)).unwrap_or(u32::MAX);
                                let body = if logs.lines.is_empty() {
                                    view! { <p class="empty-state" data-testid="log-empty">"No log lines match."</p> }.into_any()
                                } else {
                                    view! { <LogTable lines=logs.lines /> }
                                    .into_any()
                                };
                                Ok::<_, AppError>(view! {
                                    <p class="muted" data-testid="log-count">
                                        {format!("{} matching lines", thousands(logs.total_count.into()))}
                                    </p>
                                    {body}
                                    <Pagination
                                        page=u32::try_from(logs.offset / LOG_PAGE_SIZE + 1).unwrap_or(1)
                                        total_pages
                                        href=move |n| f.href(&run_id, n)
                                    />
                                })
                            })
                        }
                    }
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
