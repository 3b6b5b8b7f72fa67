use leptos::prelude::*;

use crate::domain::overview::SiteSummary;
use crate::paths;

/// Picks the site; a plain GET form, so it works before hydration too.
#[component]
pub fn SiteSwitcher(sites: Vec<SiteSummary>, current: Option<i64>) -> impl IntoView {
    view! {
        <form class="site-switcher" method="get" action=paths::OVERVIEW>
            <label for="site-select">"Site"</label>
            <select id="site-select" name="site_id">
                {sites
                    .into_iter()
                    .map(|s| {
                        let selected = Some(s.id) == current;
                        view! {
                            <option value=s.id.to_string() selected=selected>
                                {format!("{} ({})", s.domain, s.account_name)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button type="submit" class="button secondary">"Show"</button>
        </form>
    }
}
