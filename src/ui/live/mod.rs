//! The live pages' side of the site's event stream (live-api.md, "GET …/events" and "Live
//! pages"): a page subscribes to its site, reads each event as a [`LiveEvent`], and refetches
//! what the event changed, at most once per [`REFETCH_GAP`].
//!
//! All of it runs in the browser only, after hydration. On the server, and with JavaScript off,
//! nothing subscribes: the pages are correct as of their request, and the connection state stays
//! [`LiveState::Off`], so the indicator shows nothing there.
//!
//! [`LiveEvent`]: crate::domain::events::LiveEvent

mod coalesce;
mod subscription;

pub use coalesce::{coalesced, REFETCH_GAP};
pub use subscription::{use_live_events, LiveState};
