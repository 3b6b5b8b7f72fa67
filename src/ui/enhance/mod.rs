//! The small behaviours of the server-rendered parts, wired once for the whole document: the
//! pages are plain HTML (only the islands hydrate), so instead of a component per widget, one
//! delegated listener serves every accordion, phone section and print button, including those a
//! live update draws later. Each behaviour reads what it needs from the markup's `data-`
//! attributes, and without scripts the markup works on its own.

mod local_time;
mod tickers;
mod toggles;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// Wires the document once, after the islands have hydrated.
pub fn install() {
    refresh();
    tickers::start();
    let on_click = Closure::<dyn FnMut(web_sys::Event)>::new(on_click);
    if let Some(document) = document() {
        let _ = document.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    }
    // The listener lives as long as the page.
    on_click.forget();
}

/// Applies the behaviours to what is in the document now: call it after drawing new markup.
pub fn refresh() {
    local_time::apply();
    toggles::apply();
}

fn on_click(event: web_sys::Event) {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
    if toggles::on_click(&target) {
        return;
    }
    if target.closest("[data-print]").ok().flatten().is_some() {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    }
}

pub(crate) fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// The document's elements that match `selector`.
pub(crate) fn all(selector: &str) -> Vec<Element> {
    let Some(list) = document().and_then(|d| d.query_selector_all(selector).ok()) else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).collect()
}
