use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// A time in the viewer's time zone, with the zone named. The server does not know the
/// viewer's zone, so it writes UTC; once the page runs in the browser the text switches to
/// local time. The machine-readable `datetime` stays UTC. With `after`, the time of the event
/// before it in a list, the date is left out when it is the same day as that one's.
#[component]
pub fn LocalTime(
    at: DateTime<Utc>,
    #[prop(optional)] seconds: bool,
    #[prop(default = None)] after: Option<DateTime<Utc>>,
) -> impl IntoView {
    let with_date = after.is_none_or(|before| before.date_naive() != at.date_naive());
    let pattern = match (with_date, seconds) {
        (true, true) => "%b %-d, %Y, %H:%M:%S UTC",
        (true, false) => "%b %-d, %Y, %H:%M UTC",
        (false, true) => "%H:%M:%S UTC",
        (false, false) => "%H:%M UTC",
    };
    let (text, _set_text) = signal(at.format(pattern).to_string());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(local) = local::text(at, seconds, after) {
            _set_text.set(local);
        }
    });
    view! { <time datetime=at.to_rfc3339()>{text}</time> }
}

#[cfg(feature = "hydrate")]
mod local {
    use chrono::{DateTime, Utc};
    use js_sys::{Date, Object, Reflect};
    use wasm_bindgen::JsValue;

    fn date(at: DateTime<Utc>) -> Date {
        Date::new(&JsValue::from_f64(at.timestamp_millis() as f64))
    }

    fn same_local_day(a: &Date, b: &Date) -> bool {
        (a.get_full_year(), a.get_month(), a.get_date()) == (b.get_full_year(), b.get_month(), b.get_date())
    }

    pub fn text(at: DateTime<Utc>, seconds: bool, after: Option<DateTime<Utc>>) -> Option<String> {
        let local = date(at);
        let with_date = after.is_none_or(|before| !same_local_day(&date(before), &local));
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
}
