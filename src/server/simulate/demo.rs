//! `serve --demo` keeps its demo moving: one simulator per demo account against the app's own
//! address, with an `ingest` token made for it at start and revoked when the server stops. The
//! demo's running run goes on at once, and each site gets a scheduled run every few minutes, so
//! whoever opens the demo sees the pages live.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use super::{spawn, Options, Simulator, Speed};
use crate::domain::team::Role;
use crate::domain::team::TokenScope;
use crate::server::auth::Auth;

/// Who the audit log names for the demo engines' tokens.
const DEMO_ACTOR: &str = "demo engine";

/// A run of ~40 minutes of engine time takes about two minutes.
const DEMO_SPEED: f64 = 20.0;
/// Per site, staggered across the account's sites: three runs' length, so that some site of the
/// account is usually moving, and a visitor finds each site free for "Run now" most of the time
/// (one run at a time per site).
const DEMO_SCHEDULE_EVERY: Duration = Duration::from_secs(360);

/// The demo's simulators, and the tokens made for them.
pub struct DemoEngines {
    auth: Auth,
    engines: Vec<(i64, Simulator)>,
}

/// Where a client of this process reaches it: a server bound to every address is on loopback.
fn reachable(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::new(Ipv4Addr::LOCALHOST.into(), addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => SocketAddr::new(Ipv6Addr::LOCALHOST.into(), addr.port()),
        _ => addr,
    }
}

/// Starts a simulator for each demo account against the server at `addr`.
pub async fn start(auth: &Auth, addr: SocketAddr) -> anyhow::Result<DemoEngines> {
    let url = format!("http://{}", reachable(addr));
    let speed = Speed::new(DEMO_SPEED).expect("a positive speed");
    let mut engines = Vec::new();
    // One engine per account: its owner's entry stands for it.
    for user in auth.demo_users().iter().filter(|u| u.role == Role::Owner) {
        let (token_id, token) =
            auth.create_token(user.account_id, "demo engine", TokenScope::Ingest, DEMO_ACTOR).await?;
        let options = Options {
            url: url.clone(),
            token,
            speed,
            sites: Vec::new(),
            schedule_every: Some(DEMO_SCHEDULE_EVERY),
            failures: true,
        };
        engines.push((token_id, spawn(options)?));
    }
    Ok(DemoEngines { auth: auth.clone(), engines })
}

impl DemoEngines {
    /// Stops the simulators (their runs stay running, for the next start to carry on) and
    /// revokes their tokens.
    pub async fn stop(self) {
        for (token_id, simulator) in self.engines {
            if let Err(e) = simulator.stop().await {
                tracing::warn!(error = %e, "a demo engine stopped with an error");
            }
            if let Err(e) = self.auth.revoke_token(token_id, None, DEMO_ACTOR).await {
                tracing::warn!(error = %e, token_id, "the demo engine's token could not be revoked");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_on_every_address_is_reached_on_loopback() {
        assert_eq!(reachable("0.0.0.0:3000".parse().unwrap()), "127.0.0.1:3000".parse().unwrap());
        assert_eq!(reachable("[::]:3000".parse().unwrap()), "[::1]:3000".parse().unwrap());
        assert_eq!(reachable("10.0.0.5:3000".parse().unwrap()), "10.0.0.5:3000".parse().unwrap());
    }
}
