use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::budget::BudgetPanel;
use crate::error::AppError;

/// The account's monthly budget (month-to-date spend, projection, status), and whether a run
/// now of `site_id` (the account's first site when none) would take the month past it, with the
/// CSRF token of the budget form (`POST /settings/budget`) and whether the caller's role may use it.
#[server(prefix = "/sfn", endpoint = "get_budget", input = GetUrl)]
pub async fn get_budget(site_id: Option<i64>) -> Result<BudgetPanel, AppError> {
    super::answer(async move {
        let (service, scope) = super::context()?;
        let can_change = super::caller()?.may(crate::domain::team::Permission::ChangeSettings).is_ok();
        service.budget_panel(scope, site_id, super::csrf_token()?, can_change).await
    })
    .await
}
