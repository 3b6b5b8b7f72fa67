//! The run history: pagination, order, and the status of each stage within a run.

use automation_runs::server::db::Store;
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::data::*;
use crate::harness::*;

const SITE: i64 = 60;
const DOMAIN: &str = "history.example";

fn start(i: i64) -> DateTime<Utc> {
    fixed_now() - Duration::days(40) + Duration::hours(12 * i)
}

/// 47 runs: 41 plain completed ones, then six special ones, all in started_at order.
fn history_runs() -> Vec<TestRun> {
    let mut runs: Vec<TestRun> = (0..41)
        .map(|i| TestRun::completed(SITE, &format!("h{i:02}"), start(i), 600 + i, [Some(st(5, 4, 3, 60)); 7]))
        .collect();
    let mut failed = TestRun::unfinished(SITE, "z_failed", "failed", 5, start(41));
    failed.completed = Some(start(41) + Duration::seconds(900));
    failed.error = Some("Image prompt generation failed: upstream model returned 503 after 3 retries".into());
    let mut cancelled = TestRun::unfinished(SITE, "z_cancelled", "cancelled", 4, start(42));
    cancelled.cancelled = Some(start(42) + Duration::seconds(321));
    let failed_open = TestRun::unfinished(SITE, "z_failed_open", "failed", 2, start(43));
    let mut skipped = TestRun::completed(SITE, "z_skipped", start(44), 777, [Some(st(5, 4, 3, 60)); 7]);
    skipped.stages[2] = None;
    let mut paused = TestRun::unfinished(SITE, "z_paused", "paused", 3, start(45));
    paused.paused = Some(start(45) + Duration::seconds(50));
    let running = TestRun::unfinished(SITE, "z_running", "running", 4, fixed_now() - Duration::minutes(30));
    runs.extend([failed, cancelled, failed_open, skipped, paused, running]);
    runs
}

async fn setup(store: &Store) -> (TestApp, Vec<TestRun>) {
    let runs = history_runs();
    let mut lines = vec![account(6, "History Ltd", 10), site(SITE, 6, "History", DOMAIN)];
    lines.extend(runs.iter().map(TestRun::line));
    import_ok(store, &lines).await;
    (TestApp::spawn(store.clone(), fixed_now()).await, runs)
}

fn numbers(page: &Value) -> Vec<i64> {
    page["runs"].as_array().unwrap().iter().map(|r| r["run_number"].as_i64().unwrap()).collect()
}

fn pagination(page: &Value) -> (u64, u64, u64, u64) {
    let p = &page["pagination"];
    (
        p["page"].as_u64().unwrap(),
        p["page_size"].as_u64().unwrap(),
        p["total_count"].as_u64().unwrap(),
        p["total_pages"].as_u64().unwrap(),
    )
}

backends_test!(pagination_is_newest_first, |store: Store| async move {
    let (app, runs) = setup(&store).await;

    let first = app.history(SITE, "").await;
    assert_eq!(pagination(&first), (1, 20, 47, 3), "default page: {}", first["pagination"]);
    assert_eq!(numbers(&first), (28..=47).rev().collect::<Vec<_>>());
    assert_eq!(first["runs"][0]["run_id"], "z_running");
    assert_eq!(first["runs"][0]["run_title"], format!("{DOMAIN} #47"));
    assert_eq!(first["site"]["id"], SITE);

    let third = app.history(SITE, "&page=3").await;
    assert_eq!(pagination(&third), (3, 20, 47, 3));
    assert_eq!(numbers(&third), (1..=7).rev().collect::<Vec<_>>());
    assert_eq!(third["runs"][6]["run_id"], "h00");

    let past_the_end = app.history(SITE, "&page=4").await;
    assert_eq!(numbers(&past_the_end), Vec::<i64>::new());
    assert_eq!(pagination(&past_the_end), (4, 20, 47, 3));

    let all = app.history(SITE, "&page_size=100").await;
    assert_eq!(pagination(&all), (1, 100, 47, 1));
    assert_eq!(numbers(&all), (1..=47).rev().collect::<Vec<_>>());
    let started: Vec<DateTime<Utc>> =
        all["runs"].as_array().unwrap().iter().map(|r| ts(r["started_at"].as_str().unwrap())).collect();
    assert!(started.windows(2).all(|w| w[0] > w[1]), "newest first by started_at");
    let ids: Vec<&str> = all["runs"].as_array().unwrap().iter().map(|r| r["run_id"].as_str().unwrap()).collect();
    let mut expected_ids: Vec<&str> = runs.iter().map(|r| r.run_id.as_str()).collect();
    expected_ids.reverse();
    assert_eq!(ids, expected_ids);

    let second_of_ten = app.history(SITE, "&page=2&page_size=10").await;
    assert_eq!(pagination(&second_of_ten), (2, 10, 47, 5));
    assert_eq!(numbers(&second_of_ten), (28..=37).rev().collect::<Vec<_>>());

    let last_single = app.history(SITE, "&page=47&page_size=1").await;
    assert_eq!(numbers(&last_single), vec![1]);
    assert_eq!(pagination(&last_single).3, 47);

    // Without the trailing slash too.
    let (status, _) = app.get(&format!("/api/v1/automation/history?site_id={SITE}")).await;
    assert_eq!(status, 200);
});

fn row<'a>(all: &'a Value, run_id: &str) -> &'a Value {
    all["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["run_id"] == run_id)
        .unwrap_or_else(|| panic!("{run_id} not listed"))
}

fn statuses(r: &Value) -> Vec<&str> {
    r["stage_statuses"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect()
}

backends_test!(stage_statuses_and_durations, |store: Store| async move {
    let (app, runs) = setup(&store).await;
    let all = app.history(SITE, "&page_size=100").await;
    let find = |id: &str| runs.iter().find(|r| r.run_id == id).unwrap().clone();

    let failed = row(&all, "z_failed");
    assert_eq!(failed["status"], "failed");
    assert_eq!(statuses(failed), ["completed", "completed", "completed", "completed", "failed", "skipped", "skipped"]);
    assert_eq!((failed["stages_completed"].as_u64(), failed["stages_failed"].as_u64()), (Some(4), Some(1)));
    assert_eq!(failed["failed_stage"], 5);
    assert_eq!(failed["current_stage"], 5);
    assert_eq!(failed["duration_seconds"], 900);

    let cancelled = row(&all, "z_cancelled");
    assert_eq!(
        statuses(cancelled),
        ["completed", "completed", "completed", "cancelled", "skipped", "skipped", "skipped"]
    );
    assert_eq!((cancelled["stages_completed"].as_u64(), cancelled["stages_failed"].as_u64()), (Some(3), Some(0)));
    assert!(cancelled["failed_stage"].is_null());
    assert_eq!(cancelled["duration_seconds"], 321, "cancelled_at − started_at");
    assert!(cancelled["completed_at"].is_null());

    let failed_open = row(&all, "z_failed_open");
    assert_eq!(statuses(failed_open), ["completed", "failed", "skipped", "skipped", "skipped", "skipped", "skipped"]);
    let open_start = find("z_failed_open").started;
    assert_eq!(
        failed_open["duration_seconds"].as_i64(),
        Some((fixed_now() - open_start).num_seconds()),
        "now − started_at"
    );

    let skipped = row(&all, "z_skipped");
    assert_eq!(
        statuses(skipped),
        ["completed", "completed", "skipped", "completed", "completed", "completed", "completed"]
    );
    assert_eq!(skipped["stages_completed"], 6);
    assert_eq!(skipped["duration_seconds"], 777);

    let paused = row(&all, "z_paused");
    assert_eq!(statuses(paused), ["completed", "completed", "paused", "pending", "pending", "pending", "pending"]);
    assert_eq!((paused["stages_completed"].as_u64(), paused["stages_failed"].as_u64()), (Some(2), Some(0)));
    let paused_start = find("z_paused").started;
    assert_eq!(
        paused["duration_seconds"].as_i64(),
        Some((fixed_now() - paused_start).num_seconds()),
        "a paused run: now − started_at"
    );

    let running = row(&all, "z_running");
    assert_eq!(statuses(running), ["completed", "completed", "completed", "running", "pending", "pending", "pending"]);
    assert_eq!(running["duration_seconds"], 1800, "a running run lasts until now");

    let plain = row(&all, "h07");
    assert_eq!(plain["duration_seconds"], 607);
    assert_eq!(plain["total_credits_used"], 21);
    assert_eq!(plain["summary"]["items_processed"], 35);
    assert_eq!(plain["summary"]["items_created"], 24, "Σ outputs of stages 1 to 6");
    assert_eq!(plain["initial_snapshot"]["total_initial_items"], 35);
    assert_eq!(plain["trigger_type"], "scheduled");
    assert_eq!(plain["stages_completed"], 7);
});
