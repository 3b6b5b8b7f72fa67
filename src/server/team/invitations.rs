//! Invitations: with no mail server, an owner (or `user invite`) makes a one-time link, valid
//! for 7 days, and passes it on; the invitee sets a password on it and becomes a user with the
//! invited role. Only the hash of the link's token is stored, and the owner sees the link once.

use std::net::IpAddr;

use axum::extract::{FromRequest, RawForm, Request, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use super::{back_to_settings, TeamFailure};
use crate::domain::auth::{validate_email, validate_password};
use crate::domain::team::{
    invitation_state, InvitationState, InvitationView, Permission, Role, TeamError, INVITATION_VALID_SECS,
    JOINED_NOTICE, TEAM_ERROR_PARAM,
};
use crate::error::AppError;
use crate::paths::{JOIN, SIGN_IN};
use crate::server::auth::cookies::over_https;
use crate::server::auth::middleware::client_address;
use crate::server::auth::{internal, secrets, Auth, Caller};
use crate::server::db::writes::{Joined, NewInvitation};
use crate::server::reveal::{self, RevealKind};
use crate::server::state::AppState;

/// The link an invitee opens: `<base>/join/<token>`.
pub fn invitation_link(base: &str, token: &str) -> String {
    format!("{}{JOIN}/{token}", base.trim_end_matches('/'))
}

/// This server as the request reached it (scheme and Host), for links made in the app.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if over_https(headers) { "https" } else { "http" };
    format!("{scheme}://{host}")
}

impl Auth {
    /// A new invitation to `account_id` for `email` with `role`, on record as `actor`'s; returns
    /// the link's token, which is never stored.
    pub async fn invite(&self, account_id: i64, email: &str, role: Role, actor: &str) -> Result<String, TeamFailure> {
        let email = validate_email(email).map_err(|_| TeamError::InvalidEmail)?;
        self.require_account(account_id).await?;
        let token = secrets::random_secret();
        let now = self.now();
        let new = NewInvitation {
            account_id,
            email: &email,
            role,
            token_hash: &secrets::secret_hash(&token),
            invited_by: actor,
            expires_at: now + INVITATION_VALID_SECS,
        };
        self.store().create_invitation(new, now).await??;
        tracing::info!(account_id, role = role.as_str(), "invitation made");
        Ok(token)
    }

    /// What the invitation page shows for a link's token.
    pub async fn invitation(&self, token: &str, csrf_token: String) -> Result<InvitationView, AppError> {
        let unknown =
            InvitationView { state: InvitationState::Unknown, email: None, account_name: None, role: None, csrf_token };
        if !secrets::well_formed(token) {
            return Ok(unknown);
        }
        let Some(row) = self.store().invitation(&secrets::secret_hash(token)).await? else { return Ok(unknown) };
        let state = invitation_state(row.expires_at, row.accepted_at, self.now());
        let open = state == InvitationState::Open;
        Ok(InvitationView {
            state,
            email: open.then_some(row.email),
            account_name: open.then_some(row.account_name),
            role: if open { Role::parse(&row.role) } else { None },
            ..unknown
        })
    }

    /// Uses the invitation once: a new user with the invited role and this password. Counted
    /// against the client's address by the form throttle, used or not.
    pub async fn accept_invitation(
        &self,
        token: &str,
        password: &str,
        password_again: &str,
        address: Option<IpAddr>,
    ) -> Result<Joined, TeamFailure> {
        let address = address.map_or_else(|| "unknown".to_string(), |a| a.to_canonical().to_string());
        self.throttle_subject(&format!("address:{address}")).await?;
        if !secrets::well_formed(token) {
            return Err(TeamError::InvitationUnknown.into());
        }
        if password != password_again {
            return Err(TeamError::PasswordsDiffer.into());
        }
        validate_password(password).map_err(|_| TeamError::WeakPassword)?;
        let owned = password.to_string();
        let hash = tokio::task::spawn_blocking(move || secrets::hash_password(&owned))
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "password hash panicked");
                AppError::Internal
            })?
            .map_err(internal("password hash"))?;
        let joined = self.store().accept_invitation(&secrets::secret_hash(token), &hash, self.now()).await??;
        tracing::info!(user_id = joined.user_id, account_id = joined.account_id, "invitation accepted");
        Ok(joined)
    }
}

#[derive(Debug, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

/// `POST /settings/team/invite` (`email`, `role`): back to `?saved=invite` with the link in a
/// reveal cookie, or `?team_error=` `invalid_email`, `already_user`, `forbidden`.
pub async fn invite(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    Form(form): Form<InviteForm>,
) -> Response {
    let outcome = async {
        caller.may(Permission::ManageTeam)?;
        let role = Role::parse(&form.role).ok_or_else(|| AppError::BadRequest("Choose a role.".into()))?;
        state.auth.throttle_form(&caller).await?;
        let token = state.auth.invite(caller.account_id, &form.email, role, &caller.actor()).await?;
        let link = invitation_link(&base_url(&headers), &token);
        Ok::<_, TeamFailure>(state.service.stash_secret(caller.scope(), RevealKind::Invitation, &link).await?)
    }
    .await;
    match outcome {
        Ok(token) => {
            let mut response = back_to_settings(Ok(()), "invite", TEAM_ERROR_PARAM).into_response();
            reveal::attach(&mut response, RevealKind::Invitation, &token, &headers);
            response
        }
        Err(e) => back_to_settings(Err(e), "invite", TEAM_ERROR_PARAM).into_response(),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct JoinForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

/// `POST /join` (`token`, `password`, `password_again`), open to anyone with the link: on to
/// the sign-in form, which says the account is ready, or back to the link's page with
/// `?error=<code>` (`invitation_used`, `invitation_expired`, `weak_password`, …).
pub async fn join(State(state): State<AppState>, request: Request) -> Response {
    let address = client_address(request.extensions());
    let form: JoinForm = match RawForm::from_request(request, &state).await {
        Ok(RawForm(bytes)) => serde_urlencoded::from_bytes(&bytes).unwrap_or_default(),
        Err(rejection) => return rejection.into_response(),
    };
    match state.auth.accept_invitation(&form.token, &form.password, &form.password_again, address).await {
        Ok(_) => Redirect::to(&format!("{SIGN_IN}?notice={JOINED_NOTICE}")).into_response(),
        Err(e) => {
            tracing::info!(error = %e, "invitation not accepted");
            // The token is the link the invitee opened already; an unusable one goes nowhere.
            let back = if secrets::well_formed(&form.token) { form.token.as_str() } else { "invalid" };
            Redirect::to(&format!("{JOIN}/{back}?error={}", e.code())).into_response()
        }
    }
}
