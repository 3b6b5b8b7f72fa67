use crate::paths;
use leptos::prelude::*;

/// Logs, exports, print, and the comparison with the site's previous completed run when there
/// is one. Running it again is the request panel's.
#[component]
pub fn RunActions(run_id: String, previous_run_id: Option<String>) -> impl IntoView {
    let report_csv = paths::api::fill(paths::api::REPORT_CSV, &run_id);
    let report_json = paths::api::fill(paths::api::REPORT_JSON, &run_id);
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
                                    href=paths::compare_path(&previous, &run_id)
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
                    <a class="button secondary" href=report_csv download="">
                        "Export CSV"
                    </a>
                </li>
                <li>
                    <a class="button secondary" href=report_json download="">
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
