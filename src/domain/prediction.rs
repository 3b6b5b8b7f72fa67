//! "If automation runs now": estimated credits and output per stage (metrics.md, "Prediction").

use serde::{Deserialize, Serialize};

use super::averages::HistoricalAverages;
use super::forecast::{Accuracy, LikelyRange};
use super::numbers::{mul_div_ceil, mul_div_round};
use super::pipeline::PendingCounts;
use super::stage::{StageNumber, STAGE_COUNT};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StagePrediction {
    pub stage: u8,
    pub name: String,
    pub pending_items: u64,
    pub input_type: String,
    pub output_type: String,
    pub avg_credits_per_item: Option<f64>,
    pub estimated_credits: Option<u64>,
    pub avg_output_ratio: Option<f64>,
    pub estimated_output: Option<u64>,
    /// The stage costs nothing by its history (credits seen, all zero).
    pub is_free: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExpectedOutputs {
    pub clusters: u64,
    pub ideas: u64,
    pub content: u64,
    pub images: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Prediction {
    /// Completed runs the averages came from (0 to 10).
    pub runs_analyzed: u32,
    /// Whether there were enough completed runs (at least 3) to estimate.
    pub has_enough_history: bool,
    pub stages: Vec<StagePrediction>,
    pub total_estimated_credits: Option<u64>,
    /// ceil(total × 1.2).
    pub recommended_buffer: Option<u64>,
    pub current_balance: i64,
    pub is_sufficient: Option<bool>,
    /// Credits missing to reach the recommended buffer, when the balance does not.
    pub shortfall: Option<u64>,
    pub expected_outputs: Option<ExpectedOutputs>,
    /// The range the run's credits likely fall in; null with fewer than 3 completed runs.
    /// [`predict`] sees only the averages, so the caller that has the runs sets it.
    pub likely_range: Option<LikelyRange>,
    /// The stage during which the balance runs out; null when the estimate fits in it.
    pub runs_out_at_stage: Option<u8>,
    /// How far the estimate was off on the site's own last runs; null with fewer than 3
    /// completed runs. Set by the caller that ran the backtest.
    pub accuracy: Option<Accuracy>,
}

/// The first stage whose running sum of estimated credits exceeds the balance: where a run
/// started now would stop. `None` when the total fits in the balance.
fn runs_out_at_stage(stages: &[StagePrediction], balance: i64) -> Option<u8> {
    let mut needed = 0i128;
    stages
        .iter()
        .find(|s| {
            needed += i128::from(s.estimated_credits.unwrap_or(0));
            needed > i128::from(balance)
        })
        .map(|s| s.stage)
}

/// `runs_analyzed` is how many completed runs were looked at (reported even when too few).
pub fn predict(
    pending: &PendingCounts,
    averages: Option<&HistoricalAverages>,
    runs_analyzed: u32,
    current_balance: i64,
) -> Prediction {
    let stages: Vec<StagePrediction> = StageNumber::all()
        .map(|stage| {
            let def = stage.def();
            let pending_items = pending.0[stage.index()];
            let avg = averages.map(|a| a.stage(stage));
            let estimate = |numerator: fn(&super::averages::StageAverage) -> u64,
                            f: fn(u64, u64, u64) -> Option<u64>| {
                avg.and_then(|a| f(pending_items, numerator(a), a.total_inputs))
                    // Nothing pending costs and yields nothing, with or without a rate.
                    .or_else(|| (averages.is_some() && pending_items == 0).then_some(0))
            };
            StagePrediction {
                stage: stage.get(),
                name: def.name.to_string(),
                pending_items,
                input_type: def.input_kind.to_string(),
                output_type: def.output_kind.to_string(),
                avg_credits_per_item: avg.and_then(|a| a.avg_credits_per_item),
                estimated_credits: estimate(|a| a.total_credits, mul_div_ceil),
                avg_output_ratio: avg.and_then(|a| a.avg_output_ratio),
                estimated_output: estimate(|a| a.total_outputs, mul_div_round),
                is_free: avg.is_some_and(|a| a.total_inputs > 0 && a.total_credits == 0),
            }
        })
        .collect();

    let total = averages.map(|_| stages.iter().filter_map(|s| s.estimated_credits).sum::<u64>());
    let buffer = total.map(|t| mul_div_ceil(t, 6, 5).expect("divisor is 5"));
    let is_sufficient = buffer.map(|b| i128::from(current_balance) >= i128::from(b));
    let shortfall = buffer.and_then(|b| {
        let missing = i128::from(b) - i128::from(current_balance);
        (missing > 0).then(|| u64::try_from(missing).unwrap_or(u64::MAX))
    });
    let output_of = |n: usize| stages[n - 1].estimated_output.unwrap_or(0);
    let expected_outputs = averages.map(|_| ExpectedOutputs {
        clusters: output_of(1),
        ideas: output_of(2),
        content: output_of(4),
        images: output_of(6),
    });
    debug_assert_eq!(stages.len(), STAGE_COUNT);
    let runs_out_at_stage = averages.and(runs_out_at_stage(&stages, current_balance));

    Prediction {
        runs_analyzed,
        has_enough_history: averages.is_some(),
        stages,
        total_estimated_credits: total,
        recommended_buffer: buffer,
        current_balance,
        is_sufficient,
        shortfall,
        expected_outputs,
        likely_range: None,
        runs_out_at_stage,
        accuracy: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::averages::historical_averages;
    use crate::domain::fixtures::plan_run;

    #[test]
    fn too_little_history_gives_pending_counts_only() {
        let p = predict(&PendingCounts([120, 8, 32, 20, 15, 24, 12]), None, 2, 1250);
        assert!(!p.has_enough_history);
        assert_eq!(p.stages[0].pending_items, 120);
        assert_eq!(p.stages[0].estimated_credits, None);
        assert_eq!((p.total_estimated_credits, p.recommended_buffer, p.is_sufficient), (None, None, None));
        assert_eq!(p.current_balance, 1250);
    }

    #[test]
    fn estimates_from_the_plan_run_history() {
        let history = [plan_run(), plan_run(), plan_run()];
        let averages = historical_averages(&history).unwrap();
        let p = predict(&PendingCounts([120, 8, 32, 20, 15, 24, 12]), Some(&averages), 3, 1250);
        // Stage 1: 45 credits per 150 keywords → ceil(120 × 135 / 450) = 36; clusters round(120 × 36/450) = 10.
        assert_eq!(p.stages[0].estimated_credits, Some(36));
        assert_eq!(p.stages[0].estimated_output, Some(10));
        // Stage 2: 120 per 10 clusters → 96; ideas round(8 × 8.7) = 70.
        assert_eq!(p.stages[1].estimated_credits, Some(96));
        assert_eq!(p.stages[1].estimated_output, Some(70));
        assert!(p.stages[2].is_free && p.stages[6].is_free);
        let total: u64 = p.stages.iter().filter_map(|s| s.estimated_credits).sum();
        assert_eq!(p.total_estimated_credits, Some(total));
        assert_eq!(p.recommended_buffer, Some((total * 12).div_ceil(10)));
        assert_eq!(p.is_sufficient, Some(1250 >= (total * 12).div_ceil(10)));
    }

    #[test]
    fn short_balance_reports_what_is_missing() {
        let history = [plan_run(), plan_run(), plan_run()];
        let averages = historical_averages(&history).unwrap();
        let p = predict(&PendingCounts([150, 10, 50, 25, 15, 8, 5]), Some(&averages), 3, 100);
        // The plan run's own queue costs exactly its 569 credits; the buffer is ceil(682.8) = 683.
        assert_eq!(p.total_estimated_credits, Some(569));
        assert_eq!(p.recommended_buffer, Some(683));
        assert_eq!(p.is_sufficient, Some(false));
        assert_eq!(p.shortfall, Some(583));
    }

    fn plan_queue(balance: i64) -> Prediction {
        let history = [plan_run(), plan_run(), plan_run()];
        let averages = historical_averages(&history).unwrap();
        // The plan run's queue: 45, 120, 0, 310, 22, 72, 0 credits, running sums 45, 165,
        // 165, 475, 497, 569, 569.
        predict(&PendingCounts([150, 10, 50, 25, 15, 8, 5]), Some(&averages), 3, balance)
    }

    #[test]
    fn a_short_balance_runs_out_where_the_running_sum_passes_it() {
        assert_eq!(plan_queue(120).runs_out_at_stage, Some(2));
        assert_eq!(plan_queue(165).runs_out_at_stage, Some(4), "a sum equal to the balance is paid");
        assert_eq!(plan_queue(568).runs_out_at_stage, Some(6));
        assert_eq!(plan_queue(0).runs_out_at_stage, Some(1));
        assert_eq!(plan_queue(-5).runs_out_at_stage, Some(1));
    }

    #[test]
    fn a_balance_that_covers_the_total_does_not_run_out() {
        assert_eq!(plan_queue(569).runs_out_at_stage, None);
        assert_eq!(plan_queue(i64::MAX).runs_out_at_stage, None);
    }

    #[test]
    fn nothing_runs_out_without_history_or_without_work() {
        assert_eq!(predict(&PendingCounts([9; 7]), None, 2, 0).runs_out_at_stage, None);
        let history = [plan_run(), plan_run(), plan_run()];
        let averages = historical_averages(&history).unwrap();
        assert_eq!(predict(&PendingCounts([0; 7]), Some(&averages), 3, 0).runs_out_at_stage, None);
    }
}
