use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::team::InvitationView;
use crate::error::AppError;

/// What an invitation link (`/join/<token>`) says: open (for whom, which account and role),
/// used, expired or unknown; with the CSRF token of its form. Open to anyone holding the link.
#[server(prefix = "/sfn", endpoint = "get_invitation", input = GetUrl)]
pub async fn get_invitation(token: String) -> Result<InvitationView, AppError> {
    super::answer(async move {
        let state = super::app_state()?;
        let crate::server::auth::CsrfToken(csrf_token) = super::request_extension::<crate::server::auth::CsrfToken>()
            .ok_or_else(|| {
            tracing::error!("invitation page rendered without a CSRF token");
            AppError::Internal
        })?;
        state.auth.invitation(&token, csrf_token).await
    })
    .await
}
