use leptos::prelude::*;

use crate::domain::averages::MIN_HISTORY_RUNS;
use crate::domain::format::thousands;
use crate::domain::overview::EstimateRun;
use crate::domain::prediction::Prediction;
use crate::domain::view::ThemedSvg;
use crate::ui::components::phone_collapsible::PhoneCollapsible;

use super::accuracy_chart::AccuracyChart;
use super::balance_check::BalanceCheck;
use super::estimate_accuracy::EstimateAccuracy;
use super::estimated_credits_chart::{chart_label, EstimatedCreditsChart};
use super::expected_outputs::ExpectedOutputs;
use super::how_estimated::HowEstimated;
use super::likely_cost::LikelyCost;
use super::prediction_table::PredictionTable;
use super::runs_out_notice::RunsOutNotice;

/// Credits as the tables write them, "—" where there is no figure.
pub fn credits(n: Option<u64>) -> String {
    n.map_or_else(|| "—".to_string(), |n| format!("{} cr", thousands(n.into())))
}

/// What the next run would cost and yield, from the site's recent completed runs, how far to
/// trust that, and whether the balance covers it.
#[component]
pub fn PredictiveCostAnalysis(
    prediction: Prediction,
    chart: Option<ThemedSvg>,
    /// Past estimates against what the runs used (the backtest).
    accuracy_chart: Option<ThemedSvg>,
    /// The runs behind the estimate, for "How it is estimated".
    estimate_runs: Vec<EstimateRun>,
) -> impl IntoView {
    let enough = prediction.has_enough_history;
    let subtitle = if enough {
        format!("Based on the last {} completed runs", prediction.runs_analyzed)
    } else {
        "Pending work now".to_string()
    };
    let how_stages = prediction.stages.clone();
    let total_credits = prediction.total_estimated_credits;
    let runs_out_at = prediction.runs_out_at_stage;
    let label = chart_label(&prediction);
    view! {
        <section class="card" aria-labelledby="prediction-title">
            <div class="section-header">
                <h2 id="prediction-title">"If automation runs now"</h2>
                <p class="muted">{subtitle}</p>
            </div>
            <PhoneCollapsible heading_id="prediction-title" title="If automation runs now">
                {(!enough)
                    .then(|| {
                        view! {
                            <p class="notice" data-testid="not-enough-history">
                                {format!(
                                    "Not enough history yet: estimates start after {MIN_HISTORY_RUNS} completed runs, and this site has {}.",
                                    prediction.runs_analyzed,
                                )}
                            </p>
                        }
                    })}
                <PredictionTable stages=prediction.stages.clone() enough total_credits runs_out_at />
                {total_credits
                    .zip(prediction.likely_range)
                    .map(|(total, range)| view! { <LikelyCost total range /> })}
                {prediction.accuracy.map(|accuracy| view! { <EstimateAccuracy accuracy /> })}
                <BalanceCheck prediction=prediction.clone() />
                {runs_out_at
                    .zip(total_credits)
                    .map(|(stage, total)| {
                        view! { <RunsOutNotice stage balance=prediction.current_balance total /> }
                    })}
                {enough.then(|| view! { <ExpectedOutputs prediction=prediction.clone() /> })}
                {chart.map(|svg| view! { <EstimatedCreditsChart svg label=label.clone() /> })}
                {accuracy_chart
                    .map(|svg| {
                        view! {
                            <h3>"Past estimates against what the runs used"</h3>
                            <AccuracyChart svg />
                        }
                    })}
                {enough.then(|| view! { <HowEstimated stages=how_stages runs=estimate_runs /> })}
            </PhoneCollapsible>
        </section>
    }
}
