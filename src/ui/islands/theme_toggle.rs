use leptos::prelude::*;

/// Switches between light and dark, remembered in the browser; its label says what a press
/// will do. Without JavaScript the page follows the system setting and the button is not shown.
/// `public/theme.js` applies the remembered choice before the first paint. An island: it is
/// drawn and wired in the browser.
#[island]
pub fn ThemeToggle() -> impl IntoView {
    let (dark, set_dark) = signal(None::<bool>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| set_dark.set(Some(theme::is_dark())));
    let toggle = move |_| {
        let next = !dark.get_untracked().unwrap_or(false);
        #[cfg(feature = "hydrate")]
        theme::apply(next);
        set_dark.set(Some(next));
    };
    move || {
        dark.get().map(|is_dark| {
            view! {
                <button type="button" class="theme-toggle" on:click=toggle>
                    <span aria-hidden="true">{if is_dark { "☀ " } else { "☾ " }}</span>
                    {if is_dark { "Light mode" } else { "Dark mode" }}
                </button>
            }
        })
    }
}

#[cfg(feature = "hydrate")]
mod theme {
    const KEY: &str = "automation-runs-theme";

    fn root() -> Option<web_sys::Element> {
        web_sys::window()?.document()?.document_element()
    }

    pub fn is_dark() -> bool {
        match root().and_then(|r| r.get_attribute("data-theme")).as_deref() {
            Some("dark") => true,
            Some("light") => false,
            _ => web_sys::window()
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .is_some_and(|m| m.matches()),
        }
    }

    pub fn apply(dark: bool) {
        let theme = if dark { "dark" } else { "light" };
        if let Some(root) = root() {
            let _ = root.set_attribute("data-theme", theme);
        }
        if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = storage.set_item(KEY, theme);
        }
    }
}
