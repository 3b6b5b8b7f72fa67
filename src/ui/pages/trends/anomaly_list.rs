use leptos::prelude::*;

use crate::domain::run::run_title;
use crate::domain::trends::Anomaly;
use crate::paths;

/// The anomalies a chart marks, in words, each with a link to its run; newest first.
#[component]
pub fn AnomalyList(anomalies: Vec<Anomaly>, domain: String) -> impl IntoView {
    if anomalies.is_empty() {
        return view! { <p class="muted">"No run stands out in this range."</p> }.into_any();
    }
    view! {
        <ul class="anomaly-list" data-testid="anomaly-list">
            {anomalies
                .into_iter()
                .map(|a| {
                    let title = run_title(&domain, a.run_number);
                    view! {
                        <li>
                            <span aria-hidden="true" class="anomaly-symbol">"◆"</span>
                            <a href=paths::run_path(&a.run_id)>{title}</a>
                            ": "
                            {a.summary()}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
