use leptos::prelude::*;

use crate::domain::api_reference::API_REFERENCE_PATH;
use crate::domain::budget::SETTINGS_PATH;

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
                    <a href="/automation/trends">"Trends"</a>
                </li>
                <li>
                    <a href=SETTINGS_PATH>"Settings"</a>
                </li>
                <li>
                    <a href=API_REFERENCE_PATH>"API"</a>
                </li>
            </ul>
        </nav>
    }
}
