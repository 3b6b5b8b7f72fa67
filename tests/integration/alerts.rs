//! Alerts (issue 12, "Budgets and alerts") against a real local receiver: signed deliveries,
//! retries after a 500 and a timeout without slowing any request, one alert per transition
//! (also with two services racing), and webhook URLs that are refused.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use automation_runs::server::db::Store;
use automation_runs::server::service::Service;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::data::*;
use crate::harness::*;

const ALERTS: &str = "/api/v1/automation/alerts";
const BUDGET: &str = "/api/v1/automation/budget";

fn mid_december() -> DateTime<Utc> {
    ts("2026-12-16T12:00:00Z")
}

/// Account 5 with site 51: three completed runs this month (300 credits), pending work, and a
/// balance that covers the next run.
fn lines(balance: i64) -> Vec<String> {
    let mut lines = vec![account(5, "Alert Co", balance), site(51, 5, "One", "one.example")];
    for (i, day) in [2, 5, 9].iter().enumerate() {
        let started = ts(&format!("2026-12-{day:02}T08:00:00Z"));
        let stages = [Some(st(10, 10, 100, 60)), None, None, None, None, None, None];
        lines.push(TestRun::completed(51, &format!("c{i}"), started, 600, stages).line());
    }
    lines.push(pipeline(51, mid_december() - chrono::Duration::hours(1), [10, 0, 0, 0, 0, 0, 0], [0, 0, 0]));
    lines
}

/// HMAC-SHA256 (RFC 2104), written here rather than taken from the crate under test.
fn hmac_hex(key: &[u8], body: &[u8]) -> String {
    let mut block = [0u8; 64];
    block[..key.len()].copy_from_slice(key);
    let inner: Vec<u8> = block.iter().map(|b| b ^ 0x36).chain(body.iter().copied()).collect();
    let inner = Sha256::digest(&inner);
    let outer: Vec<u8> = block.iter().map(|b| b ^ 0x5c).chain(inner.iter().copied()).collect();
    Sha256::digest(&outer).iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Clone, Default)]
struct Receiver {
    /// (signature header, body) of every request.
    hits: Arc<Mutex<Vec<(String, String)>>>,
    /// Statuses to answer, in order; 200 after them.
    answers: Arc<Mutex<VecDeque<u16>>>,
    delay: Duration,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    tokio::time::sleep(r.delay).await;
    let signature = headers.get("x-automation-signature").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    r.hits.lock().unwrap().push((signature, body));
    StatusCode::from_u16(r.answers.lock().unwrap().pop_front().unwrap_or(200)).unwrap()
}

/// A webhook receiver on a free port, answering `answers` then 200, each after `delay`.
async fn receiver(answers: &[u16], delay: Duration) -> (String, Receiver) {
    let r = Receiver { answers: Arc::new(Mutex::new(answers.iter().copied().collect())), delay, ..Default::default() };
    let app = axum::Router::new().route("/hook", axum::routing::post(receive)).with_state(r.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, r)
}

async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status}, not JSON ({e}): {text:.300}")))
}

async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    send(app.client.put(app.url(path)).bearer_auth(token).json(&body)).await
}

/// The alerts view once `done` holds of it (within 15 s).
async fn wait_for(app: &TestApp, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let view = app.get_ok(ALERTS).await;
        if done(&view) {
            return view;
        }
        assert!(Instant::now() < deadline, "{what}: {view}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn keys(view: &Value) -> Vec<String> {
    view["alerts"].as_array().unwrap().iter().map(|a| a["key"].as_str().unwrap().to_string()).collect()
}

backends_test!(deliveries_are_signed_and_retried_after_a_500, |store: Store| async move {
    import_ok(&store, &lines(5_000)).await;
    let app = TestApp::spawn_as(store.clone(), mid_december(), Some(5)).await;
    let engine = app.ingest_token(5).await;
    let (url, hook) = receiver(&[500], Duration::ZERO).await;

    let (status, set) = put(&app, &engine, ALERTS, json!({ "webhook_url": url })).await;
    assert_eq!(status, 200, "{set}");
    let secret = set["secret"].as_str().expect("the secret, once").to_string();
    let view = app.get_ok(ALERTS).await;
    assert_eq!((view["webhook_configured"].clone(), view["webhook_url"].clone()), (json!(true), json!(url)));
    assert!(!view.to_string().contains(&secret), "the secret is never shown again");

    // 300 credits this month against a budget of 250: over.
    assert_eq!(put(&app, &engine, BUDGET, json!({"monthly_budget": 250})).await.0, 200);
    let view = wait_for(&app, "first attempt answered 500", |v| v["deliveries"][0]["last_status"] == json!(500)).await;
    assert_eq!(keys(&view), ["budget:2026-12:over"]);
    let delivery = &view["deliveries"][0];
    assert_eq!((delivery["state"].clone(), delivery["attempts"].clone()), (json!("pending"), json!(1)));

    // The retry is due 30 s later.
    app.advance(31);
    let view = wait_for(&app, "delivered on retry", |v| v["deliveries"][0]["state"] == json!("delivered")).await;
    let delivery = &view["deliveries"][0];
    assert_eq!((delivery["attempts"].clone(), delivery["last_status"].clone()), (json!(2), json!(200)));

    let hits = hook.hits.lock().unwrap().clone();
    assert_eq!(hits.len(), 2, "one failed attempt, one delivered");
    for (signature, body) in &hits {
        assert_eq!(signature, &format!("sha256={}", hmac_hex(secret.as_bytes(), body.as_bytes())));
        let body: Value = serde_json::from_str(body).unwrap();
        assert_eq!((body["kind"].clone(), body["key"].clone()), (json!("budget_over"), json!("budget:2026-12:over")));
    }

    // The same transition never alerts twice: setting the budget again, lower still.
    assert_eq!(put(&app, &engine, BUDGET, json!({"monthly_budget": 10})).await.0, 200);
    assert_eq!(put(&app, &engine, BUDGET, json!({"monthly_budget": 250})).await.0, 200);
    // A budget the month only heads past: its own transition, once.
    assert_eq!(put(&app, &engine, BUDGET, json!({"monthly_budget": 400})).await.0, 200);
    assert_eq!(put(&app, &engine, BUDGET, json!({"monthly_budget": 500})).await.0, 200);
    let view = wait_for(&app, "the at_risk alert delivered", |v| {
        v["deliveries"].as_array().unwrap().iter().all(|d| d["state"] == json!("delivered"))
            && v["deliveries"].as_array().unwrap().len() == 2
    })
    .await;
    assert_eq!(keys(&view), ["budget:2026-12:at_risk", "budget:2026-12:over"]);
    assert_eq!(hook.hits.lock().unwrap().len(), 3);
});

backends_test!(a_receiver_that_times_out_is_retried_and_slows_no_request, |store: Store| async move {
    import_ok(&store, &lines(5_000)).await;
    let app = TestApp::spawn_as(store.clone(), mid_december(), Some(5)).await;
    let engine = app.ingest_token(5).await;
    let (url, hook) = receiver(&[], Duration::from_secs(30)).await;
    assert_eq!(put(&app, &engine, ALERTS, json!({ "webhook_url": url })).await.0, 200);

    let started = Instant::now();
    assert_eq!(put(&app, &engine, BUDGET, json!({"monthly_budget": 1})).await.0, 200);
    // While the receiver holds the delivery, requests answer at once.
    wait_for(&app, "the alert raised", |v| v["alerts"].as_array().unwrap().len() == 1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    for _ in 0..3 {
        let asked = Instant::now();
        app.get_ok(BUDGET).await;
        assert!(asked.elapsed() < Duration::from_secs(2), "a request waited on the delivery");
    }
    assert!(started.elapsed() < Duration::from_secs(5), "the budget's answer did not wait for the receiver");

    let view = wait_for(&app, "the attempt timed out", |v| v["deliveries"][0]["attempts"] == json!(1)).await;
    let delivery = &view["deliveries"][0];
    assert_eq!(delivery["state"], json!("pending"), "{delivery}");
    assert_eq!(delivery["last_status"], json!(null));
    assert_eq!(delivery["last_error"], json!("timed out"));
    assert!(delivery["next_attempt_at"].is_string());
    assert!(hook.hits.lock().unwrap().is_empty(), "the receiver never answered in time");
});

backends_test!(bad_webhooks_are_refused, |store: Store| async move {
    import_ok(&store, &lines(5_000)).await;
    let app = TestApp::spawn_allowing_webhooks(store.clone(), mid_december(), 5, "hooks.example.com,127.0.0.1").await;
    let engine = app.ingest_token(5).await;
    for url in [
        json!("ftp://hooks.example.com/x"),
        json!("javascript:alert(1)"),
        json!("hooks.example.com/x"),
        json!("http://"),
        json!(42),
        json!("http://user:pw@hooks.example.com/"),
        // Not on the operator's list (the cloud metadata address among them).
        json!("http://169.254.169.254/latest/meta-data"),
        json!("https://evil.example/hook"),
    ] {
        let (status, body) = put(&app, &engine, ALERTS, json!({ "webhook_url": url })).await;
        assert_eq!(status, 400, "{url}: {body}");
        assert_eq!(body["error"]["code"], json!("bad_request"));
    }
    assert_eq!(app.get_ok(ALERTS).await["webhook_configured"], json!(false), "nothing was written");
    let (status, set) = put(&app, &engine, ALERTS, json!({"webhook_url": "https://hooks.example.com/in"})).await;
    assert_eq!(status, 200, "{set}");
    // A read token may look but not set.
    let read = app.token().await.unwrap().to_string();
    let (status, _) = put(&app, &read, ALERTS, json!({"webhook_url": null})).await;
    assert_eq!(status, 403);
    let (status, cleared) = put(&app, &engine, ALERTS, json!({"webhook_url": null})).await;
    assert_eq!((status, cleared), (200, json!({"webhook_url": null, "secret": null})));
});

backends_test!(failed_runs_and_low_balances_alert_once_per_transition, |store: Store| async move {
    import_ok(&store, &lines(5_000)).await;
    let app = TestApp::spawn_as(store.clone(), mid_december(), Some(5)).await;
    let engine = app.ingest_token(5).await;

    // A run fails: one alert, however often the engine reports it.
    let mut failed = TestRun::unfinished(51, "f1", "failed", 3, mid_december() - chrono::Duration::hours(2));
    failed.error = Some("model timeout".into());
    for _ in 0..3 {
        app.ingest_ok(&engine, &[failed.line()]).await;
    }
    let view = wait_for(&app, "the failed run", |v| keys(v).contains(&"run_failed:f1".to_string())).await;
    assert!(view["alerts"][0]["message"].as_str().unwrap().contains("model timeout"));

    // The balance falls below the next run's buffer (10 pending × 10 credits, × 1.2 = 120).
    let balance = |credits: i64| account(5, "Alert Co", credits);
    app.ingest_ok(&engine, &[balance(50)]).await;
    wait_for(&app, "balance low", |v| keys(v).contains(&"balance_low:51:0".to_string())).await;
    app.ingest_ok(&engine, &[balance(40)]).await;
    // It recovers, and falls again: a new alert.
    app.ingest_ok(&engine, &[balance(10_000)]).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.ingest_ok(&engine, &[balance(30)]).await;
    let view = wait_for(&app, "balance low again", |v| keys(v).contains(&"balance_low:51:1".to_string())).await;

    // Two services (two instances) seeing the same state raise nothing twice.
    let clock = |_: ()| -> automation_runs::server::service::Clock { Arc::new(mid_december) };
    let (a, b) = (Service::new(store.clone(), clock(()), 1), Service::new(store.clone(), clock(()), 1));
    let (ra, rb) = tokio::join!(a.detect_alerts(5), b.detect_alerts(5));
    assert_eq!((ra.unwrap(), rb.unwrap()), (0, 0));
    let after = app.get_ok(ALERTS).await;
    assert_eq!(keys(&after), keys(&view));
    let mut sorted = keys(&after);
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), keys(&after).len(), "{after}");
    // Without a webhook, alerts are notices only.
    assert_eq!(after["deliveries"], json!([]));
});

backends_test!(another_process_finds_the_retry_in_the_table, |store: Store| async move {
    import_ok(&store, &lines(5_000)).await;
    let app = TestApp::spawn_as(store.clone(), mid_december(), Some(5)).await;
    let engine = app.ingest_token(5).await;
    let (url, hook) = receiver(&[503], Duration::ZERO).await;
    assert_eq!(put(&app, &engine, ALERTS, json!({ "webhook_url": url })).await.0, 200);
    assert_eq!(put(&app, &engine, BUDGET, json!({"monthly_budget": 1})).await.0, 200);
    wait_for(&app, "first attempt", |v| v["deliveries"][0]["last_status"] == json!(503)).await;

    // Another process on the same database (the app's own clock stands still, so its task leaves
    // the retry alone), an hour later, finds the retry in the table and sends it once.
    let later = mid_december() + chrono::Duration::hours(1);
    let service = Service::new(store.clone(), Arc::new(move || later), 1);
    assert_eq!(service.deliver_due(later).await.unwrap(), 1);
    assert_eq!(service.deliver_due(later).await.unwrap(), 0, "delivered once");
    let view = service.alerts(automation_runs::domain::scope::Scope::Account(5)).await.unwrap();
    assert_eq!(view.deliveries[0].last_status, Some(200));
    assert_eq!(hook.hits.lock().unwrap().len(), 2);
});

backends_test!(the_settings_form_shows_the_new_secret_once, |store: Store| async move {
    import_ok(&store, &lines(5_000)).await;
    let app = TestApp::spawn_as(store.clone(), mid_december(), Some(5)).await;
    let browser = app.signed_in_client(5, "owner@alerts.example").await;
    let csrf = app.csrf_token(&browser).await;
    let post = |url: &str| {
        browser
            .post(app.url("/settings/alerts"))
            .form(&[("webhook_url", url.to_string()), ("csrf_token", csrf.clone())])
            .send()
    };
    let location = |r: &reqwest::Response| r.headers()["location"].to_str().unwrap().to_string();

    let refused = post("gopher://hooks.example.com/").await.unwrap();
    assert_eq!(location(&refused), "/settings?alerts_error=bad_request");

    let saved = post("http://127.0.0.1:9/hook").await.unwrap();
    assert_eq!((saved.status().as_u16(), location(&saved)), (303, "/settings?saved=alerts".to_string()));
    assert!(!location(&saved).contains("whsec_"), "the secret is never in a URL");
    let cookie = saved.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("ar_reveal=") && cookie.contains("HttpOnly") && cookie.contains("Max-Age=600"),
        "{cookie}"
    );

    // The settings page's first read shows the secret; the next does not.
    let (status, first) = send(browser.get(app.url("/sfn/get_alerts"))).await;
    assert_eq!(status, 200, "{first}");
    let secret = first["revealed_secret"].as_str().expect("the secret on the first read");
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert_eq!(first["alerts"]["webhook_url"], json!("http://127.0.0.1:9/hook"));
    let (_, second) = send(browser.get(app.url("/sfn/get_alerts"))).await;
    assert_eq!(second["revealed_secret"], json!(null), "shown once");

    // Empty removes the webhook.
    let cleared = post("").await.unwrap();
    assert_eq!(location(&cleared), "/settings?saved=alerts");
    assert_eq!(app.get_ok(ALERTS).await["webhook_configured"], json!(false));
});
