//! Trends over a site's completed runs, and the runs that stand out (metrics.md, "Beyond the
//! plan: trends and anomalies"). The API's rows, the anomaly rule, rolling medians and the
//! day or week buckets the trend charts draw.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::format::{csv_field, duration_short, signed_percent, thousands};
use super::numbers::{median, percent, ratio};
use super::run::{Run, RunStatus};
use super::stage::{StageNumber, STAGE_COUNT};
use super::stage_terms::short_number;
use super::stats::RunTiming;
use super::view::{SiteRef, ThemedSvg};

/// Completed runs started before a run that its anomaly check compares it with, at most.
pub const BASELINE_RUNS: usize = 10;
/// Below this many figures among those runs, no run is called an anomaly.
pub const MIN_BASELINE_RUNS: usize = 5;
/// MAD × this estimates the standard deviation of normally distributed figures.
const MAD_SCALE: f64 = 1.4826;
/// The modified z-score beyond which a figure is far out (Iglewicz and Hoaglin).
const MODIFIED_Z_LIMIT: f64 = 3.5;
/// Runs each rolling median spans: the run and the ones before it.
pub const ROLLING_RUNS: usize = 10;
/// Ranges of up to this many days are bucketed by day, longer ones by week, so a chart never
/// has more than about 100 bars (3650 days by week: 522).
pub const MAX_DAILY_BUCKETS: u32 = 100;

/// One figure of a run that trends follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TrendFigure {
    TotalCreditsUsed,
    DurationSeconds,
    CreditsPerContent,
}

impl TrendFigure {
    pub const ALL: [TrendFigure; 3] =
        [TrendFigure::TotalCreditsUsed, TrendFigure::DurationSeconds, TrendFigure::CreditsPerContent];

    pub fn as_str(self) -> &'static str {
        match self {
            TrendFigure::TotalCreditsUsed => "total_credits_used",
            TrendFigure::DurationSeconds => "duration_seconds",
            TrendFigure::CreditsPerContent => "credits_per_content",
        }
    }

    /// What a sentence calls it.
    pub fn label(self) -> &'static str {
        match self {
            TrendFigure::TotalCreditsUsed => "Credits used",
            TrendFigure::DurationSeconds => "Duration",
            TrendFigure::CreditsPerContent => "Credits per content item",
        }
    }

    /// A value of this figure as a page shows it: "1,240 credits", "38m 21s", "12.4 credits".
    pub fn format(self, value: f64) -> String {
        match self {
            TrendFigure::TotalCreditsUsed => format!("{} credits", thousands(value.round() as i128)),
            TrendFigure::DurationSeconds => duration_short(Some(value.round() as i64)),
            TrendFigure::CreditsPerContent => format!("{} credits", short_number(value)),
        }
    }
}

/// What trends need of a completed run: its figures and its credits by stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendSample {
    pub run_id: String,
    pub run_number: i64,
    pub started_at: DateTime<Utc>,
    pub total_credits_used: u64,
    /// completed_at − started_at, never negative.
    pub duration_seconds: i64,
    /// Stage 4's output.
    pub content_created: u64,
    pub stage_credits: [u64; STAGE_COUNT],
}

impl TrendSample {
    pub fn of(run: &Run) -> TrendSample {
        let content = StageNumber::from_u8(4).and_then(|s| run.result(s)).map_or(0, |r| r.output);
        TrendSample {
            run_id: run.run_id.clone(),
            run_number: run.run_number,
            started_at: run.started_at,
            total_credits_used: run.total_credits_used,
            duration_seconds: run.completed_at.map_or(0, |end| (end - run.started_at).num_seconds().max(0)),
            content_created: content,
            stage_credits: std::array::from_fn(|i| run.stages[i].as_ref().map_or(0, |r| r.credits)),
        }
    }

    /// total_credits_used / stage 4 output; `None` when the run made no content.
    pub fn credits_per_content(&self) -> Option<f64> {
        ratio(self.total_credits_used as f64, self.content_created as f64)
    }

    pub fn figure(&self, figure: TrendFigure) -> Option<f64> {
        match figure {
            TrendFigure::TotalCreditsUsed => Some(self.total_credits_used as f64),
            TrendFigure::DurationSeconds => Some(self.duration_seconds as f64),
            TrendFigure::CreditsPerContent => self.credits_per_content(),
        }
    }
}

/// The median of the baseline, when `value` is an anomaly against it: at least
/// [`MIN_BASELINE_RUNS`] figures, MAD > 0, |x − M| / (1.4826 × MAD) > 3.5 and |x − M| > M / 2.
pub fn anomaly_median(value: f64, baseline: &[f64]) -> Option<f64> {
    if baseline.len() < MIN_BASELINE_RUNS {
        return None;
    }
    let mut scratch = baseline.to_vec();
    let m = median(&mut scratch)?;
    scratch.iter_mut().for_each(|x| *x = (*x - m).abs());
    let mad = median(&mut scratch)?;
    let distance = (value - m).abs();
    // With MAD = 0 (most runs alike) any difference would be infinitely far out: no verdict.
    let far_out = mad > 0.0 && distance / (MAD_SCALE * mad) > MODIFIED_Z_LIMIT;
    (far_out && distance > m / 2.0).then_some(m)
}

/// A figure of a run that stands out, as lists, insights and attention items name it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Anomaly {
    pub run_id: String,
    pub run_number: i64,
    pub started_at: DateTime<Utc>,
    pub figure: TrendFigure,
    pub value: f64,
    /// Median of the figure over the runs compared with.
    pub median: f64,
    /// (value − median) / median × 100, one decimal; null when the median is 0.
    pub diff_percent: Option<f64>,
    /// How many earlier completed runs the run was compared with (5 to 10).
    pub baseline_runs: u32,
}

impl Anomaly {
    /// "Credits used: 1,240 credits against a median of 560 credits over the 10 runs before
    /// (+121.4%)."
    pub fn summary(&self) -> String {
        let how_far = self.diff_percent.map(|d| format!(" ({})", signed_percent(d))).unwrap_or_default();
        format!(
            "{}: {} against a median of {} over the {} completed runs before it{how_far}.",
            self.figure.label(),
            self.figure.format(self.value),
            self.figure.format(self.median),
            self.baseline_runs
        )
    }
}

/// The anomalies of `sample` against `earlier`, the completed runs started before it (any
/// order; the last [`BASELINE_RUNS`] by start are used). A figure the run or an earlier run
/// does not have (credits per content without content) is left out of the check.
fn anomalies_of(sample: &TrendSample, earlier: &[TrendSample]) -> Vec<Anomaly> {
    TrendFigure::ALL
        .into_iter()
        .filter_map(|figure| {
            let value = sample.figure(figure)?;
            let mut buffer = [0.0; BASELINE_RUNS];
            let m = anomaly_median(value, figures(&mut buffer, earlier, figure))?;
            Some(Anomaly {
                run_id: sample.run_id.clone(),
                run_number: sample.run_number,
                started_at: sample.started_at,
                figure,
                value,
                median: m,
                diff_percent: percent(value - m, m),
                baseline_runs: earlier.len() as u32,
            })
        })
        .collect()
}

/// A completed run's anomalies, from `earlier`: the at most 10 completed runs of its site that
/// started before it, as the run page reads them. None for a run that is not completed.
pub fn run_anomalies(run: &Run, earlier: &[Run]) -> Vec<Anomaly> {
    if run.status != RunStatus::Completed {
        return Vec::new();
    }
    let earlier: Vec<TrendSample> =
        earlier.iter().filter(|e| e.started_at < run.started_at).take(BASELINE_RUNS).map(TrendSample::of).collect();
    anomalies_of(&TrendSample::of(run), &earlier)
}

/// `figure` of the last `buffer.len()` of `samples` that have it, in `buffer`: the windows of
/// [`trend_report`] are at most 10 runs, and it looks at one per run of a busy year.
fn figures<'b>(buffer: &'b mut [f64], samples: &[TrendSample], figure: TrendFigure) -> &'b mut [f64] {
    let mut n = 0;
    for value in samples.iter().rev().filter_map(|s| s.figure(figure)).take(buffer.len()) {
        buffer[n] = value;
        n += 1;
    }
    &mut buffer[..n]
}

/// One row of `GET /api/v1/automation/trends`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrendRun {
    pub run_id: String,
    pub run_number: i64,
    pub started_at: DateTime<Utc>,
    pub total_credits_used: u64,
    pub duration_seconds: i64,
    /// total_credits_used / stage 4 output; null when the run made no content.
    pub credits_per_content: Option<f64>,
    /// The figures on which the run is an anomaly.
    pub anomalies: Vec<TrendFigure>,
}

/// `GET /api/v1/automation/trends`: the site's completed runs in the range, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Trends {
    pub runs: Vec<TrendRun>,
}

/// Rolling medians of a run: each over the run and up to 9 completed runs before it (those
/// without the figure left out); null when none has it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RollingMedians {
    pub total_credits_used: Option<f64>,
    pub duration_seconds: Option<f64>,
    pub credits_per_content: Option<f64>,
}

/// Day buckets for short ranges, week buckets (Monday to Sunday, UTC) for long ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    Day,
    Week,
}

impl Granularity {
    /// Days for ranges of up to [`MAX_DAILY_BUCKETS`] days, weeks beyond.
    pub fn for_days(days: u32) -> Granularity {
        if days <= MAX_DAILY_BUCKETS {
            Granularity::Day
        } else {
            Granularity::Week
        }
    }

    /// The first day of the bucket `t` falls in.
    pub fn bucket_start(self, t: DateTime<Utc>) -> NaiveDate {
        let day = t.date_naive();
        match self {
            Granularity::Day => day,
            Granularity::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
        }
    }

    /// Every bucket from the one holding `from` to the one holding `to`, empty ones included,
    /// so a chart's axis has no gaps.
    pub fn buckets(self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<NaiveDate> {
        let step = Duration::days(match self {
            Granularity::Day => 1,
            Granularity::Week => 7,
        });
        let last = self.bucket_start(to);
        std::iter::successors(Some(self.bucket_start(from)), |d| Some(*d + step)).take_while(|d| *d <= last).collect()
    }
}

/// Credits by stage of the completed runs started in one bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageCreditsBucket {
    pub start: NaiveDate,
    pub runs: u32,
    /// Stages 1 to 7.
    pub credits: [u64; STAGE_COUNT],
}

/// Runs started in one bucket, by status.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StatusBucket {
    pub start: NaiveDate,
    pub completed: u32,
    pub failed: u32,
    pub cancelled: u32,
    pub running: u32,
    pub paused: u32,
}

impl StatusBucket {
    pub fn count(&self, status: RunStatus) -> u32 {
        match status {
            RunStatus::Completed => self.completed,
            RunStatus::Failed => self.failed,
            RunStatus::Cancelled => self.cancelled,
            RunStatus::Running => self.running,
            RunStatus::Paused => self.paused,
        }
    }

    pub fn total(&self) -> u32 {
        RunStatus::ALL.into_iter().map(|s| self.count(s)).sum()
    }
}

/// Index of the bucket `t` falls in, among `buckets` as [`Granularity::buckets`] made them.
fn bucket_index(buckets: &[NaiveDate], granularity: Granularity, t: DateTime<Utc>) -> Option<usize> {
    let start = granularity.bucket_start(t);
    buckets.binary_search(&start).ok()
}

/// Runs by status per bucket of `[from, to]`; runs outside it are left out.
pub fn runs_by_status(
    runs: &[RunTiming],
    granularity: Granularity,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<StatusBucket> {
    let starts = granularity.buckets(from, to);
    let mut out: Vec<StatusBucket> = starts
        .iter()
        .map(|&start| StatusBucket { start, completed: 0, failed: 0, cancelled: 0, running: 0, paused: 0 })
        .collect();
    for run in runs.iter().filter(|r| r.started_at >= from && r.started_at <= to) {
        let Some(i) = bucket_index(&starts, granularity, run.started_at) else { continue };
        let b = &mut out[i];
        let slot = match run.status {
            RunStatus::Completed => &mut b.completed,
            RunStatus::Failed => &mut b.failed,
            RunStatus::Cancelled => &mut b.cancelled,
            RunStatus::Running => &mut b.running,
            RunStatus::Paused => &mut b.paused,
        };
        *slot += 1;
    }
    out
}

/// Everything the trends of a range show, for the API and the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendReport {
    /// The API's rows: completed runs started in the range, oldest first.
    pub runs: Vec<TrendRun>,
    /// One per row of `runs`.
    pub medians: Vec<RollingMedians>,
    /// The rows' anomalies, newest first.
    pub anomalies: Vec<Anomaly>,
    pub granularity: Granularity,
    /// Credits by stage per bucket of the range, oldest first.
    pub stage_credits: Vec<StageCreditsBucket>,
}

/// The trends of the completed runs started in `[from, to]`. `samples` are the site's
/// completed runs from [`BASELINE_RUNS`] before `from` on, in start order (ties by run number),
/// so the first runs of the range are checked against the runs before it too.
pub fn trend_report(samples: &[TrendSample], from: DateTime<Utc>, to: DateTime<Utc>, days: u32) -> TrendReport {
    let granularity = Granularity::for_days(days);
    let starts = granularity.buckets(from, to);
    let mut stage_credits: Vec<StageCreditsBucket> =
        starts.iter().map(|&start| StageCreditsBucket { start, runs: 0, credits: [0; STAGE_COUNT] }).collect();
    let mut runs = Vec::new();
    let mut medians = Vec::new();
    let mut anomalies = Vec::new();
    for (i, sample) in samples.iter().enumerate() {
        if sample.started_at < from || sample.started_at > to {
            continue;
        }
        // Runs that started at the same moment are not "before" each other.
        let before = samples[..i].partition_point(|s| s.started_at < sample.started_at);
        let found = anomalies_of(sample, &samples[before.saturating_sub(BASELINE_RUNS)..before]);
        let window = &samples[(i + 1).saturating_sub(ROLLING_RUNS)..=i];
        let rolling = |figure| median(figures(&mut [0.0; ROLLING_RUNS], window, figure));
        medians.push(RollingMedians {
            total_credits_used: rolling(TrendFigure::TotalCreditsUsed),
            duration_seconds: rolling(TrendFigure::DurationSeconds),
            credits_per_content: rolling(TrendFigure::CreditsPerContent),
        });
        if let Some(b) = bucket_index(&starts, granularity, sample.started_at) {
            let bucket = &mut stage_credits[b];
            bucket.runs += 1;
            for (total, c) in bucket.credits.iter_mut().zip(sample.stage_credits) {
                *total = total.saturating_add(c);
            }
        }
        runs.push(TrendRun {
            run_id: sample.run_id.clone(),
            run_number: sample.run_number,
            started_at: sample.started_at,
            total_credits_used: sample.total_credits_used,
            duration_seconds: sample.duration_seconds,
            credits_per_content: sample.credits_per_content(),
            anomalies: found.iter().map(|a| a.figure).collect(),
        });
        anomalies.extend(found);
    }
    // Newest run first, each run's figures in their usual order (the sort is stable).
    anomalies.sort_by_key(|a| std::cmp::Reverse(a.run_number));
    TrendReport { runs, medians, anomalies, granularity, stage_credits }
}

/// Days back whose anomalies the overview lists as attention items.
pub const ATTENTION_DAYS: u32 = 90;
/// Anomalies the overview lists at most.
pub const ATTENTION_ANOMALIES: usize = 5;

/// The newest `limit` of `anomalies` (newest first, as [`trend_report`] gives them) of runs
/// started at or after `since`.
pub fn latest_anomalies(anomalies: &[Anomaly], since: DateTime<Utc>, limit: usize) -> Vec<Anomaly> {
    anomalies.iter().filter(|a| a.started_at >= since).take(limit).cloned().collect()
}

/// The trends page's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendsView {
    pub site: SiteRef,
    pub days: u32,
    pub report: TrendReport,
    /// Runs of every status by week.
    pub runs_by_status: Vec<StatusBucket>,
    /// Drawn on the server from the figures above (server/charts/trends.rs).
    pub charts: TrendCharts,
}

/// The runs by status chart's layers, bottom up (and its legend's order).
pub const STATUS_ORDER: [RunStatus; 5] =
    [RunStatus::Completed, RunStatus::Failed, RunStatus::Cancelled, RunStatus::Running, RunStatus::Paused];

/// The trends page's charts; each `None` when it has nothing to draw.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrendCharts {
    pub credits: Option<ThemedSvg>,
    pub duration: Option<ThemedSvg>,
    pub credits_per_content: Option<ThemedSvg>,
    pub stage_credits: Option<ThemedSvg>,
    pub runs_by_status: Option<ThemedSvg>,
}

pub const TRENDS_CSV_HEADER: &str =
    "run_id,run_number,started_at,total_credits_used,duration_seconds,credits_per_content,anomalies";

/// The trends CSV: the API's rows, one a line, with the same values (times as the JSON writes
/// them, an empty cell for null); anomalies joined by `;`.
pub fn trends_csv(runs: &[TrendRun]) -> String {
    let mut out = String::from(TRENDS_CSV_HEADER);
    out.push_str("\r\n");
    for r in runs {
        let anomalies: Vec<&str> = r.anomalies.iter().map(|f| f.as_str()).collect();
        out.push_str(&format!(
            "{},{},{},{},{},{},{}\r\n",
            csv_field(&r.run_id),
            r.run_number,
            r.started_at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            r.total_credits_used,
            r.duration_seconds,
            r.credits_per_content.map(|c| c.to_string()).unwrap_or_default(),
            anomalies.join(";")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;
    use crate::domain::fixtures::plan_run;

    fn day(n: i64) -> DateTime<Utc> {
        // A Monday.
        Utc.with_ymd_and_hms(2026, 1, 5, 12, 0, 0).unwrap() + Duration::days(n)
    }

    /// A completed run on day `n` (numbered n + 1) using `credits`, lasting `seconds`, with
    /// `content` articles; its credits all on stage 4.
    fn sample(n: i64, credits: u64, seconds: i64, content: u64) -> TrendSample {
        let mut stage_credits = [0; STAGE_COUNT];
        stage_credits[3] = credits;
        TrendSample {
            run_id: format!("r{n:03}"),
            run_number: n + 1,
            started_at: day(n),
            total_credits_used: credits,
            duration_seconds: seconds,
            content_created: content,
            stage_credits,
        }
    }

    /// Runs on consecutive days with these credits, 600 s and 10 articles each.
    fn series(credits: &[u64]) -> Vec<TrendSample> {
        credits.iter().enumerate().map(|(n, c)| sample(n as i64, *c, 600, 10)).collect()
    }

    const USUAL: [f64; 10] = [100.0, 101.0, 99.0, 100.0, 102.0, 98.0, 100.0, 101.0, 99.0, 100.0];

    #[test]
    fn far_out_and_far_enough_is_an_anomaly() {
        // M = 100, MAD = 1: 151 is 34 MADs out and more than half the median away.
        assert_eq!(anomaly_median(151.0, &USUAL), Some(100.0));
        assert_eq!(anomaly_median(40.0, &USUAL), Some(100.0), "low figures stand out too");
        assert_eq!(anomaly_median(100.0, &USUAL), None);
    }

    #[test]
    fn the_fifty_percent_guard_keeps_small_differences_out() {
        // 140 is 27 scaled MADs out, but only 40 % above the median: too little to matter.
        assert_eq!(anomaly_median(140.0, &USUAL), None);
        assert_eq!(anomaly_median(150.0, &USUAL), None, "exactly half the median is not more than half");
        assert_eq!(anomaly_median(150.5, &USUAL), Some(100.0));
        assert_eq!(anomaly_median(49.5, &USUAL), Some(100.0));
    }

    #[test]
    fn mad_of_zero_flags_nothing() {
        // Seven of ten runs alike: MAD = 0, so no scale to measure against.
        let alike = [100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 90.0, 130.0, 300.0];
        assert_eq!(anomaly_median(10_000.0, &alike), None);
        assert_eq!(anomaly_median(10_000.0, &[100.0; 10]), None);
    }

    #[test]
    fn fewer_than_five_earlier_runs_flag_nothing() {
        assert_eq!(anomaly_median(10_000.0, &USUAL[..4]), None);
        assert_eq!(anomaly_median(10_000.0, &[]), None);
        assert_eq!(anomaly_median(10_000.0, &USUAL[..5]), Some(100.0));
    }

    #[test]
    fn the_modified_z_score_limit_is_3_5() {
        // M = 100, MAD = 10 (deviations 0,0,10,10,10,10,20,20,30,30 → median 10): 3.5 × 1.4826
        // × 10 = 51.891 away is the limit.
        let spread = [100.0, 100.0, 90.0, 110.0, 90.0, 110.0, 80.0, 120.0, 70.0, 130.0];
        assert_eq!(anomaly_median(151.8, &spread), None);
        assert_eq!(anomaly_median(152.0, &spread), Some(100.0));
    }

    #[test]
    fn a_ratio_without_content_is_null_and_never_flagged() {
        let mut runs = series(&[100, 101, 99, 100, 102, 98, 100, 101, 99, 100, 100]);
        // The last run made no content: no credits per content, so no anomaly on it, while its
        // credits are checked as usual.
        runs[10].content_created = 0;
        runs[10].total_credits_used = 400;
        let r = trend_report(&runs, day(0), day(10), 30);
        let last = r.runs.last().unwrap();
        assert_eq!(last.credits_per_content, None);
        assert_eq!(last.anomalies, vec![TrendFigure::TotalCreditsUsed]);
        // Earlier runs without content leave too few ratios to compare with.
        let mut sparse = series(&[100; 11]);
        for s in &mut sparse[..6] {
            s.content_created = 0;
        }
        sparse[10].content_created = 1;
        let r = trend_report(&sparse, day(0), day(10), 30);
        assert_eq!(r.runs[10].credits_per_content, Some(100.0));
        assert!(r.runs[10].anomalies.is_empty(), "4 earlier ratios are fewer than 5");
    }

    #[test]
    fn report_rows_are_the_range_oldest_first_with_runs_before_it_as_baseline() {
        let mut credits = vec![100, 101, 99, 100, 102, 98, 100, 101, 99, 100];
        credits.extend([500, 100, 100]);
        let runs = series(&credits);
        // The range starts at the spike: the ten runs before it are its baseline.
        let r = trend_report(&runs, day(10), day(12), 30);
        let ids: Vec<&str> = r.runs.iter().map(|t| t.run_id.as_str()).collect();
        assert_eq!(ids, ["r010", "r011", "r012"]);
        // 500 credits and 50 credits per article stand out; its 600 s do not.
        assert_eq!(r.runs[0].anomalies, vec![TrendFigure::TotalCreditsUsed, TrendFigure::CreditsPerContent]);
        assert!(r.runs[1].anomalies.is_empty() && r.runs[2].anomalies.is_empty());
        assert_eq!(r.runs[0].credits_per_content, Some(50.0));
        let a = &r.anomalies[0];
        assert_eq!(
            (a.figure, a.value, a.median, a.diff_percent),
            (TrendFigure::TotalCreditsUsed, 500.0, 100.0, Some(400.0))
        );
        assert_eq!(a.baseline_runs, 10);
        assert_eq!(
            a.summary(),
            "Credits used: 500 credits against a median of 100 credits over the 10 completed runs before it (+400.0%)."
        );
        // Without the history before the range, the spike has nothing to stand out against.
        let alone = trend_report(&runs[10..], day(10), day(12), 30);
        assert!(alone.anomalies.is_empty());
    }

    #[test]
    fn runs_started_together_are_not_each_others_baseline() {
        let mut runs = series(&[100, 101, 99, 100, 102, 500]);
        // Run 4 starts with run 5: run 5 has only four runs before it.
        runs[4].started_at = runs[5].started_at;
        assert!(trend_report(&runs, day(0), day(5), 30).anomalies.is_empty());
        let apart = series(&[100, 101, 99, 100, 102, 500]);
        assert_eq!(trend_report(&apart, day(0), day(5), 30).anomalies.len(), 2);
    }

    #[test]
    fn only_the_ten_latest_runs_before_are_the_baseline() {
        // Eleven runs before: the oldest (1000 credits) is past the ten and does not count, or
        // the median would be 110 rather than 105.
        let runs = series(&[1000, 100, 100, 100, 100, 100, 110, 110, 110, 110, 110, 300]);
        let r = trend_report(&runs, day(11), day(11), 30);
        assert_eq!(r.anomalies[0].median, 105.0);
        assert_eq!(r.anomalies[0].baseline_runs, 10);
    }

    #[test]
    fn rolling_medians_span_the_run_and_nine_before() {
        let runs = series(&[10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 1000]);
        let r = trend_report(&runs, day(0), day(11), 30);
        let credits: Vec<Option<f64>> = r.medians.iter().map(|m| m.total_credits_used).collect();
        assert_eq!(credits[0], Some(10.0));
        assert_eq!(credits[1], Some(15.0));
        assert_eq!(credits[9], Some(55.0));
        // 30..=110 and 1000: the middle two are 70 and 80.
        assert_eq!(credits[11], Some(75.0));
        assert_eq!(r.medians[0].duration_seconds, Some(600.0));
        let mut none = series(&[10]);
        none[0].content_created = 0;
        assert_eq!(trend_report(&none, day(0), day(0), 30).medians[0].credits_per_content, None);
    }

    #[test]
    fn ranges_of_up_to_100_days_are_by_day_longer_ones_by_week() {
        assert_eq!(Granularity::for_days(1), Granularity::Day);
        assert_eq!(Granularity::for_days(90), Granularity::Day);
        assert_eq!(Granularity::for_days(100), Granularity::Day);
        assert_eq!(Granularity::for_days(101), Granularity::Week);
        assert_eq!(Granularity::for_days(365), Granularity::Week);
        // Weeks start on Monday: a Sunday belongs to the week of the Monday six days before.
        let sunday = day(6);
        assert_eq!(Granularity::Week.bucket_start(sunday), day(0).date_naive());
        assert_eq!(Granularity::Week.bucket_start(day(7)), day(7).date_naive());
        // 365 days from a Wednesday to a Thursday: 53 weeks, 366 days, every bucket present.
        let (from, to) = (day(2), day(367));
        assert_eq!(Granularity::Week.buckets(from, to).len(), 53);
        assert_eq!(Granularity::Day.buckets(from, to).len(), 366);
        assert_eq!(Granularity::Day.buckets(to, to), vec![to.date_naive()]);
    }

    #[test]
    fn stage_credits_add_up_per_bucket_with_empty_buckets_kept() {
        let runs = vec![sample(0, 100, 60, 1), sample(1, 50, 60, 1), sample(15, 70, 60, 1)];
        let r = trend_report(&runs, day(0), day(20), 200);
        assert_eq!(r.granularity, Granularity::Week);
        let weeks: Vec<(u32, u64)> = r.stage_credits.iter().map(|b| (b.runs, b.credits[3])).collect();
        assert_eq!(weeks, vec![(2, 150), (0, 0), (1, 70)]);
        let daily = trend_report(&runs, day(0), day(20), 30);
        assert_eq!(daily.stage_credits.len(), 21);
        assert_eq!(daily.stage_credits[15].credits[3], 70);
    }

    #[test]
    fn runs_by_status_count_every_status_per_week() {
        let timing = |n: i64, status| RunTiming { status, started_at: day(n), completed_at: None, credits: 0 };
        let runs = [
            timing(0, RunStatus::Completed),
            timing(1, RunStatus::Failed),
            timing(6, RunStatus::Cancelled),
            timing(7, RunStatus::Completed),
            timing(8, RunStatus::Running),
            timing(30, RunStatus::Paused),
        ];
        let weeks = runs_by_status(&runs, Granularity::Week, day(0), day(13));
        assert_eq!(weeks.len(), 2);
        assert_eq!((weeks[0].completed, weeks[0].failed, weeks[0].cancelled, weeks[0].total()), (1, 1, 1, 3));
        assert_eq!((weeks[1].completed, weeks[1].running, weeks[1].total()), (1, 1, 2));
    }

    #[test]
    fn a_run_page_checks_the_run_against_the_runs_before_it() {
        let base = plan_run();
        let earlier: Vec<Run> = (1..=10)
            .map(|d| {
                // 569 to 571 credits, so the figures spread a little (MAD 1).
                let mut r = base.clone();
                r.started_at -= Duration::days(d);
                r.completed_at = r.completed_at.map(|c| c - Duration::days(d) + Duration::seconds(d % 3));
                r.total_credits_used += (d % 3) as u64;
                r
            })
            .collect();
        let mut costly = base.clone();
        costly.total_credits_used = 2000;
        let found = run_anomalies(&costly, &earlier);
        assert_eq!(
            found.iter().map(|a| a.figure).collect::<Vec<_>>(),
            vec![TrendFigure::TotalCreditsUsed, TrendFigure::CreditsPerContent]
        );
        assert_eq!(found[0].median, 570.0);
        assert!(run_anomalies(&base, &earlier).is_empty());
        let mut failed = costly;
        failed.status = RunStatus::Failed;
        assert!(run_anomalies(&failed, &earlier).is_empty(), "only completed runs have trends");
    }

    #[test]
    fn the_api_row_has_the_specified_keys_and_the_csv_the_same_rows() {
        let runs = series(&[100, 101, 99, 100, 102, 500]);
        let r = trend_report(&runs, day(0), day(5), 30);
        let json = serde_json::to_value(Trends { runs: r.runs.clone() }).unwrap();
        let row = json["runs"][5].as_object().unwrap();
        let keys: Vec<&str> = row.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "run_id",
                "run_number",
                "started_at",
                "total_credits_used",
                "duration_seconds",
                "credits_per_content",
                "anomalies"
            ]
        );
        assert_eq!(row["anomalies"], serde_json::json!(["total_credits_used", "credits_per_content"]));
        assert_eq!(row["started_at"], "2026-01-10T12:00:00Z");
        let csv = trends_csv(&r.runs);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], TRENDS_CSV_HEADER);
        assert_eq!(lines[6], "r005,6,2026-01-10T12:00:00Z,500,600,50,total_credits_used;credits_per_content");
        assert_eq!(lines.len(), 8, "header, six rows, and the empty rest after the last line break");
    }

    #[test]
    fn the_latest_anomalies_are_the_newest_in_the_window() {
        let runs = series(&[100, 101, 99, 100, 102, 98, 500, 100, 99, 600, 100, 700]);
        let r = trend_report(&runs, day(0), day(11), 30);
        let numbers: Vec<(i64, TrendFigure)> = r.anomalies.iter().map(|a| (a.run_number, a.figure)).collect();
        assert_eq!(numbers[0], (12, TrendFigure::TotalCreditsUsed));
        let latest = latest_anomalies(&r.anomalies, day(8), 5);
        assert!(latest.iter().all(|a| a.started_at >= day(8)));
        assert_eq!(latest.len(), r.anomalies.iter().filter(|a| a.started_at >= day(8)).count().min(5));
        assert_eq!(latest_anomalies(&r.anomalies, day(0), 1).len(), 1);
    }

    proptest! {
        #[test]
        fn no_verdict_without_five_figures_or_at_the_median(
            baseline in prop::collection::vec(0u32..10_000, 0..=10),
            value in 0u32..100_000,
        ) {
            let baseline: Vec<f64> = baseline.into_iter().map(f64::from).collect();
            let verdict = anomaly_median(f64::from(value), &baseline);
            if baseline.len() < MIN_BASELINE_RUNS {
                prop_assert_eq!(verdict, None);
            }
            if let Some(m) = verdict {
                prop_assert!((f64::from(value) - m).abs() > m / 2.0);
                prop_assert!(m.is_finite());
            }
            if let Some(m) = median(&mut baseline.clone()) {
                prop_assert_eq!(anomaly_median(m, &baseline), None);
            }
        }

        #[test]
        fn every_run_of_the_range_is_one_row_with_finite_figures(
            credits in prop::collection::vec((0u64..5_000, 0i64..10_000, 0u64..30), 0..40),
            from in 0i64..40,
            span in 0i64..40,
        ) {
            let runs: Vec<TrendSample> =
                credits.iter().enumerate().map(|(n, (c, s, k))| sample(n as i64, *c, *s, *k)).collect();
            let r = trend_report(&runs, day(from), day(from + span), 30);
            let expected = runs.iter().filter(|s| s.started_at >= day(from) && s.started_at <= day(from + span)).count();
            prop_assert_eq!(r.runs.len(), expected);
            prop_assert_eq!(r.medians.len(), expected);
            prop_assert!(r.runs.windows(2).all(|w| w[0].started_at <= w[1].started_at));
            prop_assert_eq!(r.anomalies.len(), r.runs.iter().map(|t| t.anomalies.len()).sum::<usize>());
            prop_assert!(r.runs.iter().all(|t| t.credits_per_content.is_none_or(f64::is_finite)));
            let bucketed: u32 = r.stage_credits.iter().map(|b| b.runs).sum();
            prop_assert_eq!(bucketed as usize, expected);
        }
    }
}
