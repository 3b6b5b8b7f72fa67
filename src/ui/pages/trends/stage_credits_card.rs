use leptos::prelude::*;

use super::chart_legend::ChartLegend;
use super::trend_chart::TrendChart;
use crate::domain::stage::StageNumber;
use crate::domain::view::ThemedSvg;

/// The completed runs' credits per day or week, stacked by stage, with the stages' legend.
#[component]
pub fn StageCreditsCard(svg: Option<ThemedSvg>, per: &'static str) -> impl IntoView {
    let entries = StageNumber::all()
        .map(|s| ("data-stage", s.get().to_string(), format!("{}. {}", s.get(), s.def().name)))
        .collect();
    view! {
        <section class="card" aria-labelledby="trend-stage-credits">
            <h2 id="trend-stage-credits">"Credits by stage"</h2>
            {svg
                .map(|svg| {
                    view! {
                        <TrendChart
                            svg
                            caption=format!(
                                "Credits of the completed runs per {per}, stacked by stage: a stage that got more expensive grows its band.",
                            )
                            testid="trend-stage-credits-chart"
                        />
                    }
                })}
            <ChartLegend title="Stages:" entries />
        </section>
    }
}
