use leptos::prelude::*;

use crate::domain::requests::{RequestKind, RequestState, RunRequest};
use crate::paths;
use crate::ui::components::local_time::LocalTime;

fn what(request: &RunRequest) -> String {
    match (request.kind, &request.source_run_id, request.stage) {
        (RequestKind::Run, _, _) => "Run".to_string(),
        (RequestKind::Rerun, Some(source), _) => format!("Re-run of {source}"),
        (RequestKind::RetryStage, Some(source), Some(stage)) => format!("Retry of stage {stage} of {source}"),
        (kind, _, _) => kind.label().to_string(),
    }
}

/// The state of a run request, in words and with an icon, never colour alone: waiting,
/// claimed by the engine, started (with a link to its run) or rejected (with the reason).
#[component]
pub fn RequestStatus(request: RunRequest) -> impl IntoView {
    let (icon, class, state) = match request.state {
        RequestState::Pending => ("○", "status-paused", "Waiting for the engine"),
        RequestState::Claimed => ("●", "status-running", "Claimed by the engine: starting"),
        RequestState::Started => ("✓", "status-completed", "Started"),
        RequestState::Rejected => ("✗", "status-failed", "Rejected by the engine"),
    };
    let detail = match request.state {
        RequestState::Started => request.run_id.clone().map(|run_id| {
            view! {
                <a href=paths::run_path(&run_id) data-testid="request-run-link">
                    {format!("Open run {run_id}")}
                </a>
            }
            .into_any()
        }),
        RequestState::Rejected => request.reason.clone().map(|reason| view! { <q>{reason}</q> }.into_any()),
        RequestState::Pending | RequestState::Claimed => None,
    };
    view! {
        <div class="request-status" data-testid="request-status" data-state=request.state.as_str()>
            <p>
                <span class=format!("badge {class}")>
                    <span aria-hidden="true">{icon}</span>
                    " "
                    {state}
                </span>
                " "
                <strong>{what(&request)}</strong>
            </p>
            <p class="muted">
                "Requested by " {request.requested_by.clone()} ", " <LocalTime at=request.requested_at />
            </p>
            {detail.map(|d| view! { <p>{d}</p> })}
        </div>
    }
}
