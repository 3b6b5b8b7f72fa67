use leptos::prelude::*;
use leptos_meta::Title;

use super::calling_the_api::CallingTheApi;
use super::contents::Contents;
use super::endpoint_card::EndpointCard;
use super::rich_text::RichText;
use super::schema_table::SchemaTable;
use crate::domain::api_reference::{curl_example, ApiReferenceView};
use crate::error::AppError;
use crate::server_fns::get_api_reference;
use crate::ui::components::error_view::{first_app_error, ErrorView};

#[component]
pub fn ApiReferencePage() -> impl IntoView {
    let reference = Resource::new(|| (), |_| get_api_reference());

    let content = move || {
        Suspend::new(async move {
            let ApiReferenceView { origin, account_id, reference: r } = reference.await?;
            let example = r.example_endpoint().map(|e| curl_example(&origin, account_id, &e.path));
            Ok::<_, AppError>(view! {
                <div class="api-reference">
                    <header class="api-reference-header">
                        <h1>"API reference"</h1>
                        <p class="muted">{format!("{} {}", r.title, r.version)}</p>
                        {r.description.clone().map(|text| view! { <p><RichText text /></p> })}
                    </header>
                    <CallingTheApi example />
                    <Contents reference=r.clone() />
                    <section class="api-section" aria-labelledby="api-endpoints-title">
                        <h2 id="api-endpoints-title">"Endpoints"</h2>
                        {r.endpoints.into_iter().map(|endpoint| view! { <EndpointCard endpoint /> }).collect_view()}
                    </section>
                    <section class="api-section" aria-labelledby="api-schemas-title">
                        <h2 id="api-schemas-title">"Schemas"</h2>
                        {r.schemas.into_iter().map(|schema| view! { <SchemaTable schema /> }).collect_view()}
                    </section>
                </div>
            })
        })
    };

    view! {
        <Title text="API reference · Automation Runs" />
        <Suspense fallback=|| view! { <p class="loading">"Loading the API reference…"</p> }>
            <ErrorBoundary fallback=|errors| {
                view! {
                    <h1>"API reference"</h1>
                    <ErrorView error=first_app_error(&errors.get()) />
                }
            }>{content}</ErrorBoundary>
        </Suspense>
    }
}
