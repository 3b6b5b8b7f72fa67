use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// A time in the viewer's time zone, with the zone named. The server does not know the
/// viewer's zone, so it writes UTC; once the page runs in the browser the text switches to
/// local time. The machine-readable `datetime` stays UTC.
#[component]
pub fn LocalTime(at: DateTime<Utc>, #[prop(optional)] seconds: bool) -> impl IntoView {
    let pattern = if seconds { "%b %-d, %Y, %H:%M:%S UTC" } else { "%b %-d, %Y, %H:%M UTC" };
    let (text, _set_text) = signal(at.format(pattern).to_string());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(local) = local_text(at, seconds) {
            _set_text.set(local);
        }
    });
    view! { <time datetime=at.to_rfc3339()>{text}</time> }
}

#[cfg(feature = "hydrate")]
fn local_text(at: DateTime<Utc>, seconds: bool) -> Option<String> {
    use js_sys::{Date, Object, Reflect};
    use wasm_bindgen::JsValue;
    let date = Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    let options = Object::new();
    let set = |key: &str, value: &str| Reflect::set(&options, &key.into(), &value.into()).ok();
    set("year", "numeric")?;
    set("month", "short")?;
    set("day", "numeric")?;
    set("hour", "numeric")?;
    set("minute", "2-digit")?;
    if seconds {
        set("second", "2-digit")?;
    }
    set("timeZoneName", "short")?;
    date.to_locale_string("en-US", &options).as_string()
}
