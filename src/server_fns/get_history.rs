use leptos::prelude::*;

use crate::domain::overview::HistoryPage;
use crate::error::AppError;

/// A page of a site's runs, newest first; the first site when `site_id` is none.
#[server(prefix = "/sfn", endpoint = "get_history")]
pub async fn get_history(site_id: Option<i64>, page: Option<u32>) -> Result<HistoryPage, AppError> {
    use crate::domain::params::PageRequest;
    let (service, scope) = super::context()?;
    let page = page.map(|p| p.to_string());
    let request = PageRequest::new(page.as_deref(), None).map_err(|e| AppError::BadRequest(e.0))?;
    service.history(scope, site_id, request).await
}
