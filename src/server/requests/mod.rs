//! Run requests (live-api.md, "Run requests: re-run and retry"): a user's "Run now", "Re-run"
//! or "Retry stage" becomes a request that the engine claims through the API. This is the
//! service side: the rules of `domain::requests` checked against the store, one answer for the
//! JSON API, the pages' forms and the engine endpoints.

pub mod forms;
pub mod sweeper;

use crate::domain::requests::{
    check_shape, check_source, Answer, Ask, AskError, Estimate, RequestPanel, RunRequest, SourceRun,
};
use crate::domain::scope::Scope;
use crate::domain::team::AuditAction;
use crate::error::AppError;
use crate::server::db::writes::{AnswerRefusal, Busy, NewRequest};
use crate::server::db::{NewAudit, ScopedSite};
use crate::server::service::Service;

/// Requests a page shows: the newest few of the site.
pub const RECENT_REQUESTS: u32 = 5;

/// A request as the caller asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestOrder {
    pub site_id: i64,
    pub ask: Ask,
    /// The caller has seen that the balance is short of the buffer and asks anyway.
    pub confirm_over_balance: bool,
}

fn ask_error(e: AskError) -> AppError {
    if e.is_conflict() {
        AppError::Conflict(e.to_string())
    } else {
        AppError::BadRequest(e.to_string())
    }
}

impl Service {
    /// Files a request for a site the caller may see, after the checks of the spec: the
    /// request's own fields, its source run, the balance, and one run at a time per site.
    pub async fn request_run(
        &self,
        scope: Scope,
        requested_by: &str,
        order: &RequestOrder,
    ) -> Result<RunRequest, AppError> {
        check_shape(&order.ask).map_err(ask_error)?;
        let site = self.site(scope, Some(order.site_id)).await?;
        if let Some(run_id) = &order.ask.source_run_id {
            let run = self
                .store()
                .run(&site, run_id)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("Run {run_id} of site {}", order.site_id)))?;
            check_source(&order.ask, SourceRun { status: run.status, current_stage: run.current_stage })
                .map_err(ask_error)?;
        }
        let estimate = Estimate::of(&self.prediction(&site).await?);
        if estimate.is_short() && !order.confirm_over_balance {
            return Err(AppError::InsufficientBalance(estimate));
        }
        let new = NewRequest { ask: &order.ask, requested_by, estimate };
        match self.store().create_request(&site, new, self.now()).await? {
            Ok(request) => {
                let detail = match (&order.ask.source_run_id, order.ask.stage) {
                    (Some(run), Some(stage)) => format!("{} of {run}, stage {stage}", order.ask.kind.as_str()),
                    (Some(run), None) => format!("{} of {run}", order.ask.kind.as_str()),
                    _ => order.ask.kind.as_str().to_string(),
                };
                let entry = NewAudit {
                    account_id: site.row().account_id,
                    actor: requested_by,
                    action: AuditAction::RunRequested,
                    target: Some(&site.row().domain),
                    detail: Some(&detail),
                };
                self.store().record_audit(entry, self.now().timestamp()).await?;
                Ok(request)
            }
            Err(Busy::OpenRequest) => Err(AppError::Conflict(format!(
                "{} already has a run request on its way: one run at a time per site.",
                site.row().domain
            ))),
            Err(Busy::ActiveRun(run_id)) => Err(AppError::Conflict(format!(
                "Run {run_id} of {} has not finished: one run at a time per site.",
                site.row().domain
            ))),
        }
    }

    /// The site's newest requests, newest first.
    pub async fn run_requests(&self, scope: Scope, site_id: i64, limit: u32) -> Result<Vec<RunRequest>, AppError> {
        let site = self.site(scope, Some(site_id)).await?;
        Ok(self.store().requests(&site, limit).await?)
    }

    /// The site's requests as the pages show them, with the estimate of a new run (computed
    /// unless the caller has it already) and the site's unfinished run.
    pub async fn request_panel(
        &self,
        site: &ScopedSite,
        estimate: Option<Estimate>,
        csrf_token: String,
    ) -> Result<RequestPanel, AppError> {
        let store = self.store();
        let estimate = async {
            match estimate {
                Some(e) => Ok(e),
                None => Ok(Estimate::of(&self.prediction(site).await?)),
            }
        };
        let (requests, active_run_id, estimate) = tokio::try_join!(
            async { Ok::<_, AppError>(store.requests(site, RECENT_REQUESTS).await?) },
            async { Ok::<_, AppError>(store.active_run(site).await?) },
            estimate,
        )?;
        Ok(RequestPanel { site_id: site.id(), requests, estimate, active_run_id, csrf_token, refusal: None })
    }

    /// The oldest pending request of the engine's account (of one of its sites, if it says
    /// which), now claimed by it.
    pub async fn claim_run_request(
        &self,
        account_id: i64,
        site_id: Option<i64>,
    ) -> Result<Option<RunRequest>, AppError> {
        Ok(self.store().claim_request(account_id, site_id, self.now()).await?)
    }

    /// The engine's answer to a request it claimed.
    pub async fn answer_run_request(&self, account_id: i64, id: i64, answer: &Answer) -> Result<RunRequest, AppError> {
        match self.store().answer_request(account_id, id, answer, self.now()).await? {
            Ok(request) => Ok(request),
            Err(AnswerRefusal::NotFound) => Err(AppError::NotFound(format!("Run request {id}"))),
            Err(AnswerRefusal::State(e)) => Err(AppError::Conflict(e.to_string())),
            Err(AnswerRefusal::RunOfAnotherSite(run_id)) => {
                Err(AppError::BadRequest(format!("Run {run_id} belongs to another site than request {id}.")))
            }
        }
    }

    /// Puts lapsed claims back to pending (the engine that took them is taken to be gone).
    pub async fn expire_lapsed_claims(&self) -> Result<usize, AppError> {
        Ok(self.store().expire_lapsed_claims(self.now()).await?)
    }
}
