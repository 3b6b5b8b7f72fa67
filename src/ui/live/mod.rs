//! The live pages' side of the site's event stream (live-api.md, "GET …/events" and "Live
//! pages"): the `LiveUpdates` island subscribes to its site and, for each event, draws the page's
//! live regions again from the server, at most once per [`REFETCH_GAP`].
//!
//! All of it runs in the browser only. On the server, and with JavaScript off, nothing
//! subscribes: the pages are correct as of their request, and the connection state stays
//! [`LiveState::Off`], so the indicator shows nothing there.

mod coalesce;
mod regions;
mod subscription;

pub use coalesce::{coalesced, REFETCH_GAP};
pub use regions::redraw_regions;
#[cfg(feature = "hydrate")]
pub use regions::remember_regions;
pub use subscription::{use_live_events, LiveState};
