//! The forecasts beyond the plan (metrics.md, "Beyond the plan: forecasts you can check"):
//! likely range, where the balance runs out, the backtest and the wasted credits, through the
//! JSON API, against figures computed in `oracle.rs`.

use automation_runs::domain::format::thousands;
use automation_runs::server::db::Store;
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::data::*;
use crate::harness::*;
use crate::oracle;

const SITE: i64 = 30;
/// Below the estimate, so a run now stops part-way.
const BALANCE: i64 = 150;
const PENDING: [u64; 7] = [27, 3, 20, 20, 7, 11, 12];

fn days_ago(d: i64) -> DateTime<Utc> {
    fixed_now() - Duration::days(d)
}

/// 40 completed runs, one a day, whose rates differ from run to run; among them a run that
/// cost nothing (c03, so the 20 checked runs reach back past the 30 newest), one that never
/// reached stage 6 (c07), one that fed stage 4 nothing (c09), and two that started together
/// (c12 and c13).
fn completed_runs() -> Vec<TestRun> {
    (0..40u64)
        .map(|i| {
            let started = days_ago(if i == 13 { 13 } else { i as i64 + 1 });
            let mut stages = [
                Some(st(10 + i % 7, 2, 3 * (i % 5) + 20, 100)),
                Some(st(2 + i % 3, 6, 30 + (i * 37) % 50, 200)),
                Some(st(4, 4, 0, 10)),
                Some(st(3 + i % 4, 3, 100 + (i * 53) % 120, 500)),
                Some(st(5, 15, 8 + i % 9, 60)),
                Some(st(3, 9, 20 + (i * 11) % 30, 120)),
                Some(st(2, 2, 0, 5)),
            ];
            match i {
                3 => stages.iter_mut().flatten().for_each(|s| s.credits = 0),
                7 => stages[5] = None,
                9 => stages[3] = Some(st(0, 0, 0, 0)),
                _ => {}
            }
            TestRun::completed(SITE, &format!("c{i:02}"), started, 1200, stages)
        })
        .collect()
}

/// Failed and cancelled runs: in the last 30 days (one exactly 30 days back), in the 30 days
/// before, and older.
fn unfinished_runs() -> Vec<TestRun> {
    let stopped = |id: &str, status: &'static str, stage: u8, days: i64| {
        let mut run = TestRun::unfinished(SITE, id, status, stage, days_ago(days) + Duration::hours(2));
        if status == "cancelled" {
            run.cancelled = Some(run.started + Duration::minutes(5));
        }
        run
    };
    let mut boundary = stopped("f30", "failed", 2, 0);
    boundary.started = days_ago(30);
    vec![
        stopped("f1", "failed", 4, 5),
        stopped("x1", "cancelled", 3, 20),
        boundary,
        stopped("f2", "failed", 5, 35),
        stopped("x2", "cancelled", 2, 59),
        stopped("f3", "failed", 6, 61),
    ]
}

fn lines(runs: &[TestRun], balance: i64) -> Vec<String> {
    let mut lines = vec![account(4, "Forecast Co", balance), site(SITE, 4, "Forecasts", "forecasts.example")];
    lines.extend(runs.iter().map(TestRun::line));
    lines.push(pipeline(SITE, fixed_now() - Duration::hours(1), PENDING, [0, 0, 0]));
    lines
}

fn assert_range(actual: &Value, expected: Option<oracle::Range>) {
    let Some(e) = expected else {
        assert!(actual.is_null(), "likely_range should be null: {actual}");
        return;
    };
    assert_eq!(actual["low"].as_u64(), Some(e.low), "low in {actual}");
    assert_eq!(actual["high"].as_u64(), Some(e.high), "high in {actual}");
    assert_eq!(actual["runs"].as_u64(), Some(e.runs), "runs in {actual}");
    assert_eq!(actual["runs_in_range"].as_u64(), Some(e.in_range), "runs_in_range in {actual}");
}

fn assert_accuracy(actual: &Value, expected: Option<&oracle::Accuracy>) {
    let Some(e) = expected else {
        assert!(actual.is_null(), "accuracy should be null: {actual}");
        return;
    };
    assert_eq!(actual["runs_checked"].as_u64(), Some(e.runs_checked), "runs_checked in {actual}");
    assert_eq!(
        as_f64(&actual["median_abs_error_percent"]),
        e.median_abs_error_percent,
        "median_abs_error_percent in {actual}"
    );
    assert_eq!(actual["within_range"].as_u64(), e.within_range, "within_range in {actual}");
}

/// Every forecast of the overview against the oracle, for `runs` and `balance`.
fn assert_forecasts(body: &Value, runs: &[TestRun], balance: i64) {
    let p = &body["predictive_analysis"];
    assert_range(&p["likely_range"], oracle::likely_range(runs, SITE, PENDING));
    let prediction = oracle::prediction(runs, SITE, PENDING, balance);
    assert_eq!(p["runs_out_at_stage"].as_u64(), oracle::runs_out_at_stage(&prediction, balance), "in {p}");
    assert_accuracy(&p["accuracy"], oracle::accuracy(runs, SITE).as_ref());
}

backends_test!(forecasts_and_wasted_credits_match_the_definitions, |store: Store| async move {
    let runs: Vec<TestRun> = completed_runs().into_iter().chain(unfinished_runs()).collect();
    import_ok(&store, &lines(&runs, BALANCE)).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let body = app.overview(SITE).await;

    // The oracle's figures are of the kind this data set is meant to show.
    let range = oracle::likely_range(&runs, SITE, PENDING).unwrap();
    assert_eq!(range.runs, 10);
    assert!(range.low < range.high && range.in_range >= 8, "{range:?}");
    let prediction = oracle::prediction(&runs, SITE, PENDING, BALANCE);
    assert!(prediction.total.unwrap() > BALANCE as u64);
    assert!(oracle::runs_out_at_stage(&prediction, BALANCE).is_some_and(|s| s > 1));
    let accuracy = oracle::accuracy(&runs, SITE).unwrap();
    assert_eq!(accuracy.runs_checked, 20);
    assert!(accuracy.median_abs_error_percent.is_some_and(|m| m > 0.0), "{accuracy:?}");
    assert_forecasts(&body, &runs, BALANCE);

    // Wasted: 15 (f1) + 10 (x1) + 5 (f30, exactly 30 days back) in the last 30 days; 20 (f2)
    // + 5 (x2) in the 30 days before; f3 is older.
    let expected = oracle::wasted_credits(&runs, SITE, fixed_now());
    assert_eq!(expected, (30, 25));
    let s = &body["run_statistics"];
    assert_eq!((s["wasted_credits"].as_u64(), s["wasted_credits_previous"].as_u64()), (Some(30), Some(25)), "{s}");
    // The runs read for the 30 days before change none of the statistics of the last 30.
    let stats = oracle::stats(&runs, SITE, fixed_now());
    assert_eq!(s["failed_runs"].as_u64(), Some(stats.failed_runs), "{s}");
    assert_eq!(s["completed_runs"].as_u64(), Some(stats.completed_runs), "{s}");
    assert_eq!(as_f64(&s["success_rate"]), stats.success_rate, "{s}");
    assert_eq!(s["cancelled_runs"], 1);
});

backends_test!(forecasts_follow_a_new_run_and_the_balance, |store: Store| async move {
    let mut runs = completed_runs();
    import_ok(&store, &lines(&runs, BALANCE)).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    assert_forecasts(&app.overview(SITE).await, &runs, BALANCE);

    // A newer, far dearer run moves the range and the backtest (the kept backtest is of the
    // site's previous revision).
    let mut dear = completed_runs()[0].clone();
    dear.run_id = "dear".into();
    dear.started = fixed_now() - Duration::hours(3);
    dear.completed = Some(dear.started + Duration::minutes(20));
    dear.stages[3] = Some(st(4, 4, 2_000, 500));
    dear.total_credits = dear.stages.iter().flatten().map(|s| s.credits).sum();
    import_ok(&store, &[dear.line()]).await;
    runs.push(dear);
    let body = app.overview(SITE).await;
    assert_forecasts(&body, &runs, BALANCE);
    assert_eq!(body["predictive_analysis"]["accuracy"]["runs_checked"], 20);

    // A balance that covers the estimate: no stage runs out.
    let total = oracle::prediction(&runs, SITE, PENDING, BALANCE).total.unwrap() as i64;
    import_ok(&store, &[account(4, "Forecast Co", total)]).await;
    let p = app.overview(SITE).await["predictive_analysis"].clone();
    assert!(p["runs_out_at_stage"].is_null(), "{p}");
    import_ok(&store, &[account(4, "Forecast Co", total - 1)]).await;
    let p = app.overview(SITE).await["predictive_analysis"].clone();
    let prediction = oracle::prediction(&runs, SITE, PENDING, total - 1);
    assert_eq!(p["runs_out_at_stage"].as_u64(), oracle::runs_out_at_stage(&prediction, total - 1), "{p}");
});

backends_test!(forecasts_with_little_history, |store: Store| async move {
    // Sites 31 to 34 with 2, 3, 4 and 0 completed runs.
    let mut lines = vec![account(4, "Forecast Co", 10)];
    let mut runs = Vec::new();
    for (site_id, n) in [(31, 2), (32, 3), (33, 4), (34, 0)] {
        lines.push(site(site_id, 4, &format!("Site {site_id}"), &format!("s{site_id}.example")));
        lines.push(pipeline(site_id, fixed_now(), PENDING, [0, 0, 0]));
        runs.extend(completed_runs().into_iter().take(n).map(|mut r| {
            r.site_id = site_id;
            r.run_id = format!("{}_{site_id}", r.run_id);
            r
        }));
    }
    lines.extend(runs.iter().map(TestRun::line));
    import_ok(&store, &lines).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;

    for site_id in [31, 34] {
        let p = app.overview(site_id).await["predictive_analysis"].clone();
        for key in ["likely_range", "runs_out_at_stage", "accuracy"] {
            assert!(p[key].is_null(), "{key} with fewer than 3 completed runs: {p}");
        }
    }
    // 3 runs: a range of 3 scenarios, but no run has 3 before it.
    let p = app.overview(32).await["predictive_analysis"].clone();
    assert_eq!(p["likely_range"]["runs"], 3);
    assert_eq!(
        p["accuracy"],
        serde_json::json!({"runs_checked": 0, "median_abs_error_percent": null, "within_range": null})
    );
    // 4 runs: the newest is checked against the 3 before it.
    let p = app.overview(33).await["predictive_analysis"].clone();
    assert_eq!(p["accuracy"]["runs_checked"], 1);
    for site_id in [32, 33] {
        let p = app.overview(site_id).await["predictive_analysis"].clone();
        let site_runs: Vec<TestRun> = runs.iter().filter(|r| r.site_id == site_id).cloned().collect();
        assert_range(&p["likely_range"], oracle::likely_range(&site_runs, site_id, PENDING));
        assert_accuracy(&p["accuracy"], oracle::accuracy(&site_runs, site_id).as_ref());
        let prediction = oracle::prediction(&site_runs, site_id, PENDING, 10);
        assert_eq!(p["runs_out_at_stage"].as_u64(), oracle::runs_out_at_stage(&prediction, 10), "{p}");
    }
});

backends_test!(the_openapi_document_describes_the_forecasts, |store: Store| async move {
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let doc = app.get_ok("/api/v1/openapi.json").await;
    let schemas = &doc["components"]["schemas"];
    for (schema, fields) in [
        ("Prediction", &["likely_range", "runs_out_at_stage", "accuracy"][..]),
        ("RunStatistics", &["wasted_credits", "wasted_credits_previous"][..]),
        ("LikelyRange", &["low", "high", "runs", "runs_in_range"][..]),
        ("Accuracy", &["runs_checked", "median_abs_error_percent", "within_range"][..]),
    ] {
        for field in fields {
            assert!(schemas[schema]["properties"][field].is_object(), "{schema}.{field} in {}", schemas[schema]);
        }
    }
});

// The page draws what the API says: the range and the runs-out mark on the prediction chart,
// a link per backtested run on the accuracy chart, and the runs behind the estimate, linked.
backends_test!(the_overview_page_draws_the_forecasts, |store: Store| async move {
    let runs = completed_runs();
    import_ok(&store, &lines(&runs, BALANCE)).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let p = app.overview(SITE).await["predictive_analysis"].clone();
    // The API keeps its accuracy object as metrics.md has it: no per-run points.
    let mut keys: Vec<&String> = p["accuracy"].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["median_abs_error_percent", "runs_checked", "within_range"], "{p}");

    let response = app.get_raw(&format!("/automation/overview?site_id={SITE}")).await;
    assert_eq!(response.status().as_u16(), 200);
    let html = response.text().await.unwrap();
    let n = |v: &Value| thousands(i128::from(v.as_u64().unwrap()));
    let range = &p["likely_range"];
    let caption =
        format!("Total {} cr, likely {}–{} cr", n(&p["total_estimated_credits"]), n(&range["low"]), n(&range["high"]));
    // Each chart is drawn in the light and the dark theme. The page's hydration data holds the
    // same SVG as an escaped string, where `class=\"` never reads as `class="`.
    assert!(html.contains(&format!(">{caption}</text>")), "the range on the chart: {caption}");
    assert_eq!(html.matches(r#"<text class="likely-range""#).count(), 2);
    assert_eq!(html.matches(r#"<g class="runs-out-marker">"#).count(), 2);
    assert_eq!(html.matches(r#"<text class="runs-out-label""#).count(), 2);
    assert!(html.contains(">Balance runs out here</text>"));

    let ids: Vec<&str> = runs.iter().map(|r| r.run_id.as_str()).collect();
    let points: Vec<&str> = html
        .split(r#"<a class="point-link" href="/automation/runs/"#)
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(points.len(), 2 * 20, "20 checked runs, twice");
    assert!(points.iter().all(|id| ids.contains(id)), "{points:?}");
    assert!(!points.contains(&"c03"), "the run without credits is not checked");

    let details = &html[html.find(r#"data-testid="how-estimated""#).expect("How it is estimated")..];
    let details = &details[..details.find("</details>").unwrap()];
    let used: Vec<&str> =
        details.split(r#"<a href="/automation/runs/"#).skip(1).map(|rest| &rest[..rest.find('"').unwrap()]).collect();
    assert_eq!(used, ["c00", "c01", "c02", "c03", "c04", "c05", "c06", "c07", "c08", "c09"]);
    assert!(details.contains("20% buffer"), "the buffer in words");
});
