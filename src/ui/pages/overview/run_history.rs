use leptos::prelude::*;

use super::history_filters::HistoryFilters;
use crate::domain::format::{duration_short, thousands};
use crate::domain::overview::HistoryPage;
use crate::domain::params::HistoryFilter;
use crate::domain::stage::STAGES;
use crate::paths;
use crate::ui::components::local_time::LocalTime;
use crate::ui::components::pagination::Pagination;
use crate::ui::components::phone_collapsible::PhoneCollapsible;
use crate::ui::components::scroll_region::ScrollRegion;
use crate::ui::components::stage_badges::StageBadges;
use crate::ui::components::stage_legend::StageLegend;
use crate::ui::components::status_badge::StatusBadge;

/// The overview's URL for a site, page and filter.
pub fn overview_href(site_id: i64, page: u32, filter: HistoryFilter) -> String {
    let mut href = paths::overview_path(site_id);
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
                <table class="history-table stack-table">
                    <thead>
                        <tr>
                            <th scope="col">"Run"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Trigger"</th>
                            <th scope="col">"Started"</th>
                            <th scope="col" class="num">"Credits"</th>
                            <th scope="col">"Stages"</th>
                            <th scope="col" class="num">"Duration"</th>
                            <th scope="col">"Compare"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {page
                            .runs
                            .into_iter()
                            .map(|run| {
                                let href = paths::run_path(&run.run_id);
                                let status = if run.is_partial() {
                                    view! {
                                        <span class="badge status-partial">
                                            <span aria-hidden="true">"⚠"</span>
                                            " Partial"
                                        </span>
                                    }
                                    .into_any()
                                } else {
                                    view! { <StatusBadge status=run.status /> }.into_any()
                                };
                                // The summary's content and images are the outputs of stages 4 and 6.
                                let quick_summary = format!(
                                    "{} · {}",
                                    STAGES[3].output_unit.count(run.summary.content_created),
                                    STAGES[5].output_unit.count(run.summary.images_generated),
                                );
                                let compare_title = run.run_title.clone();
                                view! {
                                    <tr>
                                        <th scope="row" data-label="Run">
                                            <a class="run-title" href=href>{run.run_title}</a>
                                            <span class="run-summary" data-testid="run-summary">
                                                {quick_summary}
                                            </span>
                                        </th>
                                        <td data-label="Status" data-testid="run-status">
                                            {status}
                                            {run
                                                .failed_stage
                                                .map(|s| view! { <span class="failed-note">{format!(" (Stage {s} failed)")}</span> })}
                                        </td>
                                        <td data-label="Trigger">{run.trigger_type.label()}</td>
                                        <td data-label="Started">
                                            <LocalTime at=run.started_at />
                                        </td>
                                        <td class="num" data-label="Credits">{thousands(run.total_credits_used.into())} " cr"</td>
                                        <td data-label="Stages">
                                            <StageBadges statuses=run.stage_statuses />
                                        </td>
                                        <td class="num" data-label="Duration">
                                            {duration_short(Some(run.duration_seconds))}
                                            {run.status.is_active().then_some(" so far")}
                                        </td>
                                        // Belongs to the compare form below the table by its id: a
                                        // form cannot wrap the table, whose filters and pages are
                                        // forms and links of their own.
                                        <td data-label="Compare">
                                            <input
                                                type="checkbox"
                                                name="run"
                                                value=run.run_id.clone()
                                                form="compare-runs"
                                                aria-label=format!("Compare {}", compare_title)
                                            />
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </ScrollRegion>
            // Ticked boxes arrive as ?run=X&run=Y, which the compare page reads as a and b.
            <form id="compare-runs" class="compare-selected" method="get" action=paths::COMPARE>
                <button type="submit" class="button secondary">"Compare selected"</button>
                <span class="muted">"Tick two runs in the table to see them side by side."</span>
            </form>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="history-title">
            <div class="section-header">
                <h2 id="history-title">"Run history"</h2>
                <p class="muted" data-testid="history-summary">{summary}</p>
            </div>
            <PhoneCollapsible heading_id="history-title" title="Run history">
                <HistoryFilters site_id filter />
                {body}
                <StageLegend />
                <Pagination page=p.page total_pages=p.total_pages href=move |n| overview_href(site_id, n, filter) />
            </PhoneCollapsible>
        </section>
    }
}
