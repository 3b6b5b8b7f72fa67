use leptos::prelude::*;

use crate::domain::budget::{BudgetPanel, BudgetStatus};
use crate::domain::format::thousands;
use crate::paths;

/// The account's monthly budget: what runs used this month, where the month is heading, and
/// whether a run now fits in what is left.
#[expect(clippy::too_many_lines, reason = "one card of figures; splitting it would scatter one definition list")]
#[component]
pub fn MonthlyBudgetCard(panel: BudgetPanel) -> impl IntoView {
    let budget = panel.budget;
    let body = match budget.monthly_budget {
        None => view! {
            <p data-testid="budget-none">
                {format!("{} credits used this month. No monthly budget is set: ", thousands(budget.month_to_date.into()))}
                <a href=paths::SETTINGS>"set one in Settings"</a>
                " to be warned before the month's spend runs past it."
            </p>
        }
        .into_any(),
        Some(limit) => {
            let (label, tone) = match budget.status {
                BudgetStatus::Over => ("Over budget", "danger"),
                BudgetStatus::AtRisk => ("At risk", "warning"),
                BudgetStatus::Ok | BudgetStatus::None => ("On track", "success"),
            };
            let run_now = panel.run_now.zip(panel.total_estimated_credits).and_then(|(check, estimate)| {
                let remaining = check.remaining?;
                let text = if check.would_exceed? {
                    format!(
                        "A run now (about {} credits) would take this month past the budget: {} credits are left.",
                        thousands(estimate.into()),
                        thousands(remaining.into()),
                    )
                } else {
                    format!(
                        "A run now (about {} credits) fits in the {} credits left this month.",
                        thousands(estimate.into()),
                        thousands(remaining.into()),
                    )
                };
                Some(view! { <p class="budget-run-now" data-testid="budget-run-now">{text}</p> })
            });
            view! {
                <p class="stat-value" data-testid="budget-spent">
                    {format!("{} of {} cr", thousands(budget.month_to_date.into()), thousands(limit.into()))}
                </p>
                <meter
                    class="budget-meter"
                    min="0"
                    max=limit.max(1).to_string()
                    high=(limit.max(1) * 9 / 10).to_string()
                    value=budget.month_to_date.to_string()
                    aria-label="Credits used this month against the budget"
                ></meter>
                <p>
                    <span class=format!("badge tone-{tone}") data-testid="budget-status">{label}</span>
                    " "
                    <span data-testid="budget-projection">
                        {budget
                            .projected_month_end
                            .map(|p| format!("Projected by the end of the month: {} credits.", thousands(p.into())))
                            .unwrap_or_else(|| "Too early in the month to project.".to_string())}
                    </span>
                </p>
                {run_now}
                <p class="stat-note">
                    <a href=paths::SETTINGS>"Change the budget"</a>
                </p>
            }
            .into_any()
        }
    };
    view! {
        <section class="card monthly-budget" aria-labelledby="budget-title">
            <div class="section-header">
                <h2 id="budget-title">"Monthly budget"</h2>
                <p class="muted">"All sites of the account, this calendar month (UTC)"</p>
            </div>
            {body}
        </section>
    }
}
