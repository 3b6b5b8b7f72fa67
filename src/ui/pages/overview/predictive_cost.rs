use leptos::prelude::*;

use crate::domain::averages::MIN_HISTORY_RUNS;
use crate::domain::format::thousands;
use crate::domain::overview::EstimateRun;
use crate::domain::prediction::{Prediction, StagePrediction};
use crate::domain::stage::{Noun, StageNumber};
use crate::domain::stage_terms::credits_per;
use crate::domain::view::ThemedSvg;
use crate::ui::components::phone_collapsible::PhoneCollapsible;
use crate::ui::components::scroll_region::ScrollRegion;

use super::accuracy_chart::AccuracyChart;
use super::estimate_accuracy::EstimateAccuracy;
use super::how_estimated::HowEstimated;
use super::likely_cost::LikelyCost;
use super::runs_out_notice::RunsOutNotice;

fn credits(n: Option<u64>) -> String {
    n.map_or_else(|| "—".to_string(), |n| format!("{} cr", thousands(n.into())))
}

fn rate(stage: &StagePrediction, unit: Noun) -> String {
    match stage.avg_credits_per_item {
        _ if stage.is_free => "free".to_string(),
        Some(r) => credits_per(r, unit),
        None => "no history".to_string(),
    }
}

/// The bar chart's name: the image's words, with what it marks besides the bars.
fn chart_label(prediction: &Prediction) -> String {
    let mut label = "Estimated credits by stage".to_string();
    if let Some(range) = prediction.likely_range {
        label += &format!(", likely {}–{} in total", thousands(range.low.into()), thousands(range.high.into()));
    }
    if let Some(stage) = prediction.runs_out_at_stage {
        label += &format!("; the balance runs out in stage {stage}");
    }
    label
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
    let rows = prediction.stages.clone();
    let how_stages = rows.clone();
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
                <ScrollRegion label="Estimates by stage">
                    <table class="prediction-table stack-table">
                        <thead>
                            <tr>
                                <th scope="col">"Stage"</th>
                                <th scope="col" class="num">"Pending"</th>
                                {enough
                                    .then(|| {
                                        view! {
                                            <th scope="col" class="num">"Est. credits"</th>
                                            <th scope="col" class="num">"Est. output"</th>
                                            <th scope="col">"Average rate"</th>
                                        }
                                    })}
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .iter()
                                .filter_map(|s| Some((s, StageNumber::from_u8(s.stage)?.def())))
                                .map(|(s, def)| {
                                    let output = s.estimated_output.map_or_else(
                                        || "—".to_string(),
                                        |n| format!("~{}", def.output_unit.count(n)),
                                    );
                                    let runs_out = runs_out_at == Some(s.stage);
                                    view! {
                                        <tr class=("runs-out-row", runs_out)>
                                            <th scope="row">
                                                {format!("{}. {}", s.stage, s.name)}
                                                {runs_out
                                                    .then(|| {
                                                        view! {
                                                            " "
                                                            <span class="runs-out-tag">"balance runs out"</span>
                                                        }
                                                    })}
                                            </th>
                                            <td class="num" data-label="Pending">
                                                {def.input_unit.count(s.pending_items)}
                                            </td>
                                            {enough
                                                .then(|| {
                                                    view! {
                                                        <td class="num" data-label="Est. credits">
                                                            {credits(s.estimated_credits)}
                                                            {s.is_free.then(|| view! { " " <span class="free-tag">"free"</span> })}
                                                        </td>
                                                        <td class="num" data-label="Est. output">{output}</td>
                                                        <td data-label="Average rate">{rate(s, def.input_unit)}</td>
                                                    }
                                                })}
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                        {enough
                            .then(|| {
                                view! {
                                    <tfoot>
                                        <tr class="total-row">
                                            // Only credits add up: the stages' items are of different kinds.
                                            <th scope="row" colspan="2">"Total estimated credits"</th>
                                            <td class="num" data-testid="total-estimated">
                                                {credits(total_credits)}
                                            </td>
                                            <td></td>
                                            <td></td>
                                        </tr>
                                    </tfoot>
                                }
                            })}
                    </table>
                </ScrollRegion>
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
                {chart
                    .map(|svg| {
                        view! {
                            <figure class="chart-figure">
                                <div class="chart-light" role="img" aria-label=label.clone() inner_html=svg.light></div>
                                <div class="chart-dark" role="img" aria-label=label inner_html=svg.dark></div>
                                <figcaption class="muted">"Estimated credits by stage (the table above has the figures)"</figcaption>
                            </figure>
                        }
                    })}
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

/// The buffer and the balance: can the account afford the run?
#[component]
fn BalanceCheck(prediction: Prediction) -> impl IntoView {
    let balance = format!("{} credits", thousands(prediction.current_balance.into()));
    let verdict = match (prediction.is_sufficient, prediction.shortfall) {
        (Some(true), _) => view! {
            <p class="balance-ok" data-testid="balance-verdict">
                <span aria-hidden="true">"✓ "</span>
                "Sufficient for the run with its buffer"
            </p>
        }
        .into_any(),
        (Some(false), shortfall) => view! {
            <p class="balance-short" data-testid="balance-verdict">
                <span aria-hidden="true">"✗ "</span>
                {format!(
                    "Not sufficient: {} credits short of the recommended buffer",
                    thousands(shortfall.unwrap_or(0).into()),
                )}
            </p>
        }
        .into_any(),
        (None, _) => view! { <p class="muted">"The estimate needs 3 completed runs first."</p> }.into_any(),
    };
    view! {
        <dl class="detail-list balance">
            <div>
                <dt>"Recommended with a 20% buffer"</dt>
                <dd data-testid="recommended-buffer">{credits(prediction.recommended_buffer)}</dd>
            </div>
            <div>
                <dt>"Current balance"</dt>
                <dd data-testid="current-balance">{balance}</dd>
            </div>
        </dl>
        {verdict}
    }
}

#[component]
fn ExpectedOutputs(prediction: Prediction) -> impl IntoView {
    let Some(out) = prediction.expected_outputs else { return ().into_any() };
    let pending = |n: usize| thousands(prediction.stages[n - 1].pending_items.into());
    view! {
        <h3>"Expected outputs"</h3>
        <ul class="expected-outputs">
            <li>{format!("~{} new clusters from {} keywords", out.clusters, pending(1))}</li>
            <li>{format!("~{} content ideas from {} clusters", out.ideas, pending(2))}</li>
            <li>{format!("~{} articles from {} queued tasks", out.content, pending(4))}</li>
            <li>{format!("~{} generated images from {} image prompts", out.images, pending(6))}</li>
        </ul>
    }
    .into_any()
}
