//! The NDJSON importer (import-format.md): the plan's example, idempotence, bad lines.

use automation_runs::domain::params::LogQuery;
use automation_runs::domain::scope::Scope;
use automation_runs::server::db::Store;
use chrono::Duration;

use crate::data::*;
use crate::harness::*;

async fn table_counts(store: &Store) -> [i64; 5] {
    [
        count_rows(store, "accounts").await,
        count_rows(store, "sites").await,
        count_rows(store, "runs").await,
        count_rows(store, "pipelines").await,
        count_rows(store, "run_logs").await,
    ]
}

backends_test!(plan_example_loads, |store: Store| async move {
    let report = import_ok(&store, &plan_lines()).await;
    assert_eq!(report.lines, 5);
    assert_eq!((report.accounts.inserted, report.accounts.updated), (1, 0));
    assert_eq!((report.sites.inserted, report.sites.updated), (1, 0));
    assert_eq!((report.runs.inserted, report.runs.updated), (1, 0));
    assert_eq!((report.pipelines.inserted, report.pipelines.updated), (1, 0));
    assert_eq!((report.logs.inserted, report.logs.updated), (1, 0));
    assert_eq!(table_counts(&store).await, [1, 1, 1, 1, 1]);

    let site = store.site(Scope::Installation, 123).await.unwrap().expect("site 123");
    let row = site.row();
    assert_eq!((row.account_id, row.account_name.as_str(), row.credit_balance), (1, "Acme Media", 1250));
    assert_eq!((row.name.as_str(), row.domain.as_str()), ("TechBlog", "techblog.com"));

    let run = store.run(&site, PLAN_RUN_ID).await.unwrap().expect("the plan's run");
    assert_eq!(run.run_number, 1);
    assert_eq!(run.total_credits_used, 569);
    assert_eq!(run.started_at, ts("2026-01-17T14:05:23Z"));
    assert_eq!(run.completed_at, Some(ts("2026-01-17T14:43:44Z")));
    assert_eq!(run.initial_snapshot.total_initial_items, 263);
    let figures: Vec<(u64, u64, u64, u64)> =
        run.stages.iter().map(|s| s.as_ref().map(|r| (r.input, r.output, r.credits, r.seconds)).unwrap()).collect();
    assert_eq!(
        figures,
        vec![
            (150, 12, 45, 204),
            (10, 87, 120, 495),
            (50, 50, 0, 12),
            (25, 25, 310, 1122),
            (15, 45, 22, 135),
            (8, 24, 72, 330),
            (5, 5, 0, 3)
        ]
    );
    // Unknown fields of a result are kept.
    assert_eq!(run.stages[0].as_ref().unwrap().fields()["batches"], 3);
    assert_eq!(run.stages[3].as_ref().unwrap().fields()["total_words"], 15450);

    let pipeline = store.pipeline(&site).await.unwrap().expect("pipeline");
    assert_eq!(pipeline.as_of, ts("2026-01-17T15:00:00Z"));
    assert_eq!(pipeline.counts.keywords.new, 120);
    assert_eq!(pipeline.counts.images.failed, 5);

    let (lines, total) = store.logs(&site, PLAN_RUN_ID, &LogQuery { limit: 50, ..Default::default() }).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!(lines[0].stage, Some(4));
    assert_eq!(lines[0].message, "Task 17: model timeout, retried (attempt 2 of 3)");
});

/// A file with several sites, runs out of order, pipelines and logs.
fn mixed_file() -> Vec<String> {
    let t = ts("2026-01-20T08:00:00Z");
    let mut lines = plan_lines();
    lines.push(site(124, 1, "Recipes", "recipes.example"));
    for (i, h) in [5i64, 1, 3, 2, 4].iter().enumerate() {
        let run =
            TestRun::completed(124, &format!("run_r{i}"), t + Duration::hours(*h), 600, [Some(st(10, 2, 3, 60)); 7]);
        lines.push(run.line());
        lines.push(log(&run.run_id, None, run.started, "info", "started"));
        lines.push(log(&run.run_id, Some(1), run.started + Duration::seconds(5), "debug", "clustering"));
    }
    lines.push(pipeline(124, t, [1, 2, 3, 4, 5, 6, 7], [0, 1, 0]));
    lines
}

backends_test!(loading_the_same_file_twice_changes_nothing, |store: Store| async move {
    let lines = mixed_file();
    let first = import_ok(&store, &lines).await;
    assert_eq!(first.runs.inserted, 6);
    assert_eq!(first.logs.inserted, 11);
    let counts = table_counts(&store).await;
    assert_eq!(counts, [1, 2, 6, 2, 11]);

    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let paths = [
        "/api/v1/automation/overview_stats/?site_id=123".to_string(),
        "/api/v1/automation/overview_stats/?site_id=124".to_string(),
        "/api/v1/automation/history/?site_id=123".to_string(),
        "/api/v1/automation/history/?site_id=124".to_string(),
        format!("/api/v1/automation/run_detail/?run_id={PLAN_RUN_ID}"),
        "/api/v1/automation/run_detail/?run_id=run_r0".to_string(),
        "/api/v1/automation/run_detail/?run_id=run_r3".to_string(),
        "/api/v1/automation/sites/".to_string(),
    ];
    let mut before = Vec::new();
    for p in &paths {
        before.push(app.get_ok(p).await);
    }
    let events = count_rows(&store, "events").await;
    assert!(events > 0, "the first import announces its changes");

    let second = import_ok(&store, &lines).await;
    assert_eq!(count_rows(&store, "events").await, events, "the same file again announces nothing");
    for (kind, u) in [
        ("accounts", second.accounts),
        ("sites", second.sites),
        ("runs", second.runs),
        ("pipelines", second.pipelines),
        ("logs", second.logs),
    ] {
        assert_eq!((u.inserted, u.updated), (0, 0), "second import wrote {kind}: {second:?}");
    }
    assert_eq!(second.runs.unchanged, 6);
    assert_eq!(second.logs.unchanged, 11);
    assert_eq!(table_counts(&store).await, counts);
    for (p, b) in paths.iter().zip(&before) {
        assert_eq!(&app.get_ok(p).await, b, "{p} changed after loading the same file again");
    }
});

/// Lines 3, 4, 5, 6, 7, 9 and 10 are bad; the others are good.
fn file_with_bad_lines() -> (Vec<String>, Vec<(u64, &'static str)>) {
    let good = TestRun::completed(123, "run_good", ts("2026-01-18T09:00:00Z"), 300, [Some(st(4, 2, 1, 30)); 7]);
    let lines = vec![
        account(1, "Renamed Media", 5),                                            // 1
        site(123, 1, "TechBlog", "techblog.com"),                                  // 2
        "{\"kind\":\"run\", not json".to_string(),                                 // 3
        one_line(PLAN_RUN).replace("\"completed\"", "\"done\""),                   // 4
        one_line(PLAN_RUN).replace("\"credits_used\":45", "\"credits_used\":-45"), // 5
        one_line(PLAN_RUN).replace("\"site_id\":123", "\"site_id\":999"),          // 6
        log("run_nowhere", Some(2), ts("2026-01-18T09:01:00Z"), "info", "x"),      // 7
        good.line(),                                                               // 8
        site(125, 77, "Orphan", "orphan.example"),                                 // 9
        one_line(PLAN_RUN).replace("\"total_credits_used\":569", "\"total_credits_used\":-569"), // 10
        log("run_good", Some(1), ts("2026-01-18T09:00:10Z"), "info", "ok"),        // 11
        pipeline(123, ts("2026-01-18T10:00:00Z"), [1; 7], [0; 3]),                 // 12
    ];
    let bad =
        vec![(3, "JSON"), (4, "status"), (5, "credits_used"), (6, "999"), (7, "run_nowhere"), (9, "77"), (10, "")];
    (lines, bad)
}

fn assert_bad_lines(report: &automation_runs::server::import::ImportReport, bad: &[(u64, &str)]) {
    let numbers: Vec<u64> = report.errors.iter().map(|e| e.line).collect();
    let expected: Vec<u64> = bad.iter().map(|(n, _)| *n).collect();
    assert_eq!(numbers, expected, "bad lines reported: {:?}", report.errors);
    assert_eq!(report.invalid_lines, bad.len() as u64);
    for (e, (_, needle)) in report.errors.iter().zip(bad) {
        assert!(!e.reason.trim().is_empty(), "line {} has no reason", e.line);
        assert!(e.reason.contains(needle), "line {}: reason {:?} should mention {needle:?}", e.line, e.reason);
    }
}

backends_test!(a_bad_line_commits_nothing, |store: Store| async move {
    // The store already holds the plan's data: a failed file must leave it exactly as it was.
    import_ok(&store, &plan_lines()).await;
    let counts = table_counts(&store).await;

    let (lines, bad) = file_with_bad_lines();
    let report = import_text(&store, &lines.join("\n"), false).await;
    assert!(!report.committed);
    assert_bad_lines(&report, &bad);
    assert_eq!(report.lines, 12);

    assert_eq!(table_counts(&store).await, counts);
    let site = store.site(Scope::Installation, 123).await.unwrap().unwrap();
    assert_eq!(site.row().account_name, "Acme Media", "the account line of a failed file was committed");
    assert_eq!(site.row().credit_balance, 1250);
    assert!(store.run(&site, "run_good").await.unwrap().is_none());
    assert_eq!(store.pipeline(&site).await.unwrap().unwrap().as_of, ts("2026-01-17T15:00:00Z"));
});

backends_test!(a_bad_file_into_an_empty_store_leaves_it_empty, |store: Store| async move {
    let (lines, bad) = file_with_bad_lines();
    let report = import_text(&store, &lines.join("\n"), false).await;
    assert!(!report.committed);
    assert_bad_lines(&report, &bad);
    assert_eq!(table_counts(&store).await, [0, 0, 0, 0, 0]);
    assert!(store.site(Scope::Installation, 123).await.unwrap().is_none());
    assert!(store.sites(Scope::Installation).await.unwrap().is_empty());
});

backends_test!(skip_invalid_commits_the_valid_lines, |store: Store| async move {
    let (lines, bad) = file_with_bad_lines();
    let report = import_text(&store, &lines.join("\n"), true).await;
    assert!(report.committed);
    assert_bad_lines(&report, &bad);
    assert_eq!(report.accounts.inserted, 1);
    assert_eq!(report.sites.inserted, 1);
    assert_eq!(report.runs.inserted, 1);
    assert_eq!(report.logs.inserted, 1);
    assert_eq!(report.pipelines.inserted, 1);
    assert_eq!(table_counts(&store).await, [1, 1, 1, 1, 1]);

    let site = store.site(Scope::Installation, 123).await.unwrap().unwrap();
    assert_eq!(site.row().account_name, "Renamed Media");
    let run = store.run(&site, "run_good").await.unwrap().expect("valid run committed");
    assert_eq!(run.run_number, 1);
    assert!(store.site(Scope::Installation, 125).await.unwrap().is_none());
    assert!(store.run(&site, PLAN_RUN_ID).await.unwrap().is_none());
});

backends_test!(logs_pipelines_and_references_across_files, |store: Store| async move {
    import_ok(&store, &plan_lines()).await;
    let site = store.site(Scope::Installation, 123).await.unwrap().unwrap();

    // A later file: a log for a run loaded before, a log before its run line, a duplicate log
    // line, and an older pipeline record that must not replace the newer one.
    let run = TestRun::completed(123, "run_later", ts("2026-01-19T10:00:00Z"), 100, [Some(st(1, 1, 1, 10)); 7]);
    let lines = vec![
        log(PLAN_RUN_ID, None, ts("2026-01-17T14:05:24Z"), "info", "Run started"),
        log("run_later", Some(7), ts("2026-01-19T10:01:00Z"), "debug", "review queued"),
        run.line(),
        one_line(PLAN_LOG),
        pipeline(123, ts("2026-01-16T00:00:00Z"), [9; 7], [9; 3]),
    ];
    let report = import_ok(&store, &lines).await;
    assert_eq!((report.logs.inserted, report.logs.unchanged), (2, 1));
    let (plan_logs, total) =
        store.logs(&site, PLAN_RUN_ID, &LogQuery { limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(total, 2);
    assert_eq!(plan_logs[0].message, "Run started", "log lines are in time order");
    assert_eq!(plan_logs[0].stage, None);
    let (_, later_total) = store.logs(&site, "run_later", &LogQuery { limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(later_total, 1);

    let pipeline_now = store.pipeline(&site).await.unwrap().unwrap();
    assert_eq!(pipeline_now.as_of, ts("2026-01-17T15:00:00Z"), "an older pipeline record replaced a newer one");
    assert_eq!(pipeline_now.counts.keywords.new, 120);

    // A newer one wins.
    import_ok(&store, &[pipeline(123, ts("2026-01-20T00:00:00Z"), [2; 7], [1, 2, 3])]).await;
    let newest = store.pipeline(&site).await.unwrap().unwrap();
    assert_eq!(newest.as_of, ts("2026-01-20T00:00:00Z"));
    assert_eq!(newest.counts.keywords.new, 2);
});

/// Each site's revision, straight from the database.
async fn site_revisions(store: &Store) -> Vec<(i64, i64)> {
    let sql = "SELECT id, revision FROM sites ORDER BY id";
    match store {
        Store::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await.unwrap(),
        Store::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await.unwrap(),
    }
}

backends_test!(a_reimport_bumps_no_revision_and_a_changed_run_is_updated, |store: Store| async move {
    let lines = mixed_file();
    import_ok(&store, &lines).await;
    let revisions = site_revisions(&store).await;

    let again = import_ok(&store, &lines).await;
    assert_eq!((again.runs.inserted, again.runs.updated, again.runs.unchanged), (0, 0, 6));
    assert_eq!(site_revisions(&store).await, revisions, "an unchanged file moved a site's revision");

    // The same file with one run of site 124 changed.
    let changed: Vec<String> = lines
        .iter()
        .map(|l| match l.contains("\"kind\":\"run\"") && l.contains("\"run_id\":\"run_r2\"") {
            true => l.replace("\"total_credits_used\":21,", "\"total_credits_used\":22,"),
            false => l.clone(),
        })
        .collect();
    assert_ne!(changed, lines, "the test changes a run");
    let third = import_ok(&store, &changed).await;
    assert_eq!((third.runs.inserted, third.runs.updated, third.runs.unchanged), (0, 1, 5));
    let moved: Vec<(i64, i64)> = revisions.iter().map(|&(id, r)| (id, if id == 124 { r + 1 } else { r })).collect();
    assert_eq!(site_revisions(&store).await, moved, "only the changed run's site moves");
    let site = store.site(Scope::Installation, 124).await.unwrap().unwrap();
    assert_eq!(store.run(&site, "run_r2").await.unwrap().unwrap().total_credits_used, 22);
});

backends_test!(log_lines_before_their_run_wait_on_disk_until_it_comes, |store: Store| async move {
    // More lines than a batch come before their run, so some are put aside and written at the end.
    let run = TestRun::completed(123, "run_late", ts("2026-01-19T10:00:00Z"), 100, [Some(st(1, 1, 1, 10)); 7]);
    let mut lines = plan_lines();
    let early = 1200;
    for i in 0..early {
        lines.push(log("run_late", Some(1), run.started + Duration::seconds(i), "info", &format!("line {i}")));
    }
    lines.push(log("run_never", None, run.started, "info", "no such run"));
    let unknown_line = lines.len() as u64;
    lines.push(run.line());

    let refused = import_text(&store, &lines.join("\n"), false).await;
    assert!(!refused.committed);
    assert_eq!(refused.errors.len(), 1, "{:?}", refused.errors);
    assert_eq!(refused.errors[0].line, unknown_line);
    assert!(refused.errors[0].reason.contains("run_never"), "{:?}", refused.errors);
    assert_eq!(count_rows(&store, "run_logs").await, 0, "nothing is committed");

    let report = import_text(&store, &lines.join("\n"), true).await;
    assert!(report.committed);
    assert_eq!(report.logs.inserted, early as u64 + 1, "every line of run_late and the plan's line");
    let site = store.site(Scope::Installation, 123).await.unwrap().unwrap();
    let (_, total) = store.logs(&site, "run_late", &LogQuery { limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(total, early as u64);
});
