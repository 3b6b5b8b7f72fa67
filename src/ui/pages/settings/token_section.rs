use leptos::prelude::*;

use super::token_row::TokenRow;
use crate::domain::team::TokensPanel;
use crate::paths;
use crate::ui::components::scroll_region::ScrollRegion;

/// The owner's API tokens: a new one (its secret shown once), and the list with last use and
/// revocation.
#[component]
pub fn TokenSection(panel: TokensPanel, saved: Option<String>, error: Option<String>) -> impl IntoView {
    let csrf = panel.csrf_token;
    let secret = panel.revealed_secret.map(|secret| {
        view! {
            <div class="notice secret-reveal" role="status">
                <p>
                    <strong>"New token, shown this once."</strong>
                    " Send it as " <code>"Authorization: Bearer …"</code> ". Store it now:"
                </p>
                <p>
                    <code class="secret" data-testid="token-secret">{secret}</code>
                </p>
            </div>
        }
    });
    let notice = saved.map(|what| {
        let text = if what == "token-revoked" { "Token revoked." } else { "Token created." };
        view! { <p class="form-notice" role="status" data-testid="token-form-saved">{text}</p> }
    });
    let rows = panel.tokens.into_iter().map(|token| view! { <TokenRow token csrf=csrf.clone() /> }).collect_view();
    view! {
        <section class="card settings-section" aria-labelledby="tokens-title">
            <h2 id="tokens-title">"API tokens"</h2>
            <p class="muted">
                "For scripts and the automation engine. A read token may call every GET of the API; an ingest \
                 token may also report runs and answer run requests."
            </p>
            {error.map(|m| view! { <p class="form-error" role="alert" data-testid="token-form-error">{m}</p> })}
            {notice}
            {secret}
            <form method="post" action=paths::TOKEN_CREATE_FORM class="settings-form">
                <input type="hidden" name="csrf_token" value=csrf.clone() />
                <label for="token-name">"Name"</label>
                <input id="token-name" name="name" type="text" maxlength="100" autocomplete="off" required />
                <label for="token-scope">"Scope"</label>
                <select id="token-scope" name="scope">
                    <option value="read" selected>"read"</option>
                    <option value="ingest">"ingest"</option>
                </select>
                <button type="submit" class="button">
                    "Create token"
                </button>
            </form>
            <ScrollRegion label="API tokens of the account">
                <table class="token-table stack-table">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Scope"</th>
                            <th scope="col">"Created"</th>
                            <th scope="col">"Last used"</th>
                            <th scope="col">"Revoke"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </ScrollRegion>
        </section>
    }
}
