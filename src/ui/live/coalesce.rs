//! Bursts of events, one refetch: an engine that reports ten runs in a second must not cost the
//! page ten fetches of the overview.

use std::time::Duration;

/// The shortest time between two refetches of the same data.
pub const REFETCH_GAP: Duration = Duration::from_millis(300);

/// `work`, run at most once per [`REFETCH_GAP`]: a call after a quiet gap runs it at once, calls
/// within the gap run it once at the gap's end. A call still waiting when the calling component
/// is cleaned up is dropped. On the server it never runs (nothing calls it there).
pub fn coalesced(work: impl Fn() + Clone + 'static) -> impl Fn() + Clone + 'static {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::*;

        let last_run = StoredValue::new(f64::NEG_INFINITY);
        let waiting = StoredValue::new(None::<TimeoutHandle>);
        on_cleanup(move || {
            if let Some(handle) = waiting.try_get_value().flatten() {
                handle.clear();
            }
        });
        move || {
            if waiting.try_with_value(Option::is_some).unwrap_or(true) {
                return;
            }
            let gap = REFETCH_GAP.as_secs_f64() * 1000.0;
            let since = js_sys::Date::now() - last_run.get_value();
            if since >= gap {
                last_run.set_value(js_sys::Date::now());
                work();
                return;
            }
            let work = work.clone();
            let later = move || {
                waiting.set_value(None);
                last_run.set_value(js_sys::Date::now());
                work();
            };
            let delay = Duration::from_millis((gap - since).max(0.0) as u64);
            if let Ok(handle) = set_timeout_with_handle(later, delay) {
                waiting.set_value(Some(handle));
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = &work;
        move || {}
    }
}
