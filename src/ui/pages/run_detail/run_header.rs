use leptos::prelude::*;

use crate::domain::format::thousands;
use crate::domain::run_detail::RunInfo;
use crate::ui::components::status_badge::StatusBadge;
use crate::ui::pages::overview::run_history::overview_href;

/// Title, id, status, trigger and credits, with the way back to the history page that lists
/// the run.
#[component]
pub fn RunHeader(run: RunInfo, history_page: u32) -> impl IntoView {
    let back = overview_href(run.site_id, history_page, Default::default());
    view! {
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <ol>
                <li>"Automation"</li>
                <li>
                    <a href=back.clone()>"Overview"</a>
                </li>
                <li aria-current="page">{run.run_title.clone()}</li>
            </ol>
        </nav>
        <header class="run-header">
            <p>
                <a href=back class="back-link">
                    <span aria-hidden="true">"← "</span>
                    "Back to the overview"
                </a>
            </p>
            <h1>{run.run_title.clone()}</h1>
            <p class="muted run-id">{run.run_id.clone()}</p>
            <ul class="run-meta">
                <li>
                    <StatusBadge status=run.status />
                </li>
                <li>{format!("Trigger: {}", run.trigger_type.label())}</li>
                <li data-testid="header-credits">{format!("{} credits used", thousands(run.total_credits_used.into()))}</li>
            </ul>
        </header>
    }
}
