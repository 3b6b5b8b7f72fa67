//! The engine simulator (live-api.md, "The engine simulator") against the real app: it claims
//! the requests users file, answers them, and reports each run stage by stage until it ends;
//! it starts scheduled runs; and a simulator stopped mid-run leaves the run running for the
//! next one, which finishes it without writing anything twice.

use std::time::Duration;

use automation_runs::server::db::Store;
use automation_runs::server::simulate::{self, Options, Simulator, Speed};
use chrono::Duration as Span;
use serde_json::{json, Value};
use tokio::time::Instant;

use crate::data::*;
use crate::harness::*;

const SITE: i64 = 123;
const NO_HISTORY_SITE: i64 = 124;
/// Every stage of the history takes 60 s, so a run is ~7 minutes of engine time.
const STAGE: Stage = st(10, 12, 5, 60);

/// Account 1 with site 123 (three completed runs, one failed at stage 4) and site 124 (none).
fn history() -> Vec<String> {
    let day = |k: i64| fixed_now() - Span::days(k);
    let mut failed: Value = serde_json::from_str(
        &TestRun {
            error: Some("Task 3 timed out".into()),
            ..TestRun::unfinished(SITE, "run_failed", "failed", 4, day(1))
        }
        .line(),
    )
    .unwrap();
    for stage in 4..=7 {
        failed["initial_snapshot"][format!("stage_{stage}_initial")] = json!(10);
    }
    failed["completed_at"] = json!((day(1) + Span::minutes(5)).to_rfc3339());
    vec![
        one_line(PLAN_ACCOUNT),
        one_line(PLAN_SITE),
        site(NO_HISTORY_SITE, 1, "Recipes", "recipes.example"),
        TestRun::completed(SITE, "run_a", day(4), 420, [Some(STAGE); 7]).line(),
        TestRun::completed(SITE, "run_b", day(3), 420, [Some(STAGE); 7]).line(),
        TestRun::completed(SITE, "run_c", day(2), 420, [Some(STAGE); 7]).line(),
        failed.to_string(),
    ]
}

fn simulator(app: &TestApp, token: &str, speed: f64, schedule_every: Option<Duration>, sites: &[i64]) -> Simulator {
    let speed = Speed::new(speed).unwrap();
    let sites = sites.to_vec();
    // Runs that fail now and then would make the assertions a matter of luck.
    let options =
        Options { url: app.base.clone(), token: token.to_string(), speed, sites, schedule_every, failures: false };
    simulate::spawn(options).expect("simulator")
}

/// Polls `GET path` until `done` holds of its body (at most 20 s).
async fn poll(app: &TestApp, path: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, body) = app.get(path).await;
        if status == 200 && done(&body) {
            return body;
        }
        assert!(Instant::now() < deadline, "GET {path}: still {status} {body}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Files a request with `token` and returns its id.
async fn request(app: &TestApp, token: &str, body: Value) -> i64 {
    let response = app.client.post(app.url("/api/v1/automation/run_requests")).bearer_auth(token).json(&body).send();
    let response = response.await.unwrap();
    let status = response.status().as_u16();
    let created: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{created}");
    created["id"].as_i64().unwrap()
}

/// The request once the engine has answered it.
async fn answered(app: &TestApp, site_id: i64, id: i64) -> Value {
    let list = poll(app, &format!("/api/v1/automation/run_requests?site_id={site_id}"), |b| {
        b["requests"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == id && !["pending", "claimed"].contains(&r["state"].as_str().unwrap()))
    })
    .await;
    list["requests"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap().clone()
}

async fn finished(app: &TestApp, run_id: &str) -> Value {
    poll(app, &format!("/api/v1/automation/run_detail/?run_id={run_id}"), |d| {
        !["running", "paused"].contains(&d["run"]["status"].as_str().unwrap())
    })
    .await
}

async fn log_lines(app: &TestApp, run_id: &str) -> Vec<Value> {
    let response = app.get_raw(&format!("/api/v1/automation/runs/{run_id}/logs.ndjson")).await;
    assert_eq!(response.status().as_u16(), 200);
    response.text().await.unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn has_result(detail: &Value, stage: usize) -> bool {
    !detail["stages"][stage - 1]["result"].is_null()
}

backends_test!(the_simulator_runs_what_users_request, |store: Store| async move {
    import_ok(&store, &history()).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let token = app.ingest_token(1).await;
    let sim = simulator(&app, &token, 2000.0, None, &[]);

    // A site with nothing to draw figures from: rejected, with the reason.
    let id = request(&app, &token, json!({"site_id": NO_HISTORY_SITE, "kind": "run"})).await;
    let rejected = answered(&app, NO_HISTORY_SITE, id).await;
    assert_eq!(rejected["state"], "rejected", "{rejected}");
    assert!(rejected["reason"].as_str().unwrap().contains("no completed run"), "{rejected}");

    // A new run: claimed, started, reported stage by stage, completed.
    let id = request(&app, &token, json!({"site_id": SITE, "kind": "run"})).await;
    let started = answered(&app, SITE, id).await;
    assert_eq!(started["state"], "started", "{started}");
    let run_id = started["run_id"].as_str().unwrap().to_string();
    assert!(run_id.ends_with(&format!("_req{id}")), "{run_id}");
    let run = finished(&app, &run_id).await;
    assert_eq!(run["run"]["status"], "completed", "{run}");
    assert_eq!(run["run"]["trigger_type"], "manual");
    assert_eq!(run["run"]["site_id"], SITE);
    assert!((1..=7).all(|s| has_result(&run, s)), "{run}");
    let credits: u64 = (0..7).map(|i| run["stages"][i]["result"]["credits_used"].as_u64().unwrap()).sum();
    assert_eq!(run["run"]["total_credits_used"], credits);
    let logs = log_lines(&app, &run_id).await;
    let says = |text: &str| logs.iter().filter(|l| l["message"].as_str().unwrap().contains(text)).count();
    assert_eq!(says(&format!("(request {id}): a new run")), 1, "{logs:?}");
    for stage in 1..=7 {
        assert_eq!(says(&format!("Stage {stage} started")), 1, "{logs:?}");
        assert_eq!(says(&format!("Stage {stage} completed")), 1, "{logs:?}");
    }
    assert_eq!(says("Run completed: 7 of 7 stages"), 1);
    let history = app.history(SITE, "").await;
    assert_eq!(history["runs"][0]["run_id"], run_id.as_str(), "the newest run of the site");

    // A re-run works through the same snapshot.
    let id = request(&app, &token, json!({"site_id": SITE, "kind": "rerun", "source_run_id": run_id})).await;
    let rerun_id = answered(&app, SITE, id).await["run_id"].as_str().unwrap().to_string();
    let rerun = finished(&app, &rerun_id).await;
    assert_eq!(rerun["run"]["status"], "completed", "{rerun}");
    assert_eq!(rerun["initial_snapshot"], run["initial_snapshot"]);
    assert!(log_lines(&app, &rerun_id)
        .await
        .iter()
        .any(|l| l["message"].as_str().unwrap().ends_with(&format!("a re-run of run {run_id}"))));

    // A stage retry starts at the failed stage.
    let id = request(
        &app,
        &token,
        json!({"site_id": SITE, "kind": "retry_stage", "source_run_id": "run_failed", "stage": 4}),
    )
    .await;
    let retry_id = answered(&app, SITE, id).await["run_id"].as_str().unwrap().to_string();
    let retry = finished(&app, &retry_id).await;
    assert_eq!(retry["run"]["status"], "completed", "{retry}");
    assert!((1..=3).all(|s| !has_result(&retry, s)) && (4..=7).all(|s| has_result(&retry, s)), "{retry}");

    sim.stop().await.unwrap();
});

backends_test!(
    a_simulator_of_one_site_starts_its_scheduled_runs_and_takes_its_requests_only,
    |store: Store| async move {
        import_ok(&store, &history()).await;
        let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
        let token = app.ingest_token(1).await;
        let other = request(&app, &token, json!({"site_id": NO_HISTORY_SITE, "kind": "run"})).await;
        let sim = simulator(&app, &token, 2000.0, Some(Duration::from_secs(60)), &[SITE]);
        let page = poll(&app, &format!("/api/v1/automation/history/?site_id={SITE}&trigger_type=scheduled"), |h| {
            h["runs"][0]["started_at"].as_str().unwrap() > "2026-02-02" && h["runs"][0]["status"] == "completed"
        })
        .await;
        let run_id = page["runs"][0]["run_id"].as_str().unwrap().to_string();
        assert!(run_id.contains("_scheduled"), "{run_id}");
        let run = finished(&app, &run_id).await;
        assert!((1..=7).all(|s| has_result(&run, s)), "{run}");
        sim.stop().await.unwrap();
        assert_eq!(app.history(NO_HISTORY_SITE, "").await["pagination"]["total_count"], 0);
        let requests = app.get_ok(&format!("/api/v1/automation/run_requests?site_id={NO_HISTORY_SITE}")).await;
        assert_eq!(requests["requests"][0]["id"], other);
        assert_eq!(requests["requests"][0]["state"], "pending", "another site's request is left to its engine");
    }
);

backends_test!(a_stopped_simulators_run_is_finished_by_the_next_one, |store: Store| async move {
    import_ok(&store, &history()).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let token = app.ingest_token(1).await;
    // ~7 minutes of engine time in ~3 s.
    let first = simulator(&app, &token, 140.0, None, &[]);
    let id = request(&app, &token, json!({"site_id": SITE, "kind": "run"})).await;
    let run_id = answered(&app, SITE, id).await["run_id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/automation/run_detail/?run_id={run_id}");
    poll(&app, &path, |d| d["run"]["current_stage"].as_u64().unwrap() >= 3).await;
    first.stop().await.unwrap();

    let stopped = app.detail(&run_id).await;
    assert_eq!(stopped["run"]["status"], "running", "{stopped}");
    let stage = stopped["run"]["current_stage"].as_u64().unwrap() as usize;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(app.detail(&run_id).await["run"], stopped["run"], "nothing moves without a simulator");

    let second = simulator(&app, &token, 140.0, None, &[]);
    let done = finished(&app, &run_id).await;
    second.stop().await.unwrap();
    assert_eq!(done["run"]["status"], "completed", "{done}");
    for s in 1..stage {
        assert_eq!(done["stages"][s - 1]["result"], stopped["stages"][s - 1]["result"], "stage {s} was kept");
    }
    assert!((1..=7).all(|s| has_result(&done, s)), "{done}");
    let logs = log_lines(&app, &run_id).await;
    let says = |text: &str| logs.iter().filter(|l| l["message"].as_str().unwrap().contains(text)).count();
    assert_eq!(says(&format!("Engine restarted: stage {stage} starts again")), 1, "{logs:?}");
    for s in 1..=7 {
        assert_eq!(says(&format!("Stage {s} completed")), 1, "stage {s} reported once: {logs:?}");
    }
    assert_eq!(says("Run started"), 1);
    let request = answered(&app, SITE, id).await;
    assert_eq!((request["state"].as_str(), request["run_id"].as_str()), (Some("started"), Some(run_id.as_str())));
});
