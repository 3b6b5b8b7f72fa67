use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::team::AuditEntry;
use crate::error::AppError;

/// The account's last 100 changes on record, for owners (`None` for other roles).
#[server(prefix = "/sfn", endpoint = "get_audit", input = GetUrl)]
pub async fn get_audit() -> Result<Option<Vec<AuditEntry>>, AppError> {
    super::answer(async move {
        let caller = super::caller()?;
        if caller.may(crate::domain::team::Permission::ManageTeam).is_err() {
            return Ok(None);
        }
        Ok(Some(super::app_state()?.auth.audit_log(&caller).await?))
    })
    .await
}
