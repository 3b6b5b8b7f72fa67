//! Scoped reads: an account sees its own sites and runs only.

use automation_runs::domain::scope::Scope;
use automation_runs::server::db::Store;
use chrono::Duration;

use crate::data::*;
use crate::harness::*;

backends_test!(an_account_sees_only_its_own_sites_and_runs, |store: Store| async move {
    let t = ts("2026-01-05T00:00:00Z");
    let lines = vec![
        account(1, "First", 10),
        account(2, "Second", 20),
        site(11, 1, "A", "a.example"),
        site(12, 1, "B", "b.example"),
        site(21, 2, "C", "c.example"),
        TestRun::completed(11, "run_a", t, 60, [Some(st(1, 1, 1, 1)); 7]).line(),
        TestRun::completed(21, "run_c", t + Duration::hours(1), 60, [Some(st(1, 1, 1, 1)); 7]).line(),
    ];
    import_ok(&store, &lines).await;

    // Sites.
    assert!(store.site(Scope::Account(2), 11).await.unwrap().is_none(), "account 2 must not see site 11");
    assert!(store.site(Scope::Account(1), 21).await.unwrap().is_none(), "account 1 must not see site 21");
    assert!(store.site(Scope::Account(3), 11).await.unwrap().is_none(), "an unknown account sees nothing");
    let own = store.site(Scope::Account(1), 11).await.unwrap().expect("own site");
    assert_eq!((own.id(), own.row().account_id, own.row().account_name.as_str()), (11, 1, "First"));
    assert_eq!(own.row().credit_balance, 10);
    assert!(store.site(Scope::Account(2), 21).await.unwrap().is_some());
    assert!(store.site(Scope::Installation, 11).await.unwrap().is_some());
    assert!(store.site(Scope::Installation, 21).await.unwrap().is_some());
    assert!(store.site(Scope::Installation, 99).await.unwrap().is_none());

    let ids = |sites: Vec<automation_runs::server::db::ScopedSite>| sites.iter().map(|s| s.id()).collect::<Vec<_>>();
    assert_eq!(ids(store.sites(Scope::Account(1)).await.unwrap()), vec![11, 12]);
    assert_eq!(ids(store.sites(Scope::Account(2)).await.unwrap()), vec![21]);
    assert_eq!(ids(store.sites(Scope::Account(3)).await.unwrap()), Vec::<i64>::new());
    assert_eq!(ids(store.sites(Scope::Installation).await.unwrap()), vec![11, 12, 21]);

    // The site of a run.
    assert!(store.site_of_run(Scope::Account(2), "run_a").await.unwrap().is_none(), "account 2 must not reach run_a");
    assert!(store.site_of_run(Scope::Account(1), "run_c").await.unwrap().is_none(), "account 1 must not reach run_c");
    assert_eq!(store.site_of_run(Scope::Account(1), "run_a").await.unwrap().map(|s| s.id()), Some(11));
    assert_eq!(store.site_of_run(Scope::Account(2), "run_c").await.unwrap().map(|s| s.id()), Some(21));
    assert_eq!(store.site_of_run(Scope::Installation, "run_c").await.unwrap().map(|s| s.id()), Some(21));
    assert!(store.site_of_run(Scope::Installation, "run_missing").await.unwrap().is_none());

    // A scoped site reaches only its own runs.
    let b = store.site(Scope::Account(1), 12).await.unwrap().unwrap();
    assert!(store.run(&b, "run_a").await.unwrap().is_none(), "site 12 must not read site 11's run");
    assert!(store.run(&own, "run_a").await.unwrap().is_some());
});

backends_test!(a_site_moved_to_another_account_follows_it, |store: Store| async move {
    let lines = vec![account(1, "First", 10), account(2, "Second", 20), site(11, 1, "A", "a.example")];
    import_ok(&store, &lines).await;
    assert!(store.site(Scope::Account(1), 11).await.unwrap().is_some());
    import_ok(&store, &[site(11, 2, "A", "a.example")]).await;
    assert!(store.site(Scope::Account(1), 11).await.unwrap().is_none());
    assert_eq!(store.site(Scope::Account(2), 11).await.unwrap().unwrap().row().account_name, "Second");
});
