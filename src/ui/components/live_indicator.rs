use leptos::prelude::*;

use crate::ui::live::LiveState;

/// Whether the page follows the engine: "Live" while its event stream is connected,
/// "Reconnecting…" when the stream has dropped. The status region is always in the page, so a
/// screen reader hears each change; the words carry the state, the dot's colour only repeats it.
/// Nothing shows on the server or without JavaScript, where the page does not follow.
#[component]
pub fn LiveIndicator(state: ReadSignal<LiveState>) -> impl IntoView {
    let badge = move || {
        let (class, icon, text, detail) = match state.get() {
            LiveState::Off => return None,
            LiveState::Connecting => ("live-connecting", "○", "Connecting…", ""),
            LiveState::Live => ("live-on", "●", "Live", ": updates as the engine reports"),
            LiveState::Reconnecting => ("live-reconnecting", "↻", "Reconnecting…", ": updates paused"),
        };
        Some(view! {
            <span class=format!("live-indicator {class}") data-testid="live-indicator">
                <span class="live-dot" aria-hidden="true">{icon}</span>
                {text}
                {(!detail.is_empty()).then(|| view! { <span class="visually-hidden">{detail}</span> })}
            </span>
        })
    };
    view! { <span class="live-status" role="status">{badge}</span> }
}
