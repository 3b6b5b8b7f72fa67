//! `GET /api/v1/automation/events?site_id=N`: a site's events as Server-Sent Events.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::HubMessage;
use crate::domain::events::LiveEvent;
use crate::domain::params::parse_id;
use crate::server::db::{Replay, StoredEvent};
use crate::server::rest::{required, ApiError, ApiQuery, CallerScope};
use crate::server::state::AppState;

/// A comment this often keeps the stream open through proxies that close idle connections.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// A reconnecting stream is replayed at most this many events; more, and it resyncs.
const REPLAY_LIMIT: i64 = 1000;

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventParams {
    /// The site's id.
    site_id: Option<String>,
}

fn sse_event(e: &StoredEvent) -> Event {
    Event::default().id(e.id.to_string()).event(&e.name).data(&e.data)
}

fn resync() -> Event {
    Event::default().event(LiveEvent::RESYNC).data(LiveEvent::Resync.data_json())
}

/// The `Last-Event-ID` a reconnecting client sends: `Some(None)` when it is not one of ours.
fn last_event_id(headers: &HeaderMap) -> Option<Option<i64>> {
    let value = headers.get("last-event-id")?;
    Some(value.to_str().ok().and_then(|v| v.trim().parse::<i64>().ok()).filter(|id| *id >= 0))
}

/// The site's live events. Each has an `id`; a client that reconnects with `Last-Event-ID` is
/// replayed what it missed, or sent `resync` when that is no longer possible. A client that
/// falls too far behind is dropped (writers never wait) and catches up when it reconnects.
#[utoipa::path(get, path = "/api/v1/automation/events", params(EventParams), responses(
    (status = 200, content_type = "text/event-stream",
     description = "events `run`, `pipeline`, `account`, `request` and `resync`, each with an `id`"),
    (status = 400, body = crate::server::rest::ErrorBody, description = "missing or malformed site_id"),
    (status = 404, body = crate::server::rest::ErrorBody, description = "unknown site"),
))]
pub async fn events(
    State(state): State<AppState>,
    CallerScope(scope): CallerScope,
    ApiQuery(q): ApiQuery<EventParams>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let site_id = parse_id("site_id", required("site_id", &q.site_id)?)?;
    let site = state.service.site(scope, Some(site_id)).await?;
    let account_id = site.row().account_id;
    // Subscribed before the replay is read, so nothing falls between the two.
    let receiver = state.events.subscribe();
    let (backlog, seen) = match last_event_id(&headers) {
        None => (Vec::new(), 0),
        Some(None) => (vec![resync()], 0),
        Some(Some(after)) => {
            match state
                .service
                .store()
                .replay(account_id, site_id, after, REPLAY_LIMIT)
                .await
                .map_err(crate::error::AppError::from)?
            {
                Replay::Events(events) => {
                    let seen = events.last().map_or(after, |e| e.id);
                    (events.iter().map(sse_event).collect(), seen)
                }
                Replay::Gone => (vec![resync()], 0),
            }
        }
    };
    let live = stream::unfold((receiver, seen), move |(mut receiver, seen)| async move {
        loop {
            match receiver.recv().await {
                Ok(HubMessage::Event(e)) if e.id > seen && e.concerns(account_id, site_id) => {
                    return Some((sse_event(&e), (receiver, e.id)));
                }
                Ok(HubMessage::Event(_)) => continue,
                // Behind, or the database is gone: end, and let the client reconnect.
                Ok(HubMessage::Lost) | Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => return None,
            }
        }
    });
    let all = stream::iter(backlog).chain(live).map(Ok);
    Ok(Sse::new(all).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}
