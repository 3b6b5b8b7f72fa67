use leptos::prelude::*;

use super::account_menu::AccountMenu;
use super::theme_toggle::ThemeToggle;
use crate::domain::api_reference::API_REFERENCE_PATH;

/// The page frame: skip link, header with the product's navigation, main landmark.
#[component]
pub fn AppLayout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="app-header">
            <a class="brand" href="/automation/overview">
                <span class="brand-mark" aria-hidden="true">"⚙"</span>
                " Automation Runs"
            </a>
            <nav aria-label="Main">
                <ul class="nav-list">
                    <li>
                        <a href="/automation/overview">"Overview"</a>
                    </li>
                    <li>
                        <a href=API_REFERENCE_PATH>"API"</a>
                    </li>
                </ul>
            </nav>
            <ThemeToggle />
            <AccountMenu />
        </header>
        <main id="main" class="app-main" tabindex="-1">
            {children()}
        </main>
    }
}
