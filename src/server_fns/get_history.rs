use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::overview::HistoryPage;
use crate::error::AppError;

/// A page of a site's runs, newest first, optionally filtered by status and trigger; the first
/// site when `site_id` is none.
#[server(prefix = "/sfn", endpoint = "get_history", input = GetUrl)]
pub async fn get_history(
    site_id: Option<i64>,
    page: Option<u32>,
    status: Option<String>,
    trigger: Option<String>,
) -> Result<HistoryPage, AppError> {
    super::answer(async move {
        use crate::domain::params::{HistoryFilter, PageRequest};
        let (service, scope) = super::context()?;
        let page = page.map(|p| p.to_string());
        let request = PageRequest::new(page.as_deref(), None)?;
        let filter = HistoryFilter::parse(status.as_deref(), trigger.as_deref())?;
        service.history(scope, site_id, request, filter).await
    })
    .await
}
