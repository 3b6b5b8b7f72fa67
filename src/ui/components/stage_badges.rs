use leptos::prelude::*;

use crate::domain::stage::STAGES;
use crate::domain::stage_status::StageStatus;

/// The seven stages of a run as compact badges (✓ ✗ ⊘ ● – ○), each labelled for screen readers.
#[component]
pub fn StageBadges(statuses: Vec<StageStatus>) -> impl IntoView {
    view! {
        <ol class="stage-badges" aria-label="Stages">
            {statuses
                .into_iter()
                .zip(STAGES.iter())
                .map(|(status, def)| {
                    let label = format!("Stage {} {}: {}", def.number, def.name, status.label());
                    view! {
                        <li class=format!("stage-badge stage-{}", status.as_str()) title=label.clone()>
                            <span aria-hidden="true">{status.symbol()}</span>
                            <span class="visually-hidden">{label.clone()}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
