use leptos::prelude::*;

use super::page::MIN_RUNS;

/// Said instead of the charts when the range holds too few completed runs to draw.
#[component]
pub fn TooFewRuns(domain: String, runs: usize, days: u32) -> impl IntoView {
    view! {
        <section class="card empty-state" data-testid="trends-empty">
            <h2>"Too few runs for trends"</h2>
            <p>
                {format!(
                    "{domain} has {runs} completed run{} in the last {days} days; trends need at least {MIN_RUNS}. Try a longer range.",
                    if runs == 1 { "" } else { "s" },
                )}
            </p>
        </section>
    }
}
