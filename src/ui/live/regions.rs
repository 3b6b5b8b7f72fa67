//! Drawing a live page again: the server renders the page as it is now (the same URL, so the
//! same filters and page), and each element marked `data-live-region` whose server HTML changed
//! is replaced by its new version. Islands stay outside the regions, so nothing hydrated is
//! replaced. What the reader did inside a region survives a redraw: the panels and sections
//! they opened (kept by `enhance`), the `<details>` they opened, and the focus.

/// Draws the live regions again from the server; a newer call overtakes an older one still
/// loading. Does nothing on the server.
pub fn redraw_regions() {
    #[cfg(feature = "hydrate")]
    browser::redraw();
}

/// Notes the regions' server HTML before `enhance` changes them, so a redraw can tell what the
/// server changed.
#[cfg(feature = "hydrate")]
pub fn remember_regions() {
    browser::remember();
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;

    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Document, DomParser, Element, HtmlElement, Response, SupportedType};

    use crate::ui::enhance::{self, all, document};

    const REGIONS: &str = "[data-live-region]";

    thread_local! {
        static LATEST: Cell<u64> = const { Cell::new(0) };
        /// Each region's HTML as the server last sent it, by element id.
        static SERVED: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    }

    pub fn remember() {
        SERVED.with(|served| {
            let mut served = served.borrow_mut();
            for region in all(REGIONS) {
                served.insert(region.id(), region.outer_html());
            }
        });
    }

    pub fn redraw() {
        let generation = LATEST.with(|latest| {
            latest.set(latest.get() + 1);
            latest.get()
        });
        leptos::task::spawn_local(async move {
            let Some(html) = fetch_page().await else { return };
            if LATEST.with(Cell::get) == generation {
                swap_regions(&html);
            }
        });
    }

    async fn fetch_page() -> Option<String> {
        let window = web_sys::window()?;
        let href = window.location().href().ok()?;
        let response: Response = JsFuture::from(window.fetch_with_str(&href)).await.ok()?.dyn_into().ok()?;
        // A signed-out or failing answer leaves the page as it is; the next event tries again.
        if !response.ok() || response.redirected() {
            return None;
        }
        JsFuture::from(response.text().ok()?).await.ok()?.as_string()
    }

    fn swap_regions(html: &str) {
        let (Some(document), Ok(parser)) = (document(), DomParser::new()) else { return };
        let Ok(fresh) = parser.parse_from_string(html, SupportedType::TextHtml) else { return };
        let focused = document.active_element().map(|e| e.id()).filter(|id| !id.is_empty());
        let open_details: Vec<String> = all("details[open][id]").into_iter().map(|d| d.id()).collect();
        let mut swapped = false;
        for region in all(REGIONS) {
            if let Some(new) = fresh.get_element_by_id(&region.id()) {
                swapped |= replace_if_changed(&document, &region, &new);
            }
        }
        if !swapped {
            return;
        }
        for id in open_details {
            if let Some(details) = document.get_element_by_id(&id) {
                let _ = details.set_attribute("open", "");
            }
        }
        enhance::refresh();
        if let Some(element) = focused.and_then(|id| document.get_element_by_id(&id)) {
            if let Ok(element) = element.dyn_into::<HtmlElement>() {
                let _ = element.focus();
            }
        }
    }

    fn replace_if_changed(document: &Document, old: &Element, new: &Element) -> bool {
        let html = new.outer_html();
        let unchanged = SERVED.with(|served| served.borrow().get(&old.id()) == Some(&html));
        if unchanged {
            return false;
        }
        let Ok(node) = document.import_node_with_deep(new, true) else { return false };
        if old.replace_with_with_node_1(&node).is_err() {
            return false;
        }
        SERVED.with(|served| served.borrow_mut().insert(old.id(), html));
        true
    }
}
