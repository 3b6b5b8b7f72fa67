use leptos::prelude::*;

use crate::domain::team::Role;

/// A `<select name="role">` of the three roles with `selected` chosen, labelled by `id`'s label.
#[component]
pub fn RoleSelect(id: String, selected: Role) -> impl IntoView {
    view! {
        <select id=id name="role">
            {Role::ALL
                .into_iter()
                .map(|role| {
                    view! {
                        <option value=role.as_str() selected=role == selected>
                            {role.label()}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}
