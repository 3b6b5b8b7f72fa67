use leptos::prelude::*;

use crate::domain::view::ThemedSvg;

/// One server-drawn trend chart, in the theme the page shows, with what it means in words.
///
/// Its time axis needs room: on a phone the chart keeps a readable width and scrolls sideways
/// inside its own box (which takes keyboard focus, so it scrolls without a pointer too) rather
/// than shrinking its labels to a few pixels or widening the page. It opens at its start, where its value axis is.
#[component]
pub fn TrendChart(svg: ThemedSvg, #[prop(into)] caption: String, #[prop(into)] testid: String) -> impl IntoView {
    view! {
        <figure class="chart-figure trend-figure" data-testid=testid>
            <div class="chart-scroll" tabindex="0" role="region" aria-label=caption.clone()>
                <div class="chart-light" inner_html=svg.light></div>
                <div class="chart-dark" inner_html=svg.dark></div>
            </div>
            <figcaption>
                {caption} <span class="chart-scroll-hint">" Scroll it sideways for the newest runs."</span>
            </figcaption>
        </figure>
    }
}
