use leptos::prelude::*;

use crate::domain::requests::{RequestKind, RunRequest};
use crate::paths;

/// Where a run came from when a user asked for it in the app: the request, and the run it
/// repeats.
#[component]
pub fn StartedFromRequest(request: RunRequest) -> impl IntoView {
    let source = request.source_run_id.clone().map(|id| {
        let what = match (request.kind, request.stage) {
            (RequestKind::RetryStage, Some(stage)) => format!("a retry of stage {stage} of "),
            _ => "a re-run of ".to_string(),
        };
        view! {
            ", " {what} <a href=paths::run_path(&id) data-testid="source-run-link">
                {id.clone()}
            </a>
        }
    });
    view! {
        <p class="notice started-from" data-testid="started-from-request">
            {format!("Started from run request #{} by {}", request.id, request.requested_by)}
            {source}
            "."
        </p>
    }
}
