//! Times in the viewer's zone. The server does not know the zone, so it writes UTC into each
//! `<time data-local>`; here the text switches to local time, named. `data-after` holds the time
//! of the event before it in a list: the date is left out when it is the same local day.

use std::cell::RefCell;

use js_sys::Intl::DateTimeFormat;
use js_sys::{Array, Date, Function, Object, Reflect};
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

thread_local! {
    /// One formatter per shape (with the date or not, with seconds or not): making an
    /// `Intl.DateTimeFormat` costs far more than using one, and a page has dozens of times.
    static FORMATS: RefCell<[Option<Function>; 4]> = const { RefCell::new([None, None, None, None]) };
}

fn local_text(at: &str, seconds: bool, after: Option<&str>) -> Option<String> {
    let local = date(at)?;
    let with_date = after.and_then(date).is_none_or(|before| !same_local_day(&before, &local));
    let format = formatter(with_date, seconds)?;
    format.call1(&JsValue::NULL, &local).ok()?.as_string()
}

fn formatter(with_date: bool, seconds: bool) -> Option<Function> {
    let slot = usize::from(with_date) * 2 + usize::from(seconds);
    if let Some(format) = FORMATS.with(|f| f.borrow()[slot].clone()) {
        return Some(format);
    }
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
    let format = DateTimeFormat::new(&Array::of1(&"en-US".into()), &options).format();
    FORMATS.with(|f| f.borrow_mut()[slot] = Some(format.clone()));
    Some(format)
}
