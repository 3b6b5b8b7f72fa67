use leptos::prelude::*;

use super::account_menu::AccountMenu;
use super::main_nav::MainNav;
use crate::paths;
use crate::server_fns::get_session;
use crate::ui::islands::theme_toggle::ThemeToggle;

/// The page frame: skip link, header, main landmark. The header offers the way into the app
/// (brand link, navigation, account) only to a signed-in user; a visitor on the sign-in page
/// sees the product's name and the theme switch.
#[component]
pub fn AppLayout(children: Children) -> impl IntoView {
    // One read of the session serves the navigation and the account menu.
    let session = Resource::new(|| (), |_| get_session());
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="app-header">
            <Suspense fallback=|| {
                view! { <span class="brand">{brand_text()}</span> }
            }>
                {move || Suspend::new(async move {
                    let user = session.await.ok().flatten();
                    let brand = if user.is_some() {
                        view! { <a class="brand" href=paths::OVERVIEW>{brand_text()}</a> }.into_any()
                    } else {
                        view! { <span class="brand">{brand_text()}</span> }.into_any()
                    };
                    view! {
                        {brand}
                        {user.is_some().then(|| view! { <MainNav /> })}
                        // The island draws its button in the browser; the slot keeps its room, so
                        // the page does not move when it appears.
                        <span class="theme-slot">
                            <ThemeToggle />
                        </span>
                        {user.map(|user| view! { <AccountMenu user /> })}
                    }
                })}
            </Suspense>
        </header>
        <main id="main" class="app-main" tabindex="-1">
            {children()}
        </main>
    }
}

fn brand_text() -> impl IntoView {
    view! {
        <span class="brand-mark" aria-hidden="true">"⚙"</span>
        " Automation Runs"
    }
}
