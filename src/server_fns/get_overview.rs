use leptos::prelude::*;

use crate::domain::overview::OverviewView;
use crate::error::AppError;

/// Statistics, pipeline, prediction (with its chart) and attention items of a site; the
/// first site when `site_id` is none.
#[server(prefix = "/sfn", endpoint = "get_overview")]
pub async fn get_overview(site_id: Option<i64>) -> Result<OverviewView, AppError> {
    let (service, scope) = super::context()?;
    let stats = service.overview_stats(scope, site_id).await?;
    let credits_chart = crate::server::charts::estimated_credits_chart(&stats.predictive_analysis);
    Ok(OverviewView { stats, credits_chart })
}
