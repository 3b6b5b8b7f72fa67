use leptos::prelude::*;

use super::run_history::overview_href;
use crate::domain::params::HistoryFilter;

/// What the history says when a page has no runs: the filter matched none, the page is past
/// the last, or the site has none yet and how to load them.
#[component]
pub fn HistoryEmpty(site_id: i64, domain: String, filter: HistoryFilter, total_count: u64) -> impl IntoView {
    let message = if !filter.is_empty() {
        view! {
            <p>
                "No runs match these filters. "
                <a href=overview_href(site_id, 1, HistoryFilter::default())>"Show all runs"</a>
            </p>
        }
        .into_any()
    } else if total_count > 0 {
        view! {
            <p>
                "This page is past the last run. "
                <a href=overview_href(site_id, 1, filter)>"Go to the first page"</a>
            </p>
        }
        .into_any()
    } else {
        view! {
            <p>"No runs yet for " {domain} "."</p>
            <p>
                "Load the engine's run history with "
                <code>"automation-runs import runs.ndjson"</code>
                " (one JSON object a line, see the import format), then reload this page."
            </p>
        }
        .into_any()
    };
    view! { <div class="empty-state">{message}</div> }
}
