use leptos::prelude::*;

use super::role_select::RoleSelect;
use crate::domain::team::TeamMember;
use crate::paths;
use crate::ui::components::local_time::LocalTime;
use crate::ui::components::scroll_region::ScrollRegion;

/// The account's users: role (changed with a small form per user), last sign-in, and removal.
/// The server refuses what would leave the account without an owner, whatever is picked here.
#[component]
pub fn TeamMembers(members: Vec<TeamMember>, csrf_token: String) -> impl IntoView {
    let rows = members
        .into_iter()
        .map(|m| {
            let select_id = format!("role-of-{}", m.id);
            let user_id = m.id.to_string();
            let you = m.is_you.then_some(" (you)");
            view! {
                <tr data-testid="team-member" data-email=m.email.clone() data-role=m.role.as_str()>
                    <th scope="row">{m.email.clone()} {you}</th>
                    <td data-label="Role">
                        <form method="post" action=paths::ROLE_FORM class="inline-form row-form">
                            <input type="hidden" name="csrf_token" value=csrf_token.clone() />
                            <input type="hidden" name="user_id" value=user_id.clone() />
                            <label class="visually-hidden" for=select_id.clone()>
                                {format!("Role of {}", m.email)}
                            </label>
                            <RoleSelect id=select_id selected=m.role />
                            <button type="submit" class="button secondary small">
                                "Change role"
                            </button>
                        </form>
                    </td>
                    <td data-label="Last sign-in">
                        {match m.last_sign_in_at {
                            Some(at) => view! { <LocalTime at /> }.into_any(),
                            None => view! { <span class="muted">"never"</span> }.into_any(),
                        }}
                    </td>
                    <td data-label="Remove">
                        <form method="post" action=paths::REMOVE_FORM class="inline-form">
                            <input type="hidden" name="csrf_token" value=csrf_token.clone() />
                            <input type="hidden" name="user_id" value=user_id />
                            <button type="submit" class="button secondary small" aria-label=format!("Remove {}", m.email)>
                                "Remove"
                            </button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <ScrollRegion label="Users of the account">
            <table class="team-table stack-table">
                <thead>
                    <tr>
                        <th scope="col">"User"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Last sign-in"</th>
                        <th scope="col">"Remove"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </ScrollRegion>
    }
}
