//! API tokens made and revoked in the app by an owner: the same tokens as `token create`, on
//! record, with the new secret shown once through [`crate::server::reveal`].

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use super::{back_to_settings, TeamFailure};
use crate::domain::team::TokenScope;
use crate::domain::team::{Permission, TokenView, TokensPanel, TOKEN_ERROR_PARAM};
use crate::error::AppError;
use crate::server::auth::{Auth, Caller};
use crate::server::reveal::{self, RevealKind};
use crate::server::state::AppState;

#[derive(Debug, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scope: String,
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    token_id: String,
}

impl Auth {
    /// The owner's token section: every token of the account, newest first, never a secret.
    pub async fn tokens_panel(
        &self,
        caller: &Caller,
        revealed_secret: Option<String>,
        csrf_token: String,
    ) -> Result<TokensPanel, AppError> {
        caller.may(Permission::ManageTeam)?;
        let time = |secs: i64| chrono::DateTime::from_timestamp(secs, 0);
        let mut tokens = Vec::new();
        for row in self.tokens(Some(caller.account_id)).await?.into_iter().rev() {
            let scope = row.scope.parse::<TokenScope>().map_err(|e| {
                tracing::error!(token_id = row.id, error = %e, "stored token scope is invalid");
                AppError::Internal
            })?;
            tokens.push(TokenView {
                id: row.id,
                name: row.name,
                scope,
                created_at: time(row.created_at).unwrap_or_default(),
                last_used_at: row.last_used_at.and_then(time),
                revoked_at: row.revoked_at.and_then(time),
            });
        }
        Ok(TokensPanel { tokens, revealed_secret, csrf_token })
    }
}

/// `POST /settings/tokens/create` (`name`, `scope` read|ingest): back to `?saved=token` with
/// the secret in a reveal cookie, or `?token_error=` `token_name`, `bad_request`, `forbidden`.
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    Form(form): Form<CreateForm>,
) -> Response {
    let outcome = async {
        caller.may(Permission::ManageTeam)?;
        let scope = form.scope.trim().parse::<TokenScope>().map_err(AppError::BadRequest)?;
        state.auth.throttle_form(&caller).await?;
        let (_, secret) = state.auth.create_token(caller.account_id, &form.name, scope, &caller.actor()).await?;
        Ok::<_, TeamFailure>(state.service.stash_secret(caller.scope(), RevealKind::Token, &secret).await?)
    }
    .await;
    match outcome {
        Ok(token) => {
            let mut response = back_to_settings(Ok(()), "token", TOKEN_ERROR_PARAM).into_response();
            reveal::attach(&mut response, RevealKind::Token, &token, &headers);
            response
        }
        Err(e) => back_to_settings(Err(e), "token", TOKEN_ERROR_PARAM).into_response(),
    }
}

/// `POST /settings/tokens/revoke` (`token_id`): a token of the owner's account only; calls with
/// it get 401 from then on.
pub async fn revoke(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<RevokeForm>,
) -> Response {
    let outcome = async {
        caller.may(Permission::ManageTeam)?;
        let id: i64 =
            form.token_id.trim().parse().map_err(|_| AppError::BadRequest("The form names no token.".into()))?;
        state.auth.throttle_form(&caller).await?;
        Ok::<_, TeamFailure>(state.auth.revoke_token(id, Some(caller.account_id), &caller.actor()).await?)
    }
    .await;
    back_to_settings(outcome, "token-revoked", TOKEN_ERROR_PARAM).into_response()
}
