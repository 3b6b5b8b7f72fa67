//! Issue 14, the account's team, through the real HTTP server on both backends: the role matrix
//! (each role against each state-changing endpoint and form), invitations over their life with a
//! moved clock, password changes ending the other sessions, removed users signed out at once, the
//! last-owner guard, API tokens made in the app, and the audit log of all of it.

use automation_runs::domain::team::Role;
use automation_runs::domain::team::TokenScope;
use automation_runs::server::auth::COMMAND_LINE;
use automation_runs::server::db::Store;
use serde_json::{json, Value};

use crate::data::*;
use crate::harness::*;

const OWNER: &str = "owner@team.example";
const MEMBER: &str = "member@team.example";
const VIEWER: &str = "viewer@team.example";

/// Account 1 with three sites (one per role's run request) and a large balance; account 2 with
/// one site, to be kept apart from.
async fn accounts(store: &Store) {
    import_ok(
        store,
        &[
            account(1, "Team Co", 1_000_000),
            site(11, 1, "Eleven", "eleven.example"),
            site(12, 1, "Twelve", "twelve.example"),
            site(13, 1, "Thirteen", "thirteen.example"),
            account(2, "Other Co", 10),
            site(21, 2, "Other", "other.example"),
        ],
    )
    .await;
}

async fn scalar(store: &Store, sql: &str, email: &str) -> Option<i64> {
    match store {
        Store::Sqlite(pool) => sqlx::query_scalar(sql).bind(email).fetch_optional(pool).await.unwrap(),
        Store::Postgres(pool) => sqlx::query_scalar(sql).bind(email).fetch_optional(pool).await.unwrap(),
    }
}

async fn user_id(store: &Store, email: &str) -> Option<i64> {
    scalar(store, "SELECT id FROM users WHERE email = $1", email).await
}

async fn sessions_of(store: &Store, email: &str) -> i64 {
    let sql = "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1";
    scalar(store, sql, email).await.unwrap_or(0)
}

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default()
}

/// Posts a form with the client's CSRF token; the redirect's location.
async fn post_form(app: &TestApp, client: &reqwest::Client, path: &str, fields: &[(&str, &str)]) -> String {
    let csrf = app.csrf_token(client).await;
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("csrf_token", &csrf));
    let response = client.post(app.url(path)).form(&form).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 303, "POST {path}: {:?}", response.text().await);
    location(&response)
}

/// A JSON call of the API with the session (and its CSRF header): status and body.
async fn api(app: &TestApp, client: &reqwest::Client, method: &str, path: &str, body: Value) -> (u16, Value) {
    let csrf = app.csrf_token(client).await;
    let request = match method {
        "PUT" => client.put(app.url(path)),
        "POST" => client.post(app.url(path)),
        _ => client.get(app.url(path)),
    };
    let request = if method == "GET" { request } else { request.header("x-csrf-token", csrf).json(&body) };
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn audit(app: &TestApp, client: &reqwest::Client) -> Vec<Value> {
    let (status, body) = api(app, client, "GET", "/api/v1/audit", Value::Null).await;
    assert_eq!(status, 200, "{body}");
    body["entries"].as_array().unwrap().clone()
}

/// The text of the element with this `data-testid` in a page's HTML.
fn testid_text(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("data-testid=\"{id}\""))?;
    let rest = &html[at..];
    let start = rest.find('>')? + 1;
    Some(rest[start..].split('<').next()?.to_string())
}

fn has_entry(entries: &[Value], actor: &str, action: &str) -> bool {
    entries.iter().any(|e| e["actor"] == actor && e["action"] == action)
}

/// A settings form: its path, fields, and where it goes back to when saved and when refused.
type FormCase = (&'static str, Vec<(&'static str, String)>, &'static str, &'static str);

backends_test!(each_role_may_do_what_its_role_allows_and_nothing_more, |store: Store| async move {
    accounts(&store).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), None).await;
    let owner = app.signed_in_client_as(1, OWNER, None).await;
    let member = app.signed_in_client_as(1, MEMBER, None).await;
    let viewer = app.signed_in_client_as(1, VIEWER, Some(Role::Viewer)).await;
    assert_eq!(scalar(&store, "SELECT COUNT(*) FROM users WHERE role = 'owner' AND email = $1", OWNER).await, Some(1));
    assert_eq!(
        scalar(&store, "SELECT COUNT(*) FROM users WHERE role = 'member' AND email = $1", MEMBER).await,
        Some(1),
        "the first user owns the account, the next is a member"
    );
    let extra = |email: String| {
        let auth = app.auth.clone();
        async move { auth.add_user(1, &email, "extra-password", Some(Role::Viewer)).await.unwrap().0 }
    };
    let viewer_id = user_id(&store, VIEWER).await.unwrap().to_string();

    // The refused roles go first, so what the owner then does finds the account untouched.
    let cases = [(&viewer, "viewer", 13, false), (&member, "member", 12, true), (&owner, "owner", 11, true)];
    for (client, role, site, may_request) in cases {
        let is_owner = role == "owner";
        let refused = |allowed: bool, code: u16| if allowed { code } else { 403 };
        // JSON API.
        let body = json!({"site_id": site, "kind": "run", "confirm_over_balance": true});
        let (status, answer) = api(&app, client, "POST", "/api/v1/automation/run_requests", body).await;
        assert_eq!(status, refused(may_request, 201), "{role}: POST run_requests {answer}");
        if !may_request {
            assert_eq!(answer["error"]["code"], "forbidden", "{role}: {answer}");
            assert!(answer["error"]["message"].as_str().unwrap().contains("viewer"), "{answer}");
        }
        let (status, answer) =
            api(&app, client, "PUT", "/api/v1/automation/budget", json!({"monthly_budget": 5000})).await;
        assert_eq!(status, refused(is_owner, 200), "{role}: PUT budget {answer}");
        let (status, answer) =
            api(&app, client, "PUT", "/api/v1/automation/alerts", json!({"webhook_url": null})).await;
        assert_eq!(status, refused(is_owner, 200), "{role}: PUT alerts {answer}");
        let (status, _) = api(&app, client, "GET", "/api/v1/audit", Value::Null).await;
        assert_eq!(status, refused(is_owner, 200), "{role}: GET audit");

        // Forms: refused ones come back with `forbidden`, said in words on the page.
        let site = site.to_string();
        let back = format!("/automation/overview?site_id={site}");
        let fields = [("site_id", site.as_str()), ("kind", "run"), ("confirm_over_balance", "1"), ("return_to", &back)];
        let to = post_form(&app, client, "/automation/run_requests", &fields).await;
        let expected = if may_request { "request=filed" } else { "request_error=forbidden" };
        assert_eq!(to, format!("{back}&{expected}"), "{role}: run request form");

        let forms: [FormCase; 7] = [
            ("/settings/budget", vec![("monthly_budget", "7000".into())], "saved=budget", "budget_error"),
            ("/settings/alerts", vec![("webhook_url", String::new())], "saved=alerts", "alerts_error"),
            (
                "/settings/team/role",
                vec![("user_id", viewer_id.clone()), ("role", "viewer".into())],
                "saved=team",
                "team_error",
            ),
            (
                "/settings/team/invite",
                vec![("email", format!("new-{role}@team.example")), ("role", "viewer".into())],
                "saved=invite",
                "team_error",
            ),
            (
                "/settings/team/remove",
                vec![(
                    "user_id",
                    extra(if is_owner { "gone@team.example".into() } else { format!("stays-{role}@team.example") })
                        .await
                        .to_string(),
                )],
                "saved=team",
                "team_error",
            ),
            (
                "/settings/tokens/create",
                vec![("name", format!("{role} token")), ("scope", "read".into())],
                "saved=token",
                "token_error",
            ),
            (
                "/settings/tokens/revoke",
                vec![(
                    "token_id",
                    app.auth
                        .create_token(1, &format!("for {role}"), TokenScope::Read, COMMAND_LINE)
                        .await
                        .unwrap()
                        .0
                        .to_string(),
                )],
                "saved=token-revoked",
                "token_error",
            ),
        ];
        for (path, fields, saved, error) in forms {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let to = post_form(&app, client, path, &fields).await;
            let expected = if is_owner { format!("/settings?{saved}") } else { format!("/settings?{error}=forbidden") };
            assert_eq!(to, expected, "{role}: {path}");
        }
        // The page says why in words.
        let page = client.get(app.url("/settings?team_error=forbidden")).send().await.unwrap().text().await.unwrap();
        if !is_owner {
            assert!(page.contains("your role may not do this"), "{role}: {page:.300}");
            assert!(!page.contains("Create invitation link"), "{role}: no team section");
        }
        // Every role may change its own password (here refused only for the wrong current one).
        let fields = [
            ("current_password", "wrong"),
            ("new_password", "long enough 123"),
            ("new_password_again", "long enough 123"),
        ];
        let to = post_form(&app, client, "/settings/password", &fields).await;
        assert_eq!(to, "/settings?password_error=wrong_password", "{role}");
    }

    // Nothing the refused roles tried took effect; everything the owner did did.
    let requests = app_requests(&app, &owner, 13).await;
    assert!(requests.is_empty(), "the viewer's request was not filed: {requests:?}");
    assert_eq!(app_requests(&app, &owner, 12).await[0]["requested_by"], MEMBER);
    assert!(user_id(&store, "stays-viewer@team.example").await.is_some());
    assert!(user_id(&store, "stays-member@team.example").await.is_some());
    assert!(user_id(&store, "gone@team.example").await.is_none());
    assert_eq!(count_rows(&store, "invitations").await, 1, "only the owner's invitation");
    let tokens = app.auth.tokens(Some(1)).await.unwrap();
    let live = |name: &str| tokens.iter().any(|t| t.name == name && t.revoked_at.is_none());
    assert!(live("for viewer") && live("for member") && !live("for owner"), "{tokens:?}");
    assert!(tokens.iter().any(|t| t.name == "owner token") && !tokens.iter().any(|t| t.name == "member token"));
    let (_, budget) = api(&app, &owner, "GET", "/api/v1/automation/budget", Value::Null).await;
    assert_eq!(budget["monthly_budget"], 7000);

    // The audit log names who did what.
    let entries = audit(&app, &owner).await;
    for action in
        ["budget_changed", "webhook_changed", "user_invited", "user_removed", "token_created", "token_revoked"]
    {
        assert!(has_entry(&entries, OWNER, action), "{action}: {entries:?}");
    }
    assert!(has_entry(&entries, OWNER, "run_requested") && has_entry(&entries, MEMBER, "run_requested"));
    assert!(!has_entry(&entries, VIEWER, "run_requested"));
    // A read token reads it too; another account's log is its own.
    let (status, other) = {
        let token = app.auth.create_token(2, "reader", TokenScope::Read, COMMAND_LINE).await.unwrap().1;
        let response = app.client.get(app.url("/api/v1/audit")).bearer_auth(token).send().await.unwrap();
        (response.status().as_u16(), response.json::<Value>().await.unwrap())
    };
    assert_eq!(status, 200);
    let other = other["entries"].as_array().unwrap();
    assert!(other.iter().all(|e| e["target"] == "reader"), "account 2 sees only its own: {other:?}");
});

async fn app_requests(app: &TestApp, client: &reqwest::Client, site: i64) -> Vec<Value> {
    let (status, body) =
        api(app, client, "GET", &format!("/api/v1/automation/run_requests?site_id={site}"), Value::Null).await;
    assert_eq!(status, 200, "{body}");
    body["requests"].as_array().unwrap().clone()
}

backends_test!(the_last_owner_stays_and_removed_users_lose_their_session_at_once, |store: Store| async move {
    accounts(&store).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), None).await;
    let owner = app.signed_in_client_as(1, OWNER, None).await;
    let member = app.signed_in_client_as(1, MEMBER, None).await;
    let owner_id = user_id(&store, OWNER).await.unwrap().to_string();
    let member_id = user_id(&store, MEMBER).await.unwrap().to_string();

    // The only owner may neither step down nor leave.
    for (path, fields) in [
        ("/settings/team/role", vec![("user_id", owner_id.as_str()), ("role", "member")]),
        ("/settings/team/remove", vec![("user_id", owner_id.as_str())]),
    ] {
        assert_eq!(post_form(&app, &owner, path, &fields).await, "/settings?team_error=last_owner", "{path}");
    }
    let page = owner.get(app.url("/settings?team_error=last_owner")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("An account keeps at least one owner"), "{page:.300}");

    // Another owner first; then the first may step down, at once a member.
    let fields = [("user_id", member_id.as_str()), ("role", "owner")];
    assert_eq!(post_form(&app, &owner, "/settings/team/role", &fields).await, "/settings?saved=team");
    let (status, _) = api(&app, &member, "PUT", "/api/v1/automation/budget", json!({"monthly_budget": 1})).await;
    assert_eq!(status, 200, "the promotion holds at the next request");
    let fields = [("user_id", owner_id.as_str()), ("role", "viewer")];
    assert_eq!(post_form(&app, &owner, "/settings/team/role", &fields).await, "/settings?saved=team");
    let (status, _) = api(&app, &owner, "PUT", "/api/v1/automation/budget", json!({"monthly_budget": 2})).await;
    assert_eq!(status, 403, "the demotion holds at the next request");

    // A user of another account is not found, whatever its id.
    let outsider = app.auth.add_user(2, "outsider@other.example", "outsider-password", None).await.unwrap().0;
    let fields = [("user_id", outsider.to_string())];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(post_form(&app, &member, "/settings/team/remove", &fields).await, "/settings?team_error=not_found");

    // Removed: the session ends now, not at its idle time.
    assert!(sessions_of(&store, OWNER).await > 0);
    let fields = [("user_id", owner_id.as_str())];
    assert_eq!(post_form(&app, &member, "/settings/team/remove", &fields).await, "/settings?saved=team");
    assert_eq!(sessions_of(&store, OWNER).await, 0);
    let page = owner.get(app.url("/automation/overview")).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 303);
    assert!(location(&page).starts_with("/sign-in"));
    assert_eq!(owner.get(app.url("/sfn/get_sites")).send().await.unwrap().status().as_u16(), 401);
    // And the last owner, now the promoted member, stays.
    let fields = [("user_id", member_id.as_str())];
    assert_eq!(post_form(&app, &member, "/settings/team/remove", &fields).await, "/settings?team_error=last_owner");

    let entries = audit(&app, &member).await;
    let changes: Vec<(&str, &str)> = entries
        .iter()
        .filter(|e| e["action"] == "role_changed")
        .map(|e| (e["target"].as_str().unwrap(), e["detail"].as_str().unwrap()))
        .collect();
    assert_eq!(changes, [(OWNER, "owner → viewer"), (MEMBER, "member → owner")], "newest first");
    assert!(entries.iter().any(|e| e["action"] == "user_removed" && e["target"] == OWNER && e["actor"] == MEMBER));
});

backends_test!(an_invitation_works_once_and_for_seven_days, |store: Store| async move {
    accounts(&store).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), None).await;
    let owner = app.signed_in_client_as(1, OWNER, None).await;

    // Made in the settings: the link is on the next settings page, once, and in no URL.
    let csrf = app.csrf_token(&owner).await;
    let form = [("email", "Invitee@Team.Example"), ("role", "member"), ("csrf_token", csrf.as_str())];
    let response = owner.post(app.url("/settings/team/invite")).form(&form).send().await.unwrap();
    assert_eq!(location(&response), "/settings?saved=invite");
    let page = owner.get(app.url("/settings?saved=invite")).send().await.unwrap().text().await.unwrap();
    let link = testid_text(&page, "invitation-link").expect("the link, once");
    assert!(link.starts_with(&format!("{}/join/", app.base)), "{link}");
    let again = owner.get(app.url("/settings")).send().await.unwrap().text().await.unwrap();
    assert!(testid_text(&again, "invitation-link").is_none(), "shown once");
    assert!(again.contains("invitee@team.example"), "listed as pending");
    let path = link.strip_prefix(&app.base).unwrap().to_string();
    let token = path.strip_prefix("/join/").unwrap().to_string();

    // The invitee: no account yet, the page says whose invitation it is.
    let invitee = http_client(true);
    let page = invitee.get(app.url(&path)).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("You are invited to Team Co as member") && html.contains("invitee@team.example"),
        "{html:.800}"
    );
    let join = |password: &'static str, again: &'static str| {
        let (invitee, token, url) = (invitee.clone(), token.clone(), app.url("/join"));
        let app = &app;
        async move {
            let csrf = app.csrf_token(&invitee).await;
            let form =
                [("token", token.as_str()), ("password", password), ("password_again", again), ("csrf_token", &csrf)];
            location(&invitee.post(url).form(&form).send().await.unwrap())
        }
    };
    assert_eq!(join("first password", "other password").await, format!("{path}?error=passwords_differ"));
    assert_eq!(join("short", "short").await, format!("{path}?error=weak_password"));
    assert_eq!(join("invitee-password", "invitee-password").await, "/sign-in?notice=joined");
    let response = app.sign_in_with(&invitee, "invitee@team.example", "invitee-password", None).await;
    assert_eq!(location(&response), "/automation/overview", "the new member signs in");
    let settings = invitee.get(app.url("/settings")).send().await.unwrap().text().await.unwrap();
    assert!(settings.contains("data-testid=\"account-role\">Member<"), "{settings:.300}");

    // Once only: the link says it was used.
    assert_eq!(join("another-password", "another-password").await, format!("{path}?error=invitation_used"));
    let html = http_client(true).get(app.url(&path)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("has already been used"), "{html:.800}");
    assert_eq!(count_rows(&store, "users").await, 2);

    // An email that is already a user's cannot be invited.
    let csrf = app.csrf_token(&owner).await;
    let form = [("email", "invitee@team.example"), ("role", "viewer"), ("csrf_token", csrf.as_str())];
    let response = owner.post(app.url("/settings/team/invite")).form(&form).send().await.unwrap();
    assert_eq!(location(&response), "/settings?team_error=already_user");
    // Seven days: open a second before, expired at the seventh day.
    let token = app.auth.invite(1, "late@team.example", Role::Viewer, COMMAND_LINE).await.unwrap();
    let late = format!("/join/{token}");
    app.advance(7 * 24 * 3600 - 1);
    let html = http_client(true).get(app.url(&late)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("as viewer"), "still open: {html:.800}");
    app.advance(1);
    let html = http_client(true).get(app.url(&late)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("has expired"), "{html:.800}");
    let client = http_client(true);
    let csrf = app.csrf_token(&client).await;
    let form = [
        ("token", token.as_str()),
        ("password", "late-password"),
        ("password_again", "late-password"),
        ("csrf_token", &csrf),
    ];
    let response = client.post(app.url("/join")).form(&form).send().await.unwrap();
    assert_eq!(location(&response), format!("{late}?error=invitation_expired"));
    assert!(user_id(&store, "late@team.example").await.is_none());
    // A link never issued, or mangled.
    for bad in ["/join/not-a-token", &format!("/join/{}", "x".repeat(43))] {
        let html = http_client(true).get(app.url(bad)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("is not valid"), "{bad}: {html:.800}");
    }

    // The owner's session idled out over the week: a new one reads the log.
    let owner = http_client(true);
    app.sign_in_with(&owner, OWNER, "integration-password", None).await;
    let entries = audit(&app, &owner).await;
    assert!(has_entry(&entries, OWNER, "user_invited") && has_entry(&entries, COMMAND_LINE, "user_invited"));
    assert!(has_entry(&entries, "invitee@team.example", "invitation_accepted"));
});

backends_test!(a_password_change_ends_the_other_sessions, |store: Store| async move {
    accounts(&store).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), None).await;
    let here = app.signed_in_client_as(1, OWNER, None).await;
    let elsewhere = http_client(true);
    let signed_in = app.sign_in_with(&elsewhere, OWNER, "integration-password", None).await;
    assert_eq!(location(&signed_in), "/automation/overview");
    assert_eq!(sessions_of(&store, OWNER).await, 2);

    let change = |current: &'static str, new: &'static str, again: &'static str| {
        let here = here.clone();
        let app = &app;
        async move {
            let fields = [("current_password", current), ("new_password", new), ("new_password_again", again)];
            post_form(app, &here, "/settings/password", &fields).await
        }
    };
    assert_eq!(
        change("integration-password", "new password 1", "new password 2").await,
        "/settings?password_error=passwords_differ"
    );
    assert_eq!(change("integration-password", "short", "short").await, "/settings?password_error=weak_password");
    assert_eq!(change("integration-password", "new password 1", "new password 1").await, "/settings?saved=password");
    assert_eq!(sessions_of(&store, OWNER).await, 1, "only this browser's session is left");
    assert_eq!(here.get(app.url("/automation/overview")).send().await.unwrap().status().as_u16(), 200);
    assert_eq!(elsewhere.get(app.url("/automation/overview")).send().await.unwrap().status().as_u16(), 303);
    let stored =
        scalar(&store, "SELECT COUNT(*) FROM users WHERE email = $1 AND password_hash LIKE '$argon2id$%'", OWNER);
    assert_eq!(stored.await, Some(1));
    let client = http_client(true);
    assert!(location(&app.sign_in_with(&client, OWNER, "integration-password", None).await).contains("error=invalid"));
    assert_eq!(location(&app.sign_in_with(&client, OWNER, "new password 1", None).await), "/automation/overview");

    // Wrong current passwords count as failed sign-ins: the fifth locks the form like sign-in.
    for _ in 0..5 {
        assert_eq!(
            change("wrong", "new password 2", "new password 2").await,
            "/settings?password_error=wrong_password"
        );
    }
    assert_eq!(
        change("new password 1", "new password 2", "new password 2").await,
        "/settings?password_error=rate_limited"
    );
    let entries = audit(&app, &here).await;
    assert_eq!(entries.iter().filter(|e| e["action"] == "password_changed").count(), 1);
});

backends_test!(an_owner_makes_and_revokes_tokens_in_the_app, |store: Store| async move {
    accounts(&store).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), None).await;
    let owner = app.signed_in_client_as(1, OWNER, None).await;
    let fields = [("name", "reports"), ("scope", "read")];
    let csrf = app.csrf_token(&owner).await;
    let mut form = fields.to_vec();
    form.push(("csrf_token", &csrf));
    let response = owner.post(app.url("/settings/tokens/create")).form(&form).send().await.unwrap();
    assert_eq!(location(&response), "/settings?saved=token");
    let cookie =
        response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect::<Vec<_>>();
    assert!(cookie.iter().any(|c| c.starts_with("ar_reveal_token=") && c.contains("HttpOnly")), "{cookie:?}");
    let page = owner.get(app.url("/settings?saved=token")).send().await.unwrap().text().await.unwrap();
    let secret = testid_text(&page, "token-secret").expect("the secret, once");
    assert!(secret.starts_with("ar_"), "{secret}");
    let again = owner.get(app.url("/settings")).send().await.unwrap().text().await.unwrap();
    assert!(!again.contains(&secret) && again.contains("data-name=\"reports\""));

    let call = |secret: String| {
        let client = app.client.clone();
        let url = app.url("/api/v1/automation/sites/");
        async move { client.get(url).bearer_auth(secret).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(call(secret.clone()).await, 200);
    let tokens = app.auth.tokens(Some(1)).await.unwrap();
    let id = tokens.iter().find(|t| t.name == "reports").unwrap().id;
    assert!(tokens.iter().find(|t| t.name == "reports").unwrap().last_used_at.is_some(), "its last use is kept");
    // Another account's token is not the owner's to revoke.
    let foreign = app.auth.create_token(2, "foreign", TokenScope::Ingest, COMMAND_LINE).await.unwrap().0.to_string();
    let to = post_form(&app, &owner, "/settings/tokens/revoke", &[("token_id", foreign.as_str())]).await;
    assert_eq!(to, "/settings?token_error=not_found");
    let to = post_form(&app, &owner, "/settings/tokens/revoke", &[("token_id", id.to_string().as_str())]).await;
    assert_eq!(to, "/settings?saved=token-revoked");
    assert_eq!(call(secret).await, 401);
    let to = post_form(&app, &owner, "/settings/tokens/create", &[("name", "  "), ("scope", "read")]).await;
    assert_eq!(to, "/settings?token_error=token_name");
    let entries = audit(&app, &owner).await;
    let of = |action: &str| entries.iter().filter(|e| e["action"] == action && e["target"] == "reports").count();
    assert_eq!((of("token_created"), of("token_revoked")), (1, 1));
});
