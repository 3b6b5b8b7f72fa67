use leptos::prelude::*;

use crate::domain::stage_status::StageStatus;

/// What the stage squares of the history mean, drawn with the same squares.
#[component]
pub fn StageLegend() -> impl IntoView {
    view! {
        <div class="stage-legend" data-testid="stage-legend">
            <span class="stage-legend-title">"Stages:"</span>
            <ul>
                {StageStatus::ALL
                    .into_iter()
                    .map(|status| {
                        view! {
                            <li>
                                <span class=format!("stage-badge stage-{}", status.as_str()) aria-hidden="true">
                                    {status.symbol()}
                                </span>
                                {status.label()}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}
