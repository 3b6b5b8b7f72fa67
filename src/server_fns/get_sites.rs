use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::overview::SiteSummary;
use crate::error::AppError;

/// The sites the caller can see.
#[server(prefix = "/sfn", endpoint = "get_sites", input = GetUrl)]
pub async fn get_sites() -> Result<Vec<SiteSummary>, AppError> {
    super::answer(async move {
        let (service, scope) = super::context()?;
        service.sites(scope).await.map(|sites| sites.as_ref().clone())
    })
    .await
}
