use crate::paths;
use leptos::prelude::*;

/// The app's sections, for a signed-in user.
#[component]
pub fn MainNav() -> impl IntoView {
    view! {
        <nav aria-label="Main">
            <ul class="nav-list">
                <li>
                    <a href=paths::OVERVIEW>"Overview"</a>
                </li>
                <li>
                    <a href=paths::TRENDS>"Trends"</a>
                </li>
                <li>
                    <a href=paths::SETTINGS>"Settings"</a>
                </li>
                <li>
                    <a href=paths::API_REFERENCE>"API"</a>
                </li>
            </ul>
        </nav>
    }
}
