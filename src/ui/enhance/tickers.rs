//! Figures of an active run that move with the clock between two live updates: its elapsed time
//! (`data-tick-elapsed`, seconds when the server answered) and the time left to its projected
//! finish (`data-tick-left`). Each counts the seconds since the browser first saw the element
//! and adds them to what the server computed, so a browser clock that is wrong moves nothing.

use std::time::Duration;

use web_sys::Element;

use super::all;
use crate::domain::format::{duration_short, time_left};

pub fn start() {
    tick();
    leptos::prelude::set_interval(tick, Duration::from_secs(1));
}

fn tick() {
    let now = js_sys::Date::now();
    for element in all("[data-tick-elapsed], [data-tick-left]") {
        let since = seconds_since_seen(&element, now);
        let text = if let Some(elapsed) = number(&element, "data-tick-elapsed") {
            duration_short(Some(elapsed + since))
        } else if let Some(left) = number(&element, "data-tick-left") {
            time_left(left - since)
        } else {
            continue;
        };
        if element.text_content().as_deref() != Some(text.as_str()) {
            element.set_text_content(Some(&text));
        }
    }
}

fn seconds_since_seen(element: &Element, now: f64) -> i64 {
    let seen = element.get_attribute("data-seen").and_then(|s| s.parse::<f64>().ok());
    let seen = seen.unwrap_or_else(|| {
        let _ = element.set_attribute("data-seen", &now.to_string());
        now
    });
    ((now - seen) / 1000.0).floor() as i64
}

fn number(element: &Element, name: &str) -> Option<i64> {
    element.get_attribute(name)?.parse().ok()
}
