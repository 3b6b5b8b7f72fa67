//! One `EventSource` on `/api/v1/automation/events?site_id=N`, opened in an effect once the
//! island has hydrated, with reconnection of its own: a browser retries a stream that ended, but never one that was answered 503, 404 or 401,
//! so after a closed source this waits 1 s, 2 s, 4 s … at most 15 s and opens a new one.
//! Events a new source cannot replay may have been missed meanwhile, so the page hears a
//! `resync` once it is back.

use leptos::prelude::*;

/// How the page's event stream stands; `Off` on the server and without JavaScript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveState {
    Off,
    /// Opening the first connection.
    Connecting,
    /// Connected: events arrive as the engine reports.
    Live,
    /// The connection dropped; trying again.
    Reconnecting,
}

/// Follows the events of `site` and calls `on_change` for each event of that site or of its
/// whole account (the server sends no other), and once more after a reconnection, when events
/// may have been missed; returns the connection state. Call it in an island: the stream closes
/// when the island is cleaned up.
pub fn use_live_events(site: i64, on_change: impl Fn() + 'static) -> ReadSignal<LiveState> {
    let (state, set_state) = signal(LiveState::Off);
    #[cfg(feature = "hydrate")]
    {
        let on_change: std::rc::Rc<dyn Fn()> = std::rc::Rc::new(on_change);
        Effect::new(move |_| {
            let stream = StoredValue::new_local(browser::Stream::open(site, set_state, on_change.clone()));
            on_cleanup(move || {
                stream.try_with_value(|s| s.close());
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (site, on_change, set_state);
    state
}

/// The wait before reconnection attempt `failures + 1`: 1 s, 2 s, 4 s, 8 s, then 15 s.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn backoff(failures: u32) -> std::time::Duration {
    const FIRST: std::time::Duration = std::time::Duration::from_secs(1);
    const LONGEST: std::time::Duration = std::time::Duration::from_secs(15);
    FIRST.saturating_mul(1 << failures.min(4)).min(LONGEST)
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::{Cell, RefCell};
    use std::rc::{Rc, Weak};
    use std::time::Duration;

    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::EventSource;

    use super::{backoff, LiveState};
    use crate::domain::events::LiveEvent;

    const EVENT_NAMES: [&str; 5] =
        [LiveEvent::RUN, LiveEvent::PIPELINE, LiveEvent::ACCOUNT, LiveEvent::REQUEST, LiveEvent::RESYNC];

    /// A listener the source calls; kept alive for as long as the source.
    type Handler = Closure<dyn FnMut(web_sys::Event)>;

    /// A site's stream as long as its page wants it. The source's handlers hold it weakly, so
    /// dropping the page's handle (after `close`) frees everything.
    pub struct Stream {
        site: i64,
        set_state: WriteSignal<LiveState>,
        on_change: Rc<dyn Fn()>,
        source: RefCell<Option<EventSource>>,
        handlers: RefCell<Vec<Handler>>,
        retry: Cell<Option<TimeoutHandle>>,
        failures: Cell<u32>,
        /// Events may have been missed since the last open source: resync when one opens.
        missed: Cell<bool>,
        closed: Cell<bool>,
    }

    impl Stream {
        pub fn open(site: i64, set_state: WriteSignal<LiveState>, on_change: Rc<dyn Fn()>) -> Rc<Stream> {
            let stream = Rc::new(Stream {
                site,
                set_state,
                on_change,
                source: RefCell::new(None),
                handlers: RefCell::new(Vec::new()),
                retry: Cell::new(None),
                failures: Cell::new(0),
                missed: Cell::new(false),
                closed: Cell::new(false),
            });
            set_state.set(LiveState::Connecting);
            connect(&stream);
            stream
        }

        pub fn close(&self) {
            self.closed.set(true);
            if let Some(retry) = self.retry.take() {
                retry.clear();
            }
            self.drop_source();
        }

        fn drop_source(&self) {
            if let Some(source) = self.source.borrow_mut().take() {
                source.close();
                source.set_onopen(None);
                source.set_onerror(None);
            }
            // The source is closed, so none of these can be running now.
            self.handlers.borrow_mut().clear();
        }

        fn set_state(&self, state: LiveState) {
            if !self.closed.get() {
                self.set_state.try_set(state);
            }
        }
    }

    fn connect(stream: &Rc<Stream>) {
        let url = crate::paths::api::events(stream.site);
        let Ok(source) = EventSource::new(&url) else {
            retry_later(stream);
            return;
        };
        let mut handlers = Vec::new();

        let weak = Rc::downgrade(stream);
        let on_open = Handler::new(move |_| {
            let Some(stream) = live(&weak) else { return };
            stream.failures.set(0);
            stream.set_state(LiveState::Live);
            if stream.missed.take() {
                (stream.on_change)();
            }
        });
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        handlers.push(on_open);

        let weak = Rc::downgrade(stream);
        let on_error = Handler::new(move |_| {
            let Some(stream) = live(&weak) else { return };
            stream.missed.set(true);
            stream.set_state(LiveState::Reconnecting);
            let closed = stream.source.borrow().as_ref().is_none_or(|s| s.ready_state() == EventSource::CLOSED);
            // Still CONNECTING: the browser retries by itself, with Last-Event-ID.
            if closed {
                // Not here: this handler belongs to the source being dropped.
                let weak = Rc::downgrade(&stream);
                set_timeout(
                    move || {
                        if let Some(stream) = live(&weak) {
                            stream.drop_source();
                            retry_later(&stream);
                        }
                    },
                    Duration::ZERO,
                );
            }
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        handlers.push(on_error);

        for name in EVENT_NAMES {
            let weak = Rc::downgrade(stream);
            // The events' contents are for API clients: a page draws itself again from the server.
            let on_message = Handler::new(move |_| {
                if let Some(stream) = live(&weak) {
                    (stream.on_change)();
                }
            });
            let _ = source.add_event_listener_with_callback(name, on_message.as_ref().unchecked_ref());
            handlers.push(on_message);
        }

        *stream.source.borrow_mut() = Some(source);
        *stream.handlers.borrow_mut() = handlers;
    }

    fn retry_later(stream: &Rc<Stream>) {
        if stream.closed.get() {
            return;
        }
        let wait = backoff(stream.failures.get());
        stream.failures.set(stream.failures.get().saturating_add(1));
        let weak = Rc::downgrade(stream);
        let again = move || {
            if let Some(stream) = live(&weak) {
                stream.retry.set(None);
                connect(&stream);
            }
        };
        stream.retry.set(set_timeout_with_handle(again, wait).ok());
    }

    /// The stream, unless the page has let it go.
    fn live(weak: &Weak<Stream>) -> Option<Rc<Stream>> {
        weak.upgrade().filter(|s| !s.closed.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_fifteen_seconds() {
        let waits: Vec<u64> = (0..7).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 15, 15, 15]);
    }
}
