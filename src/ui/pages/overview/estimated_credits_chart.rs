use leptos::prelude::*;

use crate::domain::format::thousands;
use crate::domain::prediction::Prediction;
use crate::domain::view::ThemedSvg;

/// The bar chart's name: the image's words, with what it marks besides the bars.
pub fn chart_label(prediction: &Prediction) -> String {
    let mut label = "Estimated credits by stage".to_string();
    if let Some(range) = prediction.likely_range {
        label += &format!(", likely {}–{} in total", thousands(range.low.into()), thousands(range.high.into()));
    }
    if let Some(stage) = prediction.runs_out_at_stage {
        label += &format!("; the balance runs out in stage {stage}");
    }
    label
}

/// The estimated credits by stage as bars, in the colours of the page's theme.
#[component]
pub fn EstimatedCreditsChart(svg: ThemedSvg, label: String) -> impl IntoView {
    view! {
        <figure class="chart-figure">
            <div class="chart-light" role="img" aria-label=label.clone() inner_html=svg.light></div>
            <div class="chart-dark" role="img" aria-label=label inner_html=svg.dark></div>
            <figcaption class="muted">"Estimated credits by stage (the table above has the figures)"</figcaption>
        </figure>
    }
}
