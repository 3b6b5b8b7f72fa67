use leptos::prelude::*;

use crate::domain::averages::MIN_HISTORY_RUNS;
use crate::domain::format::{decimal, thousands};
use crate::domain::overview::ThemedSvg;
use crate::domain::prediction::{Prediction, StagePrediction};
use crate::ui::components::scroll_region::ScrollRegion;

fn credits(n: Option<u64>) -> String {
    n.map_or_else(|| "—".to_string(), |n| format!("{} cr", thousands(n.into())))
}

fn rate(stage: &StagePrediction) -> String {
    match stage.avg_credits_per_item {
        _ if stage.is_free => "free".to_string(),
        Some(r) => format!("{} cr per {}", decimal(Some(r), 2), singular(&stage.input_type)),
        None => "no history".to_string(),
    }
}

/// "keywords" → "keyword", for rates.
fn singular(kind: &str) -> &str {
    match kind {
        "for review" => "item",
        "content" => "content item",
        k => k.strip_suffix('s').unwrap_or(k),
    }
}

/// What the next run would cost and yield, from the site's recent completed runs, and
/// whether the balance covers it.
#[component]
pub fn PredictiveCostAnalysis(prediction: Prediction, chart: Option<ThemedSvg>) -> impl IntoView {
    let enough = prediction.has_enough_history;
    let subtitle = if enough {
        format!("Based on the last {} completed runs", prediction.runs_analyzed)
    } else {
        "Pending work now".to_string()
    };
    let rows = prediction.stages.clone();
    let total_pending: u64 = rows.iter().map(|s| s.pending_items).sum();
    let total_credits = prediction.total_estimated_credits;
    view! {
        <section class="card" aria-labelledby="prediction-title">
            <div class="section-header">
                <h2 id="prediction-title">"If automation runs now"</h2>
                <p class="muted">{subtitle}</p>
            </div>
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
                <table class="prediction-table">
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
                            .map(|s| {
                                let output = s
                                    .estimated_output
                                    .map_or_else(|| "—".to_string(), |n| format!("~{} {}", thousands(n.into()), s.output_type));
                                view! {
                                    <tr>
                                        <th scope="row">{format!("{}. {}", s.stage, s.name)}</th>
                                        <td class="num">{thousands(s.pending_items.into())}</td>
                                        {enough
                                            .then(|| {
                                                view! {
                                                    <td class="num">
                                                        {credits(s.estimated_credits)}
                                                        {s.is_free.then(|| view! { " " <span class="free-tag">"free"</span> })}
                                                    </td>
                                                    <td class="num">{output}</td>
                                                    <td>{rate(s)}</td>
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
                                        <th scope="row">"Total estimated"</th>
                                        <td class="num">
                                            {thousands(total_pending.into())}
                                        </td>
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
            <BalanceCheck prediction=prediction.clone() />
            {enough.then(|| view! { <ExpectedOutputs prediction=prediction.clone() /> })}
            {chart
                .map(|svg| {
                    view! {
                        <figure class="chart-figure">
                            <div class="chart-light" role="img" aria-label="Estimated credits by stage" inner_html=svg.light></div>
                            <div class="chart-dark" role="img" aria-label="Estimated credits by stage" inner_html=svg.dark></div>
                            <figcaption class="muted">"Estimated credits by stage (the table above has the figures)"</figcaption>
                        </figure>
                    }
                })}
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
