use leptos::prelude::*;

use crate::domain::budget::{BudgetStatus, BudgetView};
use crate::domain::format::thousands;
use crate::paths;

/// The month's spend is past the budget, or heading there: said at the top of the overview, in
/// words, with the way to change the budget. Nothing shows while the budget holds.
#[component]
pub fn BudgetBanner(budget: BudgetView) -> impl IntoView {
    let limit = budget.monthly_budget?;
    let (title, text) = match budget.status {
        BudgetStatus::Over => (
            "Over this month's budget",
            format!(
                "Runs have used {} credits this month, past the monthly budget of {} credits.",
                thousands(budget.month_to_date.into()),
                thousands(limit.into()),
            ),
        ),
        BudgetStatus::AtRisk => (
            "This month's budget is at risk",
            format!(
                "At this month's pace runs will use about {} credits by the end of the month, past the \
                 monthly budget of {} credits ({} used so far).",
                thousands(budget.projected_month_end.unwrap_or(0).into()),
                thousands(limit.into()),
                thousands(budget.month_to_date.into()),
            ),
        ),
        BudgetStatus::Ok | BudgetStatus::None => return None,
    };
    let tone = if budget.status == BudgetStatus::Over { "error-banner" } else { "attention-card" };
    Some(view! {
        <section class=format!("budget-banner {tone}") role="alert" aria-labelledby="budget-banner-title">
            <h2 id="budget-banner-title">{title}</h2>
            <p data-testid="budget-banner">{text}</p>
            <p>
                <a href=paths::SETTINGS>"Change the budget in Settings"</a>
            </p>
        </section>
    })
}
