//! The figures of metrics.md, computed here from the test data, independently of the crate.

use chrono::{DateTime, Duration, Utc};

use crate::data::TestRun;

/// One decimal, half away from zero.
pub fn round1(x: f64) -> f64 {
    let scaled = x * 10.0;
    let r = if scaled >= 0.0 { (scaled + 0.5).floor() } else { -((-scaled + 0.5).floor()) };
    r / 10.0
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub total_runs: u64,
    pub completed_runs: u64,
    pub failed_runs: u64,
    pub success_rate: Option<f64>,
    pub avg_duration_seconds: Option<i64>,
    pub avg_credits_per_run: Option<f64>,
    pub runs_this_week: u64,
    pub runs_last_week: u64,
    pub credits_trend: Option<f64>,
    pub duration_trend: Option<i64>,
    pub success_rate_trend: Option<f64>,
}

/// metrics.md, "Run statistics", for the runs of `site_id`.
pub fn stats(runs: &[TestRun], site_id: i64, now: DateTime<Utc>) -> Stats {
    let site: Vec<&TestRun> = runs.iter().filter(|r| r.site_id == site_id).collect();
    // W30 = [now-30d, now], W7 = [now-7d, now], P7 = [now-14d, now-7d).
    let last_days = |r: &TestRun, days: i64| r.started >= now - Duration::days(days) && r.started <= now;
    let w30: Vec<&TestRun> = site.iter().copied().filter(|r| last_days(r, 30)).collect();
    let w7: Vec<&TestRun> = site.iter().copied().filter(|r| last_days(r, 7)).collect();
    let p7: Vec<&TestRun> = site
        .iter()
        .copied()
        .filter(|r| r.started >= now - Duration::days(14) && r.started < now - Duration::days(7))
        .collect();
    let with = |set: &[&TestRun], status: &str| set.iter().filter(|r| r.status == status).count() as u64;
    let completed = with(&w30, "completed");
    let failed = with(&w30, "failed");
    let cancelled = with(&w30, "cancelled");
    let finished = completed + failed + cancelled;
    let credits = |set: &[&TestRun]| -> Vec<f64> {
        set.iter().filter(|r| r.status == "completed").map(|r| r.total_credits as f64).collect()
    };
    let durations = |set: &[&TestRun]| -> Vec<f64> {
        set.iter().filter(|r| r.status == "completed").map(|r| r.duration_secs().unwrap() as f64).collect()
    };
    let credits_trend = match (mean(&credits(&w7)), mean(&credits(&p7))) {
        (Some(a), Some(b)) if b != 0.0 => Some(round1((a - b) / b * 100.0)),
        _ => None,
    };
    let duration_trend = match (mean(&durations(&w7)), mean(&durations(&p7))) {
        (Some(a), Some(b)) => Some((a - b).round() as i64),
        _ => None,
    };
    let rate = |set: &[&TestRun]| {
        let finished = set.iter().filter(|r| ["completed", "failed", "cancelled"].contains(&r.status)).count();
        (finished > 0).then(|| with(set, "completed") as f64 / finished as f64 * 100.0)
    };
    let success_rate_trend = match (rate(&w7), rate(&p7)) {
        (Some(a), Some(b)) => Some(round1(a - b)),
        _ => None,
    };
    Stats {
        total_runs: site.len() as u64,
        completed_runs: completed,
        failed_runs: failed,
        success_rate: (finished > 0).then(|| round1(completed as f64 * 100.0 / finished as f64)),
        avg_duration_seconds: mean(&durations(&w30)).map(|m| m.round() as i64),
        avg_credits_per_run: mean(&credits(&w30)).map(round1),
        runs_this_week: w7.len() as u64,
        runs_last_week: p7.len() as u64,
        credits_trend,
        duration_trend,
        success_rate_trend,
    }
}

/// The site's last `n` completed runs by (started_at, run_id), newest first, among `runs`
/// that pass `keep`.
pub fn last_completed(runs: &[TestRun], site_id: i64, n: usize, keep: impl Fn(&TestRun) -> bool) -> Vec<&TestRun> {
    let mut done: Vec<&TestRun> =
        runs.iter().filter(|r| r.site_id == site_id && r.status == "completed" && keep(r)).collect();
    done.sort_by(|a, b| (b.started, &b.run_id).cmp(&(a.started, &a.run_id)));
    done.truncate(n);
    done
}

#[derive(Debug, Clone, PartialEq)]
pub struct StageEstimate {
    pub pending: u64,
    pub credits: Option<u64>,
    pub output: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub runs_analyzed: u64,
    pub stages: Vec<StageEstimate>,
    pub total: Option<u64>,
    pub buffer: Option<u64>,
    pub is_sufficient: Option<bool>,
}

/// metrics.md, "Prediction": exact integer arithmetic. Every stage of the test data has
/// history with inputs, so no estimate is left undefined.
pub fn prediction(runs: &[TestRun], site_id: i64, pending: [u64; 7], balance: i64) -> Prediction {
    let history = last_completed(runs, site_id, 10, |_| true);
    let enough = history.len() >= 3;
    let stages: Vec<StageEstimate> = (0..7)
        .map(|i| {
            let used: Vec<_> = history.iter().filter_map(|r| r.stages[i]).filter(|s| s.input > 0).collect();
            let (c, inp, out) =
                used.iter().fold((0u64, 0u64, 0u64), |(c, i, o), s| (c + s.credits, i + s.input, o + s.output));
            let p = pending[i];
            let defined = enough && inp > 0;
            StageEstimate {
                pending: p,
                credits: defined.then(|| (p * c).div_ceil(inp)),
                output: defined.then(|| (2 * p * out + inp) / (2 * inp)),
            }
        })
        .collect();
    let total = enough.then(|| stages.iter().map(|s| s.credits.expect("every stage has history")).sum::<u64>());
    let buffer = total.map(|t| (t * 12).div_ceil(10));
    Prediction {
        runs_analyzed: history.len() as u64,
        stages,
        total,
        buffer,
        is_sufficient: buffer.map(|b| balance >= b as i64),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StageComparison {
    pub avg_credits: f64,
    pub avg_output: f64,
    pub credits_diff_percent: Option<f64>,
    pub output_diff_percent: Option<f64>,
}

/// The comparison of `target`'s stages with the (at most 10) completed runs of its site that
/// started before it; `None` with fewer than 3 of them. Per stage `None` where the target has
/// no result.
pub fn comparison(runs: &[TestRun], target: &TestRun) -> (usize, Option<Vec<Option<StageComparison>>>) {
    let earlier = last_completed(runs, target.site_id, 10, |r| r.started < target.started && r.run_id != target.run_id);
    if earlier.len() < 3 {
        return (earlier.len(), None);
    }
    let stages = (0..7)
        .map(|i| {
            let own = target.stages[i]?;
            let used: Vec<_> = earlier.iter().filter_map(|r| r.stages[i]).filter(|s| s.input > 0).collect();
            let avg_credits = used.iter().map(|s| s.credits as f64).sum::<f64>() / used.len() as f64;
            let avg_output = used.iter().map(|s| s.output as f64).sum::<f64>() / used.len() as f64;
            let diff = |x: f64, avg: f64| (avg != 0.0).then(|| round1((x - avg) / avg * 100.0));
            Some(StageComparison {
                avg_credits,
                avg_output,
                credits_diff_percent: diff(own.credits as f64, avg_credits),
                output_diff_percent: diff(own.output as f64, avg_output),
            })
        })
        .collect();
    (earlier.len(), Some(stages))
}

/// metrics.md, "wasted_credits": credits of the failed and cancelled runs started in W30, and
/// in the 30 days before it.
pub fn wasted_credits(runs: &[TestRun], site_id: i64, now: DateTime<Utc>) -> (u64, u64) {
    let wasted = |from: DateTime<Utc>, to: DateTime<Utc>, to_inclusive: bool| -> u64 {
        runs.iter()
            .filter(|r| r.site_id == site_id && (r.status == "failed" || r.status == "cancelled"))
            .filter(|r| r.started >= from && (r.started < to || (to_inclusive && r.started == to)))
            .map(|r| r.total_credits)
            .sum()
    };
    let w30 = now - Duration::days(30);
    (wasted(w30, now, true), wasted(w30 - Duration::days(30), w30, false))
}

/// Σ credits and Σ inputs of stage `i` over the runs that fed it.
fn pooled(history: &[&TestRun], i: usize) -> (u64, u64) {
    history
        .iter()
        .filter_map(|r| r.stages[i])
        .filter(|s| s.input > 0)
        .fold((0, 0), |(c, n), s| (c + s.credits, n + s.input))
}

/// ceil(items × credits / inputs), 0 without inputs.
fn cost(items: u64, credits: u64, inputs: u64) -> u64 {
    if inputs == 0 {
        0
    } else {
        (items * credits).div_ceil(inputs)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub low: u64,
    pub high: u64,
    pub runs: u64,
    pub in_range: u64,
}

/// metrics.md, "likely_range", from `history` (the ≤10 runs, at least 3) for `pending`.
fn range_of(history: &[&TestRun], pending: [u64; 7]) -> Range {
    let mut totals: Vec<u64> = history
        .iter()
        .map(|r| {
            (0..7)
                .map(|i| match r.stages[i] {
                    Some(s) if s.input > 0 => cost(pending[i], s.credits, s.input),
                    _ => {
                        let (c, n) = pooled(history, i);
                        cost(pending[i], c, n)
                    }
                })
                .sum()
        })
        .collect();
    totals.sort();
    let n = totals.len();
    let (low, high) = if n >= 5 { (totals[1], totals[n - 2]) } else { (totals[0], totals[n - 1]) };
    let in_range = totals.iter().filter(|t| low <= **t && **t <= high).count() as u64;
    Range { low, high, runs: n as u64, in_range }
}

/// The site's likely range for `pending`; `None` with fewer than 3 completed runs.
pub fn likely_range(runs: &[TestRun], site_id: i64, pending: [u64; 7]) -> Option<Range> {
    let history = last_completed(runs, site_id, 10, |_| true);
    (history.len() >= 3).then(|| range_of(&history, pending))
}

/// The first stage whose running sum of estimated credits exceeds the balance.
pub fn runs_out_at_stage(prediction: &Prediction, balance: i64) -> Option<u64> {
    let total = prediction.total?;
    if total as i64 <= balance {
        return None;
    }
    let mut sum = 0i64;
    (1..=7).zip(&prediction.stages).find_map(|(n, s)| {
        sum += s.credits.unwrap_or(0) as i64;
        (sum > balance).then_some(n)
    })
}

#[derive(Debug, Clone, PartialEq)]
pub struct Accuracy {
    pub runs_checked: u64,
    pub median_abs_error_percent: Option<f64>,
    pub within_range: Option<u64>,
}

/// metrics.md, "accuracy": the backtest over the site's newest 20 completed runs with credits
/// and at least 3 completed runs before them. `None` with fewer than 3 completed runs.
pub fn accuracy(runs: &[TestRun], site_id: i64) -> Option<Accuracy> {
    let all = last_completed(runs, site_id, usize::MAX, |_| true);
    if all.len() < 3 {
        return None;
    }
    let mut errors = Vec::new();
    let mut within = 0;
    for r in all {
        if errors.len() == 20 {
            break;
        }
        let earlier = last_completed(runs, site_id, 10, |e| e.started < r.started);
        if r.total_credits == 0 || earlier.len() < 3 {
            continue;
        }
        let initial: [u64; 7] = std::array::from_fn(|i| r.stages[i].map_or(0, |s| s.input));
        let predicted: u64 = (0..7)
            .map(|i| {
                let (c, n) = pooled(&earlier, i);
                cost(initial[i], c, n)
            })
            .sum();
        let actual = r.total_credits;
        errors.push((predicted as f64 - actual as f64).abs() / actual as f64 * 100.0);
        let range = range_of(&earlier, initial);
        if range.low <= actual && actual <= range.high {
            within += 1;
        }
    }
    errors.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = errors.len();
    let median = match n {
        0 => None,
        _ if n.is_multiple_of(2) => Some((errors[n / 2 - 1] + errors[n / 2]) / 2.0),
        _ => Some(errors[n / 2]),
    };
    Some(Accuracy {
        runs_checked: n as u64,
        median_abs_error_percent: median.map(round1),
        within_range: (n > 0).then_some(within),
    })
}
