use leptos::prelude::*;

use super::anomaly_list::AnomalyList;
use super::trend_chart::TrendChart;
use crate::domain::trends::{TrendFigure, TrendsView};
use crate::domain::view::ThemedSvg;

/// A figure's chart and the anomalies on it, as one card.
#[component]
pub fn FigureSection(
    view: TrendsView,
    figure: TrendFigure,
    svg: Option<ThemedSvg>,
    caption: &'static str,
) -> impl IntoView {
    let anomalies = view.report.anomalies.iter().filter(|a| a.figure == figure).cloned().collect();
    let id = format!("trend-{}", figure.as_str().replace('_', "-"));
    view! {
        <section class="card" aria-labelledby=id.clone()>
            <h2 id=id.clone()>{figure.label()}</h2>
            {svg.map(|svg| view! { <TrendChart svg caption testid=id.clone() /> })}
            <h3>"Anomalies"</h3>
            <AnomalyList anomalies domain=view.site.domain.clone() />
        </section>
    }
}
