use leptos::prelude::*;

use super::rich_text::RichText;
use super::type_label::TypeLabelView;
use crate::domain::api_reference::{schema_anchor, Field, SchemaDoc};

/// A component schema: what it is, its allowed values, and its fields.
#[component]
pub fn SchemaTable(schema: SchemaDoc) -> impl IntoView {
    let SchemaDoc { name, description, shape, fields, values } = schema;
    let anchor = schema_anchor(&name);
    let title_id = format!("{anchor}-title");
    let labelled_by = title_id.clone();
    // "object" says nothing the field table does not.
    let shape =
        (shape.plain() != "object").then(|| view! { <p class="api-shape">"Type: " <TypeLabelView label=shape /></p> });
    let values = (!values.is_empty()).then(|| {
        view! {
            <p class="api-values">
                "Values: "
                {values
                    .into_iter()
                    .enumerate()
                    .map(|(i, value)| view! { {(i > 0).then_some(", ")} <code>{value}</code> })
                    .collect_view()}
            </p>
        }
    });
    let table = (!fields.is_empty()).then(|| {
        view! {
            <table class="api-table">
                <thead>
                    <tr>
                        <th scope="col">"Field"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Presence"</th>
                        <th scope="col">"Description"</th>
                    </tr>
                </thead>
                <tbody>{fields.into_iter().map(field_row).collect_view()}</tbody>
            </table>
        }
    });
    view! {
        <section class="card api-schema" id=anchor aria-labelledby=labelled_by>
            <h3 id=title_id>
                <code>{name}</code>
            </h3>
            {description.map(|text| view! { <p><RichText text /></p> })}
            {shape}
            {values}
            {table}
        </section>
    }
}

fn field_row(field: Field) -> impl IntoView {
    let presence = match (field.other_fields, field.required, field.nullable) {
        (true, _, _) => "optional",
        (false, true, false) => "required",
        (false, true, true) => "required, may be null",
        (false, false, false) => "optional",
        (false, false, true) => "optional, may be null",
    };
    let name = if field.other_fields {
        let of = if field.name.is_empty() { String::new() } else { format!("{}: ", field.name) };
        view! { <em>{of}"any other fields"</em> }.into_any()
    } else {
        view! { <code>{field.name}</code> }.into_any()
    };
    view! {
        <tr class=field.other_fields.then_some("api-other-fields")>
            <th scope="row">{name}</th>
            <td data-label="Type">
                <TypeLabelView label=field.type_label />
            </td>
            <td data-label="Presence">{presence}</td>
            <td data-label="Description">
                <RichText text=field.description.unwrap_or_default() />
            </td>
        </tr>
    }
}
