//! Sections that open and close: the stage accordion's panels (`button[data-accordion]`) and,
//! on a phone, the card sections that start closed (`button[data-section]`, hidden by the server
//! so that without scripts every section shows). The reader's choices are kept per element id,
//! so a live update that draws a section again leaves it as the reader left it.

use std::cell::RefCell;
use std::collections::HashMap;

use web_sys::Element;

use super::{all, document};

/// The widest screen that counts as a phone; the stylesheet uses the same breakpoint.
const PHONE: &str = "(max-width: 40rem)";

thread_local! {
    static CHOICES: RefCell<HashMap<String, bool>> = RefCell::new(HashMap::new());
}

fn choice(id: &str) -> Option<bool> {
    CHOICES.with(|c| c.borrow().get(id).copied())
}

fn choose(id: String, open: bool) {
    CHOICES.with(|c| c.borrow_mut().insert(id, open));
}

pub fn apply() {
    for trigger in all("button[data-accordion]") {
        if let Some(open) = controlled(&trigger).and_then(|panel| choice(&panel.id())) {
            set_open(&trigger, open);
        }
    }
    if !on_phone() {
        return;
    }
    for button in all("button[data-section]") {
        if button.has_attribute("hidden") {
            let _ = button.remove_attribute("hidden");
            let open = controlled(&button).and_then(|body| choice(&body.id())).unwrap_or(false);
            set_open(&button, open);
        }
    }
}

/// Handles a click on a toggle; false when the click was not on one.
pub fn on_click(target: &Element) -> bool {
    let Some(button) = target.closest("button[data-accordion], button[data-section]").ok().flatten() else {
        return false;
    };
    let open = button.get_attribute("aria-expanded").as_deref() != Some("true");
    set_open(&button, open);
    if let Some(controlled) = controlled(&button) {
        choose(controlled.id(), open);
    }
    true
}

fn on_phone() -> bool {
    web_sys::window().and_then(|w| w.match_media(PHONE).ok().flatten()).is_some_and(|m| m.matches())
}

fn controlled(button: &Element) -> Option<Element> {
    document()?.get_element_by_id(&button.get_attribute("aria-controls")?)
}

fn set_open(button: &Element, open: bool) {
    let _ = button.set_attribute("aria-expanded", if open { "true" } else { "false" });
    if let Some(title) = button.get_attribute("data-section") {
        let verb = if open { "Hide" } else { "Show" };
        let _ = button.set_attribute("aria-label", &format!("{verb} {title}"));
        button.set_text_content(Some(verb));
    }
    if let Some(controlled) = controlled(button) {
        let _ = controlled.toggle_attribute_with_force("hidden", !open);
    }
}
