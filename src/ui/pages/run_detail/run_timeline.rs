use leptos::prelude::*;

use crate::domain::format::duration_short;
use crate::domain::timeline::{TimelineEvent, TimelineKind};
use crate::ui::components::local_time::LocalTime;

fn describe(e: &TimelineEvent) -> String {
    let stage = e.stage.map(|s| format!("Stage {s}")).unwrap_or_default();
    match e.kind {
        TimelineKind::Started => format!("Started · {stage}"),
        TimelineKind::StageStarted => stage,
        TimelineKind::Paused => format!("Paused at {stage}"),
        TimelineKind::Resumed => "Resumed".to_string(),
        TimelineKind::Cancelled => format!("Cancelled at {stage}"),
        TimelineKind::Failed => format!("Failed at {stage}"),
        TimelineKind::Completed => "Completed".to_string(),
    }
}

/// The run's events along its time axis, as offsets from the start.
#[component]
pub fn RunTimeline(events: Vec<TimelineEvent>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Timeline"</h2>
            <ol class="timeline">
                {events
                    .into_iter()
                    .map(|e| {
                        view! {
                            <li class=format!("timeline-event event-{:?}", e.kind).to_lowercase()>
                                <span class="timeline-offset" data-testid="timeline-offset">
                                    {format!("+{}", duration_short(Some(e.offset_seconds)))}
                                </span>
                                <span class="timeline-label">{describe(&e)}</span>
                                <span class="muted timeline-time">
                                    <LocalTime at=e.at seconds=true />
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
