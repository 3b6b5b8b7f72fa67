//! The overview's figures (metrics.md: run statistics, historical averages, prediction,
//! attention items) through the JSON API, against figures computed in `oracle.rs`.

use automation_runs::server::db::Store;
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::data::*;
use crate::harness::*;
use crate::oracle;

const SITE: i64 = 10;
const BALANCE: i64 = 1000;

fn days_ago(d: i64) -> DateTime<Utc> {
    fixed_now() - Duration::days(d)
}

/// Stage results of a completed run of the statistics site, scaled by `k` on stage 4 (so the
/// credits differ between runs). Stage 1 costs exactly 7/3 credits a keyword over the history
/// (70 credits for 30 keywords), stage 2 yields 1.5 ideas a cluster, stage 3 and 7 are free.
fn stages(stage4_tasks: u64, stage4_credits: u64) -> [Option<Stage>; 7] {
    [
        Some(st(30, 3, 70, 100)),
        Some(st(2, 3, 5, 200)),
        Some(st(4, 4, 0, 10)),
        Some(st(stage4_tasks, stage4_tasks, stage4_credits, 500)),
        Some(st(5, 15, 8, 60)),
        Some(st(3, 9, 27, 120)),
        Some(st(2, 2, 0, 5)),
    ]
}

/// Runs in every window: W7, P7, the rest of W30, older; every status.
fn stats_runs() -> Vec<TestRun> {
    let mut failed = TestRun::unfinished(SITE, "f1", "failed", 5, days_ago(4));
    failed.completed = Some(days_ago(4) + Duration::seconds(700));
    failed.error = Some("Image prompt generation failed".into());
    let mut cancelled = TestRun::unfinished(SITE, "x1", "cancelled", 4, days_ago(9));
    cancelled.cancelled = Some(days_ago(9) + Duration::seconds(300));
    let mut paused = TestRun::unfinished(SITE, "p1", "paused", 3, days_ago(20));
    paused.paused = Some(days_ago(20) + Duration::seconds(100));
    let mut old_failed = TestRun::unfinished(SITE, "old_f", "failed", 2, days_ago(35));
    old_failed.completed = Some(days_ago(35) + Duration::seconds(50));
    vec![
        // W7
        TestRun::completed(SITE, "c1", days_ago(2), 1000, stages(3, 37)),
        TestRun::completed(SITE, "c2", days_ago(3), 2000, stages(0, 0)),
        failed,
        TestRun::unfinished(SITE, "r1", "running", 4, fixed_now() - Duration::hours(1)),
        // P7
        TestRun::completed(SITE, "c3", days_ago(8), 1500, stages(3, 38)),
        TestRun::completed(SITE, "c4", days_ago(10), 3000, stages(4, 50)),
        cancelled,
        // W30, before P7
        paused,
        TestRun::completed(SITE, "c5", days_ago(25), 1235, stages(2, 25)),
        // Older than 30 days
        TestRun::completed(SITE, "old_c", days_ago(40), 9999, stages(2, 30)),
        old_failed,
    ]
}

/// Pending work: 27 keywords (27 × 7/3 = 63 exactly), 3 clusters (3 × 1.5 = 4.5 → 5).
const PENDING: [u64; 7] = [27, 3, 20, 20, 7, 11, 12];

fn stats_lines(runs: &[TestRun]) -> Vec<String> {
    let mut lines = vec![account(3, "Stats Co", BALANCE), site(SITE, 3, "Stats", "stats.example")];
    // Imported in reverse, so numbering has work to do too.
    lines.extend(runs.iter().rev().map(TestRun::line));
    lines.push(pipeline(SITE, fixed_now() - Duration::hours(1), PENDING, [3, 2, 5]));
    lines
}

fn assert_run_statistics(actual: &Value, expected: &oracle::Stats) {
    let s = actual;
    assert_eq!(s["total_runs"].as_u64(), Some(expected.total_runs), "total_runs in {s}");
    assert_eq!(s["completed_runs"].as_u64(), Some(expected.completed_runs), "completed_runs in {s}");
    assert_eq!(s["failed_runs"].as_u64(), Some(expected.failed_runs), "failed_runs in {s}");
    assert_eq!(as_f64(&s["success_rate"]), expected.success_rate, "success_rate in {s}");
    assert_eq!(as_i64(&s["avg_duration_seconds"]), expected.avg_duration_seconds, "avg_duration_seconds in {s}");
    assert_eq!(as_f64(&s["avg_credits_per_run"]), expected.avg_credits_per_run, "avg_credits_per_run in {s}");
    assert_eq!(s["runs_this_week"].as_u64(), Some(expected.runs_this_week), "runs_this_week in {s}");
    assert_eq!(s["runs_last_week"].as_u64(), Some(expected.runs_last_week), "runs_last_week in {s}");
    assert_eq!(as_f64(&s["credits_trend"]), expected.credits_trend, "credits_trend in {s}");
    assert_eq!(as_i64(&s["duration_trend"]), expected.duration_trend, "duration_trend in {s}");
    assert_eq!(as_f64(&s["success_rate_trend"]), expected.success_rate_trend, "success_rate_trend in {s}");
}

backends_test!(run_statistics_match_the_definitions, |store: Store| async move {
    let runs = stats_runs();
    import_ok(&store, &stats_lines(&runs)).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let body = app.overview(SITE).await;
    let expected = oracle::stats(&runs, SITE, fixed_now());

    // The figures by hand, so the oracle is checked too.
    assert_eq!(expected.total_runs, 11);
    assert_eq!((expected.completed_runs, expected.failed_runs), (5, 1));
    assert_eq!(expected.success_rate, Some(71.4)); // 5 / (5 + 1 + 1)
    assert_eq!(expected.avg_duration_seconds, Some(1747)); // (1000+2000+1500+3000+1235)/5
    assert_eq!(expected.avg_credits_per_run, Some(140.0)); // (147+110+148+160+135)/5
    assert_eq!((expected.runs_this_week, expected.runs_last_week), (4, 3));
    assert_eq!(expected.credits_trend, Some(-16.6)); // (128.5 − 154) / 154
    assert_eq!(expected.duration_trend, Some(-750)); // 1500 − 2250
    assert_eq!(expected.success_rate_trend, Some(0.0)); // 2 of 3 finished this week and last
    assert_run_statistics(&body["run_statistics"], &expected);
    assert_eq!(body["run_statistics"]["cancelled_runs"], 1);
    assert_eq!(body["site"]["id"], SITE);
    assert_eq!(body["site"]["domain"], "stats.example");
});

// The overview keeps what its figures come from until the site's runs change, so its windows
// must still slide with the clock between writes: runs that leave W7, P7 and W30, and a failed
// run that moves from the wasted credits to the 30 days before, minutes after the first request;
// then a clock days later.
backends_test!(the_windows_slide_with_the_clock_between_writes, |store: Store| async move {
    let mut runs = stats_runs();
    let edge = |days: i64| days_ago(days) + Duration::minutes(10);
    runs.push(TestRun::completed(SITE, "edge7", edge(7), 600, stages(1, 12)));
    runs.push(TestRun::completed(SITE, "edge14", edge(14), 800, stages(1, 14)));
    runs.push(TestRun::completed(SITE, "edge30", edge(30), 900, stages(1, 16)));
    let mut failed = TestRun::unfinished(SITE, "edge30_f", "failed", 3, edge(30));
    failed.completed = Some(edge(30) + Duration::seconds(60));
    runs.push(failed);
    import_ok(&store, &stats_lines(&runs)).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;

    let mut seen = Vec::new();
    for (advance, minutes) in [(0, 0), (20, 20), (3 * 24 * 60, 20 + 3 * 24 * 60)] {
        app.advance(advance * 60);
        let now = fixed_now() + Duration::minutes(minutes);
        let s = app.overview(SITE).await["run_statistics"].clone();
        assert_run_statistics(&s, &oracle::stats(&runs, SITE, now));
        let wasted = (s["wasted_credits"].as_u64().unwrap(), s["wasted_credits_previous"].as_u64().unwrap());
        assert_eq!(wasted, oracle::wasted_credits(&runs, SITE, now), "at +{minutes} min: {s}");
        seen.push((s["runs_this_week"].clone(), s["completed_runs"].clone(), wasted));
    }
    assert_ne!(seen[0], seen[1], "the edge runs should have left their windows after 20 minutes");
});

backends_test!(trends_and_rates_are_null_without_data, |store: Store| async move {
    let now = fixed_now();
    let lines = vec![
        account(3, "Stats Co", 50),
        site(20, 3, "Empty", "empty.example"),
        site(21, 3, "Only this week", "week.example"),
        site(22, 3, "Only running", "running.example"),
        site(23, 3, "Only last week", "last.example"),
        TestRun::completed(21, "w1", now - Duration::days(1), 100, stages(1, 10)).line(),
        TestRun::completed(21, "w2", now - Duration::days(2), 300, stages(1, 20)).line(),
        TestRun::unfinished(22, "run1", "running", 2, now - Duration::minutes(5)).line(),
        TestRun::unfinished(22, "pause1", "paused", 3, now - Duration::days(3)).line(),
        TestRun::completed(23, "l1", now - Duration::days(9), 100, stages(1, 10)).line(),
    ];
    import_ok(&store, &lines).await;
    let app = TestApp::spawn(store.clone(), now).await;

    let empty = app.overview(20).await;
    let s = &empty["run_statistics"];
    assert_eq!(s["total_runs"], 0);
    for key in [
        "success_rate",
        "avg_duration_seconds",
        "avg_credits_per_run",
        "credits_trend",
        "duration_trend",
        "success_rate_trend",
    ] {
        assert!(s[key].is_null(), "{key} should be null for a site without runs: {s}");
    }
    assert!(empty["pipeline"].is_null());

    let week = app.overview(21).await;
    let s = &week["run_statistics"];
    assert_eq!(s["success_rate"], 100.0);
    assert_eq!(s["avg_duration_seconds"], 200);
    assert!(s["credits_trend"].is_null(), "no completed run last week: {s}");
    assert!(s["duration_trend"].is_null(), "no completed run last week: {s}");
    assert!(s["success_rate_trend"].is_null(), "no finished run last week: {s}");

    let running = app.overview(22).await;
    let s = &running["run_statistics"];
    assert_eq!((s["total_runs"].as_u64(), s["runs_this_week"].as_u64()), (Some(2), Some(2)));
    assert!(s["success_rate"].is_null(), "running and paused runs count neither way: {s}");
    assert!(s["avg_credits_per_run"].is_null());

    let last = app.overview(23).await;
    let s = &last["run_statistics"];
    assert_eq!((s["runs_this_week"].as_u64(), s["runs_last_week"].as_u64()), (Some(0), Some(1)));
    assert!(s["credits_trend"].is_null() && s["duration_trend"].is_null(), "no completed run this week: {s}");

    for site_id in [20, 21, 22, 23] {
        let body = app.overview(site_id).await;
        assert_eq!(body["attention_items"]["total_attention_needed"], 0);
        assert_eq!(body["predictive_analysis"]["current_balance"], 50);
    }
});

fn assert_prediction(p: &Value, expected: &oracle::Prediction, balance: i64) {
    assert_eq!(p["runs_analyzed"].as_u64(), Some(expected.runs_analyzed), "runs_analyzed in {p}");
    assert_eq!(p["current_balance"].as_i64(), Some(balance));
    let stages = p["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 7);
    for (i, (s, e)) in stages.iter().zip(&expected.stages).enumerate() {
        assert_eq!(s["stage"].as_u64(), Some(i as u64 + 1));
        assert_eq!(s["pending_items"].as_u64(), Some(e.pending), "stage {} pending", i + 1);
        assert_eq!(s["estimated_credits"].as_u64(), e.credits, "stage {} estimated_credits: {s}", i + 1);
        assert_eq!(s["estimated_output"].as_u64(), e.output, "stage {} estimated_output: {s}", i + 1);
    }
    assert_eq!(p["total_estimated_credits"].as_u64(), expected.total, "total in {p}");
    assert_eq!(p["recommended_buffer"].as_u64(), expected.buffer, "buffer in {p}");
    assert_eq!(p["is_sufficient"].as_bool(), expected.is_sufficient, "is_sufficient in {p}");
}

backends_test!(prediction_is_exact_in_integers, |store: Store| async move {
    let runs = stats_runs();
    import_ok(&store, &stats_lines(&runs)).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let body = app.overview(SITE).await;
    let p = &body["predictive_analysis"];
    let expected = oracle::prediction(&runs, SITE, PENDING, BALANCE);

    // By hand: 6 completed runs (c1 c2 c3 c4 c5 old_c).
    assert_eq!(expected.runs_analyzed, 6);
    // Stage 1: 27 × 420/180 = 63 exactly (not 64 through a float rate).
    assert_eq!(expected.stages[0].credits, Some(63));
    // Stage 1 output: 27 × 18/180 = 2.7 → 3. Stage 2: 3 × 18/12 = 4.5 → 5 (half away from zero).
    assert_eq!(expected.stages[0].output, Some(3));
    assert_eq!(expected.stages[1].output, Some(5));
    // Stage 2 credits: 3 × 30/12 = 7.5 → 8. Stage 3 free: 0.
    assert_eq!(expected.stages[1].credits, Some(8));
    assert_eq!(expected.stages[2].credits, Some(0));
    assert_prediction(p, &expected, BALANCE);
    assert_eq!(p["has_enough_history"], true);

    let stages = p["stages"].as_array().unwrap();
    assert_eq!(stages[2]["is_free"], true);
    assert_eq!(stages[6]["is_free"], true);
    assert_eq!(stages[0]["is_free"], false);
    assert_close(as_f64(&stages[0]["avg_credits_per_item"]), Some(420.0 / 180.0), "stage 1 credits per item");
    assert_close(as_f64(&stages[1]["avg_output_ratio"]), Some(1.5), "stage 2 output ratio");
    // Stage 4 of c2 processed nothing: it is left out of the stage's averages.
    assert_close(
        as_f64(&stages[3]["avg_credits_per_item"]),
        Some((37.0 + 38.0 + 50.0 + 25.0 + 30.0) / 14.0),
        "stage 4",
    );

    // The plan's flat view carries the same rates.
    let flat = &body["historical_averages"];
    assert_close(as_f64(&flat["avg_credits_stage_1"]), Some(420.0 / 180.0), "flat stage 1");
    assert_close(as_f64(&flat["avg_output_ratio_stage_2"]), Some(1.5), "flat stage 2");

    // Attention items: ideas.skipped, content.failed, images.failed.
    let a = &body["attention_items"];
    assert_eq!(
        (a["skipped_ideas"].as_u64(), a["failed_content"].as_u64(), a["failed_images"].as_u64()),
        (Some(3), Some(2), Some(5))
    );
    assert_eq!(a["total_attention_needed"], 10);
});

backends_test!(prediction_uses_the_last_ten_completed_runs, |store: Store| async move {
    // 13 completed runs; the 3 oldest cost 100 credits a keyword and would change every figure.
    let mut runs = Vec::new();
    for i in 0..13i64 {
        let mut s = stages(2, 25);
        if i < 3 {
            s[0] = Some(st(10, 1, 1000, 100));
        } else {
            s[0] = Some(st(10 + i as u64, 2, 7 + 2 * i as u64, 100));
        }
        runs.push(TestRun::completed(SITE, &format!("h{i:02}"), days_ago(60 - i), 600, s));
    }
    // Imported newest first, to check "last" is by started_at and not by arrival.
    let mut lines = vec![account(3, "Stats Co", 40), site(SITE, 3, "Stats", "stats.example")];
    lines.extend(runs.iter().rev().map(TestRun::line));
    lines.push(pipeline(SITE, fixed_now(), PENDING, [0, 0, 0]));
    import_ok(&store, &lines).await;

    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let body = app.overview(SITE).await;
    let expected = oracle::prediction(&runs, SITE, PENDING, 40);
    assert_eq!(expected.runs_analyzed, 10);
    assert!(expected.stages[0].credits.unwrap() < 100, "the oracle must leave the 3 oldest runs out");
    assert_eq!(expected.is_sufficient, Some(false));
    assert_prediction(&body["predictive_analysis"], &expected, 40);
    let p = &body["predictive_analysis"];
    let shortfall = expected.buffer.unwrap() - 40;
    assert_eq!(p["shortfall"].as_u64(), Some(shortfall));
});

backends_test!(prediction_is_null_with_fewer_than_three_completed_runs, |store: Store| async move {
    let mut cancelled = TestRun::unfinished(SITE, "x", "cancelled", 3, days_ago(3));
    cancelled.cancelled = Some(days_ago(3) + Duration::seconds(30));
    let runs = [
        TestRun::completed(SITE, "a", days_ago(5), 100, stages(2, 20)),
        TestRun::completed(SITE, "b", days_ago(4), 100, stages(2, 20)),
        cancelled,
        TestRun::unfinished(SITE, "f", "failed", 2, days_ago(2)),
    ];
    let mut lines = vec![account(3, "Stats Co", 777), site(SITE, 3, "Stats", "stats.example")];
    lines.extend(runs.iter().map(TestRun::line));
    lines.push(pipeline(SITE, fixed_now(), PENDING, [1, 1, 1]));
    import_ok(&store, &lines).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let body = app.overview(SITE).await;
    let p = &body["predictive_analysis"];
    assert_eq!(p["runs_analyzed"], 2);
    assert_eq!(p["has_enough_history"], false);
    assert_eq!(p["current_balance"], 777);
    for key in ["total_estimated_credits", "recommended_buffer", "is_sufficient"] {
        assert!(p[key].is_null(), "{key} should be null with 2 completed runs: {p}");
    }
    for (i, s) in p["stages"].as_array().unwrap().iter().enumerate() {
        assert_eq!(s["pending_items"].as_u64(), Some(PENDING[i]), "pending counts are still given: {s}");
        for key in ["estimated_credits", "estimated_output", "avg_credits_per_item", "avg_output_ratio"] {
            assert!(s[key].is_null(), "stage {} {key} should be null: {s}", i + 1);
        }
    }
    let flat = &body["historical_averages"];
    assert_eq!(flat["has_enough_history"], false);
    assert!(flat["avg_credits_stage_1"].is_null());
    assert_eq!(body["attention_items"]["total_attention_needed"], 3);
});

backends_test!(the_latest_pipeline_feeds_the_prediction, |store: Store| async move {
    let runs = stats_runs();
    import_ok(&store, &stats_lines(&runs)).await;
    // A newer pipeline record replaces the pending counts; an older one afterwards does not.
    let newer = [100, 10, 0, 1, 0, 0, 0];
    import_ok(&store, &[pipeline(SITE, fixed_now() - Duration::minutes(5), newer, [0, 0, 1])]).await;
    import_ok(&store, &[pipeline(SITE, fixed_now() - Duration::days(1), PENDING, [9, 9, 9])]).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let body = app.overview(SITE).await;
    let expected = oracle::prediction(&runs, SITE, newer, BALANCE);
    assert_prediction(&body["predictive_analysis"], &expected, BALANCE);
    assert_eq!(body["attention_items"]["total_attention_needed"], 1);
    assert_eq!(body["pipeline"]["keywords"]["new"], 100);
});

backends_test!(is_sufficient_at_the_buffer_boundary, |store: Store| async move {
    let runs = stats_runs();
    import_ok(&store, &stats_lines(&runs)).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let buffer = oracle::prediction(&runs, SITE, PENDING, BALANCE).buffer.unwrap();
    let total = oracle::prediction(&runs, SITE, PENDING, BALANCE).total.unwrap();
    assert_eq!(buffer, (total * 12).div_ceil(10));

    // A balance of exactly the buffer is enough; one credit less is not.
    import_ok(&store, &[account(3, "Stats Co", buffer as i64)]).await;
    let p = app.overview(SITE).await["predictive_analysis"].clone();
    assert_eq!(p["current_balance"].as_u64(), Some(buffer));
    assert_eq!(p["is_sufficient"], true, "{p}");
    assert!(p["shortfall"].is_null());

    import_ok(&store, &[account(3, "Stats Co", buffer as i64 - 1)]).await;
    let p = app.overview(SITE).await["predictive_analysis"].clone();
    assert_eq!(p["is_sufficient"], false, "{p}");
    assert_eq!(p["shortfall"], 1);
});
