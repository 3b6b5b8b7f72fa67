//! The demo dataset on both backends, and the server-rendered overview page.

use std::collections::BTreeMap;

use automation_runs::server::dataset::{demo_example_run_id, demo_lines};
use automation_runs::server::db::Store;
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::data::*;
use crate::harness::*;
use crate::oracle;

fn anchor() -> DateTime<Utc> {
    ts("2026-01-19T15:00:00Z")
}

fn parse_hms(s: &str) -> u64 {
    let p: Vec<u64> = s.split(':').map(|x| x.parse().unwrap()).collect();
    p[0] * 3600 + p[1] * 60 + p[2]
}

fn time(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str().map(ts)
}

/// The demo's runs, pending counts and balances, read back from its NDJSON.
struct DemoData {
    runs: Vec<TestRun>,
    pending: BTreeMap<i64, [u64; 7]>,
    balances: BTreeMap<i64, i64>,
    site_account: BTreeMap<i64, i64>,
}

fn read_demo(lines: &[String]) -> DemoData {
    let mut data =
        DemoData { runs: vec![], pending: BTreeMap::new(), balances: BTreeMap::new(), site_account: BTreeMap::new() };
    for line in lines {
        let v: Value = serde_json::from_str(line).unwrap();
        match v["kind"].as_str().unwrap() {
            "account" => {
                data.balances.insert(v["id"].as_i64().unwrap(), v["credit_balance"].as_i64().unwrap());
            }
            "site" => {
                data.site_account.insert(v["id"].as_i64().unwrap(), v["account_id"].as_i64().unwrap());
            }
            "run" => {
                let stages = std::array::from_fn(|i| {
                    let r = v.get(format!("stage_{}_result", i + 1)).filter(|r| !r.is_null())?;
                    let (input, output) = STAGE_FIELDS[i];
                    let n = |k: &str| r.get(k).and_then(Value::as_u64).unwrap_or(0);
                    Some(st(n(input), n(output), n("credits_used"), r["time_elapsed"].as_str().map_or(0, parse_hms)))
                });
                data.runs.push(TestRun {
                    site_id: v["site_id"].as_i64().unwrap(),
                    run_id: v["run_id"].as_str().unwrap().to_string(),
                    status: match v["status"].as_str().unwrap() {
                        "completed" => "completed",
                        "failed" => "failed",
                        "cancelled" => "cancelled",
                        "running" => "running",
                        "paused" => "paused",
                        other => panic!("status {other}"),
                    },
                    trigger: "manual",
                    current_stage: v["current_stage"].as_u64().unwrap() as u8,
                    started: time(&v["started_at"]).unwrap(),
                    completed: time(&v["completed_at"]),
                    paused: time(&v["paused_at"]),
                    cancelled: time(&v["cancelled_at"]),
                    total_credits: v["total_credits_used"].as_u64().unwrap(),
                    error: None,
                    stages,
                });
            }
            "pipeline" => {
                let c = &v;
                let n = |a: &str, b: &str| c[a][b].as_u64().unwrap_or(0);
                data.pending.insert(
                    v["site_id"].as_i64().unwrap(),
                    [
                        n("keywords", "new"),
                        n("clusters", "new"),
                        n("ideas", "new"),
                        n("tasks", "queued"),
                        n("content", "draft"),
                        n("image_prompts", "pending"),
                        n("content", "review"),
                    ],
                );
            }
            _ => {}
        }
    }
    data
}

backends_test!(demo_imports_cleanly_and_its_figures_hold, |store: Store| async move {
    let lines = demo_lines(anchor());
    let report = import_text(&store, &lines.join("\n"), false).await;
    assert!(report.committed, "{:?}", report.errors);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.accounts.inserted, 2);
    assert_eq!(report.sites.inserted, 4);
    assert_eq!(report.runs.inserted, 435);
    assert_eq!(report.pipelines.inserted, 4);
    assert_eq!(report.logs.inserted, 370);
    assert_eq!(count_rows(&store, "runs").await, 435);

    let data = read_demo(&lines);
    // The status table of the dataset's documentation.
    let count = |site: i64, status: &str| data.runs.iter().filter(|r| r.site_id == site && r.status == status).count();
    for (site_id, total, counts) in [
        (123, 200, [182, 9, 8, 1, 0]),
        (124, 130, [124, 3, 2, 0, 1]),
        (201, 100, [91, 2, 7, 0, 0]),
        (202, 5, [2, 2, 1, 0, 0]),
    ] {
        assert_eq!(data.runs.iter().filter(|r| r.site_id == site_id).count(), total);
        let got: Vec<usize> =
            ["completed", "failed", "cancelled", "running", "paused"].iter().map(|s| count(site_id, s)).collect();
        assert_eq!(got, counts, "site {site_id}");
    }

    // Each account sees its own sites only, so each is asked with its own token.
    let acme = TestApp::spawn_as(store.clone(), anchor(), Some(1)).await;
    let northwind = TestApp::spawn_as(store.clone(), anchor(), Some(2)).await;
    let app_of = |site_id: i64| if data.site_account[&site_id] == 1 { &acme } else { &northwind };
    for site_id in [123i64, 124, 201, 202] {
        let body = app_of(site_id).overview(site_id).await;
        let balance = data.balances[&data.site_account[&site_id]];
        let expected = oracle::prediction(&data.runs, site_id, data.pending[&site_id], balance);
        let p = &body["predictive_analysis"];
        assert_eq!(p["total_estimated_credits"].as_u64(), expected.total, "site {site_id}: {p}");
        assert_eq!(p["recommended_buffer"].as_u64(), expected.buffer, "site {site_id}");
        assert_eq!(p["is_sufficient"].as_bool(), expected.is_sufficient, "site {site_id}");
        for (i, (s, e)) in p["stages"].as_array().unwrap().iter().zip(&expected.stages).enumerate() {
            assert_eq!(s["estimated_credits"].as_u64(), e.credits, "site {site_id} stage {}", i + 1);
            assert_eq!(s["estimated_output"].as_u64(), e.output, "site {site_id} stage {}", i + 1);
        }
        let stats = oracle::stats(&data.runs, site_id, anchor());
        let s = &body["run_statistics"];
        assert_eq!(s["total_runs"].as_u64(), Some(stats.total_runs), "site {site_id}");
        assert_eq!(s["completed_runs"].as_u64(), Some(stats.completed_runs), "site {site_id}");
        assert_eq!(s["failed_runs"].as_u64(), Some(stats.failed_runs), "site {site_id}");
        assert_eq!(as_f64(&s["success_rate"]), stats.success_rate, "site {site_id}");
        assert_eq!(as_f64(&s["avg_credits_per_run"]), stats.avg_credits_per_run, "site {site_id}");
        assert_eq!(
            (s["runs_this_week"].as_u64(), s["runs_last_week"].as_u64()),
            (Some(stats.runs_this_week), Some(stats.runs_last_week))
        );
        assert_eq!(as_f64(&s["credits_trend"]), stats.credits_trend, "site {site_id}");
    }
    // The documented predictions.
    let total = |body: &Value| {
        (
            body["predictive_analysis"]["total_estimated_credits"].as_u64(),
            body["predictive_analysis"]["recommended_buffer"].as_u64(),
            body["predictive_analysis"]["is_sufficient"].as_bool(),
        )
    };
    assert_eq!(total(&acme.overview(123).await), (Some(617), Some(741), Some(true)));
    assert_eq!(total(&acme.overview(124).await), (Some(296), Some(356), Some(true)));
    assert_eq!(total(&northwind.overview(201).await), (Some(789), Some(947), Some(false)));
    assert_eq!(total(&northwind.overview(202).await), (None, None, None));
    let app = acme;

    // Run numbers of techblog.com follow started_at, although the example run came last.
    let mut techblog: Vec<&TestRun> = data.runs.iter().filter(|r| r.site_id == 123).collect();
    techblog.sort_by(|a, b| (a.started, &a.run_id).cmp(&(b.started, &b.run_id)));
    let mut listed = Vec::new();
    for page in [1, 2] {
        let h = app.history(123, &format!("&page={page}&page_size=100")).await;
        listed.extend(
            h["runs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| (r["run_number"].as_i64().unwrap(), r["run_id"].as_str().unwrap().to_string())),
        );
    }
    listed.reverse();
    let expected: Vec<(i64, String)> =
        techblog.iter().enumerate().map(|(i, r)| (i as i64 + 1, r.run_id.clone())).collect();
    assert_eq!(listed, expected);

    // The example run is the plan's.
    let example = demo_example_run_id(anchor());
    assert_eq!(example, PLAN_RUN_ID);
    let d = app.detail(&example).await;
    assert_eq!(d["run"]["total_credits_used"], 569);
    assert_eq!(d["run"]["duration_seconds"], 2301);
    assert_eq!(d["metrics"]["items_created"], 243);
    let shares: Vec<Option<f64>> =
        d["metrics"]["credit_shares"].as_array().unwrap().iter().map(|s| as_f64(&s["share_percent"])).collect();
    assert_eq!(shares, vec![Some(7.9), Some(21.1), Some(0.0), Some(54.5), Some(3.9), Some(12.7), Some(0.0)]);
    let example_run = data.runs.iter().find(|r| r.run_id == example).unwrap();
    assert_comparison_count(&d, &data.runs, example_run);
});

fn assert_comparison_count(d: &Value, runs: &[TestRun], target: &TestRun) {
    let (count, _) = oracle::comparison(runs, target);
    assert_eq!(d["comparison_runs"].as_u64(), Some(count as u64));
}

const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

async fn page(app: &TestApp, path: &str) -> (u16, Option<String>, String) {
    let response = app.get_raw(path).await;
    let status = response.status().as_u16();
    let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_string());
    (status, location, response.text().await.unwrap())
}

backends_test!(overview_page_renders_without_javascript, |store: Store| async move {
    import_ok(&store, &demo_lines(anchor())).await;
    let app = TestApp::spawn_as(store.clone(), anchor(), Some(1)).await;

    let response = app.get_raw("/automation/overview").await;
    assert_eq!(response.status().as_u16(), 200);
    let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
    assert!(content_type.as_deref().is_some_and(|c| c.starts_with("text/html")), "{content_type:?}");
    let html = response.text().await.unwrap();
    assert!(html.contains("techblog.com #"), "no techblog.com run title in the page:\n{html:.2000}");

    let (status, _, html) = page(&app, "/automation/overview?site_id=124").await;
    assert_eq!(status, 200);
    assert!(html.contains("recipesdaily.com #"), "no recipesdaily.com run title in the page");

    // A browser's request for / (it accepts text/html).
    let response = app
        .client
        .get(format!("{}/", app.base))
        .bearer_auth(app.token().await.unwrap())
        .header("accept", BROWSER_ACCEPT)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_string());
    assert!((300..400).contains(&status), "/ answered {status} (location {location:?})");
    assert!(location.as_deref().is_some_and(|l| l.ends_with("/automation/overview")), "location {location:?}");

    let (status, _, html) = page(&app, "/automation/overview?site_id=999999").await;
    assert_eq!(status, 404, "an unknown site on the page");
    assert!(html.contains("not found"), "the page says what was not found");

    let (status, _, _) = page(&app, "/no/such/page").await;
    assert_eq!(status, 404);
});

// `/` answered to a client that does not name text/html (curl, a link checker, a monitor):
// a redirect too, not a 200 with an empty page and a stray Location header.
backends_test!(root_redirects_every_client, |store: Store| async move {
    import_ok(&store, &[account(1, "Acme", 10)]).await;
    let app = TestApp::spawn(store.clone(), anchor()).await;
    let anonymous = http_client(false).get(format!("{}/", app.base)).send().await.unwrap();
    assert_eq!(anonymous.status().as_u16(), 303);
    assert_eq!(anonymous.headers()["location"], "/sign-in?next=%2F", "anonymous callers sign in first");
    for accept in [None, Some("*/*")] {
        let mut request = app.client.get(format!("{}/", app.base)).bearer_auth(app.token().await.unwrap());
        if let Some(a) = accept {
            request = request.header("accept", a);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_string());
        assert!(
            (300..400).contains(&status),
            "/ with Accept {accept:?} answered {status} (location {location:?}) instead of redirecting"
        );
        assert!(location.as_deref().is_some_and(|l| l.ends_with("/automation/overview")), "location {location:?}");
    }
});
