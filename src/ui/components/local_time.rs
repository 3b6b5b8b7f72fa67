use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// A time in the viewer's time zone, with the zone named. The server does not know the
/// viewer's zone, so it writes UTC; in the browser `enhance` switches the text to local time.
/// The machine-readable `datetime` stays UTC. With `after`, the time of the event before it in a
/// list, the date is left out when it is the same day as that one's.
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
    view! {
        <time
            datetime=at.to_rfc3339()
            data-local=""
            data-seconds=seconds.then_some("")
            data-after=after.map(|before| before.to_rfc3339())
        >
            {at.format(pattern).to_string()}
        </time>
    }
}
