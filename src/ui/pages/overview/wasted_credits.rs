use leptos::prelude::*;

use crate::domain::format::thousands;

use super::trend_line::trend_line;

/// The 30 days the last 30 are compared with.
const PREVIOUS_30_DAYS: &str = "the 30 days before";

/// Credits spent on runs that failed or were cancelled in the last 30 days, against the 30
/// days before: money that bought nothing.
#[component]
pub fn WastedCreditsCard(wasted: u64, previous: u64) -> impl IntoView {
    let change = i128::from(wasted) - i128::from(previous);
    let trend = trend_line(Some(change as f64), false, PREVIOUS_30_DAYS, move |_| {
        let word = if change < 0 { "less" } else { "more" };
        format!("{} cr {word} than {PREVIOUS_30_DAYS}", thousands(change.abs()))
    });
    view! {
        <article class="stat-card" aria-labelledby="stat-wasted">
            <h3 class="stat-label" id="stat-wasted">"Credits wasted on failed and cancelled runs"</h3>
            <p class="stat-value" data-testid="wasted-credits">{format!("{} cr", thousands(wasted.into()))}</p>
            {trend}
            <p class="stat-note">
                {format!("{} cr in {PREVIOUS_30_DAYS}", thousands(previous.into()))}
            </p>
        </article>
    }
}
