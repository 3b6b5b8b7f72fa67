//! Run requests (live-api.md, "Run requests"): every state a request moves through, the
//! engine's claim and answers, the errors the spec names, a claim race, lapsed claims with a
//! moved clock, and the pages' form (double submit included), on both backends.

use automation_runs::server::db::Store;
use chrono::Duration;
use serde_json::{json, Value};

use crate::data::*;
use crate::harness::*;
use crate::sse::SseStream;

const SITE: i64 = 123;
const OTHER_SITE: i64 = 456;
const FAILED_RUN: &str = "run_failed_at_4";
const OTHER_RUN: &str = "run_of_other_account";

/// Account 1 (site 123: the plan's completed run and a run failed at stage 4), account 2 (site
/// 456 with a completed run).
fn history() -> Vec<String> {
    let mut failed = TestRun::unfinished(SITE, FAILED_RUN, "failed", 4, fixed_now() - Duration::hours(2));
    failed.error = Some("stage 4: the writer timed out".into());
    vec![
        one_line(PLAN_ACCOUNT),
        one_line(PLAN_SITE),
        one_line(PLAN_RUN),
        failed.line(),
        account(2, "Other Co", 500),
        site(OTHER_SITE, 2, "Other", "other.example"),
        TestRun::completed(OTHER_SITE, OTHER_RUN, fixed_now() - Duration::hours(3), 600, [Some(st(4, 4, 2, 60)); 7])
            .line(),
    ]
}

async fn post(app: &TestApp, token: Option<&str>, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = app.client.post(app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap_or_else(|e| panic!("POST {path}: {e}"));
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("POST {path}: {status}, not JSON ({e}): {text:.300}"))
    };
    (status, value)
}

async fn request_run(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    post(app, Some(token), "/api/v1/automation/run_requests", Some(body)).await
}

async fn claim(app: &TestApp, token: &str) -> (u16, Value) {
    post(app, Some(token), "/api/v1/engine/run_requests/claim", None).await
}

async fn answer(app: &TestApp, token: &str, id: i64, what: &str, body: Value) -> (u16, Value) {
    post(app, Some(token), &format!("/api/v1/engine/run_requests/{id}/{what}"), Some(body)).await
}

fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_else(|| panic!("no error code in {body}"))
}

backends_test!(a_request_moves_from_pending_to_started, |store: Store| async move {
    import_ok(&store, &history()).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let engine = app.ingest_token(1).await;
    let (_, stream) = SseStream::open(&app.base, SITE, &engine, None).await;
    let mut stream = stream.expect("event stream");

    let (status, filed) =
        request_run(&app, &engine, json!({"site_id": SITE, "kind": "rerun", "source_run_id": PLAN_RUN_ID})).await;
    assert_eq!(status, 201, "{filed}");
    assert_eq!(filed["state"], "pending");
    assert_eq!(filed["kind"], "rerun");
    assert_eq!(filed["source_run_id"], PLAN_RUN_ID);
    assert_eq!(filed["stage"], Value::Null);
    assert_eq!(filed["run_id"], Value::Null);
    assert_eq!(filed["reason"], Value::Null);
    assert_eq!(filed["requested_by"], "API token engine");
    assert_eq!(filed["requested_at"], fixed_now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    assert_eq!(filed["estimate"]["current_balance"], 1250);
    let id = filed["id"].as_i64().unwrap();
    let event = stream.next_named("request").await;
    assert_eq!(event.data, json!({"id": id, "site_id": SITE, "state": "pending"}));

    // One run at a time per site: any second request conflicts while this one is open.
    let (status, body) = request_run(&app, &engine, json!({"site_id": SITE, "kind": "run"})).await;
    assert_eq!((status, code(&body)), (409, "conflict"), "{body}");

    let (status, claimed) = claim(&app, &engine).await;
    assert_eq!(status, 200, "{claimed}");
    assert_eq!((claimed["id"].as_i64(), claimed["state"].as_str()), (Some(id), Some("claimed")));
    assert_eq!(stream.next_named("request").await.data, json!({"id": id, "site_id": SITE, "state": "claimed"}));
    assert_eq!(claim(&app, &engine).await.0, 204, "nothing else is pending");

    let (status, started) = answer(&app, &engine, id, "started", json!({"run_id": "run_from_request"})).await;
    assert_eq!(status, 200, "{started}");
    assert_eq!((started["state"].as_str(), started["run_id"].as_str()), (Some("started"), Some("run_from_request")));
    assert_eq!(stream.next_named("request").await.data, json!({"id": id, "site_id": SITE, "state": "started"}));
    // The engine retrying after a lost answer changes nothing; another answer conflicts.
    let (status, again) = answer(&app, &engine, id, "started", json!({"run_id": "run_from_request"})).await;
    assert_eq!((status, &again), (200, &started));
    let (status, body) = answer(&app, &engine, id, "started", json!({"run_id": "run_other"})).await;
    assert_eq!((status, code(&body)), (409, "conflict"), "{body}");
    let (status, body) = answer(&app, &engine, id, "rejected", json!({"reason": "changed my mind"})).await;
    assert_eq!((status, code(&body)), (409, "conflict"), "{body}");

    // The run it started is running: still one run at a time.
    let mut run = TestRun::unfinished(SITE, "run_from_request", "running", 2, fixed_now());
    run.trigger = "manual";
    app.ingest_ok(&engine, &[run.line()]).await;
    let (status, body) = request_run(&app, &engine, json!({"site_id": SITE, "kind": "run"})).await;
    assert_eq!((status, code(&body)), (409, "conflict"), "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("run_from_request"), "{body}");

    // Once it has finished, the site takes requests again, and the list has both, newest first.
    app.ingest_ok(
        &engine,
        &[TestRun::completed(SITE, "run_from_request", fixed_now(), 60, [Some(st(1, 1, 1, 5)); 7]).line()],
    )
    .await;
    let (status, second) = request_run(&app, &engine, json!({"site_id": SITE, "kind": "run"})).await;
    assert_eq!(status, 201, "{second}");
    let list = app.get_ok(&format!("/api/v1/automation/run_requests?site_id={SITE}")).await;
    let states: Vec<(&str, &str)> = list["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["kind"].as_str().unwrap(), r["state"].as_str().unwrap()))
        .collect();
    assert_eq!(states, [("run", "pending"), ("rerun", "started")]);
});

backends_test!(the_engine_may_reject_with_a_reason, |store: Store| async move {
    import_ok(&store, &history()).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let engine = app.ingest_token(1).await;
    let other_engine = app.ingest_token(2).await;
    let (_, filed) = request_run(
        &app,
        &engine,
        json!({"site_id": SITE, "kind": "retry_stage", "source_run_id": FAILED_RUN, "stage": 4}),
    )
    .await;
    let id = filed["id"].as_i64().unwrap();
    assert_eq!((filed["kind"].as_str(), filed["stage"].as_i64()), (Some("retry_stage"), Some(4)));

    // Answers before a claim, from another account, or about nothing are refused.
    let (status, body) = answer(&app, &engine, id, "rejected", json!({"reason": "no"})).await;
    assert_eq!((status, code(&body)), (409, "conflict"), "{body}");
    assert_eq!(claim(&app, &other_engine).await.0, 204, "another account's engine sees none of it");
    claim(&app, &engine).await;
    let (status, body) = answer(&app, &other_engine, id, "rejected", json!({"reason": "no"})).await;
    assert_eq!((status, code(&body)), (404, "not_found"), "{body}");
    let (status, body) = answer(&app, &engine, 999_999, "rejected", json!({"reason": "no"})).await;
    assert_eq!((status, code(&body)), (404, "not_found"), "{body}");
    let (status, body) = answer(&app, &engine, id, "rejected", json!({"reason": "   "})).await;
    assert_eq!((status, code(&body)), (400, "bad_request"), "{body}");
    let (status, body) = answer(&app, &engine, id, "started", json!({"run_id": OTHER_RUN})).await;
    assert_eq!((status, code(&body)), (400, "bad_request"), "a run of another site: {body}");

    let (status, rejected) =
        answer(&app, &engine, id, "rejected", json!({"reason": "  Stage 4 is disabled for this site. "})).await;
    assert_eq!(status, 200, "{rejected}");
    assert_eq!(
        (rejected["state"].as_str(), rejected["reason"].as_str()),
        (Some("rejected"), Some("Stage 4 is disabled for this site."))
    );
    let (status, _) = request_run(&app, &engine, json!({"site_id": SITE, "kind": "run"})).await;
    assert_eq!(status, 201, "a rejected request no longer holds the site");
});

backends_test!(bad_requests_get_the_errors_of_the_spec, |store: Store| async move {
    import_ok(&store, &history()).await;
    let running = TestRun::unfinished(OTHER_SITE, "run_running", "running", 3, fixed_now());
    import_ok(&store, &[running.line()]).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let engine = app.ingest_token(1).await;
    let other_engine = app.ingest_token(2).await;
    let reader = app.token().await.unwrap().to_string();

    let cases: [(Value, u16, &str); 9] = [
        (json!({"site_id": OTHER_SITE, "kind": "run"}), 404, "not_found"),
        (json!({"site_id": SITE, "kind": "rerun", "source_run_id": OTHER_RUN}), 404, "not_found"),
        (json!({"site_id": SITE, "kind": "retry_stage", "source_run_id": PLAN_RUN_ID, "stage": 7}), 400, "bad_request"),
        (json!({"site_id": SITE, "kind": "retry_stage", "source_run_id": FAILED_RUN, "stage": 3}), 400, "bad_request"),
        (json!({"site_id": SITE, "kind": "retry_stage", "source_run_id": FAILED_RUN}), 400, "bad_request"),
        (json!({"site_id": SITE, "kind": "run", "source_run_id": PLAN_RUN_ID}), 400, "bad_request"),
        (json!({"site_id": SITE, "kind": "rerun"}), 400, "bad_request"),
        (json!({"site_id": SITE, "kind": "again"}), 400, "bad_request"),
        (json!({"site_id": "123", "kind": "run", "extra": 1}), 400, "bad_request"),
    ];
    for (body, status, error) in cases {
        let (got, answer) = request_run(&app, &engine, body.clone()).await;
        assert_eq!((got, code(&answer)), (status, error), "{body}: {answer}");
    }
    // A re-run of a running run conflicts (its own account's engine asks).
    let (status, body) = request_run(
        &app,
        &other_engine,
        json!({"site_id": OTHER_SITE, "kind": "rerun", "source_run_id": "run_running"}),
    )
    .await;
    assert_eq!((status, code(&body)), (409, "conflict"), "{body}");
    assert_eq!(count_rows(&store, "run_requests").await, 0, "nothing was filed");

    let (status, body) = request_run(&app, &reader, json!({"site_id": SITE, "kind": "run"})).await;
    assert_eq!((status, code(&body)), (403, "forbidden"), "a read token: {body}");
    let (status, body) = claim(&app, &reader).await;
    assert_eq!((status, code(&body)), (403, "forbidden"), "a read token claims: {body}");
    let (status, body) = post(&app, None, "/api/v1/engine/run_requests/claim", None).await;
    assert_eq!((status, code(&body)), (401, "unauthorized"), "{body}");
    let response = app
        .client
        .post(app.url("/api/v1/automation/run_requests"))
        .bearer_auth(&engine)
        .header("content-type", "text/plain")
        .body(r#"{"site_id":123,"kind":"run"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 415);
});

backends_test!(a_short_balance_needs_confirmation, |store: Store| async move {
    let mut lines = vec![account(1, "Acme Media", 100), one_line(PLAN_SITE)];
    for n in 0..3 {
        let started = fixed_now() - Duration::days(3 - n);
        lines.push(TestRun::completed(SITE, &format!("run_{n}"), started, 600, [Some(st(10, 10, 20, 60)); 7]).line());
    }
    lines.push(pipeline(SITE, fixed_now(), [10; 7], [0; 3]));
    import_ok(&store, &lines).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let engine = app.ingest_token(1).await;

    // 10 pending items a stage at 2 credits an item: 140 credits, a buffer of 168 > 100.
    let (status, body) = request_run(&app, &engine, json!({"site_id": SITE, "kind": "run"})).await;
    assert_eq!((status, code(&body)), (409, "insufficient_balance"), "{body}");
    assert_eq!(
        body["estimate"],
        json!({"total_estimated_credits": 140, "recommended_buffer": 168, "current_balance": 100, "is_sufficient": false})
    );
    let (status, filed) =
        request_run(&app, &engine, json!({"site_id": SITE, "kind": "run", "confirm_over_balance": true})).await;
    assert_eq!(status, 201, "{filed}");
    assert_eq!(filed["estimate"], body["estimate"]);
});

backends_test!(concurrent_claimers_each_get_a_different_request, |store: Store| async move {
    let mut lines = vec![one_line(PLAN_ACCOUNT)];
    for n in 0..5 {
        lines.push(site(200 + n, 1, &format!("Site {n}"), &format!("site{n}.example")));
    }
    import_ok(&store, &lines).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let engine = app.ingest_token(1).await;
    let mut filed = Vec::new();
    for n in 0..5 {
        let (status, body) = request_run(&app, &engine, json!({"site_id": 200 + n, "kind": "run"})).await;
        assert_eq!(status, 201, "{body}");
        filed.push(body["id"].as_i64().unwrap());
    }

    let claims = (0..20).map(|_| {
        let (app, engine) = (&app, &engine);
        async move { claim(app, engine).await }
    });
    let answers = futures_util::future::join_all(claims).await;
    let mut claimed: Vec<i64> =
        answers.iter().filter(|(s, _)| *s == 200).map(|(_, b)| b["id"].as_i64().unwrap()).collect();
    let empty = answers.iter().filter(|(s, _)| *s == 204).count();
    claimed.sort_unstable();
    assert_eq!(claimed, filed, "each request claimed exactly once");
    assert_eq!(empty, 15, "{answers:?}");
});

backends_test!(an_engine_may_claim_for_one_site, |store: Store| async move {
    let lines = vec![one_line(PLAN_ACCOUNT), site(200, 1, "A", "a.example"), site(201, 1, "B", "b.example")];
    import_ok(&store, &lines).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let engine = app.ingest_token(1).await;
    let (_, first) = request_run(&app, &engine, json!({"site_id": 200, "kind": "run"})).await;
    let (_, second) = request_run(&app, &engine, json!({"site_id": 201, "kind": "run"})).await;

    let (status, claimed) = post(&app, Some(&engine), "/api/v1/engine/run_requests/claim?site_id=201", None).await;
    assert_eq!((status, &claimed["id"]), (200, &second["id"]), "the older request of site 200 is left: {claimed}");
    assert_eq!(post(&app, Some(&engine), "/api/v1/engine/run_requests/claim?site_id=201", None).await.0, 204);
    assert_eq!(post(&app, Some(&engine), "/api/v1/engine/run_requests/claim?site_id=456", None).await.0, 204);
    let (status, body) = post(&app, Some(&engine), "/api/v1/engine/run_requests/claim?site_id=x", None).await;
    assert_eq!((status, code(&body)), (400, "bad_request"));
    assert_eq!(claim(&app, &engine).await.1["id"], first["id"]);
});

backends_test!(an_unanswered_claim_returns_to_pending_after_ten_minutes, |store: Store| async move {
    import_ok(&store, &history()).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let engine = app.ingest_token(1).await;
    let (_, filed) = request_run(&app, &engine, json!({"site_id": SITE, "kind": "run"})).await;
    let id = filed["id"].as_i64().unwrap();
    assert_eq!(claim(&app, &engine).await.1["id"], id);

    app.advance(9 * 60 + 59);
    assert_eq!(claim(&app, &engine).await.0, 204, "the claim holds for 10 minutes");
    app.advance(2);
    let (status, again) = claim(&app, &engine).await;
    assert_eq!((status, again["id"].as_i64()), (200, Some(id)), "the lapsed claim went back to pending: {again}");
    let claimed_at = (fixed_now() + Duration::seconds(10 * 60 + 1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert_eq!(again["claimed_at"], claimed_at);
    let (status, _) = answer(&app, &engine, id, "started", json!({"run_id": "run_late"})).await;
    assert_eq!(status, 200);
});

backends_test!(the_pages_form_files_one_request_and_returns, |store: Store| async move {
    import_ok(&store, &history()).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await;
    let browser = app.signed_in_client(1, "owner@acme.example").await;
    let csrf = app.csrf_token(&browser).await;
    let form = |csrf: &str| {
        vec![
            ("csrf_token", csrf.to_string()),
            ("site_id", SITE.to_string()),
            ("kind", "rerun".to_string()),
            ("source_run_id", PLAN_RUN_ID.to_string()),
            ("stage", String::new()),
            ("return_to", format!("/automation/runs/{PLAN_RUN_ID}?request_error=conflict")),
        ]
    };
    let send = |form: Vec<(&'static str, String)>| {
        let (browser, url) = (&browser, app.url("/automation/run_requests"));
        async move { browser.post(url).form(&form).send().await.unwrap() }
    };

    let refused = send(form("not-the-token")).await;
    assert_eq!(refused.status().as_u16(), 403, "no CSRF token, no request");
    for _ in 0..2 {
        let response = send(form(&csrf)).await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(response.headers()["location"], format!("/automation/runs/{PLAN_RUN_ID}?request=filed"));
    }
    let list = app.get_ok(&format!("/api/v1/automation/run_requests?site_id={SITE}")).await;
    let requests = list["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 1, "a double submit files one request: {list}");
    assert_eq!(requests[0]["requested_by"], "owner@acme.example");

    // Another kind while it is open is a conflict, said on the page it came from.
    let mut other = form(&csrf);
    other[2].1 = "run".into();
    other[3].1 = String::new();
    other[5].1 = "https://evil.example/".into();
    let response = send(other).await;
    assert_eq!(response.headers()["location"], "/automation/overview?request_error=conflict");

    // The run page shows the request's state, and the run it started says where it came from.
    let page =
        browser.get(app.url(&format!("/automation/runs/{PLAN_RUN_ID}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"data-state="pending""#), "{page:.2000}");
    let engine = app.ingest_token(1).await;
    let id = requests[0]["id"].as_i64().unwrap();
    claim(&app, &engine).await;
    answer(&app, &engine, id, "started", json!({"run_id": "run_rerun"})).await;
    app.ingest_ok(&engine, &[TestRun::unfinished(SITE, "run_rerun", "running", 1, fixed_now()).line()]).await;
    let page = browser.get(app.url("/automation/runs/run_rerun")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("data-testid=\"started-from-request\""), "{page:.2000}");
    assert!(page.contains(&format!("href=\"/automation/runs/{PLAN_RUN_ID}\"")), "links its source run");
});
