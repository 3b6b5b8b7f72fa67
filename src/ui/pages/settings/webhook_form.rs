use leptos::prelude::*;

use crate::domain::alerts::AlertsPanel;
use crate::paths;

/// What the form says after the server refused a webhook, by the error code it redirected with.
pub fn webhook_form_error(code: &str) -> String {
    match code {
        "bad_request" => "Not saved: the webhook must be an http:// or https:// URL of a host this server allows, \
                          without a user name or password."
            .to_string(),
        "forbidden" => "Not saved: only an owner of the account may change the webhook.".to_string(),
        "rate_limited" => "Not saved: too many changes in a short time. Try again in 15 minutes.".to_string(),
        "unavailable" => "Not saved: the database is not reachable just now. Try again in a moment.".to_string(),
        _ => "Not saved: something went wrong on our side. Try again.".to_string(),
    }
}

/// The alerts' webhook: where alerts are POSTed, its signing secret once after it was set, and
/// the forms that set and remove it (plain posts, redirected back here).
#[expect(clippy::too_many_lines, reason = "one card: the webhook form and its test-delivery form")]
#[component]
pub fn WebhookForm(panel: AlertsPanel, saved: bool, error: Option<String>) -> impl IntoView {
    let url = panel.alerts.webhook_url.clone();
    let current = match &url {
        Some(url) => view! {
            <p data-testid="webhook-current">"Alerts are sent to " <code>{url.clone()}</code> "."</p>
        }
        .into_any(),
        None => view! {
            <p data-testid="webhook-current">
                "No webhook is set: alerts show in the notices below only."
            </p>
        }
        .into_any(),
    };
    let secret = panel.revealed_secret.map(|secret| {
        view! {
            <div class="notice secret-reveal" role="status">
                <p>
                    <strong>"Signing secret, shown this once."</strong>
                    " Each alert carries "
                    <code>"X-Automation-Signature: sha256=…"</code>
                    ", the HMAC-SHA256 of the request body with this key. Store it now:"
                </p>
                <p>
                    <code class="secret" data-testid="webhook-secret">{secret}</code>
                </p>
            </div>
        }
    });
    let csrf = panel.csrf_token;
    let can_change = panel.can_change;
    view! {
        <section class="card settings-section" aria-labelledby="webhook-title">
            <h2 id="webhook-title">"Alerts webhook"</h2>
            <p class="muted">
                "Each alert (budget at risk or over, a balance below the next run's buffer, a failed run) is \
                 POSTed as JSON to this URL, and retried for up to 24 hours until it answers 2xx."
            </p>
            {error.map(|m| view! { <p class="form-error" role="alert" data-testid="webhook-form-error">{m}</p> })}
            {saved.then(|| view! { <p class="form-notice" role="status" data-testid="webhook-form-saved">"Webhook saved."</p> })}
            {current}
            {secret}
            {(!can_change).then(|| view! { <p class="muted" data-testid="webhook-owners-only">"Only an owner of the account may change the webhook."</p> })}
            {can_change.then(|| view! {
            <form method="post" action=paths::ALERTS_FORM class="settings-form">
                <input type="hidden" name="csrf_token" value=csrf.clone() />
                <label for="webhook-url">"Webhook URL"</label>
                <input
                    id="webhook-url"
                    name="webhook_url"
                    type="url"
                    inputmode="url"
                    placeholder="https://example.com/hooks/automation"
                    required
                    value=url.clone().unwrap_or_default()
                />
                <button type="submit" class="button">
                    {if url.is_some() { "Save and issue a new secret" } else { "Save webhook" }}
                </button>
            </form>
            })}
            {(url.is_some() && can_change)
                .then(|| {
                    view! {
                        <form method="post" action=paths::ALERTS_FORM class="settings-form inline-form">
                            <input type="hidden" name="csrf_token" value=csrf />
                            <input type="hidden" name="webhook_url" value="" />
                            <button type="submit" class="button secondary">
                                "Remove webhook"
                            </button>
                        </form>
                    }
                })}
        </section>
    }
}
