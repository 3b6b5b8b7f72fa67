use leptos::prelude::*;

use crate::domain::pipeline::AttentionItems;

/// Skipped and failed items that need a person; hidden when there are none.
#[component]
pub fn AttentionItemsAlert(items: AttentionItems) -> impl IntoView {
    if items.total_attention_needed == 0 {
        return ().into_any();
    }
    let lines = [
        (items.skipped_ideas, "idea skipped", "ideas skipped", "review them in the Planner"),
        (
            items.failed_content,
            "content item failed generation",
            "content items failed generation",
            "a retry is available",
        ),
        (items.failed_images, "image failed", "images failed", "check their prompts"),
    ];
    view! {
        <section class="card attention-card" aria-labelledby="attention-title">
            <h2 id="attention-title">
                <span aria-hidden="true">"⚠ "</span>
                {format!("Items requiring attention ({})", items.total_attention_needed)}
            </h2>
            <ul>
                {lines
                    .into_iter()
                    .filter(|(n, ..)| *n > 0)
                    .map(|(n, one, many, hint)| {
                        view! { <li>{format!("{n} {} ({hint})", if n == 1 { one } else { many })}</li> }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
    .into_any()
}
