//! The first thing a request meets: decides who the client is. Behind a trusted proxy (the
//! `trusted_proxies` setting) the client is the one `X-Forwarded-For` names and HTTPS is what
//! `X-Forwarded-Proto` says; from anyone else those headers are removed, so nothing further in
//! (the sign-in throttle, Secure cookies, HSTS, the Origin check) can be fooled by them.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::FORWARDED;
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;

use crate::domain::proxy::TrustedProxies;

/// The client's address as [`resolve`] decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

pub const X_FORWARDED_FOR: &str = "x-forwarded-for";
pub const X_FORWARDED_PROTO: &str = "x-forwarded-proto";
const X_FORWARDED_HOST: &str = "x-forwarded-host";

fn strip_forwarding(headers: &mut HeaderMap) {
    for name in [X_FORWARDED_FOR, X_FORWARDED_PROTO, X_FORWARDED_HOST, FORWARDED.as_str()] {
        headers.remove(name);
    }
}

pub async fn resolve(State(trusted): State<Arc<TrustedProxies>>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip());
    match peer {
        Some(peer) if trusted.trusts(peer) => {
            let forwarded_for: Vec<&str> =
                request.headers().get_all(X_FORWARDED_FOR).iter().filter_map(|v| v.to_str().ok()).collect();
            let client = trusted.client_address(peer, &forwarded_for);
            request.extensions_mut().insert(ClientAddress(client));
        }
        Some(peer) => {
            strip_forwarding(request.headers_mut());
            request.extensions_mut().insert(ClientAddress(peer.to_canonical()));
        }
        // No socket (a router driven in-process): nobody to trust.
        None => strip_forwarding(request.headers_mut()),
    }
    next.run(request).await
}
