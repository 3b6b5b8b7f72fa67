use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::detail::RunDetailView;
use crate::error::AppError;

/// Everything the run page shows of one run.
#[server(prefix = "/sfn", endpoint = "get_run_detail", input = GetUrl)]
pub async fn get_run_detail(run_id: String) -> Result<RunDetailView, AppError> {
    super::answer(async move {
        let (service, scope) = super::context()?;
        let run_id = crate::domain::params::parse_run_id(&run_id)?;
        let mut view = service.run_detail_view(scope, &run_id, super::csrf_token()?).await?;
        view.requests.refusal = super::refusal(crate::domain::team::Permission::RequestRuns)?;
        Ok(view)
    })
    .await
}
