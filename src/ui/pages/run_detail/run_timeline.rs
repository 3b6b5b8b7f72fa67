use leptos::prelude::*;

use crate::domain::format::duration_short;
use crate::domain::timeline::{TimelineEvent, TimelineKind};
use crate::ui::components::local_time::LocalTime;
use crate::ui::components::phone_collapsible::PhoneCollapsible;

/// What an event says, as the run page's and the compare page's timelines name it.
pub fn describe(e: &TimelineEvent) -> String {
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

/// The run's events along its time axis, as offsets from the start; each names its date only
/// where the date changes.
#[component]
pub fn RunTimeline(events: Vec<TimelineEvent>) -> impl IntoView {
    let previous: Vec<Option<chrono::DateTime<chrono::Utc>>> =
        std::iter::once(None).chain(events.iter().map(|e| Some(e.at))).collect();
    view! {
        <section class="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Timeline"</h2>
            <PhoneCollapsible heading_id="timeline-title" title="Timeline">
                <ol class="timeline">
                    {events
                        .into_iter()
                        .zip(previous)
                        .map(|(e, after)| {
                            view! {
                                <li class=format!("timeline-event event-{:?}", e.kind).to_lowercase()>
                                    <span class="timeline-offset" data-testid="timeline-offset">
                                        {format!("+{}", duration_short(Some(e.offset_seconds)))}
                                    </span>
                                    <span class="timeline-label">{describe(&e)}</span>
                                    <span class="muted timeline-time">
                                        <LocalTime at=e.at seconds=true after />
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </PhoneCollapsible>
        </section>
    }
}
