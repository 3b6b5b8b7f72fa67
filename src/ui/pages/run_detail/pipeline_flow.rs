use leptos::prelude::*;

use crate::domain::format::{duration_short, thousands};
use crate::domain::run_detail::StageDetail;
use crate::domain::stage::StageNumber;
use crate::domain::stage_status::StageStatus;
use crate::ui::components::phone_collapsible::PhoneCollapsible;
use crate::ui::components::scroll_region::ScrollRegion;

/// The seven stages as connected boxes: what went in, what came out, credits and time. The
/// stage an active run is in is the current step, marked by more than its colour.
#[component]
pub fn PipelineFlow(stages: Vec<StageDetail>) -> impl IntoView {
    let last = stages.len().saturating_sub(1);
    view! {
        <section class="card" aria-labelledby="flow-title">
            <h2 id="flow-title">"Pipeline flow"</h2>
            <PhoneCollapsible heading_id="flow-title" title="Pipeline flow">
                <ScrollRegion label="Pipeline flow, scrolls sideways" class="flow-scroll">
                    <ol class="flow">
                        {stages
                            .into_iter()
                            .enumerate()
                            .map(|(i, s)| {
                                let current = matches!(s.status, StageStatus::Running | StageStatus::Paused);
                                // A stage still to finish says so, rather than N/A.
                                let waiting = match s.status {
                                    StageStatus::Running => Some("In progress"),
                                    StageStatus::Paused => Some("Waiting to resume"),
                                    StageStatus::Pending => Some("Not started"),
                                    _ => None,
                                };
                                let body = match (&s.result, StageNumber::from_u8(s.number), waiting) {
                                    (Some(r), Some(n), _) => view! {
                                        <p class="flow-io">
                                            {n.def().input_unit.count(r.input_count)}
                                            <span aria-hidden="true">" ↓ "</span>
                                            <span class="visually-hidden">" to "</span>
                                            {n.def().output_unit.count(r.output_count)}
                                        </p>
                                        <p class="flow-meta">
                                            {format!("{} cr · {}", thousands(r.credits_used.into()), duration_short(Some(r.time_elapsed_seconds as i64)))}
                                        </p>
                                    }
                                    .into_any(),
                                    (None, _, Some(text)) => view! { <p class="flow-io flow-waiting">{text}</p> }.into_any(),
                                    _ => view! { <p class="flow-io">"N/A"</p> }.into_any(),
                                };
                                view! {
                                    <li
                                        class=format!("flow-stage stage-{}", s.status.as_str())
                                        data-stage=s.number
                                        aria-current=current.then_some("step")
                                    >
                                        <h3>{format!("Stage {}", s.number)}</h3>
                                        <p class="flow-name">{s.name.clone()}</p>
                                        {body}
                                        <p class="flow-status">
                                            {current.then(|| view! { <span class="flow-now" aria-hidden="true"></span> })}
                                            {s.status.label()}
                                        </p>
                                    </li>
                                    {(i < last).then(|| view! { <li class="flow-arrow" aria-hidden="true">"→"</li> })}
                                }
                            })
                            .collect_view()}
                    </ol>
                </ScrollRegion>
            </PhoneCollapsible>
        </section>
    }
}
