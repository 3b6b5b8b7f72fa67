//! Times in the viewer's zone. The server does not know the zone, so it writes UTC into each
//! `<time data-local>`; here the text switches to local time, named. `data-after` holds the time
//! of the event before it in a list: the date is left out when it is the same local day.

use js_sys::{Date, Object, Reflect};
use wasm_bindgen::JsValue;

use super::all;

pub fn apply() {
    for time in all("time[data-local]") {
        let Some(at) = time.get_attribute("datetime") else { continue };
        let after = time.get_attribute("data-after");
        if let Some(text) = local_text(&at, time.has_attribute("data-seconds"), after.as_deref()) {
            time.set_text_content(Some(&text));
        }
        // Done once: a redrawn region brings its own, new elements.
        let _ = time.remove_attribute("data-local");
    }
}

fn date(iso: &str) -> Option<Date> {
    let date = Date::new(&JsValue::from_str(iso));
    (!date.get_time().is_nan()).then_some(date)
}

fn same_local_day(a: &Date, b: &Date) -> bool {
    (a.get_full_year(), a.get_month(), a.get_date()) == (b.get_full_year(), b.get_month(), b.get_date())
}

fn local_text(at: &str, seconds: bool, after: Option<&str>) -> Option<String> {
    let local = date(at)?;
    let with_date = after.and_then(date).is_none_or(|before| !same_local_day(&before, &local));
    let options = Object::new();
    let set = |key: &str, value: &str| Reflect::set(&options, &key.into(), &value.into()).ok();
    if with_date {
        set("year", "numeric")?;
        set("month", "short")?;
        set("day", "numeric")?;
    }
    set("hour", "numeric")?;
    set("minute", "2-digit")?;
    if seconds {
        set("second", "2-digit")?;
    }
    set("timeZoneName", "short")?;
    local.to_locale_string("en-US", &options).as_string()
}
