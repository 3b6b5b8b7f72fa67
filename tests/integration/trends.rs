//! Trends and anomalies (metrics.md, "Beyond the plan: trends and anomalies"): the API's rows
//! and shape, anomalies on a hand-made history against a rule written out here, the range's
//! bounds, the CSV against the JSON, the overview's attention items and the run page's
//! insight, and other accounts' sites.

use automation_runs::server::db::Store;
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::data::*;
use crate::harness::*;

const SITE: i64 = 40;
const OTHER_SITE: i64 = 60;

fn days_ago(d: i64) -> DateTime<Utc> {
    fixed_now() - Duration::days(d)
}

/// A completed run: stage 4 made `content` articles for `c4` credits; 40 credits elsewhere.
fn run(id: &str, started: DateTime<Utc>, secs: i64, c4: u64, content: u64) -> TestRun {
    let stages = [
        Some(st(10, 2, 5, 60)),
        Some(st(2, 6, 10, 60)),
        Some(st(6, 6, 0, 10)),
        Some(st(6, content, c4, 600)),
        Some(st(5, 10, 5, 60)),
        Some(st(10, 10, 20, 120)),
        Some(st(2, 2, 0, 5)),
    ];
    TestRun::completed(SITE, id, started, secs, stages)
}

/// Fourteen completed runs a day apart from 30 days back, credits and durations spreading a
/// little; t11 costs three times as much, t12 made no content, t13 took four times as long.
/// Before them a completed run 120 days back; among them a failed run, which trends leave out.
fn history() -> Vec<TestRun> {
    let mut runs: Vec<TestRun> = (0..14i64)
        .map(|i| {
            let wobble = (i % 3) as u64;
            let (c4, content, secs) = match i {
                11 => (400, 10, 1200),
                12 => (100, 0, 1210),
                13 => (101, 10, 5000),
                _ => (100 + wobble, 10, 1200 + 10 * wobble as i64),
            };
            run(&format!("t{i:02}"), days_ago(30 - i), secs, c4, content)
        })
        .collect();
    runs.push(run("old", days_ago(120), 1200, 100, 10));
    runs.push(TestRun::unfinished(SITE, "failed", "failed", 4, days_ago(20) + Duration::hours(3)));
    runs
}

fn lines(runs: &[TestRun]) -> Vec<String> {
    let mut lines = vec![
        account(5, "Trend Co", 1000),
        account(6, "Elsewhere Co", 1000),
        site(SITE, 5, "Trends", "trends.example"),
        site(OTHER_SITE, 6, "Other", "other.example"),
    ];
    lines.extend(runs.iter().map(TestRun::line));
    lines.push(TestRun::completed(OTHER_SITE, "other_run", days_ago(3), 60, [Some(st(2, 1, 3, 10)); 7]).line());
    lines
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => None,
        _ if n.is_multiple_of(2) => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
        _ => Some(v[n / 2]),
    }
}

/// The three figures of a completed run, by the names the API gives them.
fn figures(r: &TestRun) -> [(&'static str, Option<f64>); 3] {
    let content = r.stages[3].map_or(0, |s| s.output);
    [
        ("total_credits_used", Some(r.total_credits as f64)),
        ("duration_seconds", r.duration_secs().map(|d| d as f64)),
        ("credits_per_content", (content > 0).then(|| r.total_credits as f64 / content as f64)),
    ]
}

/// The figures on which `r` is an anomaly, by metrics.md's rule, against the completed runs of
/// `runs` started before it.
fn expected_anomalies(r: &TestRun, runs: &[TestRun]) -> Vec<&'static str> {
    let mut before: Vec<&TestRun> = runs.iter().filter(|e| e.status == "completed" && e.started < r.started).collect();
    before.sort_by_key(|e| e.started);
    let baseline = &before[before.len().saturating_sub(10)..];
    let mut out = Vec::new();
    for (i, (name, value)) in figures(r).into_iter().enumerate() {
        let Some(x) = value else { continue };
        let values: Vec<f64> = baseline.iter().filter_map(|e| figures(e)[i].1).collect();
        if values.len() < 5 {
            continue;
        }
        let m = median(values.clone()).unwrap();
        let mad = median(values.iter().map(|v| (v - m).abs()).collect()).unwrap();
        if mad > 0.0 && (x - m).abs() / (1.4826 * mad) > 3.5 && (x - m).abs() > m / 2.0 {
            out.push(name);
        }
    }
    out
}

/// The completed runs started in the last `days` days, oldest first.
fn in_range(runs: &[TestRun], days: i64) -> Vec<&TestRun> {
    let mut out: Vec<&TestRun> =
        runs.iter().filter(|r| r.status == "completed" && r.started >= days_ago(days)).collect();
    out.sort_by_key(|r| r.started);
    out
}

fn assert_rows(body: &Value, runs: &[TestRun], days: i64) {
    let keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["runs"], "{body}");
    let rows = body["runs"].as_array().unwrap();
    let expected = in_range(runs, days);
    assert_eq!(rows.len(), expected.len(), "days={days}: {body}");
    for (row, r) in rows.iter().zip(expected) {
        let keys: Vec<&str> = row.as_object().unwrap().keys().map(String::as_str).collect();
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
        assert_eq!(row["run_id"], r.run_id.as_str());
        assert_eq!(ts(row["started_at"].as_str().unwrap()), r.started);
        let [credits, duration, per_content] = figures(r);
        assert_eq!(row["total_credits_used"].as_u64(), Some(r.total_credits), "{row}");
        assert_eq!(as_f64(&row["duration_seconds"]), duration.1, "{row}");
        assert_close(as_f64(&row["credits_per_content"]), per_content.1, &r.run_id);
        let _ = credits;
        let anomalies: Vec<&str> = row["anomalies"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
        assert_eq!(anomalies, expected_anomalies(r, runs), "anomalies of {}", r.run_id);
    }
    let numbers: Vec<i64> = rows.iter().map(|r| r["run_number"].as_i64().unwrap()).collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "oldest first: {numbers:?}");
}

backends_test!(trends_rows_and_anomalies_match_the_definition, |store: Store| async move {
    let runs = history();
    import_ok(&store, &lines(&runs)).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(5)).await;

    // The default range is 90 days: not the run of 120 days back, not the failed run.
    let body = app.get_ok(&format!("/api/v1/automation/trends?site_id={SITE}")).await;
    assert_rows(&body, &runs, 90);
    assert_eq!(body["runs"].as_array().unwrap().len(), 14);
    // The hand-made history flags what it was made to flag, and nothing else.
    let flagged: Vec<(String, Vec<String>)> = body["runs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["anomalies"].as_array().unwrap().is_empty())
        .map(|r| {
            let figures = r["anomalies"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string());
            (r["run_id"].as_str().unwrap().to_string(), figures.collect())
        })
        .collect();
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        flagged,
        vec![
            ("t11".to_string(), strings(&["total_credits_used", "credits_per_content"])),
            ("t13".to_string(), strings(&["duration_seconds"])),
        ]
    );
    let t12 = &body["runs"][12];
    assert!(t12["credits_per_content"].is_null(), "no content, no ratio: {t12}");

    // Longer and shorter ranges; the trailing-slash form answers too.
    let year = app.get_ok(&format!("/api/v1/automation/trends/?site_id={SITE}&days=365")).await;
    assert_rows(&year, &runs, 365);
    assert_eq!(year["runs"][0]["run_id"], "old");
    let week = app.get_ok(&format!("/api/v1/automation/trends?site_id={SITE}&days=7")).await;
    assert_rows(&week, &runs, 7);
    let day = app.get_ok(&format!("/api/v1/automation/trends?site_id={SITE}&days=1")).await;
    assert_eq!(day["runs"].as_array().unwrap().len(), 0);
    app.get_ok(&format!("/api/v1/automation/trends?site_id={SITE}&days=3650")).await;
});

backends_test!(trends_reject_bad_ranges_and_other_accounts_sites, |store: Store| async move {
    import_ok(&store, &lines(&history())).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(5)).await;
    for query in [
        format!("site_id={SITE}&days=0"),
        format!("site_id={SITE}&days=3651"),
        format!("site_id={SITE}&days=-5"),
        format!("site_id={SITE}&days=abc"),
        format!("site_id={SITE}&days=7.5"),
        "site_id=abc".to_string(),
        "days=30".to_string(),
    ] {
        for path in ["trends", "trends.csv"] {
            let (status, body) = app.get(&format!("/api/v1/automation/{path}?{query}")).await;
            assert_eq!(status, 400, "{path}?{query}: {body}");
            assert_eq!(body["error"]["code"], "bad_request");
        }
    }
    for site in [OTHER_SITE, 99] {
        for path in ["trends", "trends.csv"] {
            let (status, body) = app.get(&format!("/api/v1/automation/{path}?site_id={site}")).await;
            assert_eq!(status, 404, "{path} of site {site}: {body}");
            assert_eq!(body["error"]["message"], format!("Site {site} not found"));
        }
    }
    // Without a token: 401.
    let anonymous = http_client(false).get(app.url(&format!("/api/v1/automation/trends?site_id={SITE}"))).send().await;
    assert_eq!(anonymous.unwrap().status().as_u16(), 401);
});

backends_test!(trends_csv_rows_are_the_json_rows, |store: Store| async move {
    import_ok(&store, &lines(&history())).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(5)).await;
    for days in ["", "&days=365", "&days=7"] {
        let json = app.get_ok(&format!("/api/v1/automation/trends?site_id={SITE}{days}")).await;
        let response = app.get_raw(&format!("/api/v1/automation/trends.csv?site_id={SITE}{days}")).await;
        assert_eq!(response.status().as_u16(), 200);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
        let text = response.text().await.unwrap();
        let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
        assert_eq!(
            lines.next(),
            Some("run_id,run_number,started_at,total_credits_used,duration_seconds,credits_per_content,anomalies")
        );
        let rows: Vec<Vec<String>> = lines.map(|l| l.split(',').map(str::to_string).collect()).collect();
        let expected = json["runs"].as_array().unwrap();
        assert_eq!(rows.len(), expected.len(), "{text}");
        for (cells, row) in rows.iter().zip(expected) {
            let number = |v: &Value| if v.is_null() { String::new() } else { v.to_string() };
            let anomalies: Vec<&str> =
                row["anomalies"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
            assert_eq!(cells[0], row["run_id"].as_str().unwrap());
            assert_eq!(cells[1], number(&row["run_number"]));
            assert_eq!(ts(&cells[2]), ts(row["started_at"].as_str().unwrap()));
            assert_eq!(cells[3], number(&row["total_credits_used"]));
            assert_eq!(cells[4], number(&row["duration_seconds"]));
            let csv_ratio: Option<f64> = (!cells[5].is_empty()).then(|| cells[5].parse().unwrap());
            assert_eq!(csv_ratio, as_f64(&row["credits_per_content"]), "{}", cells[0]);
            assert_eq!(cells[6], anomalies.join(";"));
        }
    }
});

backends_test!(anomalies_reach_the_overview_and_the_run_page, |store: Store| async move {
    let runs = history();
    import_ok(&store, &lines(&runs)).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(5)).await;

    // Newest first: t13's duration, then t11's credits and credits per content.
    let overview = app.overview(SITE).await;
    let items = &overview["attention_items"]["anomalies"];
    let listed: Vec<(&str, &str)> = items
        .as_array()
        .unwrap_or_else(|| panic!("no anomalies in {overview}"))
        .iter()
        .map(|a| (a["run_id"].as_str().unwrap(), a["figure"].as_str().unwrap()))
        .collect();
    assert_eq!(listed, [("t13", "duration_seconds"), ("t11", "total_credits_used"), ("t11", "credits_per_content")]);
    let t11 = &items[1];
    assert_eq!(t11["value"].as_f64(), Some(440.0));
    assert_eq!(t11["median"].as_f64(), Some(141.0), "{t11}");
    assert_eq!(t11["diff_percent"].as_f64(), Some(212.1));
    assert_eq!(t11["baseline_runs"].as_u64(), Some(10));
    // The plan's counts are untouched.
    assert_eq!(overview["attention_items"]["total_attention_needed"].as_u64(), Some(0));

    // The page lists them, each linking its run.
    let session = app.signed_in_client(5, "trends@trend.example").await;
    let html = session
        .get(app.url(&format!("/automation/overview?site_id={SITE}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("href=\"/automation/runs/t13\""), "no link to t13 in the attention items");
    assert!(html.contains("data-testid=\"attention-anomaly\""));

    // Past 90 days the anomalies drop out of the attention items.
    app.advance(Duration::days(90).num_seconds());
    let later = app.overview(SITE).await;
    assert_eq!(later["attention_items"]["anomalies"], serde_json::json!([]), "{later}");

    // A flagged run's page names its anomaly; an ordinary run's does not.
    let detail = app.detail("t11").await;
    let anomaly: Vec<&str> = detail["insights"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "anomaly")
        .map(|i| i["message"].as_str().unwrap())
        .collect();
    assert_eq!(anomaly.len(), 2, "{anomaly:?}");
    assert!(
        anomaly[0].starts_with("Unusual run. Credits used: 440 credits against a median of 141 credits"),
        "{}",
        anomaly[0]
    );
    let plain = app.detail("t10").await;
    assert!(!plain["insights"].as_array().unwrap().iter().any(|i| i["kind"] == "anomaly"));
});

// The trend inputs are kept per site revision (Service::trend_inputs): with no write, a later
// clock must still slide the range, and the runs that stay keep the anomalies the runs before
// them give, even once those runs have left the range.
backends_test!(the_range_slides_with_the_clock_between_writes, |store: Store| async move {
    let runs = history();
    import_ok(&store, &lines(&runs)).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(5)).await;
    let mut now = fixed_now();
    let mut counts = Vec::new();
    for step in [Duration::zero(), Duration::minutes(20), Duration::days(3)] {
        app.advance(step.num_seconds());
        now += step;
        let body = app.get_ok(&format!("/api/v1/automation/trends?site_id={SITE}&days=30")).await;
        let mut expected: Vec<&TestRun> =
            runs.iter().filter(|r| r.status == "completed" && r.started >= now - Duration::days(30)).collect();
        expected.sort_by_key(|r| r.started);
        let rows = body["runs"].as_array().unwrap();
        let ids: Vec<&str> = rows.iter().map(|r| r["run_id"].as_str().unwrap()).collect();
        counts.push(ids.len());
        assert_eq!(ids, expected.iter().map(|r| r.run_id.as_str()).collect::<Vec<_>>(), "after {step}");
        for (row, r) in rows.iter().zip(&expected) {
            let anomalies: Vec<&str> =
                row["anomalies"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
            assert_eq!(anomalies, expected_anomalies(r, &runs), "anomalies of {} after {step}", r.run_id);
        }
    }
    // 14 runs, then t00 (started exactly 30 days back) leaves, then t01 to t03 do.
    assert_eq!(counts, [14, 13, 10]);
});
