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
        use crate::domain::logs::{LogLevel, LOG_PAGE_SIZE};
        use crate::server::db::LogQuery;
        let (service, scope) = super::context()?;
        let bad = AppError::BadRequest;
        let run_id = crate::domain::params::parse_run_id(&run_id).map_err(|e| bad(e.0))?;
        if stage.is_some_and(|s| s > 7) {
            return Err(bad("stage must be 0 (run-level) to 7".into()));
        }
        let level = level.filter(|l| !l.is_empty()).map(|l| l.parse::<LogLevel>()).transpose().map_err(bad)?;
        let search = search.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        if search.as_ref().is_some_and(|s| s.chars().count() > 200) {
            return Err(bad("search text must be at most 200 characters".into()));
        }
        let page = u64::from(page.unwrap_or(1).max(1));
        let query = LogQuery { stage, level, search, offset: (page - 1) * LOG_PAGE_SIZE, limit: LOG_PAGE_SIZE };
        service.run_logs(scope, &run_id, &query).await
    })
    .await
}
