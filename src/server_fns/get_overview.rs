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
        let overview = service.overview(scope, site_id).await?;
        let stats = overview.stats;
        let credits_chart = crate::server::charts::estimated_credits_chart(&stats.predictive_analysis);
        let estimate = crate::domain::requests::Estimate::of(&stats.predictive_analysis);
        let mut requests = service.request_panel(scope, stats.site.id, Some(estimate), super::csrf_token()?).await?;
        requests.refusal = super::refusal(crate::domain::team::Permission::RequestRuns)?;
        Ok(OverviewView {
            stats,
            credits_chart,
            accuracy_chart: overview.backtest.chart.clone(),
            estimate_runs: overview.estimate_runs,
            requests,
        })
    })
    .await
}
