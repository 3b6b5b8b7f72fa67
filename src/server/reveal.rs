//! Secrets shown once, after a plain form post: a webhook's signing secret, a new API token, an
//! invitation link. None may travel in a URL (logs, history, Referer), so the form stashes the
//! secret in the store under the hash of a random token, puts that token in a short-lived
//! HttpOnly, SameSite=Strict cookie of its kind, and redirects; the settings page's server
//! function then takes the secret out once (deleting it) and clears the cookie.

use axum::http::header::SET_COOKIE;
use axum::http::HeaderValue;
use axum::response::Response;
use chrono::Duration;

use crate::domain::scope::Scope;
use crate::error::AppError;
use crate::server::auth::cookies::{self, over_https};
use crate::server::auth::secrets::{random_secret, secret_hash};
use crate::server::budget::account_of;
use crate::server::service::Service;

/// How long a stashed secret waits for the page to show it.
pub const REVEAL_FOR: Duration = Duration::minutes(10);

/// Which secret a cookie reveals: each kind has a cookie of its own, so showing one never
/// consumes another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevealKind {
    Webhook,
    Token,
    Invitation,
}

impl RevealKind {
    pub fn cookie(self) -> &'static str {
        match self {
            RevealKind::Webhook => "ar_reveal",
            RevealKind::Token => "ar_reveal_token",
            RevealKind::Invitation => "ar_reveal_invite",
        }
    }

    /// The name the store files it under.
    pub fn as_str(self) -> &'static str {
        match self {
            RevealKind::Webhook => "webhook",
            RevealKind::Token => "token",
            RevealKind::Invitation => "invitation",
        }
    }

    fn set_cookie(self, token: &str, secure: bool) -> Option<HeaderValue> {
        let secure = if secure { "; Secure" } else { "" };
        let (name, max_age) = (self.cookie(), REVEAL_FOR.num_seconds());
        HeaderValue::from_str(&format!("{name}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"))
            .ok()
    }

    fn clear_cookie(self) -> Option<HeaderValue> {
        HeaderValue::from_str(&format!("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", self.cookie())).ok()
    }
}

impl Service {
    /// Keeps `secret` for the account's settings page to show once; returns the cookie's token
    /// (only its hash is stored).
    pub async fn stash_secret(&self, scope: Scope, kind: RevealKind, secret: &str) -> Result<String, AppError> {
        let account = account_of(scope)?;
        let token = random_secret();
        self.store()
            .stash_reveal(&secret_hash(&token), account, kind.as_str(), secret, self.now() + REVEAL_FOR)
            .await?;
        Ok(token)
    }

    /// The secret of this kind kept under `token`, once: it is deleted as it is read.
    pub async fn take_secret(&self, scope: Scope, kind: RevealKind, token: &str) -> Result<Option<String>, AppError> {
        let account = account_of(scope)?;
        Ok(self.store().take_reveal(&secret_hash(token), account, kind.as_str(), self.now()).await?)
    }
}

/// Adds the cookie that lets the next settings page show the secret stashed under `token`.
pub fn attach(response: &mut Response, kind: RevealKind, token: &str, request_headers: &axum::http::HeaderMap) {
    if let Some(cookie) = kind.set_cookie(token, over_https(request_headers)) {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
}

/// In a server function: the secret of this kind the request's cookie reveals, taken out of the
/// store, with the cookie cleared on the response; `None` without such a cookie.
pub async fn take_revealed(service: &Service, scope: Scope, kind: RevealKind) -> Result<Option<String>, AppError> {
    let token = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| cookies::get(&parts.headers, kind.cookie()).map(str::to_string));
    let Some(token) = token else { return Ok(None) };
    if let (Some(response), Some(clear)) =
        (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), kind.clear_cookie())
    {
        response.append_header(SET_COOKIE, clear);
    }
    service.take_secret(scope, kind, &token).await
}
