use leptos::prelude::*;

use crate::domain::api_reference::code_spans;

/// A description from the OpenAPI document, its `backticked` parts as code.
#[component]
pub fn RichText(text: String) -> impl IntoView {
    code_spans(&text)
        .into_iter()
        .map(|(piece, is_code)| if is_code { view! { <code>{piece}</code> }.into_any() } else { piece.into_any() })
        .collect_view()
}
