use leptos::prelude::*;

use crate::domain::forecast::LikelyRange;
use crate::domain::format::thousands;
use crate::domain::stage::CREDIT;

/// "likely 190–260", or the one figure when every scenario costs the same.
fn likely(range: &LikelyRange) -> String {
    if range.low == range.high {
        format!("likely {}", thousands(range.low.into()))
    } else {
        format!("likely {}–{}", thousands(range.low.into()), thousands(range.high.into()))
    }
}

/// The estimate beside the range it likely falls in: what the pending work would cost at each
/// recent run's own rates, and how many of those costs the range holds.
#[component]
pub fn LikelyCost(total: u64, range: LikelyRange) -> impl IntoView {
    view! {
        <p class="likely-cost" data-testid="likely-range">
            <strong>{CREDIT.count(total)}</strong>
            {format!(", {} ", likely(&range))}
            <span class="muted">
                {format!(
                    "({} of the last {} runs would fall in this range)",
                    range.runs_in_range,
                    range.runs,
                )}
            </span>
        </p>
    }
}
