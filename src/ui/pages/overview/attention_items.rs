use leptos::prelude::*;

use crate::domain::pipeline::AttentionItems;
use crate::paths;

/// Skipped and failed items that need a person, and runs that stood out lately; hidden when
/// there are none.
#[component]
pub fn AttentionItemsAlert(items: AttentionItems) -> impl IntoView {
    let count = items.total_attention_needed + items.anomalies.len() as u64;
    if count == 0 {
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
                {format!("Items requiring attention ({count})")}
            </h2>
            <ul>
                {lines
                    .into_iter()
                    .filter(|(n, ..)| *n > 0)
                    .map(|(n, one, many, hint)| {
                        view! { <li>{format!("{n} {} ({hint})", if n == 1 { one } else { many })}</li> }
                    })
                    .collect_view()}
                {items
                    .anomalies
                    .into_iter()
                    .map(|a| {
                        view! {
                            <li data-testid="attention-anomaly">
                                <a href=paths::run_path(&a.run_id)>
                                    {format!("Run #{}", a.run_number)}
                                </a>
                                {format!(" was unusual. {}", a.summary())}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
    .into_any()
}
