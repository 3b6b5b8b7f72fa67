use leptos::prelude::*;

use super::body_content::BodyContent;
use super::parameter_table::ParameterTable;
use super::response_table::ResponseTable;
use super::rich_text::RichText;
use crate::domain::api_reference::Endpoint;

/// One endpoint: what it does, who may call it, what it takes and what it answers.
#[component]
pub fn EndpointCard(endpoint: Endpoint) -> impl IntoView {
    let Endpoint { anchor, method, path, summary, description, auth, parameters, request_body, responses } = endpoint;
    let title_id = format!("{anchor}-title");
    let labelled_by = title_id.clone();
    let method_class = format!("api-method api-method-{}", method.to_lowercase());
    let auth = if auth.is_empty() {
        "No authorization needed.".to_string()
    } else {
        format!("Authorization: {}.", auth.join(" or "))
    };
    view! {
        <article class="card api-endpoint" id=anchor aria-labelledby=labelled_by>
            <h3 id=title_id class="api-endpoint-title">
                <span class=method_class>{method}</span>
                " "
                <code class="api-path">{path}</code>
            </h3>
            {summary.map(|text| view! { <p class="api-summary"><RichText text /></p> })}
            {description.map(|text| view! { <p><RichText text /></p> })}
            <p class="muted api-auth">{auth}</p>
            <h4>"Parameters"</h4>
            {if parameters.is_empty() {
                view! { <p class="muted">"None."</p> }.into_any()
            } else {
                view! { <ParameterTable parameters /> }.into_any()
            }}
            {request_body
                .map(|body| {
                    view! {
                        <h4>{if body.required { "Request body (required)" } else { "Request body (optional)" }}</h4>
                        {body.description.map(|text| view! { <p><RichText text /></p> })}
                        <BodyContent content=body.content />
                    }
                })}
            <h4>"Responses"</h4>
            <ResponseTable responses />
        </article>
    }
}
