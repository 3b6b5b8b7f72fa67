//! The settings page's budget form: a plain form post (the CSRF field is checked by the
//! authentication gate), answered with a redirect back to the settings page, so it works the
//! same with JavaScript off.

use axum::extract::State;
use axum::response::Redirect;
use axum::{Extension, Form};
use serde::Deserialize;

use crate::domain::budget::{MonthlyBudget, BUDGET_ERROR_PARAM, SAVED_PARAM};
use crate::domain::team::Permission;
use crate::error::AppError;
use crate::paths::SETTINGS;
use crate::server::auth::Caller;
use crate::server::state::AppState;

#[derive(Debug, Deserialize)]
pub struct BudgetForm {
    /// Credits a month; empty removes the budget.
    #[serde(default)]
    monthly_budget: String,
}

/// Sets or removes the budget and goes back to `/settings?saved=budget`, or to
/// `/settings?budget_error=<the API's error code>` (`bad_request` for a negative, fractional or
/// absurd number, with nothing written; `forbidden` for a role that may not change settings).
pub async fn submit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<BudgetForm>,
) -> Redirect {
    let outcome = async {
        caller.may(Permission::ChangeSettings)?;
        state.auth.throttle_form(&caller).await?;
        let budget = MonthlyBudget::from_form(&form.monthly_budget).map_err(|e| AppError::BadRequest(e.to_string()))?;
        state.service.set_budget(caller.scope(), budget, &caller.actor()).await
    }
    .await;
    match outcome {
        Ok(_) => Redirect::to(&format!("{SETTINGS}?{SAVED_PARAM}=budget")),
        Err(e) => {
            tracing::info!(error = %e, "budget not set");
            Redirect::to(&format!("{SETTINGS}?{BUDGET_ERROR_PARAM}={}", e.code()))
        }
    }
}
