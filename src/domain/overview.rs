//! The documents of the overview: what the JSON API returns and the pages show.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::averages::HistoricalAverages;
use super::history::HistoryRun;
use super::pipeline::{AttentionItems, PipelineSnapshot};
use super::prediction::Prediction;
use super::run::{run_title, Run};
use super::stats::RunStatistics;
use super::view::{SiteRef, ThemedSvg};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SiteSummary {
    pub id: i64,
    pub account_id: i64,
    pub account_name: String,
    pub name: String,
    pub domain: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OverviewStats {
    pub site: SiteRef,
    pub run_statistics: RunStatistics,
    /// The latest pipeline record; null before one was imported.
    pub pipeline: Option<PipelineSnapshot>,
    pub predictive_analysis: Prediction,
    pub attention_items: AttentionItems,
    /// The plan's flat view of the averages (`avg_credits_stage_N`, `avg_output_ratio_stage_N`),
    /// null values where there is not enough history.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub historical_averages: Map<String, Value>,
}

/// The plan's flat `historical_averages` object.
pub fn flat_averages(averages: Option<&HistoricalAverages>, runs_analyzed: u32) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("runs_analyzed".into(), Value::from(runs_analyzed));
    out.insert("has_enough_history".into(), Value::from(averages.is_some()));
    for n in 1..=7usize {
        let stage = averages.map(|a| &a.stages[n - 1]);
        out.insert(format!("avg_credits_stage_{n}"), stage.and_then(|s| s.avg_credits_per_item).into());
        out.insert(format!("avg_output_ratio_stage_{n}"), stage.and_then(|s| s.avg_output_ratio).into());
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Pagination {
    pub page: u32,
    pub page_size: u32,
    pub total_count: u64,
    pub total_pages: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HistoryPage {
    pub site: SiteRef,
    pub runs: Vec<HistoryRun>,
    pub pagination: Pagination,
}

/// A completed run whose rates the estimate pools, as "How it is estimated" links it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstimateRun {
    pub run_id: String,
    pub run_title: String,
    pub total_credits_used: u64,
}

/// The runs the estimate pools (the site's last ≤10 completed runs, newest first).
pub fn estimate_runs(completed: &[Run], domain: &str) -> Vec<EstimateRun> {
    completed
        .iter()
        .map(|r| EstimateRun {
            run_id: r.run_id.clone(),
            run_title: run_title(domain, r.run_number),
            total_credits_used: r.total_credits_used,
        })
        .collect()
}

/// The overview page's data: the API's document plus what only the page draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverviewView {
    pub stats: OverviewStats,
    pub credits_chart: Option<ThemedSvg>,
    /// Predicted against actual credits of the backtested runs, each point a link to its run.
    pub accuracy_chart: Option<ThemedSvg>,
    /// The runs behind the estimate; empty with fewer than 3 (no estimate).
    pub estimate_runs: Vec<EstimateRun>,
    pub requests: super::requests::RequestPanel,
}
