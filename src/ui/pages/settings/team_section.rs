use leptos::prelude::*;

use super::invite_form::InviteForm;
use super::team_members::TeamMembers;
use crate::domain::team::TeamPanel;

/// The owner's team: users and roles, invitations.
#[component]
pub fn TeamSection(panel: TeamPanel, saved: Option<String>, error: Option<String>) -> impl IntoView {
    let notice = saved.map(|what| {
        let text = if what == "invite" { "Invitation created." } else { "Team saved." };
        view! { <p class="form-notice" role="status" data-testid="team-form-saved">{text}</p> }
    });
    view! {
        <section class="card settings-section" aria-labelledby="team-title">
            <h2 id="team-title">"Team"</h2>
            <p class="muted">
                "Owners manage everything; members also start, re-run and retry runs; viewers read only. \
                 An account keeps at least one owner."
            </p>
            {error.map(|m| view! { <p class="form-error" role="alert" data-testid="team-form-error">{m}</p> })}
            {notice}
            <TeamMembers members=panel.members csrf_token=panel.csrf_token.clone() />
            <InviteForm invitations=panel.invitations revealed_link=panel.revealed_link csrf_token=panel.csrf_token />
        </section>
    }
}
