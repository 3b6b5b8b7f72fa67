use leptos::prelude::*;

/// The body of a card section that a phone shows closed at first (the plan: "collapsible
/// sections by default on mobile"), so the first screen is not the end of a long scroll. The
/// server renders it open with its button hidden, so the page reads in full without scripts; in
/// the browser on a narrow screen `enhance` shows the button at the card's corner and closes the
/// section.
#[component]
pub fn PhoneCollapsible(
    /// The section's heading id, so the body and the button can name the section.
    heading_id: &'static str,
    /// The section's title, for the button's accessible name ("Show Run history").
    title: &'static str,
    children: Children,
) -> impl IntoView {
    let body_id = format!("{heading_id}-body");
    view! {
        <button
            type="button"
            class="button secondary small section-toggle"
            hidden=true
            aria-expanded="true"
            aria-controls=body_id.clone()
            aria-label=format!("Hide {title}")
            data-section=title
        >
            "Hide"
        </button>
        <div id=body_id class="section-body">
            {children()}
        </div>
    }
}
