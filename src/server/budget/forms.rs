//! The settings page's budget form: a plain form post (the CSRF field is checked by the
//! authentication gate), answered with a redirect back to the settings page, so it works the
//! same with JavaScript off.

use axum::extract::State;
use axum::response::Redirect;
use axum::{Extension, Form};
use serde::Deserialize;

use crate::domain::budget::{MonthlyBudget, BUDGET_ERROR_PARAM, SAVED_PARAM, SETTINGS_PATH};
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::server::state::AppState;

#[derive(Debug, Deserialize)]
pub struct BudgetForm {
    /// Credits a month; empty removes the budget.
    #[serde(default)]
    monthly_budget: String,
}

/// Who may change an account's settings: its signed-in users, and its `ingest` tokens (the
/// same as `PUT /api/v1/automation/budget`); a read token may not.
pub fn may_change_settings(caller: &Caller) -> Result<(), AppError> {
    if caller.can_request_runs() {
        Ok(())
    } else {
        Err(AppError::NotAllowed(
            "Settings are changed by signed-in users or with an ingest token; this token may only read.".into(),
        ))
    }
}

/// Sets or removes the budget and goes back to `/settings?saved=budget`, or to
/// `/settings?budget_error=<the API's error code>` (`bad_request` for a negative, fractional or
/// absurd number, with nothing written).
pub async fn submit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<BudgetForm>,
) -> Redirect {
    let outcome = async {
        may_change_settings(&caller)?;
        let budget = MonthlyBudget::from_form(&form.monthly_budget).map_err(|e| AppError::BadRequest(e.to_string()))?;
        state.service.set_budget(caller.scope(), budget).await
    }
    .await;
    match outcome {
        Ok(_) => Redirect::to(&format!("{SETTINGS_PATH}?{SAVED_PARAM}=budget")),
        Err(e) => {
            tracing::info!(error = %e, "budget not set");
            Redirect::to(&format!("{SETTINGS_PATH}?{BUDGET_ERROR_PARAM}={}", e.code()))
        }
    }
}
