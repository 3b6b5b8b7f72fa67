use leptos::prelude::*;

use super::predictive_cost::credits;
use crate::domain::format::thousands;
use crate::domain::prediction::Prediction;

/// The buffer and the balance: can the account afford the run?
#[component]
pub fn BalanceCheck(prediction: Prediction) -> impl IntoView {
    let balance = format!("{} credits", thousands(prediction.current_balance.into()));
    let verdict = match (prediction.is_sufficient, prediction.shortfall) {
        (Some(true), _) => view! {
            <p class="balance-ok" data-testid="balance-verdict">
                <span aria-hidden="true">"✓ "</span>
                "Sufficient for the run with its buffer"
            </p>
        }
        .into_any(),
        (Some(false), shortfall) => view! {
            <p class="balance-short" data-testid="balance-verdict">
                <span aria-hidden="true">"✗ "</span>
                {format!(
                    "Not sufficient: {} credits short of the recommended buffer",
                    thousands(shortfall.unwrap_or(0).into()),
                )}
            </p>
        }
        .into_any(),
        (None, _) => view! { <p class="muted">"The estimate needs 3 completed runs first."</p> }.into_any(),
    };
    view! {
        <dl class="detail-list balance">
            <div>
                <dt>"Recommended with a 20% buffer"</dt>
                <dd data-testid="recommended-buffer">{credits(prediction.recommended_buffer)}</dd>
            </div>
            <div>
                <dt>"Current balance"</dt>
                <dd data-testid="current-balance">{balance}</dd>
            </div>
        </dl>
        {verdict}
    }
}
