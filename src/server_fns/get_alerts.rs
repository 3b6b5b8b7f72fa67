use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::alerts::AlertsPanel;
use crate::error::AppError;

/// The account's webhook, recent alerts (the in-app notice list) and the delivery log with
/// status codes, with the CSRF token of the webhook form (`POST /settings/alerts`).
///
/// After that form set a webhook, `revealed_secret` carries its new signing secret on this
/// first call and never again: the form left a short-lived HttpOnly cookie (`ar_reveal`) whose
/// token names the stashed secret; this call takes the secret out of the store (deleting it)
/// and clears the cookie. The secret never appears in a URL.
#[server(prefix = "/sfn", endpoint = "get_alerts", input = GetUrl)]
pub async fn get_alerts() -> Result<AlertsPanel, AppError> {
    super::answer(async move {
        use crate::server::alerts::forms::REVEAL_COOKIE;
        let (service, scope) = super::context()?;
        let token = leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|parts| crate::server::auth::cookies::get(&parts.headers, REVEAL_COOKIE).map(str::to_string));
        let revealed_secret = match token {
            Some(token) => {
                if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                    response.append_header(
                        axum::http::header::SET_COOKIE,
                        axum::http::HeaderValue::from_static(
                            "ar_reveal=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
                        ),
                    );
                }
                service.take_secret(scope, &token).await?
            }
            None => None,
        };
        Ok(AlertsPanel { alerts: service.alerts(scope).await?, revealed_secret, csrf_token: super::csrf_token()? })
    })
    .await
}
