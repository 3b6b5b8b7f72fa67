use leptos::prelude::*;

use crate::domain::format::thousands;
use crate::domain::requests::{Estimate, RequestKind};
use crate::paths;

/// One thing a page offers to ask the engine for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestAction {
    pub kind: RequestKind,
    pub source_run_id: Option<String>,
    pub stage: Option<u8>,
    pub label: String,
}

/// A plain form post (CSRF field included), so it works without JavaScript: the server files
/// the request and redirects back. When the balance is short of the buffer, a required box
/// is the confirmation step.
#[component]
pub fn RequestForm(
    action: RequestAction,
    site_id: i64,
    estimate: Estimate,
    csrf_token: String,
    return_to: String,
    /// Why the site takes no request now; the button is then disabled.
    busy: Option<String>,
) -> impl IntoView {
    let shortfall = estimate
        .is_short()
        .then(|| estimate.recommended_buffer.unwrap_or(0) as i64 - estimate.current_balance)
        .filter(|n| *n > 0);
    let confirm_id = format!("confirm-{}", action.kind.as_str());
    let disabled = busy.is_some();
    view! {
        <form method="post" action=paths::REQUEST_FORM class="request-form" data-kind=action.kind.as_str()>
            <input type="hidden" name="csrf_token" value=csrf_token />
            <input type="hidden" name="site_id" value=site_id.to_string() />
            <input type="hidden" name="kind" value=action.kind.as_str() />
            <input type="hidden" name="return_to" value=return_to />
            {action.source_run_id.map(|id| view! { <input type="hidden" name="source_run_id" value=id /> })}
            {action.stage.map(|n| view! { <input type="hidden" name="stage" value=n.to_string() /> })}
            {shortfall
                .map(|short| {
                    view! {
                        <p class="confirm-over-balance">
                            <input
                                type="checkbox"
                                id=confirm_id.clone()
                                name="confirm_over_balance"
                                value="1"
                                required
                                disabled=disabled
                            />
                            <label for=confirm_id>
                                {format!(
                                    "Request it anyway: the balance is {} credits short of the recommended buffer.",
                                    thousands(short.into()),
                                )}
                            </label>
                        </p>
                    }
                })}
            <button type="submit" class="button" disabled=disabled>
                {action.label}
            </button>
        </form>
    }
}
