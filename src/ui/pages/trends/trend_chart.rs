use leptos::prelude::*;

use crate::domain::overview::ThemedSvg;

/// One server-drawn trend chart, in the theme the page shows, with what it means in words.
#[component]
pub fn TrendChart(svg: ThemedSvg, #[prop(into)] caption: String, #[prop(into)] testid: String) -> impl IntoView {
    view! {
        <figure class="chart-figure trend-figure" data-testid=testid>
            <div class="chart-light" inner_html=svg.light></div>
            <div class="chart-dark" inner_html=svg.dark></div>
            <figcaption>{caption}</figcaption>
        </figure>
    }
}
