use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::logs::LogPage;
use crate::error::AppError;

/// A page of a run's log, filtered by stage (0 for run-level lines), level and text.
#[server(prefix = "/sfn", endpoint = "get_run_logs", input = GetUrl)]
pub async fn get_run_logs(
    run_id: String,
    stage: Option<u8>,
    level: Option<String>,
    search: Option<String>,
    page: Option<u32>,
) -> Result<LogPage, AppError> {
    super::answer(async move {
        use crate::domain::params::{parse_run_id, LogQuery};
        let (service, scope) = super::context()?;
        let run_id = parse_run_id(&run_id)?;
        let query = LogQuery::page(stage, level.as_deref(), search.as_deref(), page)?;
        service.run_logs(scope, &run_id, &query).await
    })
    .await
}
