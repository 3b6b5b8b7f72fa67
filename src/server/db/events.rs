//! The event outbox (migration 0004): read in id order by the SQLite poller, replayed to a
//! stream that reconnects with Last-Event-ID, pruned by age.

use serde::Deserialize;

use super::{with_pool, Store, StoreError};

/// One stored event, as it travels from the outbox to the streams.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Deserialize)]
pub struct StoredEvent {
    pub id: i64,
    pub account_id: i64,
    /// `None` for events of the whole account.
    pub site_id: Option<i64>,
    pub name: String,
    pub data: String,
}

impl StoredEvent {
    /// Whether a stream of `site_id` (of `account_id`) carries this event.
    pub fn concerns(&self, account_id: i64, site_id: i64) -> bool {
        self.account_id == account_id && self.site_id.is_none_or(|s| s == site_id)
    }
}

/// What a reconnecting stream can be given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replay {
    /// Everything it missed, oldest first (maybe nothing).
    Events(Vec<StoredEvent>),
    /// Some of it is gone (pruned, too much, or an id this database never gave).
    Gone,
}

/// The NOTIFY channel the PostgreSQL trigger announces events on.
pub const EVENT_CHANNEL: &str = "automation_events";

const EVENT_COLUMNS: &str = "id, account_id, site_id, name, data";

impl Store {
    /// The newest event's id (0 when there is none): where a new poller starts.
    pub async fn last_event_id(&self) -> Result<i64, StoreError> {
        let id: Option<i64> =
            with_pool!(self, |pool| sqlx::query_scalar("SELECT MAX(id) FROM events").fetch_one(pool).await)?;
        Ok(id.unwrap_or(0))
    }

    /// Events after `after`, oldest first, at most `limit`.
    pub async fn events_after(&self, after: i64, limit: i64) -> Result<Vec<StoredEvent>, StoreError> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE id > $1 ORDER BY id LIMIT $2");
        Ok(with_pool!(self, |pool| sqlx::query_as(&sql).bind(after).bind(limit).fetch_all(pool).await)?)
    }

    /// The events of one site (and of its account) after `after`, when all of them are still
    /// kept and there are at most `limit`.
    pub async fn replay(&self, account_id: i64, site_id: i64, after: i64, limit: i64) -> Result<Replay, StoreError> {
        let (oldest, newest): (Option<i64>, Option<i64>) =
            with_pool!(self, |pool| sqlx::query_as("SELECT MIN(id), MAX(id) FROM events").fetch_one(pool).await)?;
        let newest = newest.unwrap_or(0);
        // Ids are never reused, so a pruned gap shows as an oldest kept id past the next one.
        if after > newest || oldest.is_some_and(|o| o > after + 1) {
            return Ok(Replay::Gone);
        }
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE id > $1 \
             AND (site_id = $2 OR (site_id IS NULL AND account_id = $3)) ORDER BY id LIMIT $4"
        );
        let rows: Vec<StoredEvent> = with_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(after)
            .bind(site_id)
            .bind(account_id)
            .bind(limit + 1)
            .fetch_all(pool)
            .await)?;
        if rows.len() as i64 > limit {
            return Ok(Replay::Gone);
        }
        Ok(Replay::Events(rows.into_iter().filter(|e| e.concerns(account_id, site_id)).collect()))
    }

    /// Forgets events older than `before` (unix seconds).
    pub async fn prune_events(&self, before: i64) -> Result<u64, StoreError> {
        Ok(with_pool!(self, |pool| sqlx::query("DELETE FROM events WHERE at < $1")
            .bind(before)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?)
    }
}
