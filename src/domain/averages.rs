//! Historical averages over a site's last completed runs (metrics.md, "Historical averages").

use serde::{Deserialize, Serialize};

use super::numbers::{mean, mul_div_ceil, ratio};
use super::run::Run;
use super::stage::{StageNumber, STAGE_COUNT};

/// How many completed runs the averages look back over.
pub const HISTORY_RUNS: usize = 10;
/// Below this many completed runs, every average is null.
pub const MIN_HISTORY_RUNS: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageAverage {
    pub stage: u8,
    /// Runs among those analysed in which the stage processed at least one item.
    pub runs_with_input: u32,
    pub total_credits: u64,
    pub total_inputs: u64,
    pub total_outputs: u64,
    /// Σ credits / Σ inputs.
    pub avg_credits_per_item: Option<f64>,
    /// Σ outputs / Σ inputs.
    pub avg_output_ratio: Option<f64>,
    /// Plain means per run, for comparisons.
    pub avg_credits: Option<f64>,
    pub avg_output: Option<f64>,
    pub avg_seconds: Option<f64>,
}

impl StageAverage {
    /// ceil(items × Σ credits / Σ inputs), exactly in integers; `None` where the history never
    /// fed the stage, so there is no rate.
    pub fn credits_for(&self, items: u64) -> Option<u64> {
        mul_div_ceil(items, self.total_credits, self.total_inputs)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HistoricalAverages {
    pub runs_analyzed: u32,
    pub stages: Vec<StageAverage>,
}

impl HistoricalAverages {
    pub fn stage(&self, stage: StageNumber) -> &StageAverage {
        &self.stages[stage.index()]
    }
}

/// Averages over `completed` (the site's last completed runs, at most [`HISTORY_RUNS`] of
/// them, chosen by the caller). `None` with fewer than [`MIN_HISTORY_RUNS`].
pub fn historical_averages(completed: &[Run]) -> Option<HistoricalAverages> {
    if completed.len() < MIN_HISTORY_RUNS {
        return None;
    }
    let stages = StageNumber::all()
        .map(|stage| {
            let used: Vec<_> = completed.iter().filter_map(|run| run.result(stage)).filter(|r| r.input > 0).collect();
            let total_credits = used.iter().map(|r| r.credits).sum::<u64>();
            let total_inputs = used.iter().map(|r| r.input).sum::<u64>();
            let total_outputs = used.iter().map(|r| r.output).sum::<u64>();
            StageAverage {
                stage: stage.get(),
                runs_with_input: used.len() as u32,
                total_credits,
                total_inputs,
                total_outputs,
                avg_credits_per_item: ratio(total_credits as f64, total_inputs as f64),
                avg_output_ratio: ratio(total_outputs as f64, total_inputs as f64),
                avg_credits: mean(used.iter().map(|r| r.credits as f64)),
                avg_output: mean(used.iter().map(|r| r.output as f64)),
                avg_seconds: mean(used.iter().map(|r| r.seconds as f64)),
            }
        })
        .collect::<Vec<_>>();
    debug_assert_eq!(stages.len(), STAGE_COUNT);
    Some(HistoricalAverages { runs_analyzed: completed.len() as u32, stages })
}
