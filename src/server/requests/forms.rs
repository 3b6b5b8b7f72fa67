//! The pages' "Run now", "Re-run" and "Retry stage" buttons: plain form posts (the CSRF field
//! is checked by the authentication gate), answered with a redirect back to the page, which then
//! shows the request's state. They work the same with JavaScript off.

use axum::extract::State;
use axum::response::Redirect;
use axum::{Extension, Form};
use serde::Deserialize;

use super::RequestOrder;
use crate::domain::auth::safe_next;
use crate::domain::requests::{outcome_path, Ask, RequestKind};
use crate::domain::team::Permission;
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::server::state::AppState;

#[derive(Debug, Deserialize)]
pub struct RequestForm {
    site_id: String,
    kind: String,
    #[serde(default)]
    source_run_id: Option<String>,
    #[serde(default)]
    stage: Option<String>,
    /// A checked box: the user saw the short balance and asks anyway.
    #[serde(default)]
    confirm_over_balance: Option<String>,
    /// The page to go back to (a path of this app).
    #[serde(default)]
    return_to: Option<String>,
}

fn order(form: &RequestForm) -> Result<RequestOrder, AppError> {
    let bad = |what: &str| AppError::BadRequest(format!("The form's {what} is not valid."));
    let blank = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    Ok(RequestOrder {
        site_id: form.site_id.trim().parse().map_err(|_| bad("site"))?,
        ask: Ask {
            kind: RequestKind::parse(form.kind.trim()).ok_or_else(|| bad("kind"))?,
            source_run_id: blank(&form.source_run_id),
            stage: blank(&form.stage).map(|s| s.parse().map_err(|_| bad("stage"))).transpose()?,
        },
        confirm_over_balance: blank(&form.confirm_over_balance).is_some(),
    })
}

/// Files the request. The same user asking the same again while their request is open (a
/// double click, a resubmitted form) is the same request, not a conflict.
async fn file(state: &AppState, caller: &Caller, order: &RequestOrder) -> Result<(), AppError> {
    let requester = caller.actor();
    match state.service.request_run(caller.scope(), &requester, order).await {
        Ok(_) => Ok(()),
        Err(AppError::Conflict(why)) => {
            let newest = state.service.run_requests(caller.scope(), order.site_id, 1).await?;
            let same = newest.first().is_some_and(|r| {
                r.state.is_open()
                    && r.requested_by == requester
                    && r.kind == order.ask.kind
                    && r.source_run_id == order.ask.source_run_id
                    && r.stage == order.ask.stage
            });
            if same {
                Ok(())
            } else {
                Err(AppError::Conflict(why))
            }
        }
        Err(e) => Err(e),
    }
}

/// Files the request and goes back to the page with the outcome in its query: `request=filed`,
/// or `request_error=<the API's error code>` (`forbidden` for a viewer). A second submit of the same form finds the
/// first request open and files nothing.
pub async fn submit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<RequestForm>,
) -> Redirect {
    let back = safe_next(form.return_to.as_deref());
    let outcome = match caller.may(Permission::RequestRuns).and_then(|()| order(&form)) {
        Ok(order) => file(&state, &caller, &order).await,
        Err(e) => Err(e),
    };
    let (key, value) = match outcome {
        Ok(()) => {
            state.events.written();
            ("request", "filed")
        }
        Err(e) => {
            tracing::info!(error = %e, "run request refused");
            ("request_error", e.code())
        }
    };
    Redirect::to(&outcome_path(&back, key, value))
}
