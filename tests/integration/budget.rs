//! The monthly budget (metrics.md, "Where the figures beyond the plan are served", the budget)
//! through the JSON API and the settings form: the month's spend at its UTC boundaries with a
//! moved clock, the status as the budget changes, bad budgets, who may set one, and accounts
//! kept apart.

use automation_runs::domain::team::TokenScope;
use automation_runs::server::auth::COMMAND_LINE;
use automation_runs::server::db::Store;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::data::*;
use crate::harness::*;

const BUDGET: &str = "/api/v1/automation/budget";

/// An hour before the end of December.
fn new_years_eve() -> DateTime<Utc> {
    ts("2026-12-31T23:00:00Z")
}

fn run(site_id: i64, id: &str, started: &str, credits: u64) -> TestRun {
    TestRun::completed(
        site_id,
        id,
        ts(started),
        600,
        [Some(st(10, 10, credits, 60)), None, None, None, None, None, None],
    )
}

/// Account 5 (sites 51 and 52) and account 6 (site 61), with runs on both sides of the turn of
/// the year, and one of account 6 in December that account 5 must never count.
fn lines() -> Vec<String> {
    let runs = [
        run(51, "nov_last_second", "2026-11-30T23:59:59Z", 1_000),
        run(51, "dec_first_second", "2026-12-01T00:00:00Z", 100),
        run(52, "dec_other_site", "2026-12-15T08:00:00Z", 250),
        run(51, "dec_late", "2026-12-31T22:00:00Z", 50),
        run(51, "jan_first_second", "2027-01-01T00:00:00Z", 7),
        run(61, "dec_other_account", "2026-12-10T00:00:00Z", 9_999),
    ];
    let mut lines = vec![
        account(5, "Budget Co", 5_000),
        account(6, "Other Co", 5_000),
        site(51, 5, "One", "one.example"),
        site(52, 5, "Two", "two.example"),
        site(61, 6, "Other", "other.example"),
    ];
    lines.extend(runs.iter().map(TestRun::line));
    lines
}

async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status}, not JSON ({e}): {text:.300}")))
}

async fn put_budget(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    send(app.client.put(app.url(BUDGET)).bearer_auth(token).json(&body)).await
}

async fn budget_as(app: &TestApp, token: &str) -> Value {
    let (status, body) = send(app.client.get(app.url(BUDGET)).bearer_auth(token)).await;
    assert_eq!(status, 200, "{body}");
    body
}

backends_test!(month_to_date_turns_over_with_the_utc_month, |store: Store| async move {
    import_ok(&store, &lines()).await;
    let app = TestApp::spawn_as(store.clone(), new_years_eve(), Some(5)).await;

    // December: its first second counts, November's last does not, nor January's run, nor
    // another account's.
    let december = app.get_ok(BUDGET).await;
    // An hour before the end of a 31-day month: ceil(400 × 2,678,400 / 2,674,800) = 401.
    assert_eq!(
        december,
        json!({"monthly_budget": null, "month_to_date": 400, "projected_month_end": 401, "status": "none"})
    );

    // Midnight, 1 January: a new month with no time elapsed yet has no projection.
    app.advance(3_600);
    let january = app.get_ok(BUDGET).await;
    assert_eq!(
        january,
        json!({"monthly_budget": null, "month_to_date": 7, "projected_month_end": null, "status": "none"})
    );

    // One second in: 7 credits a second for 31 days.
    app.advance(1);
    let january = app.get_ok(BUDGET).await;
    assert_eq!(january["projected_month_end"], json!(7 * 31 * 86_400));
});

backends_test!(status_moves_with_the_budget, |store: Store| async move {
    import_ok(&store, &lines()).await;
    // Half of December: 12:00 on the 16th.
    let app = TestApp::spawn_as(store.clone(), ts("2026-12-16T12:00:00Z"), Some(5)).await;
    let engine = app.ingest_token(5).await;
    // 400 credits of runs started in December (the clock is fixed, the 31st's run already
    // imported), projected 2 × 400 = 800.
    let statuses = [
        (json!(1_000), "ok"),
        (json!(800), "ok"),
        (json!(799), "at_risk"),
        (json!(400), "at_risk"),
        (json!(399), "over"),
        (json!(0), "over"),
        (json!(null), "none"),
    ];
    for (budget, status) in statuses {
        let (code, body) = put_budget(&app, &engine, json!({ "monthly_budget": budget })).await;
        assert_eq!(code, 200, "{body}");
        assert_eq!(body["status"], json!(status), "budget {budget}: {body}");
        assert_eq!(body["monthly_budget"], budget);
        assert_eq!(body["month_to_date"], json!(400));
        assert_eq!(body["projected_month_end"], json!(800));
        assert_eq!(app.get_ok(BUDGET).await, body, "GET answers as PUT did");
    }
});

backends_test!(bad_budgets_are_refused_and_nothing_is_written, |store: Store| async move {
    import_ok(&store, &lines()).await;
    let app = TestApp::spawn_as(store.clone(), new_years_eve(), Some(5)).await;
    let engine = app.ingest_token(5).await;
    assert_eq!(put_budget(&app, &engine, json!({"monthly_budget": 500})).await.0, 200);

    let bad = [
        json!({"monthly_budget": -1}),
        json!({"monthly_budget": 12.5}),
        json!({"monthly_budget": 100.0}),
        json!({"monthly_budget": 1_000_000_001}),
        json!({"monthly_budget": 1e30}),
        json!({"monthly_budget": "100"}),
        json!({}),
        json!({"monthly_budget": 100, "currency": "credits"}),
        json!(100),
    ];
    for body in bad {
        let (status, answer) = put_budget(&app, &engine, body.clone()).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(answer["error"]["code"], json!("bad_request"), "{body}: {answer}");
    }
    let (status, answer) =
        send(app.client.put(app.url(BUDGET)).bearer_auth(&engine).body("{\"monthly_budget\": 5")).await;
    assert_eq!(status, 415, "no JSON content type: {answer}");
    assert_eq!(app.get_ok(BUDGET).await["monthly_budget"], json!(500), "nothing was written");
    // The largest budget is taken.
    assert_eq!(put_budget(&app, &engine, json!({"monthly_budget": 1_000_000_000})).await.0, 200);
});

backends_test!(read_tokens_may_not_set_a_budget, |store: Store| async move {
    import_ok(&store, &lines()).await;
    let app = TestApp::spawn_as(store.clone(), new_years_eve(), Some(5)).await;
    let read = app.token().await.unwrap().to_string();
    let (status, body) = put_budget(&app, &read, json!({"monthly_budget": 10})).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"]["code"], json!("forbidden"));
    assert_eq!(budget_as(&app, &read).await["monthly_budget"], json!(null), "nothing was written");
    // Without any credential: 401.
    let (status, _) = send(app.client.put(app.url(BUDGET)).json(&json!({"monthly_budget": 10}))).await;
    assert_eq!(status, 401);
});

backends_test!(accounts_never_see_each_others_budget, |store: Store| async move {
    import_ok(&store, &lines()).await;
    let app = TestApp::spawn_as(store.clone(), new_years_eve(), Some(5)).await;
    let five = app.ingest_token(5).await;
    let six = app.ingest_token(6).await;
    assert_eq!(put_budget(&app, &five, json!({"monthly_budget": 300})).await.0, 200);
    assert_eq!(put_budget(&app, &six, json!({"monthly_budget": 20_000})).await.0, 200);

    let mine = budget_as(&app, &five).await;
    assert_eq!((mine["monthly_budget"].clone(), mine["month_to_date"].clone()), (json!(300), json!(400)));
    assert_eq!(mine["status"], json!("over"));
    let theirs = budget_as(&app, &six).await;
    assert_eq!((theirs["monthly_budget"].clone(), theirs["month_to_date"].clone()), (json!(20_000), json!(9_999)));
    assert_eq!(theirs["status"], json!("ok"));

    // Removing one account's budget leaves the other's.
    assert_eq!(put_budget(&app, &five, json!({"monthly_budget": null})).await.0, 200);
    assert_eq!(budget_as(&app, &six).await["monthly_budget"], json!(20_000));
    let read_six = app.auth.create_token(6, "reader", TokenScope::Read, COMMAND_LINE).await.unwrap().1;
    assert_eq!(budget_as(&app, &read_six).await["monthly_budget"], json!(20_000));
});

backends_test!(signed_in_users_set_it_with_the_csrf_token_or_the_form, |store: Store| async move {
    import_ok(&store, &lines()).await;
    let app = TestApp::spawn_as(store.clone(), new_years_eve(), Some(5)).await;
    let browser = app.signed_in_client(5, "owner@budget.example").await;
    let csrf = app.csrf_token(&browser).await;

    // PUT with the session: the CSRF header is required.
    let put = || browser.put(app.url(BUDGET)).json(&json!({"monthly_budget": 800}));
    let (status, _) = send(put()).await;
    assert_eq!(status, 403, "no CSRF token");
    let (status, body) = send(put().header("x-csrf-token", &csrf)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["monthly_budget"], json!(800));

    // The settings form: a redirect back with the outcome.
    let post = |value: &str| {
        browser
            .post(app.url("/settings/budget"))
            .form(&[("monthly_budget", value.to_string()), ("csrf_token", csrf.clone())])
            .send()
    };
    let location = |r: &reqwest::Response| r.headers()["location"].to_str().unwrap().to_string();
    let saved = post("1200").await.unwrap();
    assert_eq!((saved.status().as_u16(), location(&saved)), (303, "/settings?saved=budget".to_string()));
    assert_eq!(budget_as(&app, &app.ingest_token(5).await).await["monthly_budget"], json!(1_200));
    for bad in ["-3", "12.5", "1000000001", "lots"] {
        let refused = post(bad).await.unwrap();
        assert_eq!(location(&refused), "/settings?budget_error=bad_request", "{bad}");
    }
    assert_eq!(budget_as(&app, &app.ingest_token(5).await).await["monthly_budget"], json!(1_200));
    let cleared = post("").await.unwrap();
    assert_eq!(location(&cleared), "/settings?saved=budget");
    assert_eq!(budget_as(&app, &app.ingest_token(5).await).await["monthly_budget"], json!(null));

    // Without the CSRF field the gate refuses the form.
    let forged = browser.post(app.url("/settings/budget")).form(&[("monthly_budget", "5")]).send().await.unwrap();
    assert_eq!(forged.status().as_u16(), 403);
    // The server function the settings page reads, with the run-now check of a site.
    let (status, panel) = send(browser.get(app.url("/sfn/get_budget?site_id=51"))).await;
    assert_eq!(status, 200, "{panel}");
    assert_eq!(panel["budget"]["month_to_date"], json!(400));
    assert_eq!(panel["site_id"], json!(51));
    let (status, _) = send(browser.get(app.url("/sfn/get_budget?site_id=61"))).await;
    assert_eq!(status, 404, "another account's site");
});
