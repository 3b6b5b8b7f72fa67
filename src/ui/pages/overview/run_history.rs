use leptos::prelude::*;

use super::history_empty::HistoryEmpty;
use super::history_filters::HistoryFilters;
use super::history_row::HistoryRow;
use crate::domain::format::thousands;
use crate::domain::overview::HistoryPage;
use crate::domain::params::HistoryFilter;
use crate::paths;
use crate::ui::components::pagination::Pagination;
use crate::ui::components::phone_collapsible::PhoneCollapsible;
use crate::ui::components::scroll_region::ScrollRegion;
use crate::ui::components::stage_legend::StageLegend;

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
        view! { <HistoryEmpty site_id domain=page.site.domain.clone() filter total_count=p.total_count /> }.into_any()
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
                            .map(|run| view! { <HistoryRow run /> })
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
