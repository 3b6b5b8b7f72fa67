use leptos::prelude::*;

use super::prediction_row::PredictionRow;
use super::predictive_cost::credits;
use crate::domain::prediction::StagePrediction;
use crate::domain::stage::StageNumber;
use crate::ui::components::scroll_region::ScrollRegion;

/// Each stage's pending items and, with enough history, its estimated credits, output and
/// average rate; the stage where the balance runs out is marked.
#[component]
pub fn PredictionTable(
    stages: Vec<StagePrediction>,
    enough: bool,
    total_credits: Option<u64>,
    runs_out_at: Option<u8>,
) -> impl IntoView {
    view! {
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
                {stages
                    .iter()
                    .filter_map(|s| Some((s, StageNumber::from_u8(s.stage)?.def())))
                    .map(|(s, def)| view! { <PredictionRow stage=s.clone() def enough runs_out=runs_out_at == Some(s.stage) /> })
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
    }
}
