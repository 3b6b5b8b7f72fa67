//! Response headers that keep the browser from doing what the app never asks for: running
//! scripts or styles from anywhere but this server, being framed, sniffing types, or leaking
//! full URLs to other sites.

use axum::extract::Request;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// The policy of every response. Pages add a per-response nonce for the inline hydration
/// scripts that Leptos writes ([`PageNonce`]); `'wasm-unsafe-eval'` lets the app's own
/// WebAssembly compile, and nothing else runs.
pub fn policy(nonce: Option<&str>) -> String {
    let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'{nonce} 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// Where a page's render leaves the nonce of its inline scripts, for [`add`] to put in the
/// policy. Carried on the request rather than through `leptos_axum::ResponseOptions`, whose
/// headers were seen missing from a loaded server's page now and then: the browser then
/// blocked the hydration scripts and the page never hydrated.
#[derive(Clone, Debug, Default)]
pub struct PageNonce(pub std::sync::Arc<std::sync::OnceLock<String>>);

pub async fn add(mut request: Request, next: Next) -> Response {
    let https = crate::server::auth::cookies::over_https(request.headers());
    let page_nonce = PageNonce::default();
    request.extensions_mut().insert(page_nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let page_policy = page_nonce.0.get().map(|nonce| policy(Some(nonce)));
    if let Some(page_policy) = page_policy {
        headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_str(&page_policy).expect("ASCII policy"));
    } else if !headers.contains_key(CONTENT_SECURITY_POLICY) {
        headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_str(&policy(None)).expect("ASCII policy"));
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    headers.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if https {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    response
}
