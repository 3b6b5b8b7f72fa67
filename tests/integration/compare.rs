//! Two runs side by side (metrics.md, "Where the figures beyond the plan are served"):
//! the shape, diffs of b against a written out by hand, runs of two sites of one account, the
//! same run twice, and ids that are unknown, malformed or another account's.

use automation_runs::server::db::Store;
use chrono::Duration;
use serde_json::{json, Value};

use crate::data::*;
use crate::harness::*;

async fn two_accounts(store: &Store) {
    let t = fixed_now() - Duration::days(2);
    let a = [
        Some(st(10, 2, 20, 60)),
        Some(st(2, 8, 40, 120)),
        Some(st(8, 8, 0, 10)),
        Some(st(8, 8, 300, 900)),
        None,
        None,
        None,
    ];
    let b = [
        Some(st(12, 3, 30, 60)),
        Some(st(3, 9, 40, 90)),
        Some(st(9, 9, 5, 10)),
        Some(st(9, 6, 200, 1000)),
        Some(st(6, 12, 10, 30)),
        None,
        None,
    ];
    let lines = vec![
        account(1, "First Media", 100),
        account(2, "Second Media", 100),
        site(11, 1, "Own", "own.example"),
        site(12, 1, "Own Two", "own-two.example"),
        site(21, 2, "Other", "other.example"),
        TestRun::completed(11, "run_a", t, 1090, a).line(),
        TestRun::completed(12, "run_b", t + Duration::hours(1), 1190, b).line(),
        TestRun::completed(21, "run_other", t, 60, [Some(st(2, 1, 3, 10)); 7]).line(),
    ];
    import_ok(store, &lines).await;
}

backends_test!(compare_gives_b_against_a_per_stage, |store: Store| async move {
    two_accounts(&store).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let body = app.get_ok("/api/v1/automation/compare?a=run_a&b=run_b").await;

    let keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["a", "b", "stages"]);
    // The runs as run_detail names them, from two sites of the account.
    let detail_a = app.detail("run_a").await;
    assert_eq!(body["a"], detail_a["run"]);
    assert_eq!(body["b"]["run_id"], "run_b");
    assert_eq!(body["b"]["site_id"], 12);

    let stages = body["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 7);
    let figures = |c: u64, o: u64, s: u64| json!({"credits": c, "output": o, "seconds": s});
    let expected = [
        // stage, a, b, credits %, output %, seconds %
        (1, figures(20, 2, 60), figures(30, 3, 60), json!(50.0), json!(50.0), json!(0.0)),
        (2, figures(40, 8, 120), figures(40, 9, 90), json!(0.0), json!(12.5), json!(-25.0)),
        // a used no credits on stage 3: no percent change from 0.
        (3, figures(0, 8, 10), figures(5, 9, 10), Value::Null, json!(12.5), json!(0.0)),
        // (200 − 300) / 300 = −33.3 %; (6 − 8) / 8 = −25 %; (1000 − 900) / 900 = 11.1 %.
        (4, figures(300, 8, 900), figures(200, 6, 1000), json!(-33.3), json!(-25.0), json!(11.1)),
        // Only b ran stage 5.
        (5, Value::Null, figures(10, 12, 30), Value::Null, Value::Null, Value::Null),
        (6, Value::Null, Value::Null, Value::Null, Value::Null, Value::Null),
        (7, Value::Null, Value::Null, Value::Null, Value::Null, Value::Null),
    ];
    for (stage, (n, a, b, credits, output, seconds)) in stages.iter().zip(expected) {
        let keys: Vec<&str> = stage.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["stage", "a", "b", "credits_diff_percent", "output_diff_percent", "seconds_diff_percent"]);
        assert_eq!(stage["stage"], n);
        assert_eq!(stage["a"], a, "stage {n}");
        assert_eq!(stage["b"], b, "stage {n}");
        assert_eq!(stage["credits_diff_percent"], credits, "stage {n}");
        assert_eq!(stage["output_diff_percent"], output, "stage {n}");
        assert_eq!(stage["seconds_diff_percent"], seconds, "stage {n}");
    }
});

backends_test!(the_same_run_twice_differs_by_nothing, |store: Store| async move {
    two_accounts(&store).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let body = app.get_ok("/api/v1/automation/compare/?a=run_b&b=run_b").await;
    assert_eq!(body["a"], body["b"]);
    for stage in body["stages"].as_array().unwrap() {
        assert_eq!(stage["a"], stage["b"]);
        if stage["a"].is_null() {
            continue;
        }
        for (figure, diff) in [
            ("credits", "credits_diff_percent"),
            ("output", "output_diff_percent"),
            ("seconds", "seconds_diff_percent"),
        ] {
            let expected = if stage["a"][figure] == 0 { Value::Null } else { json!(0.0) };
            assert_eq!(stage[diff], expected, "{stage}");
        }
    }
});

backends_test!(compare_refuses_other_accounts_unknown_and_malformed_ids, |store: Store| async move {
    two_accounts(&store).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    // Another account's run is not found, exactly like a run that does not exist.
    for (query, missing) in [
        ("a=run_a&b=run_other", "run_other"),
        ("a=run_other&b=run_a", "run_other"),
        ("a=run_a&b=run_missing", "run_missing"),
        ("a=run_missing&b=run_missing", "run_missing"),
    ] {
        let (status, body) = app.get(&format!("/api/v1/automation/compare?{query}")).await;
        assert_eq!(status, 404, "{query}: {body}");
        assert_eq!(body["error"]["code"], "not_found");
        assert_eq!(body["error"]["message"], format!("Run {missing} not found"));
    }
    for query in ["a=run_a", "b=run_a", "", "a=&b=run_a", "a=run%20a&b=run_a", "a=run_a&b=%00"] {
        let (status, body) = app.get(&format!("/api/v1/automation/compare?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"]["code"], "bad_request");
    }
    // The other account sees its own run, and not ours.
    let other = TestApp::spawn_as(store.clone(), fixed_now(), Some(2)).await;
    other.get_ok("/api/v1/automation/compare?a=run_other&b=run_other").await;
    assert_eq!(other.get("/api/v1/automation/compare?a=run_other&b=run_a").await.0, 404);
});

backends_test!(the_compare_page_data_has_both_runs_whole, |store: Store| async move {
    two_accounts(&store).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let session = app.signed_in_client(1, "compare@first.example").await;
    let response = session.get(app.url("/sfn/get_compare?a=run_a&b=run_b")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let view: Value = response.json().await.unwrap();
    assert_eq!(view["comparison"], app.get_ok("/api/v1/automation/compare?a=run_a&b=run_b").await);
    assert_eq!(view["a"], app.detail("run_a").await);
    assert_eq!(view["b"]["run"]["run_id"], "run_b");
    let response = session.get(app.url("/sfn/get_compare?a=run_a&b=run_other")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 404);
});
