use leptos::prelude::*;

use super::history_filters::HistoryFilters;
use crate::domain::format::{duration_short, thousands};
use crate::domain::overview::HistoryPage;
use crate::domain::params::HistoryFilter;
use crate::ui::components::local_time::LocalTime;
use crate::ui::components::pagination::Pagination;
use crate::ui::components::scroll_region::ScrollRegion;
use crate::ui::components::stage_badges::StageBadges;
use crate::ui::components::status_badge::StatusBadge;

/// The overview's URL for a site, page and filter.
pub fn overview_href(site_id: i64, page: u32, filter: HistoryFilter) -> String {
    let mut href = format!("/automation/overview?site_id={site_id}");
    if let Some(s) = filter.status {
        href += &format!("&status={}", s.as_str());
    }
    if let Some(t) = filter.trigger {
        href += &format!("&trigger={}", t.as_str());
    }
    if page > 1 {
        href += &format!("&page={page}");
    }
    href
}

/// The site's runs, newest first, each linking to its detail, with filters and pages.
#[component]
pub fn RunHistory(page: HistoryPage, filter: HistoryFilter) -> impl IntoView {
    let site_id = page.site.id;
    let p = page.pagination;
    let summary = if p.total_count == 0 {
        String::new()
    } else {
        let first = u64::from(p.page - 1) * u64::from(p.page_size) + 1;
        let last = (first + page.runs.len() as u64).saturating_sub(1);
        format!("Runs {first}–{last} of {}, newest first", thousands(p.total_count.into()))
    };
    let body = if page.runs.is_empty() {
        let message = if !filter.is_empty() {
            view! {
                <p>
                    "No runs match these filters. "
                    <a href=overview_href(site_id, 1, HistoryFilter::default())>"Show all runs"</a>
                </p>
            }
            .into_any()
        } else if p.total_count > 0 {
            view! {
                <p>
                    "This page is past the last run. "
                    <a href=overview_href(site_id, 1, filter)>"Go to the first page"</a>
                </p>
            }
            .into_any()
        } else {
            view! {
                <p>"No runs yet for " {page.site.domain.clone()} "."</p>
                <p>
                    "Load the engine's run history with "
                    <code>"automation-runs import runs.ndjson"</code>
                    " (one JSON object a line, see the import format), then reload this page."
                </p>
            }
            .into_any()
        };
        view! { <div class="empty-state">{message}</div> }.into_any()
    } else {
        view! {
            <ScrollRegion label="Run history table">
                <table class="history-table">
                    <thead>
                        <tr>
                            <th scope="col">"Run"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Trigger"</th>
                            <th scope="col">"Started"</th>
                            <th scope="col" class="num">"Credits"</th>
                            <th scope="col">"Stages"</th>
                            <th scope="col" class="num">"Duration"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {page
                            .runs
                            .into_iter()
                            .map(|run| {
                                let href = format!("/automation/runs/{}", run.run_id);
                                view! {
                                    <tr>
                                        <th scope="row">
                                            <a class="run-title" href=href>{run.run_title}</a>
                                        </th>
                                        <td>
                                            <StatusBadge status=run.status />
                                        </td>
                                        <td>{run.trigger_type.label()}</td>
                                        <td>
                                            <LocalTime at=run.started_at />
                                        </td>
                                        <td class="num">{thousands(run.total_credits_used.into())} " cr"</td>
                                        <td>
                                            <StageBadges statuses=run.stage_statuses />
                                        </td>
                                        <td class="num">
                                            {duration_short(Some(run.duration_seconds))}
                                            {run
                                                .failed_stage
                                                .map(|s| view! { <span class="failed-note">{format!(" (Stage {s} failed)")}</span> })}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </ScrollRegion>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="history-title">
            <div class="section-header">
                <h2 id="history-title">"Run history"</h2>
                <p class="muted" data-testid="history-summary">{summary}</p>
            </div>
            <HistoryFilters site_id filter />
            {body}
            <Pagination page=p.page total_pages=p.total_pages href=move |n| overview_href(site_id, n, filter) />
        </section>
    }
}
