use leptos::prelude::*;

/// What happened to the form the user just sent, from the query its redirect set
/// (`request=filed` or `request_error=<code>`).
#[component]
pub fn RequestOutcome(filed: bool, error: Option<String>) -> impl IntoView {
    let message = match error.as_deref() {
        None if filed => {
            return view! {
                <p class="form-notice" role="status" data-testid="request-outcome">
                    "Requested: the engine picks it up shortly. Its state shows below."
                </p>
            }
            .into_any()
        }
        None => return ().into_any(),
        Some("conflict") => "Not requested: this site already has a run on its way or one that has not finished.",
        Some("insufficient_balance") => {
            "Not requested: the balance is below the recommended buffer. Tick the box to confirm, then ask again."
        }
        Some("not_found") => "Not requested: that site or run was not found.",
        Some("bad_request") => "Not requested: that run has no failed stage to retry, or the form was not valid.",
        Some("forbidden") => {
            "Not requested: your role (viewer) may not start, re-run or retry runs. Ask an owner of the account."
        }
        Some(_) => "Not requested: something went wrong on our side. Please try again in a moment.",
    };
    view! {
        <p class="form-error" role="alert" data-testid="request-outcome">
            {message}
        </p>
    }
    .into_any()
}
