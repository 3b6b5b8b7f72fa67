//! Test databases (SQLite and PostgreSQL), the running app, and small helpers.

use automation_runs::server::auth::COMMAND_LINE;
use std::future::Future;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use automation_runs::domain::proxy::TrustedProxies;
use automation_runs::server::auth::Auth;
use automation_runs::server::config::Settings;
use automation_runs::server::db::Store;
use automation_runs::server::import::{import_reader, ImportOptions, ImportReport};
use automation_runs::server::service::Clock;
use automation_runs::server::startup::Application;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::Connection;

/// The PostgreSQL database the tests connect to in order to create their own.
pub const PG_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
const PG_SERVER: &str = "postgres://postgres@127.0.0.1:5432";

static DB_COUNTER: AtomicU64 = AtomicU64::new(0);

/// `ar_test_{pid}_{counter}_{nanos}`: unique across parallel tests and test processes.
fn unique_db_name() -> String {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("ar_test_{}_{}_{}", std::process::id(), DB_COUNTER.fetch_add(1, Ordering::SeqCst), nanos)
}

async fn admin_connection() -> Result<sqlx::PgConnection, String> {
    match tokio::time::timeout(Duration::from_secs(10), sqlx::PgConnection::connect(PG_ADMIN_URL)).await {
        Ok(Ok(c)) => Ok(c),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("timed out".into()),
    }
}

async fn drop_pg_database(name: &str) {
    if let Ok(mut admin) = admin_connection().await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).execute(&mut admin).await;
        let _ = admin.close().await;
    }
}

/// A PostgreSQL database created for one test; dropped by [`TestDb::cleanup`], or at the
/// latest when this is dropped (a panicking test), from a thread with a runtime of its own.
struct PgDatabase {
    name: String,
    dropped: bool,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        let name = self.name.clone();
        let _ = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() {
                rt.block_on(drop_pg_database(&name));
            }
        })
        .join();
    }
}

/// A fresh, migrated store of its own.
pub struct TestDb {
    pub store: Store,
    /// Where the store is, for a second connection (another instance).
    pub url: String,
    pg: Option<PgDatabase>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// SQLite in a real file of a temp folder.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/test.db", dir.path().display());
        let store = Store::connect(&url, 4).await.expect("SQLite store");
        TestDb { store, url, pg: None, _dir: Some(dir) }
    }

    /// A new database on the local PostgreSQL server; `None` (after printing why) when no
    /// server answers, unless `CI` is set, where that is a failure.
    pub async fn postgres() -> Option<TestDb> {
        Self::postgres_with("").await
    }

    /// Like [`TestDb::postgres`], with extra `CREATE DATABASE` options (e.g. a collation).
    /// `None` too when the server refuses those options (printed).
    pub async fn postgres_with(create_options: &str) -> Option<TestDb> {
        let mut admin = match admin_connection().await {
            Ok(c) => c,
            Err(e) => {
                if std::env::var_os("CI").is_some() {
                    panic!("PostgreSQL not reachable at {PG_ADMIN_URL} and CI is set: {e}");
                }
                println!("skipped: PostgreSQL not reachable ({e})");
                return None;
            }
        };
        let name = unique_db_name();
        let created = sqlx::query(&format!("CREATE DATABASE \"{name}\" {create_options}")).execute(&mut admin).await;
        let _ = admin.close().await;
        if let Err(e) = created {
            if create_options.is_empty() {
                panic!("CREATE DATABASE {name}: {e}");
            }
            println!("skipped: the server cannot CREATE DATABASE {create_options}: {e}");
            return None;
        }
        let pg = PgDatabase { name: name.clone(), dropped: false };
        let url = format!("{PG_SERVER}/{name}");
        let store = Store::connect(&url, 4).await.expect("PostgreSQL store");
        Some(TestDb { store, url, pg: Some(pg), _dir: None })
    }

    /// Closes the store and drops the PostgreSQL database.
    pub async fn cleanup(mut self) {
        self.store.close().await;
        if let Some(pg) = self.pg.as_mut() {
            drop_pg_database(&pg.name).await;
            pg.dropped = true;
        }
    }
}

/// Runs `test` on a fresh SQLite store.
pub async fn on_sqlite<F, Fut>(test: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let db = TestDb::sqlite().await;
    test(db.store.clone()).await;
    db.cleanup().await;
}

/// Runs `test` on a fresh PostgreSQL store (or skips, see [`TestDb::postgres`]).
pub async fn on_postgres<F, Fut>(test: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let Some(db) = TestDb::postgres().await else { return };
    test(db.store.clone()).await;
    db.cleanup().await;
}

/// `backends_test!(name, |store| async move { ... })` makes the tests `name::sqlite` and
/// `name::postgres`, the same body on a fresh store of each backend.
macro_rules! backends_test {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::harness::on_sqlite($body).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::harness::on_postgres($body).await;
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Importing
// ---------------------------------------------------------------------------------------------

pub async fn import_text(store: &Store, text: &str, skip_invalid: bool) -> ImportReport {
    let reader = std::io::Cursor::new(text.as_bytes().to_vec());
    import_reader(store, reader, ImportOptions { skip_invalid, ..ImportOptions::default() })
        .await
        .expect("import_reader failed")
}

/// Imports `lines` (one NDJSON object each) and asserts that every line was valid and the file
/// committed.
pub async fn import_ok(store: &Store, lines: &[String]) -> ImportReport {
    let report = import_text(store, &lines.join("\n"), false).await;
    assert!(report.errors.is_empty(), "unexpected bad lines: {:?}", report.errors);
    assert_eq!(report.invalid_lines, 0);
    assert!(report.committed, "import not committed: {report:?}");
    report
}

/// Rows of a table, straight from the database.
pub async fn count_rows(store: &Store, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    match store {
        Store::Sqlite(pool) => sqlx::query_scalar::<_, i64>(&sql).fetch_one(pool).await.unwrap(),
        Store::Postgres(pool) => sqlx::query_scalar::<_, i64>(&sql).fetch_one(pool).await.unwrap(),
    }
}

// ---------------------------------------------------------------------------------------------
// The app
// ---------------------------------------------------------------------------------------------

/// The real app on a free port, with a clock fixed at `now` that a test may move forward.
/// Requests of [`TestApp::get`] and friends carry an API token of the account the app was
/// spawned for (see [`TestApp::spawn`]).
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub auth: Auth,
    calls_as: CallsAs,
    token: tokio::sync::OnceCell<Option<String>>,
    store: Store,
    clock_offset: Arc<AtomicI64>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    _site_root: tempfile::TempDir,
}

/// Whose token the app's own requests carry.
#[derive(Debug, Clone, Copy)]
enum CallsAs {
    /// The store's only account, looked up at the first request (tests often import after
    /// spawning).
    OnlyAccount,
    Account(i64),
    Anonymous,
}

/// A client that follows no redirect, so tests see them.
pub fn http_client(cookies: bool) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(cookies)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

impl TestApp {
    /// The app, calling as the store's only account at the first request (anonymous when there
    /// is none; a store with several accounts must say which, with [`TestApp::spawn_as`]).
    pub async fn spawn(store: Store, now: DateTime<Utc>) -> TestApp {
        Self::spawn_with(store, now, CallsAs::OnlyAccount, 7200).await
    }

    /// The app, calling with a token of `account` (or anonymously).
    pub async fn spawn_as(store: Store, now: DateTime<Utc>, account: Option<i64>) -> TestApp {
        Self::spawn_with(store, now, account.map_or(CallsAs::Anonymous, CallsAs::Account), 7200).await
    }

    /// An anonymous app whose sessions end after `session_idle_secs`.
    pub async fn spawn_idle(store: Store, now: DateTime<Utc>, session_idle_secs: i64) -> TestApp {
        Self::spawn_with(store, now, CallsAs::Anonymous, session_idle_secs).await
    }

    /// An anonymous app that believes the forwarding headers of `trusted_proxies`.
    pub async fn spawn_behind(store: Store, now: DateTime<Utc>, trusted_proxies: &str) -> TestApp {
        let trusted = TrustedProxies::parse(trusted_proxies).expect("trusted proxies");
        Self::spawn_configured(store, now, CallsAs::Anonymous, |s| s.trusted_proxies = trusted).await
    }

    /// The app calling as `account`, taking webhooks only to the hosts of `allow` (a
    /// comma-separated list, as `AUTOMATION_RUNS_WEBHOOK_ALLOW` gives it).
    pub async fn spawn_allowing_webhooks(store: Store, now: DateTime<Utc>, account: i64, allow: &str) -> TestApp {
        let allow = automation_runs::domain::alerts::WebhookAllow::parse(allow);
        Self::spawn_configured(store, now, CallsAs::Account(account), |s| s.webhook_allow = allow).await
    }

    async fn spawn_with(store: Store, now: DateTime<Utc>, calls_as: CallsAs, session_idle_secs: i64) -> TestApp {
        Self::spawn_configured(store, now, calls_as, |s| s.session_idle_secs = session_idle_secs).await
    }

    async fn spawn_configured(
        store: Store,
        now: DateTime<Utc>,
        calls_as: CallsAs,
        configure: impl FnOnce(&mut Settings),
    ) -> TestApp {
        let site_root = tempfile::tempdir().expect("temp dir");
        let mut settings = Settings {
            site_addr: "127.0.0.1:0".parse().unwrap(),
            site_root: site_root.path().to_path_buf(),
            database_url: "unused://the store is passed in".into(),
            database_max_connections: 4,
            demo: false,
            run_detail_cache_entries: 100,
            session_idle_secs: 7200,
            trusted_proxies: TrustedProxies::default(),
            webhook_allow: Default::default(),
        };
        configure(&mut settings);
        let clock_offset = Arc::new(AtomicI64::new(0));
        let offset = clock_offset.clone();
        let clock: Clock = Arc::new(move || now + chrono::Duration::seconds(offset.load(Ordering::SeqCst)));
        let app = Application::with_store(&settings, store.clone(), clock).await.expect("application");
        let auth = app.auth().clone();
        let base = format!("http://{}", app.local_addr());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.run_until(async move {
            let _ = rx.await;
        }));
        TestApp {
            base,
            client: http_client(false),
            auth,
            calls_as,
            token: tokio::sync::OnceCell::new(),
            store,
            clock_offset,
            shutdown: Some(tx),
            _site_root: site_root,
        }
    }

    /// The API token the app's own requests carry.
    pub async fn token(&self) -> Option<&str> {
        self.token
            .get_or_init(|| async {
                let account = match self.calls_as {
                    CallsAs::Anonymous => return None,
                    CallsAs::Account(id) => id,
                    CallsAs::OnlyAccount => {
                        let accounts: Vec<i64> = match &self.store {
                            Store::Sqlite(pool) => {
                                sqlx::query_scalar("SELECT id FROM accounts").fetch_all(pool).await.unwrap()
                            }
                            Store::Postgres(pool) => {
                                sqlx::query_scalar("SELECT id FROM accounts").fetch_all(pool).await.unwrap()
                            }
                        };
                        assert!(accounts.len() <= 1, "{} accounts: say which one calls, with spawn_as", accounts.len());
                        *accounts.first()?
                    }
                };
                Some(
                    self.auth
                        .create_token(
                            account,
                            "integration tests",
                            automation_runs::domain::team::TokenScope::Read,
                            COMMAND_LINE,
                        )
                        .await
                        .expect("token")
                        .1,
                )
            })
            .await
            .as_deref()
    }

    /// Moves the app's clock forward.
    pub fn advance(&self, seconds: i64) {
        self.clock_offset.fetch_add(seconds, Ordering::SeqCst);
    }

    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}{}", self.base, path_and_query)
    }

    /// A user of `account`, signed in through the real form; the client keeps the cookies.
    pub async fn signed_in_client(&self, account: i64, email: &str) -> reqwest::Client {
        self.signed_in_client_as(account, email, None).await
    }

    /// [`TestApp::signed_in_client`] with a role (`None`: the default, owner for the account's
    /// first user).
    pub async fn signed_in_client_as(
        &self,
        account: i64,
        email: &str,
        role: Option<automation_runs::domain::team::Role>,
    ) -> reqwest::Client {
        let password = "integration-password";
        self.auth.add_user(account, email, password, role).await.expect("user");
        let client = http_client(true);
        let response = self.sign_in_with(&client, email, password, None).await;
        assert_eq!(response.status().as_u16(), 303, "sign-in of {email}");
        let location = response.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(location, "/automation/overview", "sign-in of {email} lands on the overview");
        client
    }

    /// The sign-in form's CSRF token, as a browser gets it (the cookie lands in `client`).
    pub async fn csrf_token(&self, client: &reqwest::Client) -> String {
        let html = client.get(self.url("/sign-in")).send().await.unwrap().text().await.unwrap();
        let marker = "name=\"csrf_token\" value=\"";
        let start = html.find(marker).unwrap_or_else(|| panic!("no csrf_token in the sign-in page: {html:.500}"))
            + marker.len();
        html[start..].split('"').next().unwrap().to_string()
    }

    /// Posts the sign-in form (with the page's CSRF token) and returns the answer.
    pub async fn sign_in_with(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
        next: Option<&str>,
    ) -> reqwest::Response {
        let csrf = self.csrf_token(client).await;
        let mut form = vec![("email", email), ("password", password), ("csrf_token", csrf.as_str())];
        if let Some(next) = next {
            form.push(("next", next));
        }
        client.post(self.url("/sign-in")).form(&form).send().await.unwrap()
    }

    pub async fn get_raw(&self, path_and_query: &str) -> reqwest::Response {
        let mut request = self.client.get(self.url(path_and_query));
        if let Some(token) = self.token().await {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap_or_else(|e| panic!("GET {path_and_query}: {e}"))
    }

    /// Status and JSON body; panics when the body is not JSON.
    pub async fn get(&self, path_and_query: &str) -> (u16, Value) {
        let response = self.get_raw(path_and_query).await;
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("GET {path_and_query}: {status}, body is not JSON ({e}): {text:.300}"));
        (status, value)
    }

    /// The JSON body of a 200 answer.
    pub async fn get_ok(&self, path_and_query: &str) -> Value {
        let (status, body) = self.get(path_and_query).await;
        assert_eq!(status, 200, "GET {path_and_query}: {body}");
        body
    }

    /// A new token of `account` with the ingest scope (the engine's).
    pub async fn ingest_token(&self, account: i64) -> String {
        self.auth
            .create_token(account, "engine", automation_runs::domain::team::TokenScope::Ingest, COMMAND_LINE)
            .await
            .expect("token")
            .1
    }

    /// `POST /api/v1/ingest` with `token` (when given) and the content type; status and JSON.
    pub async fn post_ingest(
        &self,
        token: Option<&str>,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> (u16, Value) {
        let mut request = self.client.post(self.url("/api/v1/ingest")).header("content-type", content_type).body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("POST /api/v1/ingest");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("ingest: {status}, not JSON ({e}): {text:.300}"));
        (status, value)
    }

    /// Ingests NDJSON lines with an ingest token and expects 200.
    pub async fn ingest_ok(&self, token: &str, lines: &[String]) -> Value {
        let (status, body) = self.post_ingest(Some(token), "application/x-ndjson", lines.join("\n")).await;
        assert_eq!(status, 200, "ingest: {body}");
        body
    }

    pub async fn overview(&self, site_id: i64) -> Value {
        self.get_ok(&format!("/api/v1/automation/overview_stats/?site_id={site_id}")).await
    }

    pub async fn history(&self, site_id: i64, query: &str) -> Value {
        self.get_ok(&format!("/api/v1/automation/history/?site_id={site_id}{query}")).await
    }

    pub async fn detail(&self, run_id: &str) -> Value {
        self.get_ok(&format!("/api/v1/automation/run_detail/?run_id={run_id}")).await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// JSON helpers
// ---------------------------------------------------------------------------------------------

pub fn as_f64(v: &Value) -> Option<f64> {
    if v.is_null() {
        None
    } else {
        Some(v.as_f64().unwrap_or_else(|| panic!("not a number: {v}")))
    }
}

pub fn as_i64(v: &Value) -> Option<i64> {
    if v.is_null() {
        None
    } else {
        Some(v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}")))
    }
}

/// `a == b` to 1e-9, for figures the crate computes in floating point.
pub fn assert_close(actual: Option<f64>, expected: Option<f64>, what: &str) {
    match (actual, expected) {
        (Some(a), Some(e)) => assert!((a - e).abs() < 1e-9, "{what}: got {a}, expected {e}"),
        (a, e) => assert_eq!(a, e, "{what}"),
    }
}
