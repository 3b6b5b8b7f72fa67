//! The live system (live-api.md): token scopes, `POST /api/v1/ingest`, and the site event
//! stream after ingest and after a command-line import, on one instance and on two instances
//! that share a PostgreSQL database.

use automation_runs::server::db::Store;
use chrono::Duration;
use serde_json::Value;

use crate::data::*;
use crate::harness::*;
use crate::sse::SseStream;

const SITE: i64 = 123;
const OTHER_SITE: i64 = 456;

/// Account 1 with site 123 (the plan's), account 2 with site 456.
fn two_accounts() -> Vec<String> {
    vec![
        one_line(PLAN_ACCOUNT),
        one_line(PLAN_SITE),
        account(2, "Other Co", 500),
        site(OTHER_SITE, 2, "Other", "other.example"),
    ]
}

/// The run `run_live` of site 123 at `stage` (running), or completed after stage 7.
fn live_run(stage: u8) -> TestRun {
    let started = fixed_now() - Duration::minutes(30);
    if stage > 7 {
        return TestRun::completed(SITE, "run_live", started, 1500, [Some(st(10, 10, 5, 60)); 7]);
    }
    TestRun::unfinished(SITE, "run_live", "running", stage, started)
}

async fn runs_of(store: &Store) -> i64 {
    count_rows(store, "runs").await
}

backends_test!(ingest_writes_once_and_the_same_body_changes_nothing, |store: Store| async move {
    import_ok(&store, &two_accounts()).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let token = app.ingest_token(1).await;
    let body = vec![one_line(PLAN_RUN), one_line(PLAN_PIPELINE), one_line(PLAN_LOG)];

    let first = app.ingest_ok(&token, &body).await;
    assert_eq!(first["inserted"]["runs"], 1, "{first}");
    assert_eq!(first["inserted"]["pipelines"], 1, "{first}");
    assert_eq!(first["inserted"]["logs"], 1, "{first}");
    let detail = app.detail(PLAN_RUN_ID).await;
    assert_eq!(detail["run"]["run_title"], "techblog.com #1");
    assert_eq!(detail["run"]["total_credits_used"], 569);

    let again = app.ingest_ok(&token, &body).await;
    for kind in ["accounts", "sites", "runs", "pipelines", "logs"] {
        assert_eq!(again["inserted"][kind], 0, "{kind}: {again}");
        assert_eq!(again["updated"][kind], 0, "{kind}: {again}");
    }
    assert_eq!(again["unchanged"]["runs"], 1);
    assert_eq!(app.detail(PLAN_RUN_ID).await, detail);
});

backends_test!(a_running_runs_newest_record_replaces_its_state, |store: Store| async move {
    import_ok(&store, &two_accounts()).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let token = app.ingest_token(1).await;

    app.ingest_ok(&token, &[live_run(2).line()]).await;
    let d = app.detail("run_live").await;
    assert_eq!((d["run"]["status"].as_str(), d["run"]["current_stage"].as_i64()), (Some("running"), Some(2)));
    assert_eq!(d["live"]["credits_so_far"], 5);

    let updated = app.ingest_ok(&token, &[live_run(5).line()]).await;
    assert_eq!((updated["inserted"]["runs"].as_i64(), updated["updated"]["runs"].as_i64()), (Some(0), Some(1)));
    let d = app.detail("run_live").await;
    assert_eq!(d["run"]["current_stage"], 5);
    assert_eq!(d["run"]["total_credits_used"], 20);
    assert_eq!(d["live"]["credits_so_far"], 20);
    assert_eq!(d["run"]["run_number"], 1, "a run keeps its number while it runs");

    app.ingest_ok(&token, &[live_run(8).line()]).await;
    let d = app.detail("run_live").await;
    assert_eq!(d["run"]["status"], "completed");
    assert_eq!(d["live"], Value::Null);
    let history = app.history(SITE, "").await;
    assert_eq!(history["pagination"]["total_count"], 1);
    let completed = app.history(SITE, "&status=completed").await;
    assert_eq!(completed["pagination"]["total_count"], 1, "the counts follow the run's status");
    let running = app.history(SITE, "&status=running").await;
    assert_eq!(running["pagination"]["total_count"], 0);
});

// Engines report runs of one site at the same time: each record moves the site's count rows.
// On PostgreSQL, updates once took no site lock and moved those rows in any order, and two
// transactions deadlocked (a 500) within a few hundred requests.
backends_test!(engines_reporting_runs_of_one_site_at_once_all_succeed, |store: Store| async move {
    import_ok(&store, &two_accounts()).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let token = app.ingest_token(1).await;
    let (app, token) = (&app, &token);
    const ENGINES: i64 = 8;
    let engine = |n: i64| async move {
        let id = format!("run_engine_{n}");
        let started = fixed_now() - Duration::hours(2) + Duration::minutes(n);
        // Every record moves the run between running and paused: two count rows each time.
        for round in 0..3 {
            for stage in 1..=7u8 {
                let status = if (round + stage) % 2 == 0 { "paused" } else { "running" };
                app.ingest_ok(token, &[TestRun::unfinished(SITE, &id, status, stage, started).line()]).await;
            }
        }
        app.ingest_ok(token, &[TestRun::completed(SITE, &id, started, 600, [Some(st(10, 10, 5, 60)); 7]).line()]).await;
    };
    futures_util::future::join_all((1..=ENGINES).map(engine)).await;

    let completed = app.history(SITE, "&status=completed").await;
    assert_eq!(completed["pagination"]["total_count"], ENGINES, "the counts add up");
    for status in ["running", "paused"] {
        let h = app.history(SITE, &format!("&status={status}")).await;
        assert_eq!(h["pagination"]["total_count"], 0, "{status}");
    }
    let mut numbers: Vec<i64> =
        completed["runs"].as_array().unwrap().iter().map(|r| r["run_number"].as_i64().unwrap()).collect();
    numbers.sort();
    assert_eq!(numbers, (1..=ENGINES).collect::<Vec<_>>());
});

backends_test!(ingest_refuses_bad_requests_and_writes_nothing, |store: Store| async move {
    import_ok(&store, &two_accounts()).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let token = app.ingest_token(1).await;
    let read_token = app.token().await.expect("read token").to_string();
    let run = live_run(3).line();
    let events_before = count_rows(&store, "events").await;

    let (status, body) = app.post_ingest(Some(&token), "application/json", run.clone()).await;
    assert_eq!((status, body["error"]["code"].as_str()), (415, Some("unsupported_media_type")), "{body}");

    let bad = format!("{run}\n{{\"kind\":\"run\",\"site_id\":123}}\nnot json");
    let (status, body) = app.post_ingest(Some(&token), "application/x-ndjson", bad).await;
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("invalid_records")), "{body}");
    let lines: Vec<i64> = body["lines"].as_array().unwrap().iter().map(|l| l["line"].as_i64().unwrap()).collect();
    assert_eq!(lines, [2, 3], "{body}");
    assert!(body["lines"][0]["reason"].as_str().is_some_and(|r| !r.is_empty()));

    let other_site = TestRun::unfinished(OTHER_SITE, "run_theirs", "running", 2, fixed_now()).line();
    let (status, body) = app.post_ingest(Some(&token), "application/x-ndjson", format!("{run}\n{other_site}")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")), "{body}");

    let (status, body) =
        app.post_ingest(Some(&token), "application/x-ndjson", format!("{run}\n{}", account(2, "X", 9))).await;
    assert_eq!((status, body["error"]["code"].as_str()), (403, Some("forbidden")), "{body}");

    let (status, body) = app.post_ingest(Some(&read_token), "application/x-ndjson", run.clone()).await;
    assert_eq!((status, body["error"]["code"].as_str()), (403, Some("forbidden")), "{body}");
    let (status, _) = app.post_ingest(None, "application/x-ndjson", run.clone()).await;
    assert_eq!(status, 401);

    let huge = format!("{run}\n{}", " ".repeat(8 * 1024 * 1024));
    let (status, body) = app.post_ingest(Some(&token), "application/x-ndjson", huge).await;
    assert_eq!((status, body["error"]["code"].as_str()), (413, Some("payload_too_large")), "{body}");

    assert_eq!(runs_of(&store).await, 0, "nothing may have been written");
    assert_eq!(count_rows(&store, "events").await, events_before, "nothing may have been announced");

    // Another account's run, sent as if it were ours: 404, and it stays theirs.
    import_ok(&store, std::slice::from_ref(&other_site)).await;
    let hijack = TestRun::unfinished(SITE, "run_theirs", "running", 3, fixed_now()).line();
    let (status, body) = app.post_ingest(Some(&token), "application/x-ndjson", hijack).await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")), "{body}");
    let theirs = TestApp::spawn_as(store.clone(), fixed_now(), Some(2)).await;
    assert_eq!(theirs.detail("run_theirs").await["run"]["site_id"], OTHER_SITE);

    // A run of ours may not move to another site of ours.
    import_ok(&store, &[site(124, 1, "Second", "second.example")]).await;
    app.ingest_ok(&token, std::slice::from_ref(&run)).await;
    let mut moved = live_run(3);
    moved.site_id = 124;
    let (status, body) = app.post_ingest(Some(&token), "application/x-ndjson", moved.line()).await;
    assert_eq!((status, body["lines"][0]["line"].as_i64()), (400, Some(1)), "{body}");
    assert_eq!(app.detail("run_live").await["run"]["site_id"], SITE);
});

backends_test!(read_tokens_read_and_ingest_tokens_also_write, |store: Store| async move {
    import_ok(&store, &two_accounts()).await;
    import_ok(&store, &[one_line(PLAN_RUN)]).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    app.token().await.expect("read token");
    let ingest = app.ingest_token(1).await;
    for path in ["/api/v1/automation/sites/", "/api/v1/automation/overview_stats/?site_id=123"] {
        let (status, _) = app.get(path).await;
        assert_eq!(status, 200, "read token on {path}");
        let response = app.client.get(app.url(path)).bearer_auth(&ingest).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200, "ingest token on {path}");
    }
    let listed = app.auth.tokens(Some(1)).await.unwrap();
    let scopes: Vec<&str> = listed.iter().map(|t| t.scope.as_str()).collect();
    assert_eq!(scopes, ["read", "ingest"]);
});

backends_test!(events_follow_ingest_and_replay_after_a_reconnect, |store: Store| async move {
    import_ok(&store, &two_accounts()).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let token = app.ingest_token(1).await;
    let read = app.token().await.unwrap().to_string();

    let (status, _) = SseStream::open(&app.base, OTHER_SITE, &read, None).await;
    assert_eq!(status, 404, "another account's site is not found");
    let (status, _) = SseStream::open(&app.base, 999, &read, None).await;
    assert_eq!(status, 404);

    let (_, stream) = SseStream::open(&app.base, SITE, &read, None).await;
    let mut stream = stream.unwrap();
    app.ingest_ok(&token, &[live_run(2).line()]).await;
    let first = stream.next_named("run").await;
    assert_eq!(first.data["run_id"], "run_live");
    assert_eq!(first.data["site_id"], SITE);
    assert_eq!(first.data["run_number"], 1);
    assert_eq!(first.data["status"], "running");
    assert_eq!(first.data["current_stage"], 2);
    assert_eq!(first.data["total_credits_used"], 5);
    let first_id = first.id.clone().expect("events carry an id");

    app.ingest_ok(&token, &[live_run(4).line(), account(1, "Acme Media", 1000)]).await;
    let run = stream.next_named("run").await;
    assert_eq!(run.data["current_stage"], 4);
    let balance = stream.next_named("account").await;
    assert_eq!(balance.data["credit_balance"], 1000);

    // The same body again changes nothing, so it announces nothing.
    app.ingest_ok(&token, &[live_run(4).line()]).await;
    app.ingest_ok(&token, &[pipeline(SITE, fixed_now(), [1; 7], [0; 3])]).await;
    let next = stream.next().await.expect("an event");
    assert_eq!(next.event, "pipeline", "an unchanged record must not be announced: {next:?}");

    // Reconnecting after the first event replays the rest, in order.
    let (_, again) = SseStream::open(&app.base, SITE, &read, Some(&first_id)).await;
    let mut again = again.unwrap();
    let names: Vec<String> = [again.next().await, again.next().await, again.next().await]
        .into_iter()
        .map(|e| e.expect("replayed").event)
        .collect();
    assert_eq!(names, ["run", "account", "pipeline"]);

    // An id this database never gave cannot be replayed from: resync.
    let (_, lost) = SseStream::open(&app.base, SITE, &read, Some("999999")).await;
    assert_eq!(lost.unwrap().next().await.expect("resync").event, "resync");
    let (_, garbage) = SseStream::open(&app.base, SITE, &read, Some("yesterday")).await;
    assert_eq!(garbage.unwrap().next().await.expect("resync").event, "resync");
});

backends_test!(a_command_line_import_reaches_the_streams, |store: Store| async move {
    import_ok(&store, &two_accounts()).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let read = app.token().await.unwrap().to_string();
    let (_, stream) = SseStream::open(&app.base, SITE, &read, None).await;
    let mut stream = stream.unwrap();
    // Written past the server, as `automation-runs import` in another process writes: SQLite
    // is polled, PostgreSQL announces by NOTIFY.
    import_ok(&store, &[live_run(3).line()]).await;
    let e = stream.next_named("run").await;
    assert_eq!((e.data["run_id"].as_str(), e.data["current_stage"].as_i64()), (Some("run_live"), Some(3)));
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_database_hear_each_other() {
    let Some(db) = TestDb::postgres().await else { return };
    import_ok(&db.store, &two_accounts()).await;
    let second_store = Store::connect(&db.url, 4).await.expect("second instance's store");
    let writer = TestApp::spawn_as(db.store.clone(), fixed_now(), Some(1)).await;
    let reader = TestApp::spawn_as(second_store.clone(), fixed_now(), Some(1)).await;
    let token = writer.ingest_token(1).await;
    let read = reader.token().await.unwrap().to_string();

    let (_, stream) = SseStream::open(&reader.base, SITE, &read, None).await;
    let mut stream = stream.unwrap();
    app_ingest_stages(&writer, &token, &mut stream).await;
    for path in ["/api/v1/automation/overview_stats/?site_id=123", "/api/v1/automation/run_detail/?run_id=run_live"] {
        assert_eq!(writer.get_ok(path).await, reader.get_ok(path).await, "{path} differs between instances");
    }
    drop((writer, reader));
    second_store.close().await;
    db.cleanup().await;
}

/// Ingests the run stage by stage on one instance; each step must reach the other's stream.
async fn app_ingest_stages(writer: &TestApp, token: &str, stream: &mut SseStream) {
    for stage in 1..=8 {
        writer.ingest_ok(token, &[live_run(stage).line()]).await;
        let e = stream.next_named("run").await;
        let expected = if stage > 7 { "completed" } else { "running" };
        assert_eq!(e.data["status"], expected, "after stage {stage}: {e:?}");
    }
}
