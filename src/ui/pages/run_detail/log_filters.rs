use leptos::prelude::*;

use crate::domain::logs::LogLevel;
use crate::domain::params::{MAX_LOG_SEARCH_CHARS, MAX_LOG_STAGE};
use crate::paths;

/// The log's stage, level and text filter: a GET form back to the run page's log, so it works
/// without JavaScript and the address can be shared.
#[component]
pub fn LogFilters(run_id: String, stage: Option<u8>, level: Option<String>, search: Option<String>) -> impl IntoView {
    view! {
    <form class="log-filters filters" method="get" action=format!("{}#logs-title", paths::run_path(&run_id))>
        <label for="log-stage">"Stage"</label>
        <select id="log-stage" name="log_stage">
            <option value="" selected=stage.is_none()>"All"</option>
            <option value="0" selected=stage == Some(0)>"Run-level"</option>
            {(1..=MAX_LOG_STAGE)
                .map(|s| view! { <option value=s.to_string() selected=stage == Some(s)>{format!("Stage {s}")}</option> })
                .collect_view()}
        </select>
        <label for="log-level">"Level"</label>
        <select id="log-level" name="log_level">
            <option value="" selected=level.is_none()>"All"</option>
            {LogLevel::ALL
                .into_iter()
                .map(|l| {
                    view! { <option value=l.as_str() selected=level.as_deref() == Some(l.as_str())>{l.as_str()}</option> }
                })
                .collect_view()}
        </select>
        <label for="log-search">"Search"</label>
        <input id="log-search" type="search" name="q" maxlength=MAX_LOG_SEARCH_CHARS value=search.unwrap_or_default() />
        <button type="submit" class="button secondary">"Filter"</button>
    </form>
    }
}
