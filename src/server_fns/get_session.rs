use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::auth::SessionView;
use crate::error::AppError;

/// The signed-in user, for the page header; `None` on pages open to anyone (sign-in).
#[server(prefix = "/sfn", endpoint = "get_session", input = GetUrl)]
pub async fn get_session() -> Result<Option<SessionView>, AppError> {
    use crate::server::auth::{Caller, CsrfToken};
    let caller = super::request_extension::<Caller>();
    let csrf = super::request_extension::<CsrfToken>();
    Ok(caller.zip(csrf).and_then(|(caller, CsrfToken(csrf_token))| {
        caller.user.map(|user| SessionView {
            email: user.email,
            account_name: user.account_name,
            role: user.role,
            csrf_token,
        })
    }))
}
