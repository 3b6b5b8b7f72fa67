use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::trends::TrendsView;
use crate::error::AppError;

/// The trends page's data for the last `days` days (90 when none; 1 to 3650): the site's
/// completed runs with their rolling medians and anomalies (described), credits by stage per
/// day or week, and runs by status per week. The first site when `site_id` is none.
#[server(prefix = "/sfn", endpoint = "get_trends", input = GetUrl)]
pub async fn get_trends(site_id: Option<i64>, days: Option<u32>) -> Result<TrendsView, AppError> {
    super::answer(async move {
        use crate::domain::params::TrendDays;
        let (service, scope) = super::context()?;
        let days = days.map_or(Ok(TrendDays::DEFAULT), TrendDays::new)?;
        service.trends_view(scope, site_id, days).await
    })
    .await
}
