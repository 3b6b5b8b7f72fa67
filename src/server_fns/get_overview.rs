use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::overview::OverviewView;
use crate::error::AppError;

/// Statistics, pipeline, prediction (with its charts and the runs behind it), attention items and run requests of a site; the
/// first site when `site_id` is none.
#[server(prefix = "/sfn", endpoint = "get_overview", input = GetUrl)]
pub async fn get_overview(site_id: Option<i64>) -> Result<OverviewView, AppError> {
    super::answer(async move {
        let (service, scope) = super::context()?;
        let mut view = service.overview_view(scope, site_id, super::csrf_token()?).await?;
        view.requests.refusal = super::refusal(crate::domain::team::Permission::RequestRuns)?;
        Ok(view)
    })
    .await
}
