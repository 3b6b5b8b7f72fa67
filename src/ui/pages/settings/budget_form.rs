use leptos::prelude::*;

use crate::domain::budget::{BudgetPanel, MAX_MONTHLY_BUDGET};
use crate::domain::format::thousands;
use crate::paths;

/// What the form says after the server refused it, by the error code it redirected with.
pub fn budget_form_error(code: &str) -> String {
    match code {
        "bad_request" => format!(
            "Not saved: enter a whole number of credits from 0 to {}, or leave the field empty for no budget.",
            thousands(MAX_MONTHLY_BUDGET.into()),
        ),
        "forbidden" => "Not saved: only an owner of the account may change the budget.".to_string(),
        "rate_limited" => "Not saved: too many changes in a short time. Try again in 15 minutes.".to_string(),
        "unavailable" => "Not saved: the database is not reachable just now. Try again in a moment.".to_string(),
        _ => "Not saved: something went wrong on our side. Try again.".to_string(),
    }
}

/// Sets or clears the account's monthly budget: a plain form post answered with a redirect
/// back to the settings, which then say what happened.
#[component]
pub fn BudgetForm(panel: BudgetPanel, saved: bool, error: Option<String>) -> impl IntoView {
    let budget = panel.budget;
    let current = match budget.monthly_budget {
        Some(limit) => format!(
            "The budget is {} credits a month; runs have used {} this month.",
            thousands(limit.into()),
            thousands(budget.month_to_date.into()),
        ),
        None => {
            format!("No budget is set; runs have used {} credits this month.", thousands(budget.month_to_date.into()),)
        }
    };
    view! {
        <section class="card settings-section" aria-labelledby="budget-form-title">
            <h2 id="budget-form-title">"Monthly budget"</h2>
            <p class="muted">
                "A monthly credit limit for all the account's sites. The overview warns when the month's spend \
                 is heading past it, and alerts go out when it does."
            </p>
            {error.map(|m| view! { <p class="form-error" role="alert" data-testid="budget-form-error">{m}</p> })}
            {saved.then(|| view! { <p class="form-notice" role="status" data-testid="budget-form-saved">"Budget saved."</p> })}
            <p data-testid="budget-current">{current}</p>
            {(!panel.can_change).then(|| view! { <p class="muted" data-testid="budget-owners-only">"Only an owner of the account may change the budget."</p> })}
            {panel.can_change.then(|| view! {
            <form method="post" action=paths::BUDGET_FORM class="settings-form">
                <input type="hidden" name="csrf_token" value=panel.csrf_token />
                <label for="monthly-budget">"Credits a month (empty for no budget)"</label>
                <input
                    id="monthly-budget"
                    name="monthly_budget"
                    type="number"
                    inputmode="numeric"
                    min="0"
                    max=MAX_MONTHLY_BUDGET.to_string()
                    step="1"
                    value=budget.monthly_budget.map(|b| b.to_string()).unwrap_or_default()
                />
                <button type="submit" class="button">
                    "Save budget"
                </button>
            </form>
            })}
        </section>
    }
}
