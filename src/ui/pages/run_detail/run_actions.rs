use leptos::prelude::*;

/// Logs, exports, print, and the comparison with the site's previous completed run when there
/// is one. Running it again is the request panel's.
#[component]
pub fn RunActions(run_id: String, previous_run_id: Option<String>) -> impl IntoView {
    let base = format!("/api/v1/automation/runs/{run_id}");
    view! {
        <section class="card actions-card" aria-labelledby="actions-title">
            <h2 id="actions-title">"Actions"</h2>
            <ul class="actions">
                {previous_run_id
                    .map(|previous| {
                        view! {
                            <li>
                                <a
                                    class="button secondary"
                                    href=format!("/automation/compare?a={previous}&b={run_id}")
                                >
                                    "Compare with the previous run"
                                </a>
                            </li>
                        }
                    })}
                <li>
                    <a class="button secondary" href="#logs-title">
                        "View logs"
                    </a>
                </li>
                <li>
                    <a class="button secondary" href=format!("{base}/report.csv") download="">
                        "Export CSV"
                    </a>
                </li>
                <li>
                    <a class="button secondary" href=format!("{base}/report.json") download="">
                        "Export JSON"
                    </a>
                </li>
                <li>
                    <button type="button" class="button secondary print-button" data-print="">
                        "Print / Save as PDF"
                    </button>
                </li>
            </ul>
        </section>
    }
}
