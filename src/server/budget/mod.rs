//! The monthly budget (metrics.md, the budget): the service side under the JSON API, the
//! command line, the settings form and the server function. The figures are
//! `domain::budget`'s; this reads and writes them for the caller's account.

pub mod forms;

use crate::domain::budget::{
    budget_view, check_run, month_start, next_month_start, BudgetCheck, BudgetPanel, BudgetView, MonthlyBudget,
};
use crate::domain::requests::Estimate;
use crate::domain::scope::Scope;
use crate::domain::team::AuditAction;
use crate::error::AppError;
use crate::server::db::NewAudit;
use crate::server::service::Service;

/// The account a budget belongs to: a budget is one account's, never the installation's.
pub fn account_of(scope: Scope) -> Result<i64, AppError> {
    match scope {
        Scope::Account(id) => Ok(id),
        Scope::Installation => Err(AppError::BadRequest("A budget belongs to one account: name the account.".into())),
    }
}

impl Service {
    /// The account's budget, its spend this calendar month (UTC), the projection and status.
    pub async fn budget(&self, scope: Scope) -> Result<BudgetView, AppError> {
        let account = account_of(scope)?;
        let now = self.now();
        let row = self
            .store()
            .budget(account, month_start(now), next_month_start(now))
            .await?
            .ok_or_else(|| AppError::NotFound(format!("Account {account}")))?;
        let budget = row.monthly_budget.map(MonthlyBudget::try_from).transpose().map_err(|e| {
            tracing::error!(account, error = %e, "stored budget out of range");
            AppError::Internal
        })?;
        Ok(budget_view(budget, row.spent, now))
    }

    /// Sets the account's budget (`None` removes it), on record as `actor`'s change, and
    /// answers with the new view.
    pub async fn set_budget(
        &self,
        scope: Scope,
        budget: Option<MonthlyBudget>,
        actor: &str,
    ) -> Result<BudgetView, AppError> {
        let account = account_of(scope)?;
        if !self.store().set_monthly_budget(account, budget.map(MonthlyBudget::credits)).await? {
            return Err(AppError::NotFound(format!("Account {account}")));
        }
        let detail = match budget {
            Some(b) => format!("{} credits a month", b.credits()),
            None => "removed".to_string(),
        };
        let entry = NewAudit {
            account_id: account,
            actor,
            action: AuditAction::BudgetChanged,
            target: None,
            detail: Some(&detail),
        };
        self.store().record_audit(entry, self.now().timestamp()).await?;
        // A budget set below the month's spend or its projection alerts now, not at the next run.
        if let Err(e) = self.detect_budget_alert(account).await {
            tracing::warn!(account, error = %e, "budget alert not checked");
        }
        self.budget(scope).await
    }

    /// Whether a run now of the site (the scope's first when none is named), as its prediction
    /// estimates it, would take the month's spend past the budget.
    pub async fn budget_check(&self, scope: Scope, site_id: Option<i64>) -> Result<BudgetCheck, AppError> {
        let site = self.site(scope, site_id).await?;
        let (view, prediction) = tokio::try_join!(self.budget(scope), self.prediction(&site))?;
        Ok(check_run(&view, Estimate::of(&prediction).total_estimated_credits))
    }

    /// The settings page's budget: the view, and the run-now check of the site asked for (the
    /// account's first when none is; none when the account has no site).
    pub async fn budget_panel(
        &self,
        scope: Scope,
        site_id: Option<i64>,
        csrf_token: String,
        can_change: bool,
    ) -> Result<BudgetPanel, AppError> {
        let site = match site_id {
            Some(id) => Some(self.site(scope, Some(id)).await?),
            None => self.store().first_site(scope).await?,
        };
        let budget = self.budget(scope).await?;
        let total_estimated_credits = match &site {
            Some(site) => self.prediction(site).await?.total_estimated_credits,
            None => None,
        };
        Ok(BudgetPanel {
            budget,
            site_id: site.as_ref().map(|s| s.id()),
            total_estimated_credits,
            run_now: site.is_some().then(|| check_run(&budget, total_estimated_credits)),
            can_change,
            csrf_token,
        })
    }
}
