use leptos::prelude::*;

use super::rich_text::RichText;
use super::type_label::TypeLabelView;
use crate::domain::api_reference::Parameter;

/// An endpoint's parameters; on a phone each row stacks, its cells labelled.
#[component]
pub fn ParameterTable(parameters: Vec<Parameter>) -> impl IntoView {
    view! {
        <table class="api-table">
            <thead>
                <tr>
                    <th scope="col">"Parameter"</th>
                    <th scope="col">"In"</th>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Required"</th>
                    <th scope="col">"Description"</th>
                </tr>
            </thead>
            <tbody>
                {parameters
                    .into_iter()
                    .map(|p| {
                        view! {
                            <tr>
                                <th scope="row">
                                    <code>{p.name}</code>
                                </th>
                                <td data-label="In">{p.location}</td>
                                <td data-label="Type">
                                    <TypeLabelView label=p.type_label />
                                </td>
                                <td data-label="Required">{if p.required { "required" } else { "optional" }}</td>
                                <td data-label="Description">
                                    <RichText text=p.description.unwrap_or_default() />
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
