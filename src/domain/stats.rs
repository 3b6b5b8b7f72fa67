//! Run statistics of the overview (metrics.md, "Run statistics").

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::numbers::{mean, percent, ratio, round1};
use super::run::RunStatus;

/// Days of the statistics window (W30).
pub const STATS_WINDOW_DAYS: i64 = 30;
/// Days of a trend window (W7, and P7 before it).
pub const WEEK_DAYS: i64 = 7;

/// The little the statistics need of a run started in the last 30 days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunTiming {
    pub status: RunStatus,
    pub started_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub credits: u64,
}

impl RunTiming {
    fn completed_duration(&self) -> Option<f64> {
        (self.status == RunStatus::Completed)
            .then_some(self.completed_at?)
            .map(|end| (end - self.started_at).num_seconds() as f64)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunStatistics {
    /// All the site's runs, all time.
    pub total_runs: u64,
    /// Completed runs started in the last 30 days.
    pub completed_runs: u64,
    /// Failed runs started in the last 30 days.
    pub failed_runs: u64,
    /// Cancelled runs started in the last 30 days.
    pub cancelled_runs: u64,
    /// completed / (completed + failed + cancelled) in the last 30 days, percent, one decimal.
    pub success_rate: Option<f64>,
    /// Mean completed_at − started_at of completed runs in the last 30 days, whole seconds.
    pub avg_duration_seconds: Option<i64>,
    /// Mean credits of completed runs in the last 30 days, one decimal.
    pub avg_credits_per_run: Option<f64>,
    pub runs_this_week: u64,
    pub runs_last_week: u64,
    /// Percent change of mean credits per completed run, this week against last week.
    pub credits_trend: Option<f64>,
    /// Seconds of change of mean duration of completed runs, this week against last week.
    pub duration_trend: Option<i64>,
    /// Success rate this week minus last week's, in percentage points, one decimal.
    pub success_rate_trend: Option<f64>,
    /// Credits used by the runs started in the last 30 days that failed or were cancelled.
    pub wasted_credits: u64,
    /// The same for the 30 days before those.
    pub wasted_credits_previous: u64,
}

/// `recent` holds the runs started in the window `[now − 30 days, now]`, and the failed and
/// cancelled ones of the 30 days before it (others are ignored, so callers may pass more).
pub fn run_statistics(total_runs: u64, recent: &[RunTiming], now: DateTime<Utc>) -> RunStatistics {
    let w30_start = now - Duration::days(STATS_WINDOW_DAYS);
    let previous_start = w30_start - Duration::days(STATS_WINDOW_DAYS);
    let w7_start = now - Duration::days(WEEK_DAYS);
    let p7_start = w7_start - Duration::days(WEEK_DAYS);
    let in_window = |r: &&RunTiming, from: DateTime<Utc>, to: DateTime<Utc>| r.started_at >= from && r.started_at < to;
    // A run started exactly now still counts as this week.
    let until = now + Duration::nanoseconds(1);

    let finished_counts = |from, to| {
        let count = |status: RunStatus| recent.iter().filter(|r| in_window(r, from, to) && r.status == status).count();
        (count(RunStatus::Completed) as u64, count(RunStatus::Failed) as u64, count(RunStatus::Cancelled) as u64)
    };
    let (completed, failed, cancelled) = finished_counts(w30_start, until);
    // Unrounded, so the trend is not the difference of two rounded figures.
    let success_ratio =
        |(done, failed, cancelled): (u64, u64, u64)| ratio(done as f64, (done + failed + cancelled) as f64);

    let completed_in = |from, to| -> Vec<&RunTiming> {
        recent.iter().filter(|r| in_window(r, from, to) && r.status == RunStatus::Completed).collect()
    };
    let mean_credits = |runs: &[&RunTiming]| mean(runs.iter().map(|r| r.credits as f64));
    let mean_duration = |runs: &[&RunTiming]| mean(runs.iter().filter_map(|r| r.completed_duration()));

    let w30_done = completed_in(w30_start, until);
    let this_week = completed_in(w7_start, until);
    let last_week = completed_in(p7_start, w7_start);

    let credits_trend = match (mean_credits(&this_week), mean_credits(&last_week)) {
        (Some(now_mean), Some(before)) => percent(now_mean - before, before),
        _ => None,
    };
    let duration_trend = match (mean_duration(&this_week), mean_duration(&last_week)) {
        (Some(now_mean), Some(before)) => Some((now_mean - before).round() as i64),
        _ => None,
    };
    let success_rate_trend =
        match (success_ratio(finished_counts(w7_start, until)), success_ratio(finished_counts(p7_start, w7_start))) {
            (Some(now_rate), Some(before)) => Some(round1((now_rate - before) * 100.0)),
            _ => None,
        };

    let wasted_in = |from, to| -> u64 {
        recent
            .iter()
            .filter(|r| in_window(r, from, to) && matches!(r.status, RunStatus::Failed | RunStatus::Cancelled))
            .map(|r| r.credits)
            .fold(0, u64::saturating_add)
    };

    RunStatistics {
        total_runs,
        completed_runs: completed,
        failed_runs: failed,
        cancelled_runs: cancelled,
        success_rate: success_ratio((completed, failed, cancelled)).map(|r| round1(r * 100.0)),
        avg_duration_seconds: mean_duration(&w30_done).map(|s| s.round() as i64),
        avg_credits_per_run: mean_credits(&w30_done).map(round1),
        runs_this_week: recent.iter().filter(|r| in_window(r, w7_start, until)).count() as u64,
        runs_last_week: recent.iter().filter(|r| in_window(r, p7_start, w7_start)).count() as u64,
        credits_trend,
        duration_trend,
        success_rate_trend,
        wasted_credits: wasted_in(w30_start, until),
        wasted_credits_previous: wasted_in(previous_start, w30_start),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 31, 12, 0, 0).unwrap()
    }

    fn run(status: RunStatus, days_ago: i64, minutes: i64, credits: u64) -> RunTiming {
        let started_at = now() - Duration::days(days_ago);
        RunTiming { status, started_at, completed_at: Some(started_at + Duration::minutes(minutes)), credits }
    }

    #[test]
    fn empty_history_gives_nulls_not_nan() {
        let s = run_statistics(0, &[], now());
        assert_eq!(s.success_rate, None);
        assert_eq!(s.avg_duration_seconds, None);
        assert_eq!(s.avg_credits_per_run, None);
        assert_eq!(s.credits_trend, None);
        assert_eq!(s.duration_trend, None);
        assert_eq!((s.runs_this_week, s.runs_last_week), (0, 0));
    }

    #[test]
    fn success_rate_ignores_running_and_paused() {
        let runs = [
            run(RunStatus::Completed, 1, 30, 500),
            run(RunStatus::Completed, 2, 30, 500),
            run(RunStatus::Failed, 3, 10, 100),
            run(RunStatus::Running, 0, 5, 10),
            run(RunStatus::Paused, 0, 5, 10),
        ];
        let s = run_statistics(40, &runs, now());
        assert_eq!(s.total_runs, 40);
        assert_eq!(s.success_rate, Some(66.7));
        assert_eq!((s.completed_runs, s.failed_runs), (2, 1));
        assert_eq!(s.runs_this_week, 5);
    }

    #[test]
    fn windows_exclude_runs_older_than_thirty_days() {
        let runs = [run(RunStatus::Completed, 31, 30, 900), run(RunStatus::Completed, 29, 20, 300)];
        let s = run_statistics(2, &runs, now());
        assert_eq!(s.completed_runs, 1);
        assert_eq!(s.avg_credits_per_run, Some(300.0));
        assert_eq!(s.avg_duration_seconds, Some(1200));
    }

    #[test]
    fn trends_compare_this_week_with_last_week() {
        let runs = [
            run(RunStatus::Completed, 1, 30, 440),
            run(RunStatus::Completed, 8, 33, 500),
            run(RunStatus::Failed, 9, 1, 20),
        ];
        let s = run_statistics(3, &runs, now());
        assert_eq!(s.credits_trend, Some(-12.0));
        assert_eq!(s.duration_trend, Some(-180));
        assert_eq!((s.runs_this_week, s.runs_last_week), (1, 2));
    }

    #[test]
    fn trend_is_null_when_a_week_has_no_completed_run() {
        let runs = [run(RunStatus::Completed, 1, 30, 440), run(RunStatus::Failed, 8, 33, 500)];
        let s = run_statistics(2, &runs, now());
        assert_eq!(s.credits_trend, None);
        assert_eq!(s.duration_trend, None);
    }

    #[test]
    fn success_rate_trend_is_the_change_in_percentage_points() {
        // This week 2 of 3 finished runs completed (66.7%), last week 3 of 4 (75%): −8.3 points.
        // Running and paused runs count in neither week.
        let runs = [
            run(RunStatus::Completed, 1, 30, 400),
            run(RunStatus::Completed, 2, 30, 400),
            run(RunStatus::Cancelled, 3, 5, 40),
            run(RunStatus::Running, 0, 5, 10),
            run(RunStatus::Completed, 8, 30, 400),
            run(RunStatus::Completed, 9, 30, 400),
            run(RunStatus::Completed, 10, 30, 400),
            run(RunStatus::Failed, 11, 5, 40),
            run(RunStatus::Paused, 12, 5, 10),
        ];
        let s = run_statistics(9, &runs, now());
        assert_eq!(s.success_rate_trend, Some(-8.3));
    }

    #[test]
    fn success_rate_trend_counts_weeks_without_a_completed_run() {
        // A week of only failures has a rate of 0%: the trend exists and is +100 points.
        let runs = [run(RunStatus::Completed, 1, 30, 440), run(RunStatus::Failed, 8, 33, 500)];
        assert_eq!(run_statistics(2, &runs, now()).success_rate_trend, Some(100.0));
    }

    #[test]
    fn wasted_credits_are_those_of_failed_and_cancelled_runs_by_window() {
        let runs = [
            run(RunStatus::Failed, 1, 10, 120),
            run(RunStatus::Cancelled, 29, 5, 30),
            run(RunStatus::Completed, 2, 30, 500),
            run(RunStatus::Running, 0, 5, 40),
            run(RunStatus::Paused, 3, 5, 60),
            // Exactly 30 days ago is still in the last 30 days.
            run(RunStatus::Cancelled, 30, 1, 3),
            // The 30 days before: from 60 days ago up to, not including, 30 days ago.
            run(RunStatus::Failed, 31, 10, 7),
            run(RunStatus::Cancelled, 60, 10, 11),
            run(RunStatus::Completed, 45, 30, 900),
            // Older still.
            run(RunStatus::Failed, 61, 10, 1000),
        ];
        let s = run_statistics(10, &runs, now());
        assert_eq!((s.wasted_credits, s.wasted_credits_previous), (153, 18));
    }

    #[test]
    fn no_failed_run_wastes_nothing() {
        let s = run_statistics(0, &[], now());
        assert_eq!((s.wasted_credits, s.wasted_credits_previous), (0, 0));
        let free = [run(RunStatus::Failed, 1, 10, 0), run(RunStatus::Completed, 40, 10, 300)];
        let s = run_statistics(2, &free, now());
        assert_eq!((s.wasted_credits, s.wasted_credits_previous), (0, 0));
    }

    #[test]
    fn success_rate_trend_is_null_when_a_week_has_no_finished_run() {
        let runs = [run(RunStatus::Completed, 1, 30, 440), run(RunStatus::Running, 8, 33, 500)];
        assert_eq!(run_statistics(2, &runs, now()).success_rate_trend, None);
        assert_eq!(run_statistics(0, &[], now()).success_rate_trend, None);
    }
}
