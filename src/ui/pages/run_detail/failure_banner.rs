use leptos::prelude::*;

use crate::domain::run_detail::StageDetail;

/// The banner of a failed run: which stage failed and the engine's error.
#[component]
pub fn FailureBanner(stage: Option<StageDetail>, error_message: Option<String>) -> impl IntoView {
    let title =
        stage.map_or_else(|| "The run failed".to_string(), |s| format!("Stage {} ({}) failed", s.number, s.name));
    view! {
        <section class="error-banner" role="alert" aria-labelledby="failure-title">
            <h2 id="failure-title">
                <span aria-hidden="true">"✗ "</span>
                {title}
            </h2>
            <p>{error_message.unwrap_or_else(|| "No error message was recorded.".to_string())}</p>
        </section>
    }
}
