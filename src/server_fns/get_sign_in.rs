use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::auth::SignInView;
use crate::error::AppError;

/// The sign-in form's CSRF token and, in demo mode only, the demo accounts' sign-ins.
#[server(prefix = "/sfn", endpoint = "get_sign_in", input = GetUrl)]
pub async fn get_sign_in() -> Result<SignInView, AppError> {
    use crate::domain::auth::DemoSignIn;
    use crate::server::auth::CsrfToken;
    let state = super::app_state()?;
    let CsrfToken(csrf_token) = super::request_extension::<CsrfToken>().ok_or_else(|| {
        tracing::error!("sign-in form rendered without a CSRF token");
        AppError::Internal
    })?;
    let demo_accounts = state
        .auth
        .demo_users()
        .iter()
        .map(|u| DemoSignIn {
            account_name: u.account_name.into(),
            email: u.email.into(),
            password: u.password.into(),
            role: u.role,
        })
        .collect();
    Ok(SignInView { csrf_token, demo_accounts })
}
