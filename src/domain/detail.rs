//! The detail of one run (metrics.md, "Run detail"): its parts, insights and timeline.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::averages::HistoricalAverages;
use super::history::{duration_seconds, run_summary};
use super::insights::{anomaly_insight, insights, Insight};
use super::live::{live_projection, LiveProjection};
use super::numbers::{percent, ratio, round1};
use super::requests::{RequestPanel, RunRequest};
use super::run::{run_title, InitialSnapshot, Run};
use super::run_detail::{Comparison, CreditShare, Efficiency, RunInfo, RunMetrics, StageDetail, StageResultView};
use super::stage::{StageNumber, STAGE_COUNT};
use super::stage_status::{count_statuses, run_stage_statuses, StageStatus};
use super::timeline::{timeline, TimelineEvent};
use super::trends::Anomaly;
use super::view::{SiteRef, ThemedSvg};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunDetail {
    pub run: RunInfo,
    pub initial_snapshot: InitialSnapshot,
    pub stages: Vec<StageDetail>,
    pub metrics: RunMetrics,
    /// Completed runs before this one that the comparisons used (0 to 10).
    pub comparison_runs: u32,
    pub insights: Vec<Insight>,
    pub timeline: Vec<TimelineEvent>,
    /// A running or paused run's credits so far and projection; null once it has finished.
    pub live: Option<LiveProjection>,
}

impl RunDetail {
    /// The detail with an insight for each of the run's anomalies (see
    /// [`super::trends::run_anomalies`]), after the deviations of its stages.
    pub fn with_anomalies(mut self, anomalies: &[Anomaly]) -> Self {
        self.insights.extend(anomalies.iter().map(anomaly_insight));
        self
    }
}

/// The run page's data: the API's run_detail plus what only the page draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunDetailView {
    pub detail: RunDetail,
    pub credits_donut: Option<ThemedSvg>,
    /// The overview page (of all the site's runs) that lists this run, for the way back.
    pub history_page: u32,
    /// The request the engine answered with this run, if it was asked for from the app.
    pub started_by: Option<RunRequest>,
    /// The site's completed run before this one, to compare with.
    pub previous_run_id: Option<String>,
    /// The site's requests and the forms' data.
    pub requests: RequestPanel,
}

fn efficiency(input: u64, output: u64, credits: u64, seconds: u64) -> Efficiency {
    let (i, o, c, s) = (input as f64, output as f64, credits as f64, seconds as f64);
    Efficiency {
        cost_per_input: ratio(c, i),
        cost_per_output: ratio(c, o),
        output_ratio: ratio(o, i),
        processing_rate: ratio(i, s / 60.0),
    }
}

fn diff_percent(value: f64, avg: Option<f64>) -> Option<f64> {
    avg.and_then(|a| percent(value - a, a))
}

/// The whole detail of `run`. `history` holds the averages over the completed runs of its site
/// that started before it (at most 10), `None` when there were fewer than 3 of them;
/// `comparison_runs` is how many there were.
pub fn run_detail(
    run: &Run,
    site: &SiteRef,
    history: Option<&HistoricalAverages>,
    comparison_runs: u32,
    now: DateTime<Utc>,
) -> RunDetail {
    let statuses = run_stage_statuses(run);
    let stages: Vec<StageDetail> =
        StageNumber::all().map(|stage| stage_detail(run, stage, statuses[stage.index()], history)).collect();
    let metrics = run_metrics(run, &statuses, now);
    let info = run_info(run, site, now);
    let insights = insights(&info, &stages, &metrics, history.is_some());
    RunDetail {
        timeline: timeline(run, &statuses, now),
        run: info,
        initial_snapshot: run.initial_snapshot,
        stages,
        metrics,
        comparison_runs,
        insights,
        live: live_projection(run, history, now),
    }
}

fn stage_detail(
    run: &Run,
    stage: StageNumber,
    status: StageStatus,
    history: Option<&HistoricalAverages>,
) -> StageDetail {
    let def = stage.def();
    let result = run.result(stage);
    let comparison = result.zip(history).map(|(r, h)| {
        let avg = h.stage(stage);
        Comparison {
            runs_compared: avg.runs_with_input,
            avg_credits: avg.avg_credits.map(round1),
            avg_output: avg.avg_output.map(round1),
            credits_diff_percent: diff_percent(r.credits as f64, avg.avg_credits),
            output_diff_percent: diff_percent(r.output as f64, avg.avg_output),
        }
    });
    StageDetail {
        number: stage.get(),
        name: def.name.to_string(),
        input_type: def.input_kind.to_string(),
        output_type: def.output_kind.to_string(),
        status,
        is_enabled: result.is_some(),
        result: result.map(StageResultView::new),
        efficiency: result.map(|r| efficiency(r.input, r.output, r.credits, r.seconds)),
        comparison,
    }
}

fn run_metrics(run: &Run, statuses: &[StageStatus; STAGE_COUNT], now: DateTime<Utc>) -> RunMetrics {
    let (stages_completed, stages_failed) = count_statuses(statuses);
    let summary = run_summary(run);
    let credits: [u64; STAGE_COUNT] = std::array::from_fn(|i| run.stages[i].as_ref().map_or(0, |r| r.credits));
    let stage_credits_total: u64 = credits.iter().sum();
    let credit_shares = StageNumber::all()
        .map(|stage| {
            let c = credits[stage.index()];
            CreditShare {
                stage: stage.get(),
                name: stage.def().name.to_string(),
                activity: stage.def().activity.to_string(),
                credits: c,
                share_percent: percent(c as f64, stage_credits_total as f64),
                is_free: c == 0,
            }
        })
        .collect();
    let per_stage = |f: &dyn Fn(usize) -> u64| -> Map<String, Value> {
        (0..STAGE_COUNT).map(|i| (format!("stage_{}", i + 1), Value::from(f(i)))).collect()
    };
    let queue_processed_percent =
        percent(summary.items_processed as f64, run.initial_snapshot.total_initial_items as f64);
    RunMetrics {
        total_input_items: summary.items_processed,
        total_output_items: summary.items_created,
        items_processed: summary.items_processed,
        items_created: summary.items_created,
        total_initial_items: run.initial_snapshot.total_initial_items,
        queue_processed_percent,
        efficiency_percent: queue_processed_percent,
        duration_seconds: duration_seconds(run, now),
        stages_completed,
        stages_failed,
        stage_credits_total,
        credits_by_stage: per_stage(&|i| credits[i]),
        time_by_stage: per_stage(&|i| run.stages[i].as_ref().map_or(0, |r| r.seconds)),
        credit_shares,
    }
}

fn run_info(run: &Run, site: &SiteRef, now: DateTime<Utc>) -> RunInfo {
    RunInfo {
        run_id: run.run_id.clone(),
        run_number: run.run_number,
        run_title: run_title(&site.domain, run.run_number),
        site_id: site.id,
        site_name: site.name.clone(),
        site_domain: site.domain.clone(),
        status: run.status,
        trigger_type: run.trigger_type,
        current_stage: run.current_stage.get(),
        started_at: run.started_at,
        completed_at: run.completed_at,
        paused_at: run.paused_at,
        resumed_at: run.resumed_at,
        cancelled_at: run.cancelled_at,
        duration_seconds: duration_seconds(run, now),
        total_credits_used: run.total_credits_used,
        error_message: run.error_message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::plan_run;
    use crate::domain::history::history_run;
    use crate::domain::insights::InsightKind;
    use crate::domain::run::{RunStatus, StageResult};
    use crate::domain::timeline::TimelineKind;

    fn site() -> SiteRef {
        SiteRef { id: 123, name: "TechBlog".into(), domain: "techblog.com".into() }
    }

    #[test]
    fn the_plans_example_run() {
        let run = plan_run();
        let d = run_detail(&run, &site(), None, 0, run.started_at);
        assert_eq!(d.run.run_title, "techblog.com #47");
        assert_eq!(d.metrics.stage_credits_total, 569);
        let shares: Vec<Option<f64>> = d.metrics.credit_shares.iter().map(|s| s.share_percent).collect();
        assert_eq!(shares, vec![Some(7.9), Some(21.1), Some(0.0), Some(54.5), Some(3.9), Some(12.7), Some(0.0)]);
        let free: Vec<u8> = d.metrics.credit_shares.iter().filter(|s| s.is_free).map(|s| s.stage).collect();
        assert_eq!(free, vec![3, 7]);
        assert_eq!(d.metrics.items_processed, 263);
        assert_eq!(d.metrics.items_created, 243);
        assert_eq!(d.metrics.queue_processed_percent, Some(100.0));
        assert_eq!(d.run.duration_seconds, 2301);
        assert_eq!((d.metrics.stages_completed, d.metrics.stages_failed), (7, 0));
        let e1 = d.stages[0].efficiency.unwrap();
        assert_eq!(e1.cost_per_input, Some(0.3));
        assert_eq!(e1.output_ratio, Some(0.08));
        assert!((e1.processing_rate.unwrap() - 150.0 / (204.0 / 60.0)).abs() < 1e-9);
    }

    #[test]
    fn a_results_record_fields_sit_flat_beside_the_common_ones() {
        let mut run = plan_run();
        let stage1 = StageNumber::try_from(1).unwrap();
        let mut fields = run.result(stage1).unwrap().fields().clone();
        fields.insert("model".into(), serde_json::json!("gpt-x"));
        fields.insert("input_count".into(), serde_json::json!(999));
        run.stages[0] = Some(StageResult::from_fields(stage1, fields).unwrap());
        let d = run_detail(&run, &site(), None, 0, run.started_at);
        let result = d.stages[0].result.as_ref().unwrap();
        let json = serde_json::to_value(result).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "input_count": 150, "output_count": 12, "credits_used": 45,
                "time_elapsed": "00:03:24", "time_elapsed_seconds": 204,
                "keywords_processed": 150, "clusters_created": 12, "batches": 3, "model": "gpt-x",
            }),
            "a record field named like a common one never makes a second key"
        );
        let extras: Vec<&str> = result.extras(stage1).map(|(k, _)| k.as_str()).collect();
        assert_eq!(extras, vec!["batches", "model"]);
        let back: StageResultView = serde_json::from_value(json).unwrap();
        assert_eq!(&back, result);
        assert_eq!(d.stages[3].result.as_ref().unwrap().fields.get("total_words"), Some(&serde_json::json!(15450)));
    }

    #[test]
    fn timeline_offsets_match_the_plan() {
        let run = plan_run();
        let d = run_detail(&run, &site(), None, 0, run.started_at);
        let offsets: Vec<(TimelineKind, Option<u8>, i64)> =
            d.timeline.iter().map(|e| (e.kind, e.stage, e.offset_seconds)).collect();
        for expected in [
            (TimelineKind::Started, Some(1), 0),
            (TimelineKind::StageStarted, Some(2), 204),
            (TimelineKind::StageStarted, Some(3), 699),
            (TimelineKind::StageStarted, Some(4), 711),
            (TimelineKind::StageStarted, Some(5), 1833),
            (TimelineKind::StageStarted, Some(6), 1968),
            (TimelineKind::Completed, None, 2301),
        ] {
            assert!(offsets.contains(&expected), "{expected:?} missing from {offsets:?}");
        }
    }

    #[test]
    fn first_runs_say_comparisons_start_later() {
        let run = plan_run();
        let d = run_detail(&run, &site(), None, 0, run.started_at);
        assert!(d.stages.iter().all(|s| s.comparison.is_none()));
        assert!(d.insights.iter().any(|i| i.kind == InsightKind::NotEnoughHistory));
        let top = d.insights.iter().find(|i| i.kind == InsightKind::TopCost).unwrap();
        assert!(top.message.contains("310 of the run's 569 credits (54.5%)"), "{}", top.message);
    }

    #[test]
    fn comparison_and_deviation_insights() {
        let run = plan_run();
        let mut cheaper = plan_run();
        for r in cheaper.stages.iter_mut().flatten() {
            r.credits /= 2;
        }
        let history = [cheaper.clone(), cheaper.clone(), cheaper];
        let averages = crate::domain::averages::historical_averages(&history).unwrap();
        let d = run_detail(&run, &site(), Some(&averages), 3, run.started_at);
        let c4 = d.stages[3].comparison.unwrap();
        assert_eq!(c4.avg_credits, Some(155.0));
        assert_eq!(c4.credits_diff_percent, Some(100.0));
        assert_eq!(c4.output_diff_percent, Some(0.0));
        let deviation =
            d.insights.iter().find(|i| i.kind == InsightKind::CreditsDeviation && i.stage == Some(4)).unwrap();
        assert_eq!(
            deviation.message,
            "Stage 4 (Tasks → Content) used more credits than usual: 310 credits against an average of 155 (+100.0%)."
        );
        assert!(!d.insights.iter().any(|i| i.kind == InsightKind::OutputDeviation));
    }

    #[test]
    fn an_anomaly_is_named_in_the_insights() {
        let run = plan_run();
        let anomaly = crate::domain::trends::Anomaly {
            run_id: run.run_id.clone(),
            run_number: 47,
            started_at: run.started_at,
            figure: crate::domain::trends::TrendFigure::DurationSeconds,
            value: 2301.0,
            median: 1200.0,
            diff_percent: Some(91.8),
            baseline_runs: 7,
        };
        let d = run_detail(&run, &site(), None, 0, run.started_at).with_anomalies(&[anomaly]);
        let insight = d.insights.iter().find(|i| i.kind == InsightKind::Anomaly).unwrap();
        assert_eq!(
            insight.message,
            "Unusual run. Duration: 38m 21s against a median of 20m 00s over the 7 completed runs before it (+91.8%)."
        );
        assert_eq!(
            run_detail(&run, &site(), None, 0, run.started_at).with_anomalies(&[]).insights.len(),
            d.insights.len() - 1
        );
    }

    #[test]
    fn a_stage_with_no_input_has_null_ratios() {
        let mut run = plan_run();
        let mut fields = serde_json::Map::new();
        fields.insert("credits_used".into(), serde_json::json!(5));
        run.stages[0] =
            Some(crate::domain::run::StageResult::from_fields(StageNumber::try_from(1).unwrap(), fields).unwrap());
        let d = run_detail(&run, &site(), None, 0, run.started_at);
        let e = d.stages[0].efficiency.unwrap();
        assert_eq!((e.cost_per_input, e.cost_per_output, e.output_ratio, e.processing_rate), (None, None, None, None));
    }

    #[test]
    fn a_failed_run_names_its_stage_and_error() {
        let mut run = plan_run();
        run.status = RunStatus::Failed;
        run.current_stage = StageNumber::try_from(5).unwrap();
        run.stages[4] = None;
        run.stages[5] = None;
        run.stages[6] = None;
        run.error_message = Some("upstream 503".into());
        let row = history_run(&run, "techblog.com", run.started_at);
        assert_eq!(row.failed_stage, Some(5));
        assert_eq!((row.stages_completed, row.stages_failed), (4, 1));
        let d = run_detail(&run, &site(), None, 0, run.started_at);
        let failed = d.insights.iter().find(|i| i.kind == InsightKind::StageFailed).unwrap();
        assert!(failed.message.contains("Stage 5") && failed.message.contains("upstream 503"));
        assert!(d.insights.iter().any(|i| i.kind == InsightKind::UnprocessedQueue));
    }
}
