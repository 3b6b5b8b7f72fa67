use crate::paths;
use leptos::prelude::*;

/// How to authorize a call, a command to copy, and the raw document for tools.
#[component]
pub fn CallingTheApi(example: Option<String>) -> impl IntoView {
    let example = example.map(|command| {
        view! {
            <pre class="api-example">
                <code>{command}</code>
            </pre>
        }
    });
    view! {
        <section class="card api-calling" aria-labelledby="api-calling-title">
            <h2 id="api-calling-title">"Calling the API"</h2>
            <p>
                "Scripts send " <code>"Authorization: Bearer <token>"</code> " with a token from "
                <code>"automation-runs token create"</code> "."
            </p>
            <p>"In the browser, being signed in is enough: the session authorizes the same calls."</p>
            {example}
            <p>
                // A full page load: the app's router has no page for the JSON.
                <a href=paths::api::OPENAPI rel="external">
                    "The OpenAPI document (JSON)"
                </a>
                ", for client generators and other tools."
            </p>
        </section>
    }
}
