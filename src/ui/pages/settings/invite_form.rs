use leptos::prelude::*;

use super::role_select::RoleSelect;
use crate::domain::team::{PendingInvitation, Role};
use crate::paths;
use crate::ui::components::local_time::LocalTime;

/// Invite by email: with no mail server the owner gets a one-time link, valid 7 days, shown
/// once, to pass on; the invitations not yet used are listed.
#[component]
pub fn InviteForm(
    invitations: Vec<PendingInvitation>,
    revealed_link: Option<String>,
    csrf_token: String,
) -> impl IntoView {
    let link = revealed_link.map(|link| {
        view! {
            <div class="notice secret-reveal" role="status">
                <p>
                    <strong>"Invitation link, shown this once."</strong>
                    " Send it to the invitee: it works once, for 7 days, and lets them set their password."
                </p>
                <p>
                    <code class="secret" data-testid="invitation-link">{link}</code>
                </p>
            </div>
        }
    });
    let pending = (!invitations.is_empty()).then(|| {
        view! {
            <h3>"Invitations not yet used"</h3>
            <ul class="plain-list" data-testid="pending-invitations">
                {invitations
                    .into_iter()
                    .map(|i| {
                        let state = if i.expired { "expired on " } else { "valid until " };
                        view! {
                            <li>
                                {i.email} " · " {i.role.label().to_lowercase()} " · " {state}
                                <LocalTime at=i.expires_at />
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        {link}
        {pending}
        <h3>"Invite someone"</h3>
        <form method="post" action=paths::INVITE_FORM class="settings-form">
            <input type="hidden" name="csrf_token" value=csrf_token />
            <label for="invite-email">"Email"</label>
            <input id="invite-email" name="email" type="email" autocomplete="off" required />
            <label for="invite-role">"Role"</label>
            <RoleSelect id="invite-role".to_string() selected=Role::Member />
            <button type="submit" class="button">
                "Create invitation link"
            </button>
        </form>
    }
}
