//! The database goes away and comes back, on a PostgreSQL cluster of the test's own (the shared
//! server on 5432 cannot be stopped): while it is down open event streams end, the API answers
//! 503 with its JSON error, pages show an error page, `/healthz` says the database is
//! unreachable; when it is back the same app answers again, without a restart.
//!
//! Needs PostgreSQL's server binaries (`initdb`, `pg_ctl`: /usr/lib/postgresql/N/bin, or
//! `PG_BINDIR`). Without them the test says it is skipped, except under `CI`, where it fails.
//! As root (initdb refuses root), the cluster runs as the `postgres` user through `runuser`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use automation_runs::server::db::Store;
use serde_json::Value;

use crate::data::*;
use crate::harness::*;

/// A PostgreSQL cluster in a temp folder, on a free port of 127.0.0.1, trust authentication.
struct OwnPostgres {
    bindir: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    /// Run the server binaries as this user (when the tests run as root).
    run_as: Option<&'static str>,
}

fn server_bindir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PG_BINDIR") {
        return Some(PathBuf::from(dir));
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| Some((e.file_name().to_str()?.parse::<u32>().ok()?, e.path().join("bin"))))
        .filter(|(_, bin)| bin.join("initdb").is_file() && bin.join("pg_ctl").is_file())
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl OwnPostgres {
    /// `None` (after saying why) when no server binaries are installed.
    fn create() -> Option<OwnPostgres> {
        let Some(bindir) = server_bindir() else {
            let why = "no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/N/bin or PG_BINDIR";
            assert!(std::env::var_os("CI").is_none(), "{why}, and CI is set");
            println!("skipped: {why}");
            return None;
        };
        let run_as = running_as_root().then_some("postgres");
        let dir = tempfile::tempdir().expect("temp dir");
        if let Some(user) = run_as {
            let chown = Command::new("chown").arg(user).arg(dir.path()).status().expect("chown");
            assert!(chown.success(), "chown {user} {}", dir.path().display());
        }
        let pg = OwnPostgres { bindir, dir, port: free_port(), run_as };
        let data = pg.data();
        pg.run("initdb", &["-D", path_str(&data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        pg.start();
        Some(pg)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn run(&self, program: &str, args: &[&str]) {
        let program = self.bindir.join(program);
        let mut command = match self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&program);
                c
            }
            None => Command::new(&program),
        };
        let output = command.args(args).current_dir(self.dir.path()).output().expect("PostgreSQL server binary");
        assert!(
            output.status.success(),
            "{} {args:?}: {}\n{}\n{}\nserver log:\n{}",
            program.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
            std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
        );
    }

    /// Starts the server and waits until it accepts connections (`pg_ctl -w`).
    fn start(&self) {
        let socket_dir = path_str(self.dir.path());
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={socket_dir} -c fsync=off",
            self.port
        );
        let log = self.dir.path().join("server.log");
        self.run("pg_ctl", &["-D", path_str(&self.data()), "-l", path_str(&log), "-o", &options, "-w", "start"]);
    }

    /// Stops the server (fast: connections are ended) and waits until it has stopped.
    fn stop(&self) {
        self.run("pg_ctl", &["-D", path_str(&self.data()), "-m", "fast", "-w", "stop"]);
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let data = self.data();
        let program = self.bindir.join("pg_ctl");
        let args = ["-D", path_str(&data), "-m", "immediate", "-w", "stop"];
        let _ = match self.run_as {
            Some(user) => Command::new("runuser").args(["-u", user, "--"]).arg(&program).args(args).output(),
            None => Command::new(&program).args(args).output(),
        };
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}

/// Status and body of a GET; a request that hangs fails the test through the client's timeout.
async fn get(client: &reqwest::Client, url: &str, token: Option<&str>) -> (u16, String) {
    let mut request = client.get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap_or_else(|e| panic!("GET {url}: {e}"));
    (response.status().as_u16(), response.text().await.unwrap())
}

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body:.300}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[expect(clippy::too_many_lines, reason = "one outage told in order: up, down, each kind of request, back up")]
async fn a_stopped_database_gets_503_and_the_app_recovers_when_it_is_back() {
    let Some(pg) = tokio::task::spawn_blocking(OwnPostgres::create).await.unwrap() else { return };
    let pg = std::sync::Arc::new(pg);
    let store = Store::connect(&pg.url(), 4).await.expect("store on the test's own PostgreSQL");
    import_ok(&store, &[account(1, "Solo Media", 50), site(11, 1, "Solo", "solo.example")]).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let token = app.token().await.expect("a token").to_string();
    let browser = app.signed_in_client(1, "solo@solo.example").await;
    // Generous: the answers are due within ~2 s; only a hang reaches this.
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let api = app.url("/api/v1/automation/overview_stats/?site_id=11");
    let health = app.url("/healthz");
    let page = app.url("/automation/overview?site_id=11");

    let (status, body) = get(&client, &api, Some(&token)).await;
    assert_eq!(status, 200, "{body:.300}");
    let (status, body) = get(&client, &health, None).await;
    assert_eq!((status, json(&body)["database_reachable"].clone()), (200, Value::Bool(true)));

    // An event stream open when the database goes: it must end (cleanly, not by the client's
    // timeout), so that the page reconnects and catches up.
    let mut stream = client
        .get(app.url("/api/v1/automation/events?site_id=11"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("event stream");
    assert_eq!(stream.status().as_u16(), 200);

    let stopping = pg.clone();
    tokio::task::spawn_blocking(move || stopping.stop()).await.unwrap();

    loop {
        match stream.chunk().await {
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(e) => panic!("the event stream did not end cleanly when the database stopped: {e}"),
        }
    }

    // The API: 503 and its JSON error, whether the token lookup or the query meets the outage.
    for _ in 0..2 {
        let (status, body) = get(&client, &api, Some(&token)).await;
        assert_eq!(status, 503, "{body:.300}");
        let error = &json(&body)["error"];
        assert_eq!(error["code"], "unavailable", "{body}");
        assert!(error["message"].as_str().unwrap().contains("temporarily unavailable"), "{body}");
        assert!(error["request_id"].is_string(), "{body}");
    }
    // The health check says so.
    let (status, body) = get(&client, &health, None).await;
    assert_eq!(status, 503, "{body}");
    let body = json(&body);
    assert_eq!(body["status"], "degraded");
    assert_eq!(body["database"], "postgres");
    assert_eq!(body["database_reachable"], false);
    // A page of a signed-in user: an error page that says what is wrong, not JSON.
    let response = browser.get(&page).timeout(Duration::from_secs(10)).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 503);
    let html = response.text().await.unwrap();
    assert!(html.contains("Temporarily unavailable") && html.contains("database cannot be reached"), "{html:.500}");
    // The sign-in form (public) is still served, and a sign-in comes back to it with the reason.
    let location = app.sign_in_with(&http_client(true), "solo@solo.example", "x", None).await;
    assert_eq!(location.status().as_u16(), 303);
    assert!(location.headers()["location"].to_str().unwrap().starts_with("/sign-in?error=unavailable"));

    let starting = pg.clone();
    tokio::task::spawn_blocking(move || starting.start()).await.unwrap();

    // Back, without a restart of the app: the same requests succeed.
    let (status, body) = get(&client, &api, Some(&token)).await;
    assert_eq!(status, 200, "{body:.300}");
    let (status, body) = get(&client, &health, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)["status"], "ok");
    let response = browser.get(&page).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200, "the session survived the outage");
    let stream = client.get(app.url("/api/v1/automation/events?site_id=11")).bearer_auth(&token).send().await;
    assert_eq!(stream.expect("event stream").status().as_u16(), 200, "event streams open again");

    drop(app);
    store.close().await;
}
