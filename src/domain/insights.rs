//! Rule-based insights of a run: deterministic, each derived from figures it names.

use serde::{Deserialize, Serialize};

use super::averages::{HISTORY_RUNS, MIN_HISTORY_RUNS};
use super::format::{signed_percent, thousands};
use super::run_detail::{CreditShare, RunInfo, RunMetrics, StageDetail};
use super::stage::{StageNumber, CREDIT};
use super::stage_status::StageStatus;
use super::stage_terms::short_number;
use super::trends::Anomaly;

/// Deviation from the average beyond which a stage is called out.
pub const DEVIATION_THRESHOLD_PERCENT: f64 = 20.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InsightKind {
    TopCost,
    CreditsDeviation,
    OutputDeviation,
    StageFailed,
    UnprocessedQueue,
    NotEnoughHistory,
    /// A figure far from the median of the completed runs before it (trends' anomaly rule).
    Anomaly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum InsightLevel {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Insight {
    pub kind: InsightKind,
    pub level: InsightLevel,
    pub stage: Option<u8>,
    pub message: String,
}

/// The run's insights, in this order: its failure, the stage that cost most, the stages far
/// from their average, what was left in the queue, and whether there was history to compare.
pub fn insights(run: &RunInfo, stages: &[StageDetail], metrics: &RunMetrics, has_history: bool) -> Vec<Insight> {
    let failed = stages.iter().find(|s| s.status == StageStatus::Failed).map(|stage| failure(run, stage));
    let deviations = stages.iter().flat_map(deviations);
    failed
        .into_iter()
        .chain(top_cost(metrics))
        .chain(deviations)
        .chain(unprocessed_queue(run, metrics))
        .chain((!has_history).then(not_enough_history))
        .collect()
}

fn failure(run: &RunInfo, stage: &StageDetail) -> Insight {
    let reason = run.error_message.as_deref().unwrap_or("no error message was recorded");
    Insight {
        kind: InsightKind::StageFailed,
        level: InsightLevel::Error,
        stage: Some(stage.number),
        message: format!("Stage {} ({}) failed: {reason}", stage.number, stage.name),
    }
}

fn top_cost(metrics: &RunMetrics) -> Option<Insight> {
    let top = metrics
        .credit_shares
        .iter()
        .filter(|s| s.credits > 0)
        // The first of equals wins, so the choice never depends on sort stability.
        .fold(None, |best: Option<&CreditShare>, s| match best {
            Some(b) if b.credits >= s.credits => Some(b),
            _ => Some(s),
        })?;
    Some(Insight {
        kind: InsightKind::TopCost,
        level: InsightLevel::Info,
        stage: Some(top.stage),
        message: format!(
            "Stage {} ({}) used the most credits: {} of the run's {} credits ({:.1}%).",
            top.stage,
            top.name,
            thousands(top.credits.into()),
            thousands(metrics.stage_credits_total.into()),
            top.share_percent.unwrap_or(0.0)
        ),
    })
}

/// The stage's credits and output where they are more than 20 % from their average.
fn deviations(stage: &StageDetail) -> Vec<Insight> {
    let (Some(cmp), Some(result)) = (stage.comparison, &stage.result) else { return Vec::new() };
    let Some(def) = StageNumber::from_u8(stage.number).map(|n| n.def()) else { return Vec::new() };
    let checks = [
        (InsightKind::CreditsDeviation, "used", CREDIT, cmp.credits_diff_percent, result.credits_used, cmp.avg_credits),
        (
            InsightKind::OutputDeviation,
            "produced",
            def.output_unit,
            cmp.output_diff_percent,
            result.output_count,
            cmp.avg_output,
        ),
    ];
    checks
        .into_iter()
        .filter_map(|(kind, verb, unit, diff, value, avg)| {
            let (diff, avg) = diff.zip(avg).filter(|(d, _)| d.abs() > DEVIATION_THRESHOLD_PERCENT)?;
            // Credits are whole; an average output keeps its decimal (16.8 images a run).
            let average =
                if kind == InsightKind::CreditsDeviation { thousands(avg.round() as i128) } else { short_number(avg) };
            Some(Insight {
                kind,
                level: InsightLevel::Warning,
                stage: Some(stage.number),
                message: format!(
                    "Stage {} ({}) {verb} {} {} than usual: {} {} against an average of {average} ({}).",
                    stage.number,
                    stage.name,
                    if diff > 0.0 { "more" } else { "fewer" },
                    unit.many,
                    thousands(value.into()),
                    unit.for_count(value as f64),
                    signed_percent(diff)
                ),
            })
        })
        .collect()
}

fn unprocessed_queue(run: &RunInfo, metrics: &RunMetrics) -> Option<Insight> {
    if metrics.total_initial_items <= metrics.items_processed || run.status.is_active() {
        return None;
    }
    let left = metrics.total_initial_items - metrics.items_processed;
    let share = 100.0 - metrics.queue_processed_percent.unwrap_or(0.0);
    Some(Insight {
        kind: InsightKind::UnprocessedQueue,
        level: InsightLevel::Warning,
        stage: None,
        message: format!(
            "{} of {} queued items ({share:.1}%) were not processed in this run.",
            thousands(left.into()),
            thousands(metrics.total_initial_items.into())
        ),
    })
}

fn not_enough_history() -> Insight {
    Insight {
        kind: InsightKind::NotEnoughHistory,
        level: InsightLevel::Info,
        stage: None,
        message: format!(
            "First runs: comparisons with the average of the last {HISTORY_RUNS} completed runs start after {MIN_HISTORY_RUNS} completed runs."
        ),
    }
}

/// The insight naming a run's anomaly: which figure stands out and by how much.
pub fn anomaly_insight(anomaly: &Anomaly) -> Insight {
    Insight {
        kind: InsightKind::Anomaly,
        level: InsightLevel::Warning,
        stage: None,
        message: format!("Unusual run. {}", anomaly.summary()),
    }
}
