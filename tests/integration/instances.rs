//! More than one instance, and instances behind a proxy: two apps with stores of their own on
//! one database (as two `serve` processes have) share the sign-in throttle, and the throttle and
//! Secure cookies believe a proxy's forwarding headers only when the proxy is trusted.

use automation_runs::server::db::Store;

use crate::data::*;
use crate::harness::*;

const USER: &str = "solo@solo.example";
const PASSWORD: &str = "solo-password-1";

async fn one_account(store: &Store) {
    import_ok(store, &[account(1, "Solo Media", 50), site(11, 1, "Solo", "solo.example")]).await;
}

/// Posts the sign-in form with `headers` added; the answer's Location, and the answer.
async fn sign_in(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
    headers: &[(&str, &str)],
) -> (String, reqwest::Response) {
    let csrf = app.csrf_token(client).await;
    let mut request =
        client.post(app.url("/sign-in")).form(&[("email", email), ("password", password), ("csrf_token", &csrf)]);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status().as_u16(), 303, "sign-in of {email} answers with a redirect");
    let location = response.headers()["location"].to_str().unwrap().to_string();
    (location, response)
}

fn session_cookie(response: &reqwest::Response) -> String {
    let cookies = response.headers().get_all("set-cookie");
    let mut values = cookies.iter().filter_map(|v| v.to_str().ok());
    values.find(|v| v.starts_with("ar_session=")).expect("a session cookie").to_string()
}

fn outcome(location: &str) -> &'static str {
    if location == "/automation/overview" {
        "signed in"
    } else if location.starts_with("/sign-in?error=invalid") {
        "invalid"
    } else if location.starts_with("/sign-in?error=locked") {
        "locked"
    } else {
        panic!("unexpected redirect after sign-in: {location}")
    }
}

/// The throttle across two instances: failures sent to either count on both.
async fn two_instances_share_the_sign_in_throttle(db: TestDb) {
    one_account(&db.store).await;
    let first = TestApp::spawn_as(db.store.clone(), fixed_now(), None).await;
    let second_store = Store::connect(&db.url, 4).await.expect("a second store on the same database");
    let second = TestApp::spawn_as(second_store.clone(), fixed_now(), None).await;
    first.auth.add_user(1, USER, PASSWORD, None).await.unwrap();
    second.auth.add_user(1, "second@solo.example", "second-password", None).await.unwrap();
    let apps = [&first, &second];
    let clients = [http_client(true), http_client(true)];

    // Five wrong passwords, alternating between the instances as a round-robin balancer would.
    for attempt in 0..5 {
        let (location, _) = sign_in(apps[attempt % 2], &clients[attempt % 2], USER, "wrong password", &[]).await;
        assert_eq!(outcome(&location), "invalid", "attempt {attempt}");
    }
    // Each instance saw at most three of them; both lock the email, even for the right password.
    for (i, app) in apps.iter().enumerate() {
        let (location, _) = sign_in(app, &clients[i], USER, PASSWORD, &[]).await;
        assert_eq!(outcome(&location), "locked", "instance {i} locks the email");
    }
    // The address (both instances see 127.0.0.1) reaches its limit of 20 the same way: the five
    // wrong passwords count, the locked attempts and the right password do not.
    let (location, _) = sign_in(&second, &clients[1], "second@solo.example", "second-password", &[]).await;
    assert_eq!(outcome(&location), "signed in", "another email from the same address still signs in");
    for i in 0..15 {
        let app = apps[i % 2];
        let (location, _) = sign_in(app, &clients[i % 2], &format!("guess{i}@solo.example"), "wrong", &[]).await;
        assert_eq!(outcome(&location), "invalid", "guess {i}");
    }
    for (i, app) in apps.iter().enumerate() {
        let (location, _) = sign_in(app, &clients[i], "second@solo.example", "second-password", &[]).await;
        assert_eq!(outcome(&location), "locked", "instance {i} locks the address");
    }
    // The locks end for both 15 minutes after the first failure.
    for app in apps {
        app.advance(15 * 60);
    }
    let (location, _) = sign_in(&second, &clients[1], USER, PASSWORD, &[]).await;
    assert_eq!(outcome(&location), "signed in");
    drop((first, second));
    second_store.close().await;
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_the_sign_in_throttle_sqlite() {
    two_instances_share_the_sign_in_throttle(TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_the_sign_in_throttle_postgres() {
    let Some(db) = TestDb::postgres().await else { return };
    two_instances_share_the_sign_in_throttle(db).await;
}

/// Twenty failures from `client_ip` (as the header says), each with another email so that only
/// the address can lock.
async fn fail_twenty_times(app: &TestApp, client: &reqwest::Client, forwarded_for: &dyn Fn(usize) -> String) {
    for i in 0..20 {
        let header = forwarded_for(i);
        let (location, _) =
            sign_in(app, client, &format!("guess{i}@solo.example"), "wrong", &[("x-forwarded-for", &header)]).await;
        assert_eq!(outcome(&location), "invalid", "guess {i}");
    }
}

backends_test!(a_trusted_proxy_names_the_client, |store: Store| async move {
    one_account(&store).await;
    // The test's requests come from 127.0.0.1: here that is the balancer.
    let app = TestApp::spawn_behind(store.clone(), fixed_now(), "127.0.0.1, 10.0.0.0/8").await;
    app.auth.add_user(1, USER, PASSWORD, None).await.unwrap();
    let client = http_client(true);
    // The client's own claim (left) is not believed; the balancer's entry (right) is, and a
    // trusted inner proxy (10.0.0.2) is skipped.
    fail_twenty_times(&app, &client, &|_| "198.51.100.99, 203.0.113.7, 10.0.0.2".into()).await;
    let (location, _) = sign_in(&app, &client, USER, PASSWORD, &[("x-forwarded-for", "203.0.113.7")]).await;
    assert_eq!(outcome(&location), "locked", "the forwarded client is locked");
    let (location, _) = sign_in(&app, &client, USER, PASSWORD, &[("x-forwarded-for", "198.51.100.99")]).await;
    assert_eq!(outcome(&location), "signed in", "another client behind the same balancer is not");

    // X-Forwarded-Proto: https from the trusted balancer makes the cookies Secure.
    let (_, response) = sign_in(&app, &http_client(true), USER, PASSWORD, &[("x-forwarded-proto", "https")]).await;
    let cookie = session_cookie(&response);
    assert!(cookie.ends_with("; Secure"), "{cookie}");
    assert_eq!(response.headers()["strict-transport-security"], "max-age=31536000");
});

backends_test!(an_untrusted_peer_is_not_believed, |store: Store| async move {
    one_account(&store).await;
    // A proxy is configured, but the test's requests do not come from it.
    let app = TestApp::spawn_behind(store.clone(), fixed_now(), "10.0.0.0/8").await;
    app.auth.add_user(1, USER, PASSWORD, None).await.unwrap();
    let client = http_client(true);
    // A new address in the header at every attempt does not escape the per-address limit.
    fail_twenty_times(&app, &client, &|i| format!("203.0.113.{i}")).await;
    let (location, _) = sign_in(&app, &client, USER, PASSWORD, &[("x-forwarded-for", "198.51.100.1")]).await;
    assert_eq!(outcome(&location), "locked", "the peer's address is what counts");

    // Nor does a claimed https make the cookies Secure.
    let fresh = TestApp::spawn_behind(store.clone(), fixed_now() + chrono::Duration::hours(1), "10.0.0.0/8").await;
    let (location, response) =
        sign_in(&fresh, &http_client(true), USER, PASSWORD, &[("x-forwarded-proto", "https")]).await;
    assert_eq!(outcome(&location), "signed in");
    let cookie = session_cookie(&response);
    assert!(!cookie.contains("Secure"), "{cookie}");
    assert!(response.headers().get("strict-transport-security").is_none());
});
