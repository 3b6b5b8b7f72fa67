//! Changing one's password in the app: the current password first, checked under the sign-in
//! throttle (a stolen session cannot guess it faster than the sign-in form could), the new one
//! stored as argon2id, and every other session of the user ended.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{FromRequest, RawForm, Request, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{back_to_settings, TeamFailure};
use crate::domain::auth::{sign_in_locked_for, throttle_forget_before, validate_password};
use crate::domain::team::{TeamError, PASSWORD_ERROR_PARAM};
use crate::error::AppError;
use crate::server::auth::cookies::{self, SESSION_COOKIE};
use crate::server::auth::middleware::client_address;
use crate::server::auth::{internal, secrets, verify_off_thread, Auth, Caller};
use crate::server::state::AppState;

/// What the form sends.
#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_again: String,
}

impl Auth {
    /// Sets the signed-in user's new password when `current` is theirs, and ends their other
    /// sessions (the one in `session_id` stays). Returns how many sessions ended. A wrong
    /// current password counts as a failed sign-in of the user's email and address.
    pub async fn change_password(
        &self,
        caller: &Caller,
        session_id: &str,
        form: &PasswordForm,
        address: Option<IpAddr>,
    ) -> Result<u64, TeamFailure> {
        let user = caller.user.as_ref().ok_or(AppError::Unauthorized)?;
        if form.new_password != form.new_password_again {
            return Err(TeamError::PasswordsDiffer.into());
        }
        validate_password(&form.new_password).map_err(|_| TeamError::WeakPassword)?;
        let address = address.map(|a| a.to_canonical().to_string());
        let now = self.now();
        let store = self.store();
        let failures = store.sign_in_failures(&user.email, address.as_deref(), throttle_forget_before(now)).await?;
        if sign_in_locked_for(&failures.by_email, &failures.by_address, now).is_some() {
            return Err(AppError::TooManyRequests.into());
        }
        let attempt = store.file_sign_in_failure(&user.email, address.as_deref(), now).await?;
        let (_, stored) = store.password_of(caller.account_id, user.id).await?.ok_or(AppError::Unauthorized)?;
        if !verify_off_thread(form.current_password.clone(), Arc::from(stored)).await? {
            tracing::info!(user_id = user.id, "password change: wrong current password");
            return Err(TeamError::WrongPassword.into());
        }
        store.forgive_sign_in(&user.email, &attempt).await?;
        let new = form.new_password.clone();
        let hash = tokio::task::spawn_blocking(move || secrets::hash_password(&new))
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "password hash panicked");
                AppError::Internal
            })?
            .map_err(internal("password hash"))?;
        let keep = secrets::secret_hash(session_id);
        let ended = store.change_password(caller.account_id, user.id, &hash, &keep, now).await??;
        tracing::info!(user_id = user.id, sessions_ended = ended, "password changed");
        Ok(ended)
    }
}

/// `POST /settings/password`: back to `?saved=password`, or `?password_error=` with
/// `wrong_password`, `passwords_differ`, `weak_password` or `rate_limited`.
pub async fn submit(State(state): State<AppState>, request: Request) -> Response {
    let address = client_address(request.extensions());
    let session = cookies::get(request.headers(), SESSION_COOKIE).map(str::to_string);
    let caller = request.extensions().get::<Caller>().cloned();
    let form: PasswordForm = match RawForm::from_request(request, &state).await {
        Ok(RawForm(bytes)) => serde_urlencoded::from_bytes(&bytes).unwrap_or_default(),
        Err(rejection) => return rejection.into_response(),
    };
    let outcome = async {
        let (caller, session) = caller.zip(session).ok_or(AppError::Unauthorized)?;
        state.auth.throttle_form(&caller).await?;
        state.auth.change_password(&caller, &session, &form, address).await.map(|_| ())
    }
    .await;
    back_to_settings(outcome, "password", PASSWORD_ERROR_PARAM).into_response()
}
