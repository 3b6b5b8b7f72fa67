//! Alerts in the store: the account's webhook, alerts with their unique keys, the delivery
//! outbox and the conditions behind alerts that may come again. Every query names the account
//! it serves, except the outbox's, which the delivery task works through for all accounts.

use chrono::{DateTime, Utc};

use super::{with_pool, Store, StoreError};
use crate::domain::alerts::{Alert, AlertKind, Delivery, DeliveryState};

/// A delivery the task has claimed, with what it needs to send it.
#[derive(Debug, Clone)]
pub struct DueDelivery {
    pub id: i64,
    pub url: String,
    pub attempts: i64,
    pub created_at: DateTime<Utc>,
    pub payload: String,
    /// The account's current secret; none when the webhook was removed since.
    pub secret: Option<String>,
}

/// A new alert.
pub struct NewAlert<'a> {
    pub account_id: i64,
    pub kind: AlertKind,
    pub key: &'a str,
    pub message: &'a str,
    pub payload: &'a serde_json::Value,
}

type AlertRow = (i64, String, String, String, DateTime<Utc>);
type DeliveryRow = (i64, i64, String, String, i64, Option<i64>, Option<String>, DateTime<Utc>, DateTime<Utc>);

fn corrupt(what: String, reason: String) -> StoreError {
    StoreError::Corrupt { id: what, reason }
}

impl Store {
    /// The account's webhook URL and secret.
    pub async fn webhook(&self, account_id: i64) -> Result<Option<(String, String)>, StoreError> {
        Ok(with_pool!(self, |pool| sqlx::query_as("SELECT url, secret FROM alert_webhooks WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(pool)
            .await)?)
    }

    /// Sets the webhook and its secret (`None` removes it); false when there is no such account.
    pub async fn set_webhook(
        &self,
        account_id: i64,
        hook: Option<(&str, &str)>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let exists: Option<i64> = with_pool!(self, |pool| sqlx::query_scalar("SELECT id FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_optional(pool)
            .await)?;
        if exists.is_none() {
            return Ok(false);
        }
        match hook {
            Some((url, secret)) => with_pool!(self, |pool| sqlx::query(
                "INSERT INTO alert_webhooks (account_id, url, secret, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (account_id) DO UPDATE SET url = excluded.url, secret = excluded.secret, \
                 updated_at = excluded.updated_at"
            )
            .bind(account_id)
            .bind(url)
            .bind(secret)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ()))?,
            None => with_pool!(self, |pool| sqlx::query("DELETE FROM alert_webhooks WHERE account_id = $1")
                .bind(account_id)
                .execute(pool)
                .await
                .map(|_| ()))?,
        }
        Ok(true)
    }

    /// Records the alert unless its key was alerted before, and queues its delivery to the
    /// account's webhook, if it has one, in the same transaction. True when it is new.
    pub async fn raise_alert(&self, alert: NewAlert<'_>, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let payload = alert.payload.to_string();
        let raised = with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin().await?;
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO alerts (account_id, kind, dedupe_key, message, payload, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, dedupe_key) DO NOTHING RETURNING id",
            )
            .bind(alert.account_id)
            .bind(alert.kind.as_str())
            .bind(alert.key)
            .bind(alert.message)
            .bind(&payload)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = id {
                sqlx::query(
                    "INSERT INTO alert_deliveries (alert_id, account_id, url, state, attempts, next_attempt_at, created_at) \
                     SELECT $1, account_id, url, 'pending', 0, $2, $2 FROM alert_webhooks WHERE account_id = $3",
                )
                .bind(id)
                .bind(now)
                .bind(alert.account_id)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<bool, sqlx::Error>(id.is_some())
        }
        .await
        })?;
        Ok(raised)
    }

    /// Notes whether a condition holds now. When it has just begun to hold, the episode to
    /// alert under; when it stops, the next alert gets a new episode. Of two instances seeing
    /// it begin, one gets the episode (the row's lock decides).
    pub async fn observe_condition(
        &self,
        account_id: i64,
        condition: &str,
        holds: bool,
    ) -> Result<Option<i64>, StoreError> {
        if holds {
            Ok(with_pool!(self, |pool| sqlx::query_scalar(
                "INSERT INTO alert_conditions (account_id, condition, active, episode) VALUES ($1, $2, TRUE, 0) \
                 ON CONFLICT (account_id, condition) DO UPDATE SET active = TRUE \
                 WHERE alert_conditions.active = FALSE RETURNING episode"
            )
            .bind(account_id)
            .bind(condition)
            .fetch_optional(pool)
            .await)?)
        } else {
            with_pool!(self, |pool| sqlx::query(
                "UPDATE alert_conditions SET active = FALSE, episode = episode + 1 \
                 WHERE account_id = $1 AND condition = $2 AND active = TRUE"
            )
            .bind(account_id)
            .bind(condition)
            .execute(pool)
            .await
            .map(|_| ()))?;
            Ok(None)
        }
    }

    /// The account's failed runs started since `since` that have not been alerted, with their
    /// site's domain and error.
    pub async fn unalerted_failed_runs(
        &self,
        account_id: i64,
        since: DateTime<Utc>,
    ) -> Result<Vec<(String, String, Option<String>)>, StoreError> {
        Ok(with_pool!(self, |pool| sqlx::query_as(
            "SELECT r.run_id, s.domain, r.error_message FROM runs r JOIN sites s ON s.id = r.site_id \
             WHERE s.account_id = $1 AND r.status = 'failed' AND r.started_at >= $2 \
             AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.account_id = $1 \
                 AND a.dedupe_key = 'run_failed:' || r.run_id) \
             ORDER BY r.started_at"
        )
        .bind(account_id)
        .bind(since)
        .fetch_all(pool)
        .await)?)
    }

    /// The account's newest alerts.
    pub async fn alerts(&self, account_id: i64, limit: u32) -> Result<Vec<Alert>, StoreError> {
        let rows: Vec<AlertRow> = with_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT id, kind, dedupe_key, message, created_at FROM alerts WHERE account_id = $1 ORDER BY id DESC LIMIT $2"
        )
        .bind(account_id)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await
        })?;
        rows.into_iter()
            .map(|(id, kind, key, message, created_at)| {
                let kind =
                    AlertKind::parse(&kind).ok_or_else(|| corrupt(format!("alert {id}"), format!("kind {kind:?}")))?;
                Ok(Alert { id, kind, key, message, created_at })
            })
            .collect()
    }

    /// The account's newest deliveries.
    pub async fn deliveries(&self, account_id: i64, limit: u32) -> Result<Vec<Delivery>, StoreError> {
        let rows: Vec<DeliveryRow> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT id, alert_id, url, state, attempts, last_status, last_error, next_attempt_at, created_at \
             FROM alert_deliveries WHERE account_id = $1 ORDER BY id DESC LIMIT $2"
        )
        .bind(account_id)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|(id, alert_id, url, state, attempts, last_status, last_error, next_attempt_at, created_at)| {
                let state = DeliveryState::parse(&state)
                    .ok_or_else(|| corrupt(format!("delivery {id}"), format!("state {state:?}")))?;
                Ok(Delivery {
                    id,
                    alert_id,
                    url,
                    state,
                    attempts,
                    last_status,
                    last_error,
                    next_attempt_at: (state == DeliveryState::Pending).then_some(next_attempt_at),
                    created_at,
                })
            })
            .collect()
    }

    /// Claims up to `limit` deliveries due at `now`: their next attempt moves to `lease_until`,
    /// so another instance (or a later round) does not send them again meanwhile, and one that
    /// dies mid-attempt is retried when the lease ends.
    pub async fn claim_due_deliveries(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<DueDelivery>, StoreError> {
        let lock = match self {
            Store::Postgres(_) => " FOR UPDATE SKIP LOCKED",
            Store::Sqlite(_) => "",
        };
        let sql = format!(
            "UPDATE alert_deliveries SET next_attempt_at = $2 WHERE id IN (\
                 SELECT id FROM alert_deliveries WHERE state = 'pending' AND next_attempt_at <= $1 \
                 ORDER BY next_attempt_at LIMIT $3{lock}) \
             RETURNING id, alert_id, account_id, url, attempts, created_at"
        );
        let claimed: Vec<(i64, i64, i64, String, i64, DateTime<Utc>)> = with_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(now)
            .bind(lease_until)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await)?;
        let mut due = Vec::with_capacity(claimed.len());
        for (id, alert_id, account_id, url, attempts, created_at) in claimed {
            let (payload, secret): (String, Option<String>) = with_pool!(self, |pool| sqlx::query_as(
                "SELECT a.payload, w.secret FROM alerts a LEFT JOIN alert_webhooks w ON w.account_id = $2 \
                 WHERE a.id = $1"
            )
            .bind(alert_id)
            .bind(account_id)
            .fetch_one(pool)
            .await)?;
            due.push(DueDelivery { id, url, attempts, created_at, payload, secret });
        }
        Ok(due)
    }

    /// Records an attempt: its answer's status (none without one), the error, and what
    /// follows: delivered, another attempt at `next`, or given up (`next` none, not delivered).
    pub async fn record_attempt(
        &self,
        id: i64,
        status: Option<i64>,
        error: Option<&str>,
        outcome: DeliveryState,
        next: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| sqlx::query(
            "UPDATE alert_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3, \
             state = $4, next_attempt_at = $5 WHERE id = $1"
        )
        .bind(id)
        .bind(status)
        .bind(error)
        .bind(outcome.as_str())
        .bind(next)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Keeps a secret for one read by the holder of `id_hash`'s cookie, until `expires_at`.
    pub async fn stash_reveal(
        &self,
        id_hash: &str,
        account_id: i64,
        kind: &str,
        secret: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| sqlx::query(
            "INSERT INTO secret_reveals (id_hash, account_id, kind, secret, expires_at) VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(id_hash)
        .bind(account_id)
        .bind(kind)
        .bind(secret)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Takes the stashed secret (deleting it, and any expired ones), when it is the account's,
    /// of this kind, and has not expired.
    pub async fn take_reveal(
        &self,
        id_hash: &str,
        account_id: i64,
        kind: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        let taken: Option<(String, DateTime<Utc>)> = with_pool!(self, |pool| sqlx::query_as(
            "DELETE FROM secret_reveals WHERE id_hash = $1 AND account_id = $2 AND kind = $3 \
             RETURNING secret, expires_at"
        )
        .bind(id_hash)
        .bind(account_id)
        .bind(kind)
        .fetch_optional(pool)
        .await)?;
        with_pool!(self, |pool| sqlx::query("DELETE FROM secret_reveals WHERE expires_at < $1")
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(taken.filter(|(_, expires_at)| *expires_at > now).map(|(secret, _)| secret))
    }
}
