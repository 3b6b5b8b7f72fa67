use leptos::prelude::*;

use crate::domain::insights::{Insight, InsightLevel};

/// What stands out in the run, each with the figures it rests on.
#[component]
pub fn InsightsPanel(insights: Vec<Insight>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="insights-title">
            <h2 id="insights-title">"Insights"</h2>
            <ul class="insights-list">
                {insights
                    .into_iter()
                    .map(|i| {
                        let (icon, class, word) = match i.level {
                            InsightLevel::Info => ("ℹ", "insight-info", "Note"),
                            InsightLevel::Warning => ("⚠", "insight-warning", "Warning"),
                            InsightLevel::Error => ("✗", "insight-error", "Error"),
                        };
                        view! {
                            <li class=class>
                                <span aria-hidden="true">{icon}" "</span>
                                <span class="visually-hidden">{word}": "</span>
                                {i.message}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
