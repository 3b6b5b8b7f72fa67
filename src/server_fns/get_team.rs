use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::team::TeamPanel;
use crate::error::AppError;

/// The team section of the settings, for owners (`None` for other roles): the account's users
/// with role and last sign-in, open invitations, and the link of an invitation just made, once
/// (see `server::reveal`).
#[server(prefix = "/sfn", endpoint = "get_team", input = GetUrl)]
pub async fn get_team() -> Result<Option<TeamPanel>, AppError> {
    super::answer(async move {
        use crate::domain::team::Permission;
        use crate::server::reveal::{take_revealed, RevealKind};
        let caller = super::caller()?;
        if caller.may(Permission::ManageTeam).is_err() {
            return Ok(None);
        }
        let state = super::app_state()?;
        let link = take_revealed(&state.service, caller.scope(), RevealKind::Invitation).await?;
        Ok(Some(state.auth.team_panel(&caller, link, super::csrf_token()?).await?))
    })
    .await
}
