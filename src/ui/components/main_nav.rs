use leptos::prelude::*;

/// The app's sections, for a signed-in user.
#[component]
pub fn MainNav() -> impl IntoView {
    view! {
        <nav aria-label="Main">
            <ul class="nav-list">
                <li>
                    <a href="/automation/overview">"Overview"</a>
                </li>
                <li>
                    <a href="/api/v1/openapi.json">"API"</a>
                </li>
            </ul>
        </nav>
    }
}
