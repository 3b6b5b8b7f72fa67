use leptos::prelude::*;

/// The body of a card section that a phone shows closed at first (the plan: "collapsible
/// sections by default on mobile"), so the first screen is not the end of a long scroll. The
/// server renders it open, so the page reads in full without scripts; once hydrated on a narrow
/// screen it closes, and a button at the card's corner opens it.
#[component]
pub fn PhoneCollapsible(
    /// The section's heading id, so the body and the button can name the section.
    heading_id: &'static str,
    /// The section's title, for the button's accessible name ("Show Run history").
    title: &'static str,
    children: Children,
) -> impl IntoView {
    let (open, set_open) = signal(true);
    let (on_phone, _set_on_phone) = signal(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let narrow = web_sys::window()
            .and_then(|w| w.match_media("(max-width: 40rem)").ok().flatten())
            .is_some_and(|m| m.matches());
        if narrow {
            _set_on_phone.set(true);
            set_open.set(choices::get(heading_id).unwrap_or(false));
        }
    });
    let toggle = move |_| {
        set_open.update(|o| *o = !*o);
        #[cfg(feature = "hydrate")]
        choices::set(heading_id, open.get_untracked());
    };
    let body_id = format!("{heading_id}-body");
    let controls = body_id.clone();
    view! {
        {move || {
            on_phone
                .get()
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="button secondary small section-toggle"
                            aria-expanded=move || open.get().to_string()
                            aria-controls=controls.clone()
                            aria-label=move || format!("{} {title}", if open.get() { "Hide" } else { "Show" })
                            on:click=toggle
                        >
                            {move || if open.get() { "Hide" } else { "Show" }}
                        </button>
                    }
                })
        }}
        <div id=body_id class="section-body" hidden=move || !open.get()>
            {children()}
        </div>
    }
}

/// What the reader chose per section, so a section they opened stays open when the page draws
/// it again (a running run refreshes every few seconds).
#[cfg(feature = "hydrate")]
mod choices {
    use std::cell::RefCell;
    use std::collections::HashMap;

    thread_local! {
        static OPEN: RefCell<HashMap<&'static str, bool>> = RefCell::new(HashMap::new());
    }

    pub fn get(section: &'static str) -> Option<bool> {
        OPEN.with(|m| m.borrow().get(section).copied())
    }

    pub fn set(section: &'static str, open: bool) {
        OPEN.with(|m| m.borrow_mut().insert(section, open));
    }
}
