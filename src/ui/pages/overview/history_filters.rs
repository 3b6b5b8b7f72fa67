use leptos::prelude::*;

use crate::domain::params::HistoryFilter;
use crate::domain::run::{RunStatus, TriggerType};
use crate::paths;

/// Status and trigger filters: a GET form, so the filter lives in the URL and works without
/// JavaScript.
#[component]
pub fn HistoryFilters(site_id: i64, filter: HistoryFilter) -> impl IntoView {
    view! {
        <form class="filters" method="get" action=paths::OVERVIEW aria-label="Filter runs">
            <input type="hidden" name="site_id" value=site_id.to_string() />
            <label for="status-filter">"Status"</label>
            <select id="status-filter" name="status">
                <option value="" selected=filter.status.is_none()>"Any"</option>
                {RunStatus::ALL
                    .into_iter()
                    .map(|s| view! { <option value=s.as_str() selected=filter.status == Some(s)>{s.label()}</option> })
                    .collect_view()}
            </select>
            <label for="trigger-filter">"Trigger"</label>
            <select id="trigger-filter" name="trigger">
                <option value="" selected=filter.trigger.is_none()>"Any"</option>
                {TriggerType::ALL
                    .into_iter()
                    .map(|t| view! { <option value=t.as_str() selected=filter.trigger == Some(t)>{t.label()}</option> })
                    .collect_view()}
            </select>
            <button type="submit" class="button secondary">"Apply"</button>
        </form>
    }
}
