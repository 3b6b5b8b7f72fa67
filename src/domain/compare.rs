//! Two runs side by side (metrics.md, "Where the figures beyond the plan are served":
//! compare): each stage's credits, output and time in both, and how b differs from a.

use serde::{Deserialize, Serialize};

use super::detail::RunDetail;

use super::numbers::percent;
use super::run_detail::{RunInfo, StageDetail};
use super::view::ThemedSvg;

/// A stage's figures in one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageFigures {
    pub credits: u64,
    pub output: u64,
    pub seconds: u64,
}

/// One stage of both runs; null figures where a run has no result for the stage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageComparison {
    pub stage: u8,
    pub a: Option<StageFigures>,
    pub b: Option<StageFigures>,
    /// (b − a) / a × 100, one decimal; null where a's figure is 0 or either run has no result.
    pub credits_diff_percent: Option<f64>,
    pub output_diff_percent: Option<f64>,
    pub seconds_diff_percent: Option<f64>,
}

/// `GET /api/v1/automation/compare`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunComparison {
    pub a: RunInfo,
    pub b: RunInfo,
    /// Stages 1 to 7.
    pub stages: Vec<StageComparison>,
}

fn figures(stage: &StageDetail) -> Option<StageFigures> {
    stage.result.as_ref().map(|r| StageFigures {
        credits: r.credits_used,
        output: r.output_count,
        seconds: r.time_elapsed_seconds,
    })
}

/// Percent change from `a` to `b`; `None` when a is 0.
fn diff(a: u64, b: u64) -> Option<f64> {
    percent(b as f64 - a as f64, a as f64)
}

/// Run `b` against run `a`, stage by stage.
pub fn compare(a: &RunDetail, b: &RunDetail) -> RunComparison {
    let stages = a
        .stages
        .iter()
        .zip(&b.stages)
        .map(|(sa, sb)| {
            let (fa, fb) = (figures(sa), figures(sb));
            let both = fa.zip(fb);
            StageComparison {
                stage: sa.number,
                a: fa,
                b: fb,
                credits_diff_percent: both.and_then(|(x, y)| diff(x.credits, y.credits)),
                output_diff_percent: both.and_then(|(x, y)| diff(x.output, y.output)),
                seconds_diff_percent: both.and_then(|(x, y)| diff(x.seconds, y.seconds)),
            }
        })
        .collect();
    RunComparison { a: a.run.clone(), b: b.run.clone(), stages }
}

/// The compare page's data: the API's document, and both runs whole (summaries, efficiency,
/// insights with their anomalies, timelines) with their credit donuts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareView {
    pub comparison: RunComparison,
    pub a: RunDetail,
    pub b: RunDetail,
    pub a_donut: Option<ThemedSvg>,
    pub b_donut: Option<ThemedSvg>,
    /// The newest runs of a's site, for the page's run picker.
    pub recent_runs: Vec<super::history::HistoryRun>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::detail::run_detail;
    use crate::domain::fixtures::plan_run;
    use crate::domain::run::{Run, StageResult};
    use crate::domain::stage::StageNumber;
    use crate::domain::view::SiteRef;

    fn site() -> SiteRef {
        SiteRef { id: 123, name: "TechBlog".into(), domain: "techblog.com".into() }
    }

    fn detail(run: &Run) -> RunDetail {
        run_detail(run, &site(), None, 0, run.started_at)
    }

    fn set(run: &mut Run, stage: u8, key: &str, value: u64) {
        let s = StageNumber::from_u8(stage).unwrap();
        let mut fields = run.result(s).map_or_else(serde_json::Map::new, |r| r.fields().clone());
        fields.insert(key.into(), value.into());
        run.stages[s.index()] = Some(StageResult::from_fields(s, fields).unwrap());
    }

    #[test]
    fn the_same_run_twice_differs_by_nothing() {
        let d = detail(&plan_run());
        let c = compare(&d, &d);
        assert_eq!(c.a, c.b);
        assert_eq!(c.stages.len(), 7);
        for s in &c.stages {
            assert_eq!(s.a, s.b);
            // Stage 3 and 7 cost nothing: no percent change from 0.
            let credits_free = s.a.unwrap().credits == 0;
            assert_eq!(s.credits_diff_percent, if credits_free { None } else { Some(0.0) }, "stage {}", s.stage);
            assert_eq!(s.output_diff_percent, Some(0.0));
            assert_eq!(s.seconds_diff_percent, Some(0.0));
        }
    }

    #[test]
    fn diffs_are_of_b_against_a_with_one_decimal() {
        let a = plan_run();
        let mut b = plan_run();
        set(&mut b, 4, "credits_used", 400);
        set(&mut b, 4, "content_created", 20);
        set(&mut b, 1, "credits_used", 30);
        let c = compare(&detail(&a), &detail(&b));
        let s4 = c.stages[3];
        assert_eq!(s4.a, Some(StageFigures { credits: 310, output: 25, seconds: 1122 }));
        assert_eq!(s4.b, Some(StageFigures { credits: 400, output: 20, seconds: 1122 }));
        // (400 − 310) / 310 = 29.03 %; (20 − 25) / 25 = −20 %.
        assert_eq!(s4.credits_diff_percent, Some(29.0));
        assert_eq!(s4.output_diff_percent, Some(-20.0));
        assert_eq!(s4.seconds_diff_percent, Some(0.0));
        assert_eq!(c.stages[0].credits_diff_percent, Some(-33.3));
        // From 0 credits (stage 3 of a) there is no percent change, whatever b used.
        let mut b3 = plan_run();
        set(&mut b3, 3, "credits_used", 5);
        assert_eq!(compare(&detail(&a), &detail(&b3)).stages[2].credits_diff_percent, None);
        // Against b's 0, a change of −100 %.
        assert_eq!(compare(&detail(&b3), &detail(&a)).stages[2].credits_diff_percent, Some(-100.0));
    }

    #[test]
    fn a_stage_without_a_result_has_null_figures_and_diffs() {
        let a = plan_run();
        let mut b = plan_run();
        b.stages[5] = None;
        let c = compare(&detail(&a), &detail(&b));
        let s6 = c.stages[5];
        assert!(s6.a.is_some() && s6.b.is_none());
        assert_eq!((s6.credits_diff_percent, s6.output_diff_percent, s6.seconds_diff_percent), (None, None, None));
        let back = compare(&detail(&b), &detail(&a)).stages[5];
        assert!(back.a.is_none() && back.b.is_some());
        assert_eq!(back.credits_diff_percent, None);
    }

    #[test]
    fn the_document_has_the_specified_keys() {
        let d = detail(&plan_run());
        let json = serde_json::to_value(compare(&d, &d)).unwrap();
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["a", "b", "stages"]);
        let stage = json["stages"][0].as_object().unwrap();
        let keys: Vec<&str> = stage.keys().map(String::as_str).collect();
        assert_eq!(keys, ["stage", "a", "b", "credits_diff_percent", "output_diff_percent", "seconds_diff_percent"]);
        let figures: Vec<&str> = stage["a"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(figures, ["credits", "output", "seconds"]);
        assert_eq!(json["a"]["run_id"], "run_20260117_140523_manual");
    }
}
