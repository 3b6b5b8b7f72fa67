use leptos::prelude::*;

use super::body_content::BodyContent;
use super::rich_text::RichText;
use crate::domain::api_reference::Response;

/// What an endpoint answers, status by status, with the schema of each body.
#[component]
pub fn ResponseTable(responses: Vec<Response>) -> impl IntoView {
    view! {
        <table class="api-table">
            <thead>
                <tr>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Meaning"</th>
                    <th scope="col">"Body"</th>
                </tr>
            </thead>
            <tbody>
                {responses
                    .into_iter()
                    .map(|r| {
                        view! {
                            <tr>
                                <th scope="row">
                                    <code>{r.status}</code>
                                </th>
                                <td data-label="Meaning">
                                    <RichText text=r.description />
                                </td>
                                <td data-label="Body">
                                    <BodyContent content=r.content />
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
