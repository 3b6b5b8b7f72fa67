use leptos::prelude::*;

use crate::domain::overview::SiteSummary;
use crate::error::AppError;

/// The sites the caller can see.
#[server(prefix = "/sfn", endpoint = "get_sites")]
pub async fn get_sites() -> Result<Vec<SiteSummary>, AppError> {
    let (service, scope) = super::context()?;
    service.sites(scope).await.map(|sites| sites.as_ref().clone())
}
