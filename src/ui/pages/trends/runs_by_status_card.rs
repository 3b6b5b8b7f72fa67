use leptos::prelude::*;

use super::chart_legend::ChartLegend;
use super::trend_chart::TrendChart;
use crate::domain::trends::STATUS_ORDER;
use crate::domain::view::ThemedSvg;

/// Every run started each week, stacked by how it ended, with the statuses' legend.
#[component]
pub fn RunsByStatusCard(svg: Option<ThemedSvg>) -> impl IntoView {
    let entries = STATUS_ORDER.iter().map(|s| ("data-status", s.as_str().to_string(), s.label().to_string())).collect();
    view! {
        <section class="card" aria-labelledby="trend-runs-by-status">
            <h2 id="trend-runs-by-status">"Runs per week by status"</h2>
            {svg
                .map(|svg| {
                    view! {
                        <TrendChart
                            svg
                            caption="Every run started each week (Monday to Sunday, UTC), stacked by how it ended."
                            testid="trend-runs-by-status-chart"
                        />
                    }
                })}
            <ChartLegend title="Status:" entries />
        </section>
    }
}
