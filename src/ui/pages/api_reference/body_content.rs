use leptos::prelude::*;

use super::type_label::TypeLabelView;
use crate::domain::api_reference::MediaType;

/// A body's media types and schemas, one a line; nothing for an empty body.
#[component]
pub fn BodyContent(content: Vec<MediaType>) -> impl IntoView {
    (!content.is_empty()).then(|| {
        view! {
            <ul class="api-media">
                {content
                    .into_iter()
                    .map(|m| {
                        view! {
                            <li>
                                <span class="muted">{m.media_type}</span>
                                {m.schema.map(|label| view! { " " <TypeLabelView label /> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}
