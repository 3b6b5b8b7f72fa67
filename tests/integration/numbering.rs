//! Run numbers: 1, 2, 3 … per site in (started_at, run_id) order, kept when runs arrive out of
//! order, tie on start time, change their start or move to another site.

use std::collections::BTreeMap;

use automation_runs::domain::scope::Scope;
use automation_runs::server::db::Store;
use chrono::{DateTime, Duration, Utc};

use crate::data::*;
use crate::harness::*;

const SITE: i64 = 50;
const DOMAIN: &str = "num.example";

fn base() -> DateTime<Utc> {
    ts("2026-01-10T06:00:00Z")
}

fn run_at(site_id: i64, id: &str, started: DateTime<Utc>) -> String {
    TestRun::completed(site_id, id, started, 120, [Some(st(3, 3, 1, 10)); 7]).line()
}

fn header() -> Vec<String> {
    vec![account(5, "Numbers Inc", 100), site(SITE, 5, "Numbers", DOMAIN), site(51, 5, "Other", "other.example")]
}

/// The site's runs as the history API lists them (all pages), checked for order and titles;
/// returns run_id → run_number.
async fn numbers_via_api(app: &TestApp, site_id: i64, domain: &str) -> BTreeMap<String, i64> {
    let page = app.history(site_id, "&page_size=100").await;
    let runs = page["runs"].as_array().unwrap();
    let total = page["pagination"]["total_count"].as_i64().unwrap();
    assert_eq!(runs.len() as i64, total, "one page of 100 holds the site's runs: {page}");
    let mut out = BTreeMap::new();
    let mut previous: Option<(String, String)> = None;
    for (i, r) in runs.iter().enumerate() {
        let n = r["run_number"].as_i64().unwrap();
        assert_eq!(n, total - i as i64, "history must list numbers n..1 newest first: {runs:?}");
        assert_eq!(r["run_title"], format!("{domain} #{n}"));
        let key = (r["started_at"].as_str().unwrap().to_string(), r["run_id"].as_str().unwrap().to_string());
        if let Some(prev) = &previous {
            let (p, k) = (ts(&prev.0), ts(&key.0));
            assert!((p, &prev.1) > (k, &key.1), "not newest first by (started_at, run_id): {prev:?} then {key:?}");
        }
        previous = Some(key);
        out.insert(r["run_id"].as_str().unwrap().to_string(), n);
    }
    out
}

fn expect(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
    pairs.iter().map(|(id, n)| (id.to_string(), *n)).collect()
}

backends_test!(out_of_order_ties_and_moved_starts, |store: Store| async move {
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let t = base();

    // Within one file, out of order.
    let mut lines = header();
    lines.push(run_at(SITE, "r_c", t + Duration::hours(3)));
    lines.push(run_at(SITE, "r_a", t + Duration::hours(1)));
    lines.push(run_at(SITE, "r_b", t + Duration::hours(2)));
    import_ok(&store, &lines).await;
    assert_eq!(numbers_via_api(&app, SITE, DOMAIN).await, expect(&[("r_a", 1), ("r_b", 2), ("r_c", 3)]));

    // A later file with an earlier start.
    import_ok(&store, &[run_at(SITE, "r_0", t)]).await;
    assert_eq!(numbers_via_api(&app, SITE, DOMAIN).await, expect(&[("r_0", 1), ("r_a", 2), ("r_b", 3), ("r_c", 4)]));

    // Equal start times: ties broken by run_id.
    import_ok(&store, &[run_at(SITE, "r_bb", t + Duration::hours(2)), run_at(SITE, "r_ab", t + Duration::hours(2))])
        .await;
    assert_eq!(
        numbers_via_api(&app, SITE, DOMAIN).await,
        expect(&[("r_0", 1), ("r_a", 2), ("r_ab", 3), ("r_b", 4), ("r_bb", 5), ("r_c", 6)])
    );

    // A run re-imported with a later start moves to the end …
    import_ok(&store, &[run_at(SITE, "r_a", t + Duration::hours(4))]).await;
    assert_eq!(
        numbers_via_api(&app, SITE, DOMAIN).await,
        expect(&[("r_0", 1), ("r_ab", 2), ("r_b", 3), ("r_bb", 4), ("r_c", 5), ("r_a", 6)])
    );
    // … and one with an earlier start to the front.
    import_ok(&store, &[run_at(SITE, "r_c", t - Duration::hours(1))]).await;
    assert_eq!(
        numbers_via_api(&app, SITE, DOMAIN).await,
        expect(&[("r_c", 1), ("r_0", 2), ("r_ab", 3), ("r_b", 4), ("r_bb", 5), ("r_a", 6)])
    );

    // The run page shows the same number and title.
    let detail = app.detail("r_bb").await;
    assert_eq!(detail["run"]["run_number"], 5);
    assert_eq!(detail["run"]["run_title"], format!("{DOMAIN} #5"));

    // The overview's total follows.
    assert_eq!(app.overview(SITE).await["run_statistics"]["total_runs"], 6);
});

backends_test!(runs_appended_in_order_and_mixed_with_unchanged_ones, |store: Store| async move {
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let t = base();
    let mut lines = header();
    lines.push(run_at(SITE, "a1", t));
    lines.push(run_at(SITE, "a2", t + Duration::hours(1)));
    import_ok(&store, &lines).await;
    import_ok(&store, &[run_at(SITE, "a3", t + Duration::hours(2)), run_at(SITE, "a4", t + Duration::hours(3))]).await;
    // An unchanged re-import, a new later run, and a run of another site, in one file.
    import_ok(
        &store,
        &[
            run_at(SITE, "a2", t + Duration::hours(1)),
            run_at(51, "b1", t + Duration::hours(9)),
            run_at(SITE, "a5", t + Duration::hours(4)),
        ],
    )
    .await;
    assert_eq!(
        numbers_via_api(&app, SITE, DOMAIN).await,
        expect(&[("a1", 1), ("a2", 2), ("a3", 3), ("a4", 4), ("a5", 5)])
    );
    assert_eq!(numbers_via_api(&app, 51, "other.example").await, expect(&[("b1", 1)]));
});

backends_test!(same_run_twice_in_one_file_uses_the_last_line, |store: Store| async move {
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let t = base();
    let mut lines = header();
    lines.push(run_at(SITE, "x", t + Duration::hours(1)));
    lines.push(run_at(SITE, "y", t + Duration::hours(2)));
    lines.push(run_at(SITE, "x", t + Duration::hours(3)));
    let report = import_ok(&store, &lines).await;
    assert_eq!(report.runs.inserted, 2);
    assert_eq!(numbers_via_api(&app, SITE, DOMAIN).await, expect(&[("y", 1), ("x", 2)]));
});

backends_test!(a_run_moved_to_another_site_renumbers_both, |store: Store| async move {
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let t = base();
    let mut lines = header();
    for (i, id) in ["m1", "m2", "m3", "m4"].iter().enumerate() {
        lines.push(run_at(SITE, id, t + Duration::hours(i as i64)));
    }
    lines.push(run_at(51, "o1", t));
    lines.push(run_at(51, "o2", t + Duration::hours(5)));
    import_ok(&store, &lines).await;

    import_ok(&store, &[run_at(51, "m2", t + Duration::hours(1))]).await;
    assert_eq!(numbers_via_api(&app, SITE, DOMAIN).await, expect(&[("m1", 1), ("m3", 2), ("m4", 3)]));
    assert_eq!(numbers_via_api(&app, 51, "other.example").await, expect(&[("o1", 1), ("m2", 2), ("o2", 3)]));
    assert_eq!(app.overview(SITE).await["run_statistics"]["total_runs"], 3);
    assert_eq!(app.overview(51).await["run_statistics"]["total_runs"], 3);
});

// More runs than one write batch (500), shuffled, then a second shuffled file interleaved
// with the first.
backends_test!(many_shuffled_runs_are_numbered_densely, |store: Store| async move {
    let t = base();
    let n: i64 = 1200;
    // A fixed permutation: i * 7919 mod n (7919 is prime and does not divide 1200).
    let order: Vec<i64> = (0..n).map(|i| (i * 7919) % n).collect();
    let mut lines = header();
    for &k in &order {
        if k % 2 == 0 {
            lines.push(run_at(SITE, &format!("run_{k:05}"), t + Duration::minutes(10 * k)));
        }
    }
    import_ok(&store, &lines).await;
    let odd: Vec<String> = order
        .iter()
        .filter(|k| *k % 2 == 1)
        .map(|&k| run_at(SITE, &format!("run_{k:05}"), t + Duration::minutes(10 * k)))
        .collect();
    import_ok(&store, &odd).await;

    let site = store.site(Scope::Installation, SITE).await.unwrap().unwrap();
    assert_eq!(store.total_runs(&site).await.unwrap(), n);
    let runs = store.runs_numbered(&site, 1, n).await.unwrap();
    assert_eq!(runs.len() as i64, n);
    for r in &runs {
        let k: i64 = r.run_id[4..].parse().unwrap();
        assert_eq!(r.run_number, k + 1, "{} numbered {}", r.run_id, r.run_number);
    }
});

/// Ties are broken by run_id in one order on every backend: byte (code point) order, the
/// order in which the importer numbers runs that arrive in order. On PostgreSQL the database's
/// collation must not change it; the `postgres_icu` variant creates its database with the
/// ICU collation en-US, where 'x_a' sorts before 'x_B'.
mod ties_follow_byte_order_of_run_ids {
    use super::*;

    async fn body(store: Store) {
        let app = TestApp::spawn(store.clone(), fixed_now()).await;
        let t = base();
        let mut lines = header();
        lines.push(run_at(SITE, "x_B", t));
        import_ok(&store, &lines).await;
        import_ok(&store, &[run_at(SITE, "x_a", t)]).await;
        import_ok(&store, &[run_at(SITE, "x_c", t + Duration::hours(1))]).await;
        let site = store.site(Scope::Installation, SITE).await.unwrap().unwrap();
        assert_eq!(store.total_runs(&site).await.unwrap(), 3, "run numbers are not dense");
        assert_eq!(numbers_via_api(&app, SITE, DOMAIN).await, expect(&[("x_B", 1), ("x_a", 2), ("x_c", 3)]));

        // A renumbering from an earlier start must agree with the numbers given in order.
        import_ok(&store, &[run_at(SITE, "x_0", t - Duration::hours(1))]).await;
        assert_eq!(
            numbers_via_api(&app, SITE, DOMAIN).await,
            expect(&[("x_0", 1), ("x_B", 2), ("x_a", 3), ("x_c", 4)])
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        on_sqlite(body).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        on_postgres(body).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres_icu() {
        let Some(db) =
            TestDb::postgres_with("TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'").await
        else {
            return;
        };
        body(db.store.clone()).await;
        db.cleanup().await;
    }
}

fn parsed_run(line: &str) -> automation_runs::server::db::writes::PreparedRun {
    match automation_runs::domain::records::parse_line(line).expect("valid run line") {
        automation_runs::domain::records::Record::Run(run) => {
            automation_runs::server::db::writes::PreparedRun::new(*run, 1)
        }
        other => panic!("not a run: {other:?}"),
    }
}

// Two imports that add a run to the same site at the same time (two `import` commands, or an
// import while `serve --demo` loads): whatever each of them commits, the site's numbers must
// stay 1..n. SQLite lets one writer in at a time (the second may fail and be retried);
// PostgreSQL runs both transactions side by side, so they are interleaved here step by step:
// both write their run before either commits.
backends_test!(concurrent_imports_keep_numbers_dense, |store: Store| async move {
    let t = base();
    let mut lines = header();
    lines.push(run_at(SITE, "k1", t));
    import_ok(&store, &lines).await;

    let second = parsed_run(&run_at(SITE, "k2", t + Duration::hours(1)));
    let third = parsed_run(&run_at(SITE, "k3", t + Duration::hours(2)));
    let mut tx1 = store.begin_import().await.unwrap();
    tx1.upsert_runs(std::slice::from_ref(&second)).await.unwrap();
    // The second import runs beside the first: on PostgreSQL it waits for the first's lock on
    // the site, on SQLite for its write lock (or gives up after the busy timeout).
    let other = store.clone();
    let task = tokio::spawn(async move {
        let mut tx2 = other.begin_import().await.map_err(|e| e.to_string())?;
        tx2.upsert_runs(std::slice::from_ref(&third)).await.map_err(|e| e.to_string())?;
        tx2.commit().await.map_err(|e| e.to_string())
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    tx1.commit().await.unwrap();
    let outcome_2 = task.await.unwrap();
    if matches!(store, Store::Postgres(_)) {
        assert!(outcome_2.is_ok(), "on PostgreSQL the second import waits, then commits: {outcome_2:?}");
    }
    println!("second transaction: {outcome_2:?}");

    let site = store.site(Scope::Installation, SITE).await.unwrap().unwrap();
    let stored = count_rows(&store, "runs").await;
    assert_eq!(
        store.total_runs(&site).await.unwrap(),
        stored,
        "run numbers are not dense: the total is the largest number"
    );
    let runs = store.runs_numbered(&site, 1, stored).await.unwrap();
    let mut numbers: Vec<(i64, String)> = runs.iter().map(|r| (r.run_number, r.run_id.clone())).collect();
    numbers.sort();
    let expected: Vec<(i64, String)> = ["k1", "k2", "k3"]
        .iter()
        .take(stored as usize)
        .enumerate()
        .map(|(i, id)| (i as i64 + 1, id.to_string()))
        .collect();
    assert_eq!(numbers, expected);
});
