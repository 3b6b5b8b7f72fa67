use leptos::prelude::*;

/// A new installation: no site to show yet.
#[component]
pub fn NoSites() -> impl IntoView {
    view! {
        <section class="card empty-state" aria-labelledby="welcome-title">
            <h2 id="welcome-title">"Welcome: no runs loaded yet"</h2>
            <p>"Load your automation engine's run history (NDJSON, one record a line):"</p>
            <pre>
                <code>"automation-runs import runs.ndjson"</code>
            </pre>
            <p>
                "Or try the demo data: " <code>"automation-runs demo"</code>
                ", then reload this page."
            </p>
        </section>
    }
}
