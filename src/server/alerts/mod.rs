//! Alerts (issue 12, "Budgets and alerts"): the service side. After writes (ingest, import,
//! budget changes) it raises the alerts the account's state calls for, each under a key the
//! store keeps unique, and queues their deliveries; [`outbox`] sends them.

pub mod forms;
pub mod outbox;

use chrono::Duration;
use serde_json::json;

use crate::domain::alerts::{
    balance_condition, balance_low_key, budget_key, check_webhook_url, run_failed_key, AlertKind, AlertsView,
    WebhookSet,
};
use crate::domain::budget::month_key;
use crate::domain::format::thousands;
use crate::domain::scope::Scope;
use crate::domain::team::AuditAction;
use crate::error::AppError;
use crate::server::auth::secrets::random_secret;
use crate::server::budget::account_of;
use crate::server::db::{NewAlert, NewAudit};
use crate::server::service::Service;

/// Alerts and deliveries the settings page and the API list.
pub const RECENT_ALERTS: u32 = 50;
/// Failed runs started this long ago or later are alerted; older ones (a history import) are not.
const FAILED_RUN_LOOKBACK: Duration = Duration::days(7);

impl Service {
    async fn raise(
        &self,
        account_id: i64,
        kind: AlertKind,
        key: &str,
        message: &str,
        details: serde_json::Value,
    ) -> Result<bool, AppError> {
        let now = self.now();
        let payload = json!({
            "account_id": account_id,
            "kind": kind.as_str(),
            "key": key,
            "message": message,
            "created_at": now,
            "details": details,
        });
        let raised =
            self.store().raise_alert(NewAlert { account_id, kind, key, message, payload: &payload }, now).await?;
        if raised {
            tracing::info!(account_id, key, "alert raised");
            self.wake_outbox();
        }
        Ok(raised)
    }

    /// The budget alert the account's status calls for: at_risk or over, once a month each.
    pub async fn detect_budget_alert(&self, account_id: i64) -> Result<bool, AppError> {
        let view = self.budget(Scope::Account(account_id)).await?;
        if !view.status.is_warning() {
            return Ok(false);
        }
        let (Some(budget), status) = (view.monthly_budget, view.status) else { return Ok(false) };
        let (kind, message) = if status == crate::domain::budget::BudgetStatus::Over {
            (
                AlertKind::BudgetOver,
                format!(
                    "This month's spend of {} credits is over the budget of {} credits.",
                    thousands(view.month_to_date.into()),
                    thousands(budget.into()),
                ),
            )
        } else {
            (
                AlertKind::BudgetAtRisk,
                format!(
                    "This month's spend is heading for {} credits, over the budget of {} credits.",
                    thousands(view.projected_month_end.unwrap_or(view.month_to_date).into()),
                    thousands(budget.into()),
                ),
            )
        };
        let key = budget_key(&month_key(self.now()), status.as_str());
        self.raise(account_id, kind, &key, &message, serde_json::to_value(view).unwrap_or_default()).await
    }

    /// Every alert the account's state calls for now: the budget, each site's balance against
    /// its next run's buffer, and failed runs. Returns how many were new.
    pub async fn detect_alerts(&self, account_id: i64) -> Result<usize, AppError> {
        let lock = self.detection_lock(account_id);
        let _one_at_a_time = lock.lock().await;
        let mut raised = usize::from(self.detect_budget_alert(account_id).await?);
        for site in self.store().sites(Scope::Account(account_id)).await? {
            let prediction = self.prediction(&site).await?;
            let low = prediction.is_sufficient == Some(false);
            let episode = self.store().observe_condition(account_id, &balance_condition(site.id()), low).await?;
            if let (Some(episode), Some(buffer)) = (episode, prediction.recommended_buffer) {
                let message = format!(
                    "The balance of {} credits is below the {} credits the next run of {} needs with its buffer.",
                    thousands(prediction.current_balance.into()),
                    thousands(buffer.into()),
                    site.row().domain
                );
                let details = json!({
                    "site_id": site.id(),
                    "current_balance": prediction.current_balance,
                    "total_estimated_credits": prediction.total_estimated_credits,
                    "recommended_buffer": buffer,
                });
                let key = balance_low_key(site.id(), episode);
                raised += usize::from(self.raise(account_id, AlertKind::BalanceLow, &key, &message, details).await?);
            }
        }
        let since = self.now() - FAILED_RUN_LOOKBACK;
        for (run_id, domain, error) in self.store().unalerted_failed_runs(account_id, since).await? {
            let message = match &error {
                Some(error) => format!("Run {run_id} of {domain} failed: {error}"),
                None => format!("Run {run_id} of {domain} failed."),
            };
            let details = json!({"run_id": run_id, "domain": domain, "error_message": error});
            raised += usize::from(
                self.raise(account_id, AlertKind::RunFailed, &run_failed_key(&run_id), &message, details).await?,
            );
        }
        Ok(raised)
    }

    /// Runs [`Service::detect_alerts`] off the request: a write never waits for it.
    pub fn detect_alerts_later(&self, account_id: i64) {
        let service = self.clone();
        tokio::spawn(async move {
            if let Err(e) = service.detect_alerts(account_id).await {
                tracing::warn!(account_id, error = %e, "alert detection failed");
            }
        });
    }

    /// Sets the account's webhook with a new secret (returned this once), or removes it, on
    /// record as `actor`'s change. Not http(s), or a host the operator's allow list leaves
    /// out: 400.
    pub async fn set_webhook(&self, scope: Scope, url: Option<&str>, actor: &str) -> Result<WebhookSet, AppError> {
        let account = account_of(scope)?;
        let url = url.map(str::trim);
        if let Some(url) = url {
            check_webhook_url(url, self.webhook_allow()).map_err(|e| AppError::BadRequest(e.to_string()))?;
            reqwest::Url::parse(url)
                .map_err(|e| AppError::BadRequest(format!("The webhook URL is not valid: {e}.")))?;
        }
        let secret = url.map(|_| format!("whsec_{}", random_secret()));
        let hook = url.zip(secret.as_deref());
        if !self.store().set_webhook(account, hook, self.now()).await? {
            return Err(AppError::NotFound(format!("Account {account}")));
        }
        // The host only: a webhook's path often carries a secret of its own (Slack's does).
        let host = url.and_then(|u| reqwest::Url::parse(u).ok()).and_then(|u| u.host_str().map(str::to_string));
        let entry = NewAudit {
            account_id: account,
            actor,
            action: AuditAction::WebhookChanged,
            target: host.as_deref(),
            detail: Some(if url.is_some() { "set, with a new secret" } else { "removed" }),
        };
        self.store().record_audit(entry, self.now().timestamp()).await?;
        Ok(WebhookSet { webhook_url: url.map(str::to_string), secret })
    }

    /// The account's webhook, newest alerts (the in-app notices) and deliveries.
    pub async fn alerts(&self, scope: Scope) -> Result<AlertsView, AppError> {
        let account = account_of(scope)?;
        let store = self.store();
        let (hook, alerts, deliveries) = tokio::try_join!(
            store.webhook(account),
            store.alerts(account, RECENT_ALERTS),
            store.deliveries(account, RECENT_ALERTS)
        )?;
        let webhook_url = hook.map(|(url, _)| url);
        Ok(AlertsView { webhook_configured: webhook_url.is_some(), webhook_url, alerts, deliveries })
    }
}
