use leptos::prelude::*;

use crate::domain::format::thousands;
use crate::domain::prediction::Prediction;

/// What the run would make, stage by stage, from the pending work and the average yields.
#[component]
pub fn ExpectedOutputs(prediction: Prediction) -> impl IntoView {
    let Some(out) = prediction.expected_outputs else { return ().into_any() };
    let pending = |n: usize| thousands(prediction.stages[n - 1].pending_items.into());
    view! {
        <h3>"Expected outputs"</h3>
        <ul class="expected-outputs">
            <li>{format!("~{} new clusters from {} keywords", out.clusters, pending(1))}</li>
            <li>{format!("~{} content ideas from {} clusters", out.ideas, pending(2))}</li>
            <li>{format!("~{} articles from {} queued tasks", out.content, pending(4))}</li>
            <li>{format!("~{} generated images from {} image prompts", out.images, pending(6))}</li>
        </ul>
    }
    .into_any()
}
