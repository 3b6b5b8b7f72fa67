use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::alerts::AlertsPanel;
use crate::error::AppError;

/// The account's webhook, recent alerts (the in-app notice list) and the delivery log with
/// status codes, with the CSRF token of the webhook form (`POST /settings/alerts`) and whether
/// the caller's role may use it.
///
/// After that form set a webhook, `revealed_secret` carries its new signing secret on this
/// first call and never again (see `server::reveal`); the secret never appears in a URL.
#[server(prefix = "/sfn", endpoint = "get_alerts", input = GetUrl)]
pub async fn get_alerts() -> Result<AlertsPanel, AppError> {
    super::answer(async move {
        use crate::domain::team::Permission;
        use crate::server::reveal::{take_revealed, RevealKind};
        let (service, scope) = super::context()?;
        let can_change = super::caller()?.may(Permission::ChangeSettings).is_ok();
        let revealed_secret = take_revealed(&service, scope, RevealKind::Webhook).await?;
        Ok(AlertsPanel {
            alerts: service.alerts(scope).await?,
            revealed_secret,
            can_change,
            csrf_token: super::csrf_token()?,
        })
    })
    .await
}
