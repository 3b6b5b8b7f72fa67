use leptos::prelude::*;

use crate::domain::api_reference::{schema_anchor, TypeLabel};

/// A type as the tables show it; the names of component schemas link to their tables.
#[component]
pub fn TypeLabelView(label: TypeLabel) -> impl IntoView {
    view! {
        <span class="api-type">
            {label
                .parts
                .into_iter()
                .map(|part| match part.schema {
                    Some(name) => view! { <a href=format!("#{}", schema_anchor(&name))>{part.text}</a> }.into_any(),
                    None => part.text.into_any(),
                })
                .collect_view()}
        </span>
    }
}
