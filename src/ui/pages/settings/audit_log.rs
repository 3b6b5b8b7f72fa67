use leptos::prelude::*;

use crate::domain::team::AuditEntry;
use crate::ui::components::local_time::LocalTime;
use crate::ui::components::scroll_region::ScrollRegion;

/// The account's last 100 changes: who, what, when (also `GET /api/v1/audit`).
#[component]
pub fn AuditLog(entries: Vec<AuditEntry>) -> impl IntoView {
    let body = if entries.is_empty() {
        view! { <p>"No changes on record yet."</p> }.into_any()
    } else {
        let rows = entries
            .into_iter()
            .map(|e| {
                let what = [e.target, e.detail].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                view! {
                    <tr data-testid="audit-entry" data-action=e.action.as_str()>
                        <td data-label="When">
                            <LocalTime at=e.at />
                        </td>
                        <td data-label="Who">{e.actor}</td>
                        <td data-label="What">{e.action.label()}</td>
                        <td data-label="Details">{what}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <ScrollRegion label="Audit log">
                <table class="audit-table stack-table">
                    <thead>
                        <tr>
                            <th scope="col">"When"</th>
                            <th scope="col">"Who"</th>
                            <th scope="col">"What"</th>
                            <th scope="col">"Details"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </ScrollRegion>
        }
        .into_any()
    };
    view! {
        <section class="card settings-section" aria-labelledby="audit-title">
            <h2 id="audit-title">"Audit log"</h2>
            {body}
        </section>
    }
}
