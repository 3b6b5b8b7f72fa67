use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::team::TokensPanel;
use crate::error::AppError;

/// The API tokens section of the settings, for owners (`None` for other roles): the account's
/// tokens with their last use, and a token just made, once (see `server::reveal`).
#[server(prefix = "/sfn", endpoint = "get_tokens", input = GetUrl)]
pub async fn get_tokens() -> Result<Option<TokensPanel>, AppError> {
    super::answer(async move {
        use crate::domain::team::Permission;
        use crate::server::reveal::{take_revealed, RevealKind};
        let caller = super::caller()?;
        if caller.may(Permission::ManageTeam).is_err() {
            return Ok(None);
        }
        let state = super::app_state()?;
        let secret = take_revealed(&state.service, caller.scope(), RevealKind::Token).await?;
        Ok(Some(state.auth.tokens_panel(&caller, secret, super::csrf_token()?).await?))
    })
    .await
}
