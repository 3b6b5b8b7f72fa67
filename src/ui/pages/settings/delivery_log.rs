use leptos::prelude::*;

use crate::domain::alerts::{Alert, Delivery, DeliveryState};
use crate::ui::components::local_time::LocalTime;
use crate::ui::components::scroll_region::ScrollRegion;

fn state_label(state: DeliveryState) -> (&'static str, &'static str) {
    match state {
        DeliveryState::Delivered => ("Delivered", "success"),
        DeliveryState::Pending => ("Retrying", "warning"),
        DeliveryState::GivenUp => ("Given up", "danger"),
    }
}

/// Every attempt to send an alert to the webhook: its state, the receiver's last status code
/// or error, and when it is tried next.
#[component]
pub fn DeliveryLog(deliveries: Vec<Delivery>, alerts: Vec<Alert>) -> impl IntoView {
    let body = if deliveries.is_empty() {
        view! { <p data-testid="delivery-log-empty">"Nothing has been sent to a webhook yet."</p> }.into_any()
    } else {
        let rows = deliveries
            .into_iter()
            .map(|d| {
                let (label, tone) = state_label(d.state);
                let alert = alerts.iter().find(|a| a.id == d.alert_id).map(|a| a.message.clone());
                let answer = match (d.last_status, d.last_error) {
                    (Some(status), _) => status.to_string(),
                    (None, Some(error)) => error,
                    (None, None) => "–".to_string(),
                };
                view! {
                    <tr data-state=d.state.as_str()>
                        <td data-label="Sent">
                            <LocalTime at=d.created_at />
                        </td>
                        <td data-label="Alert">{alert.unwrap_or_else(|| format!("Alert {}", d.alert_id))}</td>
                        <td data-label="State">
                            <span class=format!("badge tone-{tone}")>{label}</span>
                        </td>
                        <td data-label="Attempts">{d.attempts}</td>
                        <td data-label="Last answer" data-testid="delivery-status">{answer}</td>
                        <td data-label="Next attempt">
                            {d.next_attempt_at.map(|at| view! { <LocalTime at=at /> })}
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <ScrollRegion label="Webhook deliveries">
                <table class="delivery-log stack-table">
                    <thead>
                        <tr>
                            <th scope="col">"Sent"</th>
                            <th scope="col">"Alert"</th>
                            <th scope="col">"State"</th>
                            <th scope="col">"Attempts"</th>
                            <th scope="col">"Last answer"</th>
                            <th scope="col">"Next attempt"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </ScrollRegion>
        }
        .into_any()
    };
    view! {
        <section class="card settings-section" aria-labelledby="deliveries-title">
            <h2 id="deliveries-title">"Webhook deliveries"</h2>
            {body}
        </section>
    }
}
