//! Sends queued alert deliveries to the accounts' webhooks, off every request: a background
//! task started with the server runs [`Service::deliver_due`] when an alert is raised and every
//! few seconds. State lives in the table, so a restart loses none, and a claimed delivery is
//! leased, so two instances never send it at the same time.
//!
//! Each body is signed: `X-Automation-Signature: sha256=<hex HMAC-SHA256 of the body, keyed
//! with the account's secret>`. A timeout, a refused connection or a non-2xx answer is retried
//! with growing waits ([`next_attempt`]) for 24 hours, then given up.

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::future::join_all;
use sha2::{Digest, Sha256};

use crate::domain::alerts::{next_attempt, DeliveryState};
use crate::error::AppError;
use crate::server::db::DueDelivery;
use crate::server::service::Service;

pub const SIGNATURE_HEADER: &str = "x-automation-signature";
/// A receiver gets this long to answer.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);
/// Deliveries sent at once.
const BATCH: u32 = 16;
/// Longer than an attempt can take: a delivery claimed by an instance that died is due again
/// after this.
const LEASE: chrono::Duration = chrono::Duration::seconds(60);
/// How often the task looks for due retries when nothing wakes it.
const POLL_EVERY: Duration = Duration::from_secs(2);

/// HMAC-SHA256 (RFC 2104) of `body` keyed with `key`, in lower-case hex.
pub fn signature(key: &[u8], body: &[u8]) -> String {
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(body).finalize();
    let outer = Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize();
    outer.iter().map(|b| format!("{b:02x}")).collect()
}

/// The client deliveries go through: a short timeout, and no redirects (a receiver must not
/// bounce the request to a host the allow list leaves out).
pub fn webhook_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(DELIVERY_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("automation-runs-alerts")
        .build()
        .expect("a client without TLS settings builds")
}

/// What one attempt came to: the answer's status, or why there was none.
async fn attempt(client: &reqwest::Client, delivery: &DueDelivery) -> Result<u16, String> {
    let Some(secret) = &delivery.secret else { return Err("the webhook was removed".into()) };
    let response = client
        .post(&delivery.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, format!("sha256={}", signature(secret.as_bytes(), delivery.payload.as_bytes())))
        .body(delivery.payload.clone())
        .send()
        .await
        .map_err(|e| if e.is_timeout() { "timed out".to_string() } else { format!("not delivered: {e}") })?;
    Ok(response.status().as_u16())
}

impl Service {
    /// Sends the deliveries due at `now` and records each attempt. Returns how many were tried.
    pub async fn deliver_due(&self, now: DateTime<Utc>) -> Result<usize, AppError> {
        let due = self.store().claim_due_deliveries(now, now + LEASE, BATCH).await?;
        let client = self.webhook_client();
        let results = join_all(due.iter().map(|d| attempt(client, d))).await;
        for (delivery, result) in due.iter().zip(results) {
            let (status, error) = match result {
                Ok(status) if (200..300).contains(&status) => {
                    self.store()
                        .record_attempt(delivery.id, Some(i64::from(status)), None, DeliveryState::Delivered, now)
                        .await?;
                    continue;
                }
                Ok(status) => (Some(i64::from(status)), format!("answered {status}")),
                Err(error) => (None, error),
            };
            let gone = delivery.secret.is_none();
            let next = if gone { None } else { next_attempt(delivery.created_at, delivery.attempts + 1, now) };
            let (state, at) = match next {
                Some(at) => (DeliveryState::Pending, at),
                None => (DeliveryState::GivenUp, now),
            };
            tracing::info!(delivery = delivery.id, %error, state = state.as_str(), "alert delivery failed");
            self.store().record_attempt(delivery.id, status, Some(&error), state, at).await?;
        }
        Ok(due.len())
    }
}

/// Starts the delivery task: it wakes when an alert is raised, and polls for retries.
pub fn start(service: Service) {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = service.outbox_woken() => {}
                _ = tokio::time::sleep(POLL_EVERY) => {}
            }
            // A full batch may leave more due: go on until a round sends less.
            loop {
                match service.deliver_due(service.now()).await {
                    Ok(n) if n == BATCH as usize => continue,
                    Ok(_) => break,
                    // The database may be away for a while; the next round tries again.
                    Err(e) => {
                        tracing::debug!(error = %e, "alert delivery round failed");
                        break;
                    }
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_rfc_4231_hmac_sha256() {
        // RFC 4231, test cases 2 and 6 (a key longer than the block).
        assert_eq!(
            signature(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            signature(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }
}
