use leptos::prelude::*;

use crate::domain::averages::{HISTORY_RUNS, MIN_HISTORY_RUNS};
use crate::domain::forecast::BACKTEST_RUNS;
use crate::domain::overview::EstimateRun;
use crate::domain::prediction::StagePrediction;
use crate::domain::stage::{StageNumber, CREDIT};
use crate::domain::stage_terms::credits_per;
use crate::paths;

/// The dearest stage's sum, worked out: "For example, stage 4 (Tasks → Content): 25 tasks ×
/// 12.40 credits per task = 310 credits, rounded up to whole credits." `None` when no stage
/// costs anything.
fn worked_example(stages: &[StagePrediction]) -> Option<String> {
    let stage = stages.iter().filter(|s| s.estimated_credits.unwrap_or(0) > 0).max_by_key(|s| s.estimated_credits)?;
    let def = StageNumber::from_u8(stage.stage)?.def();
    let rate = stage.avg_credits_per_item?;
    Some(format!(
        "For example, stage {} ({}): {} × {} = {}, rounded up to whole credits.",
        stage.stage,
        stage.name,
        def.input_unit.count(stage.pending_items),
        credits_per(rate, def.input_unit),
        CREDIT.count(stage.estimated_credits?),
    ))
}

/// "How it is estimated", closed until asked for: the sums behind the estimate, the runs it
/// comes from (each a link), the buffer, the range and the accuracy, in plain words. A
/// `<details>` opens without scripts.
#[component]
pub fn HowEstimated(stages: Vec<StagePrediction>, runs: Vec<EstimateRun>) -> impl IntoView {
    let n = runs.len();
    view! {
        <details class="how-estimated" id="how-estimated" data-testid="how-estimated">
            <summary>"How it is estimated"</summary>
            <p>
                {format!(
                    "Each stage's estimate is the items waiting for it times what one item cost in the site's last {n} completed runs: their credits for the stage divided by the items they fed it, pooled, so a bigger run weighs more. A stage none of them processed counts as 0 credits. The stages add up to the total.",
                )}
            </p>
            {worked_example(&stages).map(|example| view! { <p>{example}</p> })}
            <p>{format!("The {n} runs used, newest first:")}</p>
            <ul class="estimate-runs">
                {runs
                    .into_iter()
                    .map(|run| {
                        view! {
                            <li>
                                <a href=paths::run_path(&run.run_id)>{run.run_title}</a>
                                {format!(", {}", CREDIT.count(run.total_credits_used))}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p>
                "The recommended balance adds a 20% buffer to the total (× 1.2, rounded up), for runs that cost more than usual."
            </p>
            <p>
                {format!(
                    "The likely range prices the waiting items at each of those runs' own rates, one total per run. With 5 runs or more it leaves out the lowest and the highest total, so it runs from the second lowest to the second highest; with fewer, from the lowest to the highest. It needs {MIN_HISTORY_RUNS} completed runs.",
                )}
            </p>
            <p>
                {format!(
                    "The accuracy repeats the estimate for each of the site's last {BACKTEST_RUNS} completed runs that used credits, as if it were about to start: from only the up to {HISTORY_RUNS} completed runs before it (at least {MIN_HISTORY_RUNS}), for the items it started with. The figure is the median of how far off that estimate was, as a share of what the run used; the count is of the runs whose credits landed in the likely range made the same way. The chart shows each of these runs; a point links to its run.",
                )}
            </p>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::averages::historical_averages;
    use crate::domain::fixtures::plan_run;
    use crate::domain::pipeline::PendingCounts;
    use crate::domain::prediction::predict;

    fn stages(pending: [u64; 7]) -> Vec<StagePrediction> {
        let history = [plan_run(), plan_run(), plan_run()];
        predict(&PendingCounts(pending), historical_averages(&history).as_ref(), 3, 0).stages
    }

    #[test]
    fn the_example_works_out_the_dearest_stage() {
        assert_eq!(
            worked_example(&stages([150, 10, 50, 25, 15, 8, 5])).as_deref(),
            Some("For example, stage 4 (Tasks → Content): 25 tasks × 12.40 credits per task = 310 credits, rounded up to whole credits.")
        );
    }

    #[test]
    fn no_example_when_nothing_costs() {
        // Only the free stages 3 and 7 have work, and a stage without history has no rate.
        assert_eq!(worked_example(&stages([0, 0, 50, 0, 0, 0, 5])), None);
        assert_eq!(worked_example(&predict(&PendingCounts([9; 7]), None, 2, 0).stages), None);
    }
}
