//! Puts lapsed claims back to pending while the server runs, so that pages show a request
//! whose engine died as waiting again without any engine having to claim first. Claims also
//! put them back, so a missed sweep costs nothing but a late page update.

use std::time::Duration;

use crate::server::events::EventHub;
use crate::server::service::Service;

/// Well under the 10-minute claim timeout: a lapsed claim shows as pending within this.
const SWEEP_EVERY: Duration = Duration::from_secs(30);

pub fn start(service: Service, events: EventHub) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(SWEEP_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match service.expire_lapsed_claims().await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(requests = n, "lapsed claims returned to pending");
                    events.written();
                }
                // The database may be away for a while; the next sweep tries again.
                Err(e) => tracing::debug!(error = %e, "claim sweep failed"),
            }
        }
    });
}
