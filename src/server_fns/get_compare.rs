use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::compare::CompareView;
use crate::error::AppError;

/// Two runs of the caller's account side by side: run `b` against run `a`, stage by stage, and
/// both runs whole (insights with any anomaly, timelines) with their credit donuts.
#[server(prefix = "/sfn", endpoint = "get_compare", input = GetUrl)]
pub async fn get_compare(a: String, b: String) -> Result<CompareView, AppError> {
    super::answer(async move {
        use crate::domain::params::parse_compared_run_id;
        let (service, scope) = super::context()?;
        let a = parse_compared_run_id("a", &a)?;
        let b = parse_compared_run_id("b", &b)?;
        service.compare_view(scope, &a, &b).await
    })
    .await
}
