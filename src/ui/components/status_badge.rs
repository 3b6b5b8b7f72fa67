use leptos::prelude::*;

use crate::domain::run::RunStatus;

/// A run's status by icon and text, never colour alone.
#[component]
pub fn StatusBadge(status: RunStatus) -> impl IntoView {
    let icon = match status {
        RunStatus::Completed => "✓",
        RunStatus::Failed => "✗",
        RunStatus::Cancelled => "⊘",
        RunStatus::Running => "●",
        RunStatus::Paused => "❚❚",
    };
    view! {
        <span class=format!("badge status-{}", status.as_str())>
            <span aria-hidden="true">{icon}</span>
            " "
            {status.label()}
        </span>
    }
}
