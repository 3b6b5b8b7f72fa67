use leptos::prelude::*;

use crate::ui::components::live_indicator::LiveIndicator;
use crate::ui::live::{coalesced, use_live_events};

/// Follows the site's events (live-api.md, "Live pages") and, when one arrives, draws the page's
/// live regions again from the server, at most once per `REFETCH_GAP`; shows whether the page
/// is following. The server renders the page as it is now, so the page never computes a
/// figure itself. A failed fetch (the database away) keeps following, so the page recovers by
/// itself when the stream is back. Without JavaScript nothing follows and nothing shows.
#[island]
pub fn LiveUpdates(site_id: i64) -> impl IntoView {
    let redraw = coalesced(crate::ui::live::redraw_regions);
    let state = use_live_events(site_id, redraw);
    view! { <LiveIndicator state /> }
}
