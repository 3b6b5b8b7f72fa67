//! The settings page's webhook form: a plain form post (CSRF checked by the gate), answered
//! with a redirect back to the settings page, so it works with JavaScript off. The new signing
//! secret is shown once through [`crate::server::reveal`], never in a URL.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use crate::domain::alerts::ALERTS_ERROR_PARAM;
use crate::domain::budget::SAVED_PARAM;
use crate::domain::team::Permission;
use crate::error::AppError;
use crate::paths::SETTINGS;
use crate::server::auth::Caller;
use crate::server::reveal::{self, RevealKind};
use crate::server::state::AppState;

#[derive(Debug, Deserialize)]
pub struct AlertsForm {
    /// http(s) URL; empty removes the webhook.
    #[serde(default)]
    webhook_url: String,
}

/// Sets (with a new secret, shown once on the settings page) or removes the webhook, then goes
/// back to `/settings?saved=alerts`, or to `/settings?alerts_error=<the API's error code>`
/// (`bad_request` for a URL that is not http(s) or a host the operator does not allow,
/// `forbidden` for a role that may not change settings).
pub async fn submit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    Form(form): Form<AlertsForm>,
) -> Response {
    let url = form.webhook_url.trim();
    let outcome = async {
        caller.may(Permission::ChangeSettings)?;
        state.auth.throttle_form(&caller).await?;
        let set = state.service.set_webhook(caller.scope(), (!url.is_empty()).then_some(url), &caller.actor()).await?;
        match &set.secret {
            Some(secret) => {
                Ok::<_, AppError>(Some(state.service.stash_secret(caller.scope(), RevealKind::Webhook, secret).await?))
            }
            None => Ok(None),
        }
    }
    .await;
    match outcome {
        Ok(token) => {
            let mut response = Redirect::to(&format!("{SETTINGS}?{SAVED_PARAM}=alerts")).into_response();
            if let Some(token) = token {
                reveal::attach(&mut response, RevealKind::Webhook, &token, &headers);
            }
            response
        }
        Err(e) => {
            tracing::info!(error = %e, "webhook not set");
            Redirect::to(&format!("{SETTINGS}?{ALERTS_ERROR_PARAM}={}", e.code())).into_response()
        }
    }
}
