use leptos::prelude::*;

use crate::domain::api_reference::{schema_anchor, ApiReference};

/// Links to every endpoint and schema on the page.
#[component]
pub fn Contents(reference: ApiReference) -> impl IntoView {
    view! {
        <nav class="card api-contents" aria-labelledby="api-contents-title">
            <h2 id="api-contents-title">"Contents"</h2>
            <h3>
                <a href="#api-endpoints-title">"Endpoints"</a>
            </h3>
            <ul class="api-contents-endpoints">
                {reference
                    .endpoints
                    .into_iter()
                    .map(|e| {
                        view! {
                            <li>
                                <a href=format!("#{}", e.anchor)>
                                    <span class="api-method">{e.method}</span>
                                    " "
                                    <code>{e.path}</code>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <h3>
                <a href="#api-schemas-title">"Schemas"</a>
            </h3>
            <ul class="api-contents-schemas">
                {reference
                    .schemas
                    .into_iter()
                    .map(|s| {
                        let href = format!("#{}", schema_anchor(&s.name));
                        view! {
                            <li>
                                <a href=href>{s.name}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
