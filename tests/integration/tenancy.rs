//! Tenant isolation through HTTP: every page, server function, endpoint and export answers
//! for the caller's own account; another account's ids get the very answer an unknown id gets;
//! anonymous calls get 401 (API, server functions) or the sign-in redirect (pages).

use automation_runs::domain::team::TokenScope;
use automation_runs::server::auth::COMMAND_LINE;
use automation_runs::server::db::Store;
use chrono::Duration;
use serde_json::Value;

use crate::data::*;
use crate::harness::*;

const OWN_SITE: i64 = 11;
const OTHER_SITE: i64 = 21;
const MISSING_SITE: i64 = 99;
const OWN_RUN: &str = "run_own_1";
const OTHER_RUN: &str = "run_other_1";
const MISSING_RUN: &str = "run_missing_1";

async fn two_tenants(store: &Store) {
    let t = fixed_now() - Duration::days(2);
    let lines = vec![
        account(1, "First Media", 111),
        account(2, "Second Media", 222),
        site(OWN_SITE, 1, "Own", "own.example"),
        site(12, 1, "Own Two", "own-two.example"),
        site(OTHER_SITE, 2, "Other", "other.example"),
        TestRun::completed(OWN_SITE, OWN_RUN, t, 60, [Some(st(2, 1, 3, 10)); 7]).line(),
        TestRun::completed(OTHER_SITE, OTHER_RUN, t, 60, [Some(st(2, 1, 3, 10)); 7]).line(),
        log(OWN_RUN, Some(1), t, "info", "own line"),
        log(OTHER_RUN, Some(1), t, "info", "other line"),
    ];
    import_ok(store, &lines).await;
}

/// Every URL that reads a site or a run, for a site id and a run id.
fn urls(site: i64, run: &str) -> Vec<(&'static str, String)> {
    vec![
        ("api", format!("/api/v1/automation/overview_stats/?site_id={site}")),
        ("api", format!("/api/v1/automation/history/?site_id={site}")),
        ("api", format!("/api/v1/automation/run_detail/?run_id={run}")),
        ("api", format!("/api/v1/automation/runs/{run}/report.csv")),
        ("api", format!("/api/v1/automation/runs/{run}/report.json")),
        ("api", format!("/api/v1/automation/runs/{run}/logs.ndjson")),
        ("api", format!("/api/v1/automation/run_requests?site_id={site}")),
        ("api", format!("/api/v1/automation/trends?site_id={site}")),
        ("api", format!("/api/v1/automation/trends.csv?site_id={site}")),
        ("api", format!("/api/v1/automation/compare?a={run}&b={run}")),
        ("sfn", format!("/sfn/get_overview?site_id={site}")),
        ("sfn", format!("/sfn/get_history?site_id={site}")),
        ("sfn", format!("/sfn/get_run_detail?run_id={run}")),
        ("sfn", format!("/sfn/get_run_logs?run_id={run}")),
        ("sfn", format!("/sfn/get_trends?site_id={site}")),
        ("sfn", format!("/sfn/get_compare?a={run}&b={run}")),
        ("page", format!("/automation/overview?site_id={site}")),
        ("page", format!("/automation/runs/{run}")),
    ]
}

/// The answer with the ids and the request id taken out, to compare "another account's" with
/// "does not exist".
fn normalised(body: &str, ids: [&str; 2]) -> String {
    let mut text = replace_whole(&replace_whole(body, ids[0]), ids[1]);
    if let Ok(mut json) = serde_json::from_str::<Value>(&text) {
        if let Some(error) = json.get_mut("error").and_then(Value::as_object_mut) {
            error.remove("request_id");
        }
        text = json.to_string();
    }
    // Pages carry a per-response nonce (Leptos writes it into a few attributes).
    let nonces: Vec<String> =
        text.split("nonce=\"").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_string).collect();
    for nonce in nonces.iter().filter(|n| !n.is_empty()) {
        text = text.replace(nonce.as_str(), "NONCE");
    }
    // Resources resolve in any order, so their scripts may be split differently, and their
    // statements come in the order they resolved.
    sorted_resources(&text.replace("</script><script nonce=\"NONCE\">", ""))
}

/// `id` replaced by `ID` where it stands alone: the same digits inside a longer token (an
/// island's hashed name, a serialised error's number) are not an id.
fn replace_whole(text: &str, id: &str) -> String {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(id) {
        let (before, after) = (&rest[..at], &rest[at + id.len()..]);
        let alone = !before.ends_with(is_word) && !after.starts_with(is_word);
        out.push_str(before);
        out.push_str(if alone { "ID" } else { id });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The page's `__RESOLVED_RESOURCES[n] = "…";` statements in a fixed order.
fn sorted_resources(text: &str) -> String {
    const MARK: &str = "__RESOLVED_RESOURCES[";
    let mut pieces: Vec<&str> = text.split(MARK).collect();
    if pieces.len() < 3 {
        return text.to_string();
    }
    let prefix = pieces.remove(0);
    let last = pieces.pop().unwrap_or_default();
    // The last statement ends at its closing quote (the JSON inside escapes its own quotes).
    let end = last.match_indices("\";").find(|(i, _)| !last[..*i].ends_with('\\')).map_or(last.len(), |(i, _)| i + 2);
    let (statement, rest) = last.split_at(end);
    pieces.push(statement);
    pieces.sort_unstable();
    let statements: String = pieces.iter().map(|p| format!("{MARK}{p}")).collect();
    format!("{prefix}{statements}{rest}")
}

async fn fetch(client: &reqwest::Client, app: &TestApp, path: &str, token: Option<&str>) -> (u16, String) {
    let mut request = client.get(app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"));
    (response.status().as_u16(), response.text().await.unwrap())
}

backends_test!(every_route_answers_only_for_the_callers_account, |store: Store| async move {
    two_tenants(&store).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), None).await;
    let session = app.signed_in_client(1, "first@first.example").await;
    let (_, token) = app.auth.create_token(1, "matrix", TokenScope::Read, COMMAND_LINE).await.unwrap();
    let anonymous = http_client(false);

    // Own ids: 200, through the session and through the token (pages and server functions
    // through the session only: a token is for the API).
    for (kind, path) in urls(OWN_SITE, OWN_RUN) {
        let (status, body) = fetch(&session, &app, &path, None).await;
        assert_eq!(status, 200, "own {path} with the session: {body:.300}");
        if kind == "api" {
            let (status, body) = fetch(&anonymous, &app, &path, Some(&token)).await;
            assert_eq!(status, 200, "own {path} with the token: {body:.300}");
        }
    }

    // Another account's ids: 404, byte for byte the answer for ids that do not exist.
    let other = urls(OTHER_SITE, OTHER_RUN);
    let missing = urls(MISSING_SITE, MISSING_RUN);
    for ((kind, other_path), (_, missing_path)) in other.iter().zip(&missing) {
        let mut callers = vec![("session", &session, None)];
        if *kind == "api" {
            callers.push(("token", &anonymous, Some(token.as_str())));
        }
        for (how, client, token) in callers {
            let (status, other_body) = fetch(client, &app, other_path, token).await;
            assert_eq!(status, 404, "{other_path} with the {how}: {other_body:.300}");
            let (status, missing_body) = fetch(client, &app, missing_path, token).await;
            assert_eq!(status, 404, "{missing_path} with the {how}");
            assert_eq!(
                normalised(&other_body, [&OTHER_SITE.to_string(), OTHER_RUN]),
                normalised(&missing_body, [&MISSING_SITE.to_string(), MISSING_RUN]),
                "{other_path} answers differently from a missing id ({how})"
            );
            assert!(!other_body.contains("other.example") && !other_body.contains("Second Media"), "{other_path}");
        }
    }

    // The site lists hold the caller's own sites only.
    let (_, body) = fetch(&anonymous, &app, "/api/v1/automation/sites/", Some(&token)).await;
    let ids: Vec<i64> = serde_json::from_str::<Value>(&body).unwrap()["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![OWN_SITE, 12]);
    let (status, body) = fetch(&session, &app, "/sfn/get_sites", None).await;
    assert_eq!(status, 200);
    assert!(body.contains("own.example") && !body.contains("other.example"), "{body}");
    let (_, page) = fetch(&session, &app, "/automation/overview", None).await;
    assert!(page.contains("own.example") && !page.contains("other.example"), "the site switcher leaks");
    assert!(page.contains("First Media") && !page.contains("Second Media"));
});

backends_test!(anonymous_calls_get_401_or_the_sign_in_redirect, |store: Store| async move {
    two_tenants(&store).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), None).await;
    let anonymous = http_client(false);
    let mut all = urls(OWN_SITE, OWN_RUN);
    all.push(("api", "/api/v1/automation/sites/".into()));
    all.push(("sfn", "/sfn/get_sites".into()));
    for (kind, path) in all {
        let response = anonymous.get(app.url(&path)).send().await.unwrap();
        let status = response.status().as_u16();
        let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_string());
        let has_challenge = response.headers().contains_key("www-authenticate");
        let body = response.text().await.unwrap();
        if kind == "page" {
            assert_eq!(status, 303, "{path}");
            let expected = format!("/sign-in?{}", serde_urlencoded::to_string([("next", path.as_str())]).unwrap());
            assert_eq!(location.as_deref(), Some(expected.as_str()), "{path}");
        } else {
            assert_eq!(status, 401, "{path}: {body}");
            let json: Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{path}: not JSON: {body}"));
            if kind == "api" {
                assert_eq!(json["error"]["code"], "unauthorized", "{path}");
            } else {
                // The server-function client's own error encoding, which the page turns into
                // "Sign in to continue".
                assert_eq!(json, "Unauthorized", "{path}");
            }
            assert_eq!(has_challenge, kind == "api", "{path}: WWW-Authenticate");
        }
        // A bad or foreign-looking token is no better than none.
        let (status, _) = fetch(&anonymous, &app, &path, Some("ar_not-a-real-token")).await;
        assert_eq!(status, 401, "{path} with a malformed token");
    }
    // Public: the sign-in form, health, the API document and the front end's files.
    for path in ["/sign-in", "/healthz", "/api/v1/openapi.json"] {
        assert_eq!(anonymous.get(app.url(path)).send().await.unwrap().status().as_u16(), 200, "{path}");
    }
});

backends_test!(revoked_tokens_stop_working, |store: Store| async move {
    two_tenants(&store).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), None).await;
    let (id, token) = app.auth.create_token(2, "to revoke", TokenScope::Read, COMMAND_LINE).await.unwrap();
    let client = http_client(false);
    let path = format!("/api/v1/automation/overview_stats/?site_id={OTHER_SITE}");
    assert_eq!(fetch(&client, &app, &path, Some(&token)).await.0, 200);
    app.auth.revoke_token(id, None, COMMAND_LINE).await.unwrap();
    assert_eq!(fetch(&client, &app, &path, Some(&token)).await.0, 401);
    let listed = app.auth.tokens(Some(2)).await.unwrap();
    assert!(listed.iter().all(|t| t.revoked_at.is_some() && t.last_used_at.is_some()));
});
