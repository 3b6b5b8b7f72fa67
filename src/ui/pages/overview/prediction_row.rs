use leptos::prelude::*;

use super::predictive_cost::credits;
use crate::domain::prediction::StagePrediction;
use crate::domain::stage::{Noun, StageDef};
use crate::domain::stage_terms::credits_per;

fn rate(stage: &StagePrediction, unit: Noun) -> String {
    match stage.avg_credits_per_item {
        _ if stage.is_free => "free".to_string(),
        Some(r) => credits_per(r, unit),
        None => "no history".to_string(),
    }
}

/// One stage of the estimate: its pending items and, with enough history, its credits, output
/// and average rate.
#[component]
pub fn PredictionRow(stage: StagePrediction, def: &'static StageDef, enough: bool, runs_out: bool) -> impl IntoView {
    let s = stage;
    let output = s.estimated_output.map_or_else(|| "—".to_string(), |n| format!("~{}", def.output_unit.count(n)));
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
                        <td data-label="Average rate">{rate(&s, def.input_unit)}</td>
                    }
                })}
        </tr>
    }
}
