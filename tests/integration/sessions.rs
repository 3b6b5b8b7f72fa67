//! Sign-in, sign-out, session expiry and rotation, CSRF, the sign-in throttle, and the
//! hardening of every response (headers, limits, request ids), through the real HTTP server.

use automation_runs::server::db::Store;
use reqwest::header::{HeaderMap, SET_COOKIE};

use crate::data::*;
use crate::harness::*;

async fn one_account(store: &Store) {
    import_ok(store, &[account(1, "Solo Media", 50), site(11, 1, "Solo", "solo.example")]).await;
}

/// The value a response sets for `name`.
fn set_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_string()
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

backends_test!(sign_in_rotates_the_session_and_sign_out_ends_it, |store: Store| async move {
    one_account(&store).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), None).await;
    app.auth.add_user(1, "Solo@Solo.Example", "solo-password-1", None).await.unwrap();
    let client = http_client(true);

    // Back to where the user was going; the email matches without case.
    let response = app
        .sign_in_with(&client, "solo@solo.example", "solo-password-1", Some("/automation/overview?site_id=11"))
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/automation/overview?site_id=11");
    let first = set_cookie(response.headers(), "ar_session").expect("a session cookie");
    assert!(first.contains("HttpOnly") && first.contains("SameSite=Lax") && !first.contains("Secure"), "{first}");
    assert!(set_cookie(response.headers(), "ar_csrf").is_some(), "a new CSRF token at sign-in");
    let page = client.get(app.url("/automation/overview?site_id=11")).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("solo@solo.example") && html.contains("Sign out"), "the header shows who is signed in");

    // Signing in again issues another id and ends the one sent along.
    let response = app.sign_in_with(&client, "solo@solo.example", "solo-password-1", None).await;
    let second = set_cookie(response.headers(), "ar_session").unwrap();
    assert_ne!(cookie_value(&first), cookie_value(&second));
    let stale = http_client(false);
    let old = stale
        .get(app.url("/automation/overview"))
        .header("cookie", format!("ar_session={}", cookie_value(&first)))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status().as_u16(), 303, "the pre-rotation session id must not work");

    // Sign out: the form post with the CSRF token ends the session for good.
    let csrf = app.csrf_token(&client).await;
    let response = client.post(app.url("/sign-out")).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/sign-in?notice=signed-out");
    let after = stale
        .get(app.url("/automation/overview"))
        .header("cookie", format!("ar_session={}", cookie_value(&second)))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status().as_u16(), 303);
    assert_eq!(count_rows(&store, "sessions").await, 0);
});

backends_test!(a_wrong_password_and_an_unknown_email_get_the_same_answer, |store: Store| async move {
    one_account(&store).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), None).await;
    app.auth.add_user(1, "solo@solo.example", "solo-password-1", None).await.unwrap();
    let client = http_client(true);
    let wrong = app.sign_in_with(&client, "solo@solo.example", "not the password", Some("/automation/overview")).await;
    let unknown =
        app.sign_in_with(&client, "nobody@solo.example", "not the password", Some("/automation/overview")).await;
    assert_eq!(wrong.status().as_u16(), 303);
    assert_eq!(location(&wrong), location(&unknown));
    assert_eq!(location(&wrong), "/sign-in?error=invalid&next=%2Fautomation%2Foverview");
    assert!(set_cookie(wrong.headers(), "ar_session").is_none());
    let page = client.get(app.url(&location(&wrong))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("The email or password is not correct."), "{page:.500}");
    // An open redirect is not possible through `next`.
    let response = app.sign_in_with(&client, "solo@solo.example", "solo-password-1", Some("//evil.example/")).await;
    assert_eq!(location(&response), "/automation/overview");
});

backends_test!(sessions_expire_after_inactivity, |store: Store| async move {
    one_account(&store).await;
    let app = TestApp::spawn_idle(store.clone(), fixed_now(), 600).await;
    let client = app.signed_in_client(1, "solo@solo.example").await;
    let page = |path: &'static str| {
        let client = client.clone();
        let url = app.url(path);
        async move { client.get(url).send().await.unwrap() }
    };
    app.advance(590);
    assert_eq!(page("/automation/overview").await.status().as_u16(), 200, "still active at 590 s");
    // The request at 590 s extended the session.
    app.advance(590);
    assert_eq!(page("/automation/overview").await.status().as_u16(), 200, "extended by use");
    app.advance(600);
    let response = page("/automation/overview?site_id=11").await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/sign-in?error=expired&next=%2Fautomation%2Foverview%3Fsite_id%3D11");
    let api = page("/sfn/get_sites").await;
    assert_eq!(api.status().as_u16(), 401, "the expired session is gone");
});

backends_test!(state_changing_requests_need_the_csrf_token_and_our_origin, |store: Store| async move {
    one_account(&store).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), None).await;
    app.auth.add_user(1, "solo@solo.example", "solo-password-1", None).await.unwrap();
    let client = http_client(true);
    let csrf = app.csrf_token(&client).await;
    let form = |token: &str| {
        vec![
            ("email", "solo@solo.example".to_string()),
            ("password", "solo-password-1".to_string()),
            ("csrf_token", token.to_string()),
        ]
    };
    // No token, a wrong one, a right one from another origin: all 403, no session.
    for (token, origin) in [("", None), ("x".repeat(43).as_str(), None), (csrf.as_str(), Some("http://evil.example"))] {
        let mut request = client.post(app.url("/sign-in")).form(&form(token));
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), 403, "token {token:?} origin {origin:?}");
        assert!(set_cookie(response.headers(), "ar_session").is_none());
        assert!(response.text().await.unwrap().contains("The form expired. Reload the page and try again."));
    }
    // A token without the cookie it was issued with (another browser) is refused too.
    let other_browser = http_client(false);
    let response = other_browser.post(app.url("/sign-in")).form(&form(&csrf)).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 403);
    // Server functions and the API take no other method without a token either.
    let response = client.post(app.url("/sfn/get_sites")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 403);
    // The same origin and token: signed in.
    let origin = app.base.clone();
    let response = client.post(app.url("/sign-in")).header("origin", origin).form(&form(&csrf)).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert!(set_cookie(response.headers(), "ar_session").is_some());
});

backends_test!(failed_sign_ins_lock_the_email_then_the_address, |store: Store| async move {
    one_account(&store).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), None).await;
    app.auth.add_user(1, "solo@solo.example", "solo-password-1", None).await.unwrap();
    app.auth.add_user(1, "second@solo.example", "second-password", None).await.unwrap();
    let client = http_client(true);
    for attempt in 1..=5 {
        let response = app.sign_in_with(&client, "solo@solo.example", "wrong password", None).await;
        assert!(location(&response).starts_with("/sign-in?error=invalid"), "attempt {attempt}");
    }
    // Locked: even the right password is refused, with the lockout message.
    let response = app.sign_in_with(&client, "solo@solo.example", "solo-password-1", None).await;
    assert!(location(&response).starts_with("/sign-in?error=locked"), "{}", location(&response));
    let page = client.get(app.url(&location(&response))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Too many failed sign-in attempts. Try again in 15 minutes."));
    // Another email from the same address still signs in (per-email lock)…
    let response = app.sign_in_with(&client, "second@solo.example", "second-password", None).await;
    assert_eq!(location(&response), "/automation/overview");
    // …until the address itself reaches its limit (20 failures).
    for i in 0..15 {
        app.sign_in_with(&client, &format!("guess{i}@solo.example"), "wrong password", None).await;
    }
    let response = app.sign_in_with(&client, "second@solo.example", "second-password", None).await;
    assert!(location(&response).starts_with("/sign-in?error=locked"), "address lock");
    // Both locks end 15 minutes after the window's first failure.
    app.advance(15 * 60);
    let response = app.sign_in_with(&client, "solo@solo.example", "solo-password-1", None).await;
    assert_eq!(location(&response), "/automation/overview");
});

backends_test!(every_response_is_hardened, |store: Store| async move {
    one_account(&store).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let client = app.signed_in_client(1, "solo@solo.example").await;

    // Pages: a nonce-based policy that the page's inline scripts carry.
    let response = client.get(app.url("/automation/overview")).send().await.unwrap();
    let headers = response.headers().clone();
    let csp = headers["content-security-policy"].to_str().unwrap().to_string();
    let html = response.text().await.unwrap();
    let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("a nonce in the policy");
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let inline: Vec<&str> = html
        .split("<script")
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or_default())
        .filter(|tag| !tag.contains("src="))
        .collect();
    assert!(!inline.is_empty());
    for tag in inline {
        assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "an inline script without the nonce: <script{tag}>");
    }
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
        ("x-frame-options", "DENY"),
    ] {
        assert_eq!(headers[name], value, "{name}");
    }

    // API errors: no internal detail, and the request id of the header in the body.
    let (status, body) = app.get("/api/v1/automation/overview_stats/?site_id=abc").await;
    assert_eq!(status, 400);
    let response = app.get_raw("/api/v1/automation/run_detail/?run_id=run_missing").await;
    let id = response.headers()["x-request-id"].to_str().unwrap().to_string();
    let json: serde_json::Value = response.json().await.unwrap();
    assert_eq!(json["error"]["request_id"], id.as_str());
    assert!(!id.is_empty() && body["error"]["request_id"].is_string());

    // Bodies over 64 KiB: 413, before any handler reads them.
    let big = "x".repeat(100 * 1024);
    for content_type in ["application/x-www-form-urlencoded"] {
        let response = client
            .post(app.url("/sign-in"))
            .header("content-type", content_type)
            .header("x-csrf-token", app.csrf_token(&client).await)
            .body(big.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 413, "{content_type}");
    }
});
