use leptos::prelude::*;

use crate::domain::alerts::{Alert, AlertKind};
use crate::paths;
use crate::ui::components::local_time::LocalTime;

/// How an alert reads in a list: a word for its kind beside its message.
fn kind_label(kind: AlertKind) -> (&'static str, &'static str) {
    match kind {
        AlertKind::BudgetOver => ("Over budget", "danger"),
        AlertKind::BudgetAtRisk => ("Budget at risk", "warning"),
        AlertKind::BalanceLow => ("Low balance", "warning"),
        AlertKind::RunFailed => ("Run failed", "danger"),
    }
}

/// The account's newest alerts, as the webhook receives them: the same notices in the app, so
/// an account without a webhook still hears of them.
#[component]
pub fn AlertNotices(
    alerts: Vec<Alert>,
    /// At most this many, newest first; the rest are in the settings.
    limit: usize,
    /// Offer the link to all of them (where the list is a summary).
    #[prop(optional)]
    link_to_settings: bool,
) -> impl IntoView {
    let more = alerts.len() > limit;
    let empty = alerts.is_empty();
    let items = alerts
        .into_iter()
        .take(limit)
        .map(|alert| {
            let (label, tone) = kind_label(alert.kind);
            view! {
                <li class="alert-notice" data-kind=alert.kind.as_str()>
                    <span class=format!("badge tone-{tone}")>{label}</span>
                    " "
                    <span class="alert-message">{alert.message}</span>
                    " "
                    <span class="muted">
                        <LocalTime at=alert.created_at />
                    </span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card alert-notices" aria-labelledby="notices-title" data-testid="alert-notices">
            <div class="section-header">
                <h2 id="notices-title">"Notices"</h2>
                <p class="muted">"Budget, balance and failed-run alerts of the account"</p>
            </div>
            {if empty {
                view! { <p data-testid="alert-notices-empty">"No alerts yet."</p> }.into_any()
            } else {
                view! { <ul class="alert-list">{items}</ul> }.into_any()
            }}
            {(link_to_settings && more)
                .then(|| view! { <p><a href=paths::SETTINGS>"All notices and the webhook in Settings"</a></p> })}
        </section>
    }
}
