//! Forecasts you can check (metrics.md, "Beyond the plan: forecasts you can check"): the range
//! the next run's credits likely fall in, and how far the estimate has been off on the site's
//! own past runs. Where a short balance stops the run is part of the prediction itself.

use serde::{Deserialize, Serialize};

use super::averages::{historical_averages, HistoricalAverages, HISTORY_RUNS};
use super::numbers::{median, mul_div_ceil, round1};
use super::pipeline::PendingCounts;
use super::run::Run;
use super::stage::StageNumber;

/// How many completed runs the backtest checks.
pub const BACKTEST_RUNS: usize = 20;
/// The completed runs a backtest reads when none of its runs is skipped: the checked runs and
/// the history of the oldest of them.
pub const BACKTEST_READ: usize = BACKTEST_RUNS + HISTORY_RUNS;
/// With this many runs or more, the range leaves out the smallest and the largest scenario.
const TRIMMED_FROM: usize = 5;

/// `predictive_analysis.likely_range`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LikelyRange {
    /// The second smallest scenario total (the smallest with fewer than 5 runs).
    pub low: u64,
    /// The second largest scenario total (the largest with fewer than 5 runs).
    pub high: u64,
    /// The completed runs whose rates made a scenario each (3 to 10).
    pub runs: u32,
    /// How many of those scenarios lie within [low, high]: "8 of the last 10 runs would fall
    /// in this range". More than `runs − 2` where scenarios tie at an end.
    pub runs_in_range: u32,
}

impl LikelyRange {
    pub fn contains(&self, credits: u64) -> bool {
        (self.low..=self.high).contains(&credits)
    }
}

/// `predictive_analysis.accuracy`: the estimate made for each of the site's last completed
/// runs from the runs before it, against what the run used.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Accuracy {
    /// Completed runs checked (at most 20): those with credits used and at least 3 completed
    /// runs before them.
    pub runs_checked: u32,
    /// Median of |estimate − actual| / actual × 100, one decimal; null when no run was checked.
    pub median_abs_error_percent: Option<f64>,
    /// Checked runs whose actual credits lay in the likely range made before them; null when no
    /// run was checked.
    pub within_range: Option<u32>,
}

/// Credits of `items` at the pooled rate of `stage`; 0 where the history has no rate.
fn pooled_credits(pooled: &HistoricalAverages, stage: StageNumber, items: u64) -> u64 {
    pooled.stage(stage).credits_for(items).unwrap_or(0)
}

/// What the pending items would cost at `run`'s own rates, stage by stage; a stage the run did
/// not feed costs the pooled rate.
fn scenario_total(pending: &PendingCounts, run: &Run, pooled: &HistoricalAverages) -> u64 {
    StageNumber::all()
        .map(|stage| {
            let items = pending.0[stage.index()];
            match run.result(stage) {
                Some(own) if own.input > 0 => mul_div_ceil(items, own.credits, own.input).unwrap_or(u64::MAX),
                _ => pooled_credits(pooled, stage, items),
            }
        })
        .fold(0, u64::saturating_add)
}

/// The range of `runs` (at least one), whose pooled averages are `pooled`.
fn range_of(pending: &PendingCounts, runs: &[Run], pooled: &HistoricalAverages) -> LikelyRange {
    let mut totals: Vec<u64> = runs.iter().map(|run| scenario_total(pending, run, pooled)).collect();
    totals.sort_unstable();
    let n = totals.len();
    let trim = usize::from(n >= TRIMMED_FROM);
    let range = LikelyRange { low: totals[trim], high: totals[n - 1 - trim], runs: n as u32, runs_in_range: 0 };
    LikelyRange { runs_in_range: totals.iter().filter(|t| range.contains(**t)).count() as u32, ..range }
}

/// The likely range of a run's credits for `pending`, from `runs`, the site's last (at most
/// 10) completed runs. `None` with fewer than 3.
pub fn likely_range(pending: &PendingCounts, runs: &[Run]) -> Option<LikelyRange> {
    historical_averages(runs).map(|pooled| range_of(pending, runs, &pooled))
}

/// One checked run of the backtest: the estimate made from the runs before it, against what
/// it used. The overview's accuracy chart draws one point each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BacktestPoint {
    pub run_id: String,
    pub run_number: i64,
    pub predicted: u64,
    pub actual: u64,
    /// `actual` lay in the likely range made from the same earlier runs.
    pub within_range: bool,
}

/// The outcome of [`backtest`].
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    pub accuracy: Accuracy,
    /// The checked runs, newest first: the figures `accuracy` sums up.
    pub points: Vec<BacktestPoint>,
    /// Every run the definition looks at was among those given. When not, `accuracy` covers
    /// only the runs that could be checked exactly, and reading more runs would settle it.
    pub settled: bool,
}

/// Backtests the estimate on `completed`, the site's newest completed runs, newest first by
/// start (as the store reads them). `whole_history` says they are all the site's completed
/// runs; otherwise a run is checked only when its 10 earlier runs are among them.
pub fn backtest(completed: &[Run], whole_history: bool) -> Backtest {
    let mut points = Vec::with_capacity(BACKTEST_RUNS);
    let mut settled = true;
    for (i, run) in completed.iter().enumerate() {
        if points.len() == BACKTEST_RUNS {
            break;
        }
        let actual = run.total_credits_used;
        if actual == 0 {
            continue;
        }
        // Runs that started at the same moment are not "before" each other.
        let first_earlier = i + 1 + completed[i + 1..].iter().take_while(|e| e.started_at >= run.started_at).count();
        let earlier = &completed[first_earlier..completed.len().min(first_earlier + HISTORY_RUNS)];
        if earlier.len() < HISTORY_RUNS && !whole_history {
            settled = false;
            break;
        }
        let Some(pooled) = historical_averages(earlier) else { continue };
        let pending = PendingCounts(run.initial_snapshot.per_stage());
        let predicted =
            StageNumber::all().map(|s| pooled_credits(&pooled, s, pending.0[s.index()])).fold(0, u64::saturating_add);
        points.push(BacktestPoint {
            run_id: run.run_id.clone(),
            run_number: run.run_number,
            predicted,
            actual,
            within_range: range_of(&pending, earlier, &pooled).contains(actual),
        });
    }
    // Fewer checked runs than asked for, from a part of the history: older runs may qualify.
    if points.len() < BACKTEST_RUNS && !whole_history {
        settled = false;
    }
    let runs_checked = points.len() as u32;
    let mut errors: Vec<f64> =
        points.iter().map(|p| p.predicted.abs_diff(p.actual) as f64 / p.actual as f64 * 100.0).collect();
    let within_range = points.iter().filter(|p| p.within_range).count() as u32;
    let accuracy = Accuracy {
        runs_checked,
        median_abs_error_percent: median(&mut errors).map(round1),
        within_range: (runs_checked > 0).then_some(within_range),
    };
    Backtest { accuracy, points, settled }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::domain::fixtures::plan_run;
    use crate::domain::run::StageResult;

    /// The plan's run (569 credits for its own queue), its start moved back `days`, with
    /// stage 4 costing `stage4` credits for its 25 tasks.
    fn run(days: i64, stage4: u64) -> Run {
        let mut run = plan_run();
        run.started_at -= Duration::days(days);
        run.run_number -= days;
        set_stage(&mut run, 4, 25, stage4);
        run
    }

    fn set_stage(run: &mut Run, stage: u8, input: u64, credits: u64) {
        let s = StageNumber::from_u8(stage).unwrap();
        let mut fields = run.result(s).map_or_else(serde_json::Map::new, |r| r.fields().clone());
        fields.insert(s.def().input_field.into(), input.into());
        fields.insert("credits_used".into(), credits.into());
        run.stages[s.index()] = Some(StageResult::from_fields(s, fields).unwrap());
        run.total_credits_used = run.stages.iter().flatten().map(|r| r.credits).sum();
    }

    /// The same work for no credits.
    fn make_free(run: &mut Run) {
        for stage in 1..=7 {
            let input = run.result(StageNumber::from_u8(stage).unwrap()).map_or(0, |r| r.input);
            set_stage(run, stage, input, 0);
        }
    }

    /// Only stage 4 pending: each scenario is that run's own stage 4 cost for 25 tasks.
    const STAGE4_ONLY: PendingCounts = PendingCounts([0, 0, 0, 25, 0, 0, 0]);

    /// Newest first, as the store reads them.
    fn history(stage4_credits: &[u64]) -> Vec<Run> {
        stage4_credits.iter().enumerate().map(|(days, c)| run(days as i64, *c)).collect()
    }

    #[test]
    fn with_five_runs_or_more_the_range_drops_each_end() {
        let runs = history(&[300, 100, 500, 200, 400]);
        let range = likely_range(&STAGE4_ONLY, &runs).unwrap();
        assert_eq!(range, LikelyRange { low: 200, high: 400, runs: 5, runs_in_range: 3 });
    }

    #[test]
    fn with_fewer_than_five_runs_the_range_is_smallest_to_largest() {
        let runs = history(&[300, 100, 500, 200]);
        assert_eq!(
            likely_range(&STAGE4_ONLY, &runs),
            Some(LikelyRange { low: 100, high: 500, runs: 4, runs_in_range: 4 })
        );
        let three = history(&[310, 310, 310]);
        assert_eq!(
            likely_range(&STAGE4_ONLY, &three),
            Some(LikelyRange { low: 310, high: 310, runs: 3, runs_in_range: 3 })
        );
    }

    #[test]
    fn tied_scenarios_at_an_end_count_as_in_range() {
        // Sorted 100 100 300 500 500 600: low is the second 100, high the second 500.
        let runs = history(&[500, 100, 600, 300, 100, 500]);
        assert_eq!(
            likely_range(&STAGE4_ONLY, &runs),
            Some(LikelyRange { low: 100, high: 500, runs: 6, runs_in_range: 5 })
        );
    }

    #[test]
    fn no_range_with_fewer_than_three_runs() {
        assert_eq!(likely_range(&STAGE4_ONLY, &history(&[300, 100])), None);
        assert_eq!(likely_range(&STAGE4_ONLY, &[]), None);
    }

    #[test]
    fn scenarios_are_integer_ceilings_of_each_runs_own_rate() {
        // 27 pending keywords: 63 exactly at one run's 7 credits per 3 keywords (not 64 through
        // a float rate), ceil(8.1) = 9 at the plan's 45 per 150.
        let mut runs = history(&[310, 310, 310]);
        set_stage(&mut runs[0], 1, 3, 7);
        let pending = PendingCounts([27, 0, 0, 0, 0, 0, 0]);
        assert_eq!(likely_range(&pending, &runs), Some(LikelyRange { low: 9, high: 63, runs: 3, runs_in_range: 3 }));
    }

    #[test]
    fn a_stage_a_run_did_not_feed_costs_the_pooled_rate() {
        let mut runs = history(&[100, 200, 300]);
        // The newest run never reached stage 4: its scenario takes the pooled 500 credits per
        // 50 tasks, so 250 for 25, where the others cost 200 and 300.
        runs[0].stages[3] = None;
        assert_eq!(
            likely_range(&STAGE4_ONLY, &runs),
            Some(LikelyRange { low: 200, high: 300, runs: 3, runs_in_range: 3 })
        );
        // Fed with nothing, it has no rate of its own either.
        set_stage(&mut runs[0], 4, 0, 0);
        assert_eq!(likely_range(&STAGE4_ONLY, &runs).map(|r| (r.low, r.high)), Some((200, 300)));
    }

    #[test]
    fn a_stage_no_run_fed_costs_nothing() {
        let mut runs = history(&[310, 310, 310]);
        for run in &mut runs {
            run.stages[3] = None;
        }
        assert_eq!(likely_range(&STAGE4_ONLY, &runs).map(|r| (r.low, r.high)), Some((0, 0)));
    }

    #[test]
    fn backtest_needs_three_earlier_runs() {
        // Only the newest run has 3 before it; its estimate is exact and inside the range.
        let b = backtest(&history(&[310; 4]), true);
        assert!(b.settled);
        assert_eq!(
            b.accuracy,
            Accuracy { runs_checked: 1, median_abs_error_percent: Some(0.0), within_range: Some(1) }
        );
        let none = backtest(&history(&[310; 3]), true);
        assert_eq!(none.accuracy, Accuracy { runs_checked: 0, median_abs_error_percent: None, within_range: None });
    }

    #[test]
    fn backtest_median_of_two_is_their_mean() {
        // Newest first: r0 (310 on stage 4), r1 (410), then three runs at 310.
        // r1: estimate 569 from three plan runs, actual 669: off by 100 / 669 = 14.95 %; the
        //     range of three identical runs is [569, 569], without 669.
        // r0: stage 4 pooled over 410 + 3 × 310 for 4 × 25 tasks, 335 for 25: estimate 594,
        //     actual 569: off by 25 / 569 = 4.39 %; the range [569, 669] holds 569.
        // Median (14.95 + 4.39) / 2 = 9.67 → 9.7.
        let b = backtest(&history(&[310, 410, 310, 310, 310]), true);
        assert_eq!(
            b.accuracy,
            Accuracy { runs_checked: 2, median_abs_error_percent: Some(9.7), within_range: Some(1) }
        );
    }

    #[test]
    fn backtest_median_of_an_odd_count_is_the_middle_one() {
        // r2 is off by 100 / 669 = 14.9 % as above; r1 (310) by 25 / 569 = 4.4 %; r0 (410):
        // stage 4 pooled (310 + 410 + 3 × 310) / 5 = 330, estimate 589, actual 669, off 11.96 %.
        let b = backtest(&history(&[410, 310, 410, 310, 310, 310]), true);
        assert_eq!(b.accuracy.runs_checked, 3);
        assert_eq!(b.accuracy.median_abs_error_percent, Some(12.0));
    }

    /// (run number, predicted, actual, within range) of each point.
    fn points(b: &Backtest) -> Vec<(i64, u64, u64, bool)> {
        b.points.iter().map(|p| (p.run_number, p.predicted, p.actual, p.within_range)).collect()
    }

    #[test]
    fn backtest_points_are_the_checked_runs_newest_first() {
        // The runs of `backtest_median_of_two_is_their_mean`: r0 estimated 594, used 569, in
        // [569, 669]; r1 estimated 569, used 669, outside [569, 569].
        let runs = history(&[310, 410, 310, 310, 310]);
        let b = backtest(&runs, true);
        let n = runs[0].run_number;
        assert_eq!(points(&b), [(n, 594, 569, true), (n - 1, 569, 669, false)]);
        assert_eq!(b.points[0].run_id, runs[0].run_id);
        assert_eq!(b.accuracy.within_range, Some(b.points.iter().filter(|p| p.within_range).count() as u32));
    }

    #[test]
    fn with_fewer_than_five_earlier_runs_a_point_is_judged_by_the_whole_spread() {
        // r0 used 259 + 410 = 669; the 4 runs before it make scenarios of 259 + 100 to 259 + 500,
        // and below 5 runs the range keeps the smallest and the largest: 669 is in [359, 759].
        let runs = history(&[410, 100, 500, 200, 300]);
        let b = backtest(&runs, true);
        assert_eq!(b.points.len(), 2, "r0 (4 earlier runs) and r1 (3)");
        assert!(b.points[0].within_range, "{:?}", b.points[0]);
        assert_eq!(b.points[0].predicted, 259 + 275, "stage 4 pooled: 1100 credits for 100 tasks, 275 for 25");
    }

    #[test]
    fn a_stage_no_earlier_run_processed_is_estimated_at_nothing() {
        let mut runs = history(&[310; 4]);
        for run in &mut runs[1..] {
            run.stages[3] = None;
        }
        let b = backtest(&runs, true);
        // Stage 4's 310 credits are missing from the estimate: 569 − 310.
        assert_eq!(points(&b), [(runs[0].run_number, 259, 569, false)]);
        assert_eq!(b.accuracy.median_abs_error_percent, Some(54.5));
    }

    #[test]
    fn tied_starts_and_free_runs_make_no_point() {
        let mut runs = history(&[310; 5]);
        runs[1].started_at = runs[0].started_at;
        make_free(&mut runs[2]);
        // r0 and r1 started together: each has r2 to r4 before it, r2 is free and not checked.
        let b = backtest(&runs, true);
        let numbers: Vec<i64> = b.points.iter().map(|p| p.run_number).collect();
        assert_eq!(numbers, [runs[0].run_number, runs[1].run_number]);
        assert!(b.points.iter().all(|p| p.actual > 0));
        assert!(backtest(&history(&[310; 3]), true).points.is_empty());
    }

    #[test]
    fn runs_without_credits_are_not_checked_but_count_as_history() {
        let mut runs = history(&[310; 4]);
        make_free(&mut runs[1]);
        assert_eq!(runs[1].total_credits_used, 0);
        let b = backtest(&runs, true);
        // Only r0 is checked. The free r1 pools 0 credits with r2 and r3 over the same inputs,
        // so each stage costs ceil(2/3 of the plan's credits): 30 + 80 + 0 + 207 + 15 + 48 + 0.
        assert_eq!(b.accuracy.runs_checked, 1);
        // Off by (569 − 380) / 569.
        assert_eq!(b.accuracy.median_abs_error_percent, Some(33.2));
        // The range from r1 (0), r2 and r3 (569 each) is [0, 569]: 569 is in it.
        assert_eq!(b.accuracy.within_range, Some(1));
    }

    #[test]
    fn runs_started_together_are_not_before_each_other() {
        let mut runs = history(&[310; 4]);
        runs[1].started_at = runs[0].started_at;
        // r0 has only r2 and r3 before it now.
        assert_eq!(backtest(&runs, true).accuracy.runs_checked, 0);
    }

    #[test]
    fn part_of_the_history_settles_only_with_ten_runs_before_the_twentieth() {
        let thirty = history(&[310; BACKTEST_READ]);
        let b = backtest(&thirty, false);
        assert!(b.settled);
        assert_eq!(b.accuracy.runs_checked, 20);
        assert!(!backtest(&thirty[..BACKTEST_READ - 1], false).settled);
        // A free run among them pushes the twentieth checked run one further back.
        let mut with_free = thirty;
        make_free(&mut with_free[0]);
        let partial = backtest(&with_free, false);
        assert!(!partial.settled);
        assert_eq!(partial.accuracy.runs_checked, 19, "each checked run had its 10 earlier ones");
        assert!(backtest(&with_free, true).settled);
    }
}
