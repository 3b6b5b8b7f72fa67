//! Benchmarks of the pure domain functions over realistic inputs (see BENCHMARKS.md):
//! one run's detail with 10-run averages, the averages of 10 runs, the overview statistics over
//! 300 recent runs, parsing the plan's example run line, and a busy site's year of trends: the
//! report and its server-drawn charts.
//!
//! `cargo bench --features ssr --bench domain -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use automation_runs::domain::averages::historical_averages;
use automation_runs::domain::detail::run_detail;
use automation_runs::domain::records::{parse_line, Record};
use automation_runs::domain::run::{Run, RunStatus};
use automation_runs::domain::stage::STAGE_COUNT;
use automation_runs::domain::stats::{run_statistics, RunTiming};
use automation_runs::domain::trends::{
    runs_by_status, trend_report, Granularity, TrendCharts, TrendSample, TrendsView, BASELINE_RUNS,
};
use automation_runs::domain::view::SiteRef;
use automation_runs::server::charts::trend_charts;
use chrono::{DateTime, Duration, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::Value;

/// The plan's example run (shared/spec/import-format.md), as one NDJSON line.
const PLAN_RUN: &str = r#"{"kind":"run","site_id":123,"run_id":"run_20260117_140523_manual","status":"completed","trigger_type":"manual","current_stage":7,"started_at":"2026-01-17T14:05:23Z","completed_at":"2026-01-17T14:43:44Z","paused_at":null,"resumed_at":null,"cancelled_at":null,"total_credits_used":569,"error_message":null,"initial_snapshot":{"stage_1_initial":150,"stage_2_initial":10,"stage_3_initial":50,"stage_4_initial":25,"stage_5_initial":15,"stage_6_initial":8,"stage_7_initial":5,"total_initial_items":263},"stage_1_result":{"keywords_processed":150,"clusters_created":12,"batches":3,"credits_used":45,"time_elapsed":"00:03:24"},"stage_2_result":{"clusters_processed":10,"ideas_created":87,"credits_used":120,"time_elapsed":"00:08:15"},"stage_3_result":{"ideas_processed":50,"tasks_created":50,"credits_used":0,"time_elapsed":"00:00:12"},"stage_4_result":{"tasks_processed":25,"content_created":25,"total_words":15450,"credits_used":310,"time_elapsed":"00:18:42"},"stage_5_result":{"content_processed":15,"prompts_created":45,"credits_used":22,"time_elapsed":"00:02:15"},"stage_6_result":{"images_processed":8,"images_generated":24,"credits_used":72,"time_elapsed":"00:05:30"},"stage_7_result":{"ready_for_review":5,"credits_used":0,"time_elapsed":"00:00:03"}}"#;

fn parse_run(line: &str) -> Run {
    match parse_line(line).expect("the run line parses") {
        Record::Run(run) => *run,
        _ => unreachable!("a run line"),
    }
}

fn plan_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 17, 14, 5, 23).unwrap()
}

/// The `k`-th completed run before the plan's run: started `k` days earlier, with every count,
/// credit figure and stage time scaled by a factor between 0.8 and 1.25, so the averages and
/// comparisons have real spread.
fn earlier_run(k: i64) -> Run {
    let factor = 0.8 + ((k * 7) % 10) as f64 * 0.05;
    let scale = |n: u64| ((n as f64) * factor).round() as u64;
    let mut v: Value = serde_json::from_str(PLAN_RUN).unwrap();
    let started = plan_start() - Duration::days(k);
    v["run_id"] = format!("run_{}_manual", started.format("%Y%m%d_%H%M%S")).into();
    v["started_at"] = started.to_rfc3339().into();
    let mut total_credits = 0;
    let mut total_seconds = 0;
    for stage in 1..=7 {
        let result = v[format!("stage_{stage}_result")].as_object_mut().unwrap();
        for (key, value) in result.iter_mut() {
            if key == "time_elapsed" {
                let hms: Vec<u64> = value.as_str().unwrap().split(':').map(|p| p.parse().unwrap()).collect();
                let seconds = scale(hms[0] * 3600 + hms[1] * 60 + hms[2]);
                total_seconds += seconds;
                *value = format!("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60).into();
            } else if let Some(n) = value.as_u64() {
                let n = scale(n);
                if key == "credits_used" {
                    total_credits += n;
                }
                *value = n.into();
            }
        }
    }
    v["total_credits_used"] = total_credits.into();
    v["completed_at"] = (started + Duration::seconds(total_seconds as i64)).to_rfc3339().into();
    let run = parse_run(&v.to_string());
    Run { run_number: 47 - k, ..run }
}

/// 300 runs started over the 30 days before `now` (10 a day), mostly completed, some failed or
/// cancelled, the newest still running.
fn recent_timings(now: DateTime<Utc>) -> Vec<RunTiming> {
    (0..300)
        .map(|i: i64| {
            let started_at = now - Duration::minutes(i * 144 + 30);
            let status = match i % 20 {
                _ if i == 0 => RunStatus::Running,
                3 | 11 => RunStatus::Failed,
                7 => RunStatus::Cancelled,
                _ => RunStatus::Completed,
            };
            let minutes = 20 + (i * 13) % 25;
            RunTiming {
                status,
                started_at,
                completed_at: (status != RunStatus::Running).then(|| started_at + Duration::minutes(minutes)),
                credits: if status == RunStatus::Completed { 400 + ((i * 37) % 300) as u64 } else { (i % 90) as u64 },
            }
        })
        .collect()
}

/// A busy site's completed runs over the `days` before `now`, one every `every`, with the
/// baseline runs before the range that [`trend_report`] is given too. Credits and times vary by
/// ±20 %; one run in 97 costs three times the usual, so anomalies are found and drawn.
fn busy_samples(now: DateTime<Utc>, days: i64, every: Duration) -> Vec<TrendSample> {
    let from = now - Duration::days(days);
    let count = (Duration::days(days).num_seconds() / every.num_seconds()) as usize + BASELINE_RUNS;
    (0..count)
        .map(|i| {
            let started_at = from - every * BASELINE_RUNS as i32 + every * i as i32;
            let wobble = 0.8 + ((i * 7919) % 41) as f64 / 100.0;
            let per_stage: [u64; STAGE_COUNT] =
                std::array::from_fn(|s| ([45.0, 120.0, 0.0, 310.0, 22.0, 72.0, 0.0][s] * wobble) as u64);
            let stage_credits = if i % 97 == 50 { per_stage.map(|c| c * 3) } else { per_stage };
            TrendSample {
                run_id: format!("run_{}_scheduled", started_at.format("%Y%m%d_%H%M%S")),
                run_number: i as i64 + 1,
                started_at,
                total_credits_used: stage_credits.iter().sum(),
                duration_seconds: (2_300.0 * wobble) as i64,
                content_created: (25.0 * wobble) as u64,
                stage_credits,
            }
        })
        .collect()
}

/// The trends page's data for `samples` over the `days` before `now`, charts not drawn yet.
fn trends_view(samples: &[TrendSample], now: DateTime<Utc>, days: u32) -> TrendsView {
    let from = now - Duration::days(i64::from(days));
    let timings: Vec<RunTiming> = samples
        .iter()
        .map(|s| RunTiming {
            status: RunStatus::Completed,
            started_at: s.started_at,
            completed_at: Some(s.started_at + Duration::seconds(s.duration_seconds)),
            credits: s.total_credits_used,
        })
        .collect();
    TrendsView {
        site: SiteRef { id: 123, name: "TechBlog".into(), domain: "techblog.com".into() },
        days,
        report: trend_report(samples, from, now, days),
        runs_by_status: runs_by_status(&timings, Granularity::Week, from, now),
        charts: TrendCharts::default(),
    }
}

fn trends_benches(c: &mut Criterion) {
    let now = plan_start();
    // One run an hour for a year: 8,760 runs in range, the busiest history the generator makes.
    let samples = busy_samples(now, 365, Duration::hours(1));
    c.bench_function("trend_report (8,760 runs in 365 days)", |b| {
        b.iter(|| trend_report(black_box(&samples), now - Duration::days(365), now, 365))
    });
    let year = trends_view(&samples, now, 365);
    c.bench_function("trend_charts (8,760 runs in 365 days)", |b| b.iter(|| trend_charts(black_box(&year))));
    // Ten a day for 30 days: every run a dot of its own.
    let month_samples = busy_samples(now, 30, Duration::minutes(144));
    let month = trends_view(&month_samples, now, 30);
    c.bench_function("trend_charts (300 runs in 30 days)", |b| b.iter(|| trend_charts(black_box(&month))));
}

fn benches(c: &mut Criterion) {
    let run = Run { run_number: 47, ..parse_run(PLAN_RUN) };
    let history: Vec<Run> = (1..=10).map(earlier_run).collect();
    let site = SiteRef { id: 123, name: "TechBlog".into(), domain: "techblog.com".into() };
    let now = plan_start() + Duration::hours(2);
    let averages = historical_averages(&history).expect("10 runs give averages");

    c.bench_function("run_detail (plan run, 10-run averages)", |b| {
        b.iter(|| run_detail(black_box(&run), black_box(&site), Some(black_box(&averages)), 10, black_box(now)))
    });
    c.bench_function("historical_averages (10 completed runs)", |b| {
        b.iter(|| historical_averages(black_box(&history)))
    });
    let timings = recent_timings(now);
    c.bench_function("run_statistics (300 runs in 30 days)", |b| {
        b.iter(|| run_statistics(black_box(1000), black_box(&timings), black_box(now)))
    });
    c.bench_function("parse_line (plan run line)", |b| b.iter(|| parse_line(black_box(PLAN_RUN))));
}

criterion_group!(domain, benches, trends_benches);
criterion_main!(domain);
