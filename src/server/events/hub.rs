//! The process's fan-out of committed events to its open streams.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::sync::{broadcast, Notify};

use crate::server::db::{Store, StoredEvent, EVENT_CHANNEL};

/// Messages a stream can fall this far behind before it is dropped; writers never wait for it.
const CHANNEL_CAPACITY: usize = 1024;
/// How often the SQLite poller looks for writes of other processes.
const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// Events read from the SQLite outbox per query.
const POLL_BATCH: i64 = 1000;
/// Wait before trying the database again after it failed.
const RETRY_AFTER: Duration = Duration::from_secs(1);
/// Events are kept this long for replays, then pruned.
const KEEP_EVENTS_SECS: i64 = 60 * 60;
const PRUNE_INTERVAL: Duration = Duration::from_secs(5 * 60);

#[derive(Debug, Clone)]
pub enum HubMessage {
    Event(Arc<StoredEvent>),
    /// The hub lost the database: streams end, and their clients reconnect (and are replayed
    /// or told to resync) once it is back.
    Lost,
}

#[derive(Clone)]
pub struct EventHub {
    sender: broadcast::Sender<HubMessage>,
    /// Wakes the SQLite poller after a write of this process.
    wake: Arc<Notify>,
}

impl EventHub {
    /// A hub fed from `store`, with its background tasks (they end with the runtime). It is
    /// listening (PostgreSQL) or has its starting point (SQLite) when this returns, so no
    /// commit after it is missed.
    pub async fn start(store: Store) -> EventHub {
        let (sender, _) = broadcast::channel(CHANNEL_CAPACITY);
        let hub = EventHub { sender, wake: Arc::new(Notify::new()) };
        match store.postgres() {
            Some(pool) => {
                let first = connect_listener(pool)
                    .await
                    .map_err(|e| tracing::warn!(error = %e, "events: cannot listen yet"))
                    .ok();
                tokio::spawn(listen(pool.clone(), first, hub.sender.clone()));
            }
            None => {
                let start = store
                    .last_event_id()
                    .await
                    .map_err(|e| tracing::warn!(error = %e, "events: cannot read the outbox yet"))
                    .ok();
                tokio::spawn(poll(store.clone(), start, hub.sender.clone(), hub.wake.clone()));
            }
        }
        tokio::spawn(prune(store));
        hub
    }

    pub fn subscribe(&self) -> broadcast::Receiver<HubMessage> {
        self.sender.subscribe()
    }

    /// Says this process has just committed events (SQLite reads them at once; PostgreSQL has
    /// already announced them).
    pub fn written(&self) {
        self.wake.notify_one();
    }

    pub fn subscribers(&self) -> usize {
        self.sender.receiver_count()
    }
}

/// SQLite: reads the outbox in id order (one writer at a time makes ids follow commits).
async fn poll(store: Store, start: Option<i64>, sender: broadcast::Sender<HubMessage>, wake: Arc<Notify>) {
    let mut last = loop {
        if let Some(id) = start {
            break id;
        }
        match store.last_event_id().await {
            Ok(id) => break id,
            Err(e) => {
                tracing::warn!(error = %e, "events: cannot read the outbox; retrying");
                tokio::time::sleep(RETRY_AFTER).await;
            }
        }
    };
    let mut healthy = true;
    loop {
        match store.events_after(last, POLL_BATCH).await {
            Ok(events) => {
                healthy = true;
                let full = events.len() as i64 == POLL_BATCH;
                for event in events {
                    last = event.id;
                    // No receiver is not an error: nobody is watching.
                    let _ = sender.send(HubMessage::Event(Arc::new(event)));
                }
                if full {
                    continue;
                }
            }
            Err(e) => {
                if healthy {
                    tracing::warn!(error = %e, "events: the outbox cannot be read; streams end");
                    let _ = sender.send(HubMessage::Lost);
                }
                healthy = false;
            }
        }
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(POLL_INTERVAL) => {}
        }
    }
}

async fn connect_listener(pool: &sqlx::PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(EVENT_CHANNEL).await?;
    Ok(listener)
}

/// PostgreSQL: LISTENs on the outbox's channel, reconnecting when the database comes back.
async fn listen(pool: sqlx::PgPool, mut listener: Option<PgListener>, sender: broadcast::Sender<HubMessage>) {
    loop {
        let mut current = match listener.take() {
            Some(l) => l,
            None => match connect_listener(&pool).await {
                Ok(l) => {
                    tracing::info!("events: listening for commits again");
                    l
                }
                Err(e) => {
                    tracing::debug!(error = %e, "events: cannot listen yet");
                    tokio::time::sleep(RETRY_AFTER).await;
                    continue;
                }
            },
        };
        loop {
            match current.try_recv().await {
                Ok(Some(notification)) => match serde_json::from_str::<StoredEvent>(notification.payload()) {
                    Ok(event) => {
                        let _ = sender.send(HubMessage::Event(Arc::new(event)));
                    }
                    Err(e) => tracing::error!(error = %e, "events: unreadable notification"),
                },
                // The connection dropped: what was announced meanwhile is lost to this
                // listener, so the streams end and their clients catch up on reconnect.
                Ok(None) | Err(_) => {
                    tracing::warn!("events: lost the database connection; streams end");
                    let _ = sender.send(HubMessage::Lost);
                    break;
                }
            }
        }
        tokio::time::sleep(RETRY_AFTER).await;
    }
}

async fn prune(store: Store) {
    loop {
        tokio::time::sleep(PRUNE_INTERVAL).await;
        let before = chrono::Utc::now().timestamp() - KEEP_EVENTS_SECS;
        if let Err(e) = store.prune_events(before).await {
            tracing::debug!(error = %e, "events: pruning failed; will retry");
        }
    }
}
