//! The settings page's webhook form: a plain form post (CSRF checked by the gate), answered
//! with a redirect back to the settings page, so it works with JavaScript off.
//!
//! The new signing secret must be shown once and never travel in a URL: it is stashed in the
//! store under the hash of a random token, the token goes in a short-lived HttpOnly,
//! SameSite=Strict cookie (`ar_reveal`, 10 minutes), and `get_alerts` hands the secret out on
//! its first read by the same account, deleting it and the cookie.

use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use crate::domain::alerts::ALERTS_ERROR_PARAM;
use crate::domain::budget::{SAVED_PARAM, SETTINGS_PATH};
use crate::error::AppError;
use crate::server::auth::cookies::over_https;
use crate::server::auth::Caller;
use crate::server::budget::forms::may_change_settings;
use crate::server::state::AppState;

/// The cookie that lets the settings page show a new secret once.
pub const REVEAL_COOKIE: &str = "ar_reveal";

#[derive(Debug, Deserialize)]
pub struct AlertsForm {
    /// http(s) URL; empty removes the webhook.
    #[serde(default)]
    webhook_url: String,
}

fn reveal_cookie(token: &str, secure: bool) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    let max_age = super::REVEAL_FOR.num_seconds();
    HeaderValue::from_str(&format!(
        "{REVEAL_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .ok()
}

/// Sets (with a new secret, shown once on the settings page) or removes the webhook, then goes
/// back to `/settings?saved=alerts`, or to `/settings?alerts_error=<the API's error code>`
/// (`bad_request` for a URL that is not http(s) or a host the operator does not allow).
pub async fn submit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    Form(form): Form<AlertsForm>,
) -> Response {
    let url = form.webhook_url.trim();
    let outcome = async {
        may_change_settings(&caller)?;
        let set = state.service.set_webhook(caller.scope(), (!url.is_empty()).then_some(url)).await?;
        match &set.secret {
            Some(secret) => Ok::<_, AppError>(Some(state.service.stash_secret(caller.scope(), secret).await?)),
            None => Ok(None),
        }
    }
    .await;
    match outcome {
        Ok(token) => {
            let mut response = Redirect::to(&format!("{SETTINGS_PATH}?{SAVED_PARAM}=alerts")).into_response();
            if let Some(cookie) = token.and_then(|t| reveal_cookie(&t, over_https(&headers))) {
                response.headers_mut().append(SET_COOKIE, cookie);
            }
            response
        }
        Err(e) => {
            tracing::info!(error = %e, "webhook not set");
            Redirect::to(&format!("{SETTINGS_PATH}?{ALERTS_ERROR_PARAM}={}", e.code())).into_response()
        }
    }
}
