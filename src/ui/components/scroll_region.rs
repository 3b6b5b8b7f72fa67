use leptos::prelude::*;

/// A wide table or diagram that scrolls sideways inside the page on a phone. It is a named,
/// focusable region, so keyboard users can scroll it too.
#[component]
pub fn ScrollRegion(
    label: &'static str,
    #[prop(default = "table-scroll")] class: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <div class=class tabindex="0" role="region" aria-label=label>
            {children()}
        </div>
    }
}
