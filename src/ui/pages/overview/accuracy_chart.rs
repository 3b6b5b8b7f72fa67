use leptos::prelude::*;

use crate::domain::view::ThemedSvg;

/// The backtest's runs, estimated against actual credits. Unlike the other charts it is not
/// one image: each point is a link to its run, so the SVG keeps its own group role and names.
#[component]
pub fn AccuracyChart(svg: ThemedSvg) -> impl IntoView {
    view! {
        <figure class="chart-figure accuracy-figure" data-testid="accuracy-chart">
            <div class="chart-light" inner_html=svg.light></div>
            <div class="chart-dark" inner_html=svg.dark></div>
            <figcaption class="muted">
                "Each dot is a past run: the estimate made just before it against what it used. Filled dots landed in the likely range, hollow ones outside it; on the dashed line the estimate was exact. Select a dot to open its run."
            </figcaption>
        </figure>
    }
}
