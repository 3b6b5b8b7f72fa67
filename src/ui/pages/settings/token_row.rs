use leptos::prelude::*;

use crate::domain::team::{TokenScope, TokenView};
use crate::paths;
use crate::ui::components::local_time::LocalTime;

fn scope_label(scope: TokenScope) -> &'static str {
    match scope {
        TokenScope::Read => "read",
        TokenScope::Ingest => "ingest (the engine's)",
    }
}

/// One API token: name, scope, when it was made and last used, and its revoke button (or when
/// it was revoked).
#[component]
pub fn TokenRow(token: TokenView, csrf: String) -> impl IntoView {
    let t = token;
    let revoke = match t.revoked_at {
        Some(at) => view! { <span class="muted">"revoked " <LocalTime at /></span> }.into_any(),
        None => view! {
            <form method="post" action=paths::TOKEN_REVOKE_FORM class="inline-form">
                <input type="hidden" name="csrf_token" value=csrf />
                <input type="hidden" name="token_id" value=t.id.to_string() />
                <button type="submit" class="button secondary small" aria-label=format!("Revoke {}", t.name)>
                    "Revoke"
                </button>
            </form>
        }
        .into_any(),
    };
    let name = t.name.clone();
    view! {
        <tr data-testid="api-token" data-name=name data-revoked=t.revoked_at.is_some().to_string()>
            <th scope="row">{t.name}</th>
            <td data-label="Scope">{scope_label(t.scope)}</td>
            <td data-label="Created">
                <LocalTime at=t.created_at />
            </td>
            <td data-label="Last used">
                {match t.last_used_at {
                    Some(at) => view! { <LocalTime at /> }.into_any(),
                    None => view! { <span class="muted">"never"</span> }.into_any(),
                }}
            </td>
            <td data-label="Revoke">{revoke}</td>
        </tr>
    }
}
