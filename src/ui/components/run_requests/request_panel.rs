use leptos::prelude::*;

use super::request_form::{RequestAction, RequestForm};
use super::request_outcome::RequestOutcome;
use super::request_status::RequestStatus;
use crate::domain::format::thousands;
use crate::domain::requests::RequestPanel;
use crate::paths;

fn credits(n: Option<u64>) -> String {
    n.map_or_else(|| "—".to_string(), |n| format!("{} credits", thousands(n.into())))
}

/// Asking the engine for a run: what it would cost, the forms, the outcome of the last form
/// sent, and the state of the site's newest request.
#[allow(
    clippy::too_many_lines,
    reason = "one card: the form and the list of the site's requests, whose parts are components already"
)]
#[component]
pub fn RunRequestPanel(
    panel: RequestPanel,
    actions: Vec<RequestAction>,
    title: &'static str,
    /// The page to come back to after a form is sent.
    return_to: String,
    filed: bool,
    error: Option<String>,
) -> impl IntoView {
    // A role that may not ask for runs sees why, and disabled forms (the server refuses them too).
    let busy = panel.refusal.clone().or_else(|| panel.busy_reason());
    let estimate = panel.estimate;
    let verdict = match estimate.is_sufficient {
        Some(true) => view! { <span class="balance-ok">"✓ the balance covers the buffer"</span> }.into_any(),
        Some(false) => view! { <span class="balance-short">"✗ the balance is short of the buffer"</span> }.into_any(),
        None => view! { <span class="muted">"no estimate yet: too few completed runs"</span> }.into_any(),
    };
    let newest = panel.requests.first().cloned();
    let forms = actions
        .into_iter()
        .map(|action| {
            view! {
                <RequestForm
                    action
                    site_id=panel.site_id
                    estimate
                    csrf_token=panel.csrf_token.clone()
                    return_to=return_to.clone()
                    busy=busy.clone()
                />
            }
        })
        .collect_view();
    view! {
        <section class="card request-card" aria-labelledby="request-title" data-testid="request-panel">
            <h2 id="request-title">{title}</h2>
            <RequestOutcome filed error />
            <dl class="detail-list request-estimate">
                <div>
                    <dt>"Estimated cost"</dt>
                    <dd data-testid="request-estimate">{credits(estimate.total_estimated_credits)}</dd>
                </div>
                <div>
                    <dt>"Recommended buffer (+20%)"</dt>
                    <dd>{credits(estimate.recommended_buffer)}</dd>
                </div>
                <div>
                    <dt>"Balance"</dt>
                    <dd>{format!("{} credits", thousands(estimate.current_balance.into()))} " " {verdict}</dd>
                </div>
            </dl>
            {busy
                .clone()
                .map(|why| {
                    let unfinished = (panel.refusal.is_none() && panel.open_request().is_none())
                        .then(|| panel.active_run_id.clone())
                        .flatten();
                    let text = match unfinished {
                        Some(run_id) => {
                            view! {
                                "Run "
                                <a href=paths::run_path(&run_id)>{run_id.clone()}</a>
                                " has not finished yet: one run at a time per site."
                            }
                                .into_any()
                        }
                        None => why.into_any(),
                    };
                    view! {
                        <p class="muted" data-testid="request-busy">
                            {text}
                        </p>
                    }
                })}
            <div class="request-actions">{forms}</div>
            {newest.map(|request| view! { <RequestStatus request /> })}
        </section>
    }
}
