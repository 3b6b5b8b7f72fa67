//! The API's answers to bad requests, its health check and its OpenAPI document.

use automation_runs::server::db::Store;

use crate::data::*;
use crate::harness::*;

async fn assert_error(app: &TestApp, path: &str, status: u16, code: &str) {
    let response = app.get_raw(path).await;
    assert_eq!(response.status().as_u16(), status, "GET {path}");
    let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
    assert!(
        content_type.as_deref().is_some_and(|c| c.starts_with("application/json")),
        "GET {path}: content-type {content_type:?}"
    );
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], code, "GET {path}: {body}");
    let message = body["error"]["message"].as_str().unwrap_or_else(|| panic!("GET {path}: no message: {body}"));
    assert!(!message.is_empty());
    assert_eq!(body.as_object().unwrap().len(), 1, "only the error object: {body}");
}

backends_test!(bad_requests_are_400_json, |store: Store| async move {
    import_ok(&store, &plan_lines()).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    for path in [
        "/api/v1/automation/overview_stats/",
        "/api/v1/automation/overview_stats/?site_id=",
        "/api/v1/automation/overview_stats/?site_id=abc",
        "/api/v1/automation/overview_stats/?site_id=12abc",
        "/api/v1/automation/overview_stats/?site_id=-1",
        "/api/v1/automation/overview_stats/?site_id=0",
        "/api/v1/automation/overview_stats/?site_id=1.5",
        "/api/v1/automation/overview_stats/?site_id=99999999999999999999999",
        "/api/v1/automation/history/",
        "/api/v1/automation/history/?site_id=x",
        "/api/v1/automation/history/?site_id=123&page=0",
        "/api/v1/automation/history/?site_id=123&page=-1",
        "/api/v1/automation/history/?site_id=123&page=abc",
        "/api/v1/automation/history/?site_id=123&page_size=101",
        "/api/v1/automation/history/?site_id=123&page_size=0",
        "/api/v1/automation/history/?site_id=123&page_size=ten",
        "/api/v1/automation/run_detail/",
        "/api/v1/automation/run_detail/?run_id=",
        "/api/v1/automation/run_detail/?run_id=a%20b",
        "/api/v1/automation/run_detail?site_id=123",
    ] {
        assert_error(&app, path, 400, "bad_request").await;
    }
    // The limits themselves are fine.
    let (status, _) = app.get("/api/v1/automation/history/?site_id=123&page=1&page_size=100").await;
    assert_eq!(status, 200);
    let (status, _) = app.get("/api/v1/automation/history/?site_id=123&page_size=1").await;
    assert_eq!(status, 200);
});

backends_test!(unknown_things_are_404_json, |store: Store| async move {
    import_ok(&store, &plan_lines()).await;
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    for path in [
        "/api/v1/automation/overview_stats/?site_id=999999",
        "/api/v1/automation/overview_stats?site_id=124",
        "/api/v1/automation/history/?site_id=999999",
        "/api/v1/automation/history/?site_id=999999&page=2",
        "/api/v1/automation/run_detail/?run_id=run_00000000_000000_manual",
        "/api/v1/automation/run_detail?run_id=nope",
        "/api/v1/nope",
        "/api/v1/automation/unknown/",
        "/api/v1/automation/overview_stats/extra",
    ] {
        assert_error(&app, path, 404, "not_found").await;
    }
    // The known ones answer, with and without the trailing slash.
    for path in [
        "/api/v1/automation/overview_stats/?site_id=123",
        "/api/v1/automation/overview_stats?site_id=123",
        "/api/v1/automation/run_detail?run_id=run_20260117_140523_manual",
        "/api/v1/automation/sites/",
        "/api/v1/automation/sites",
    ] {
        let (status, body) = app.get(path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
    }
});

backends_test!(healthz_names_the_backend, |store: Store| async move {
    let backend = store.backend();
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let body = app.get_ok("/healthz").await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], backend);
    assert!(backend == "sqlite" || backend == "postgres");
});

backends_test!(openapi_document_lists_the_endpoints, |store: Store| async move {
    let app = TestApp::spawn(store.clone(), fixed_now()).await;
    let doc = app.get_ok("/api/v1/openapi.json").await;
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with('3')), "OpenAPI version: {}", doc["openapi"]);
    let paths = doc["paths"].as_object().expect("paths");
    for p in ["/api/v1/automation/overview_stats/", "/api/v1/automation/history/", "/api/v1/automation/run_detail/"] {
        assert!(paths.contains_key(p), "{p} missing from {:?}", paths.keys().collect::<Vec<_>>());
        assert!(paths[p]["get"].is_object(), "{p} has no GET");
    }
});

backends_test!(sites_lists_the_callers_own_sites, |store: Store| async move {
    let lines = vec![
        account(1, "A", 1),
        account(2, "B", 2),
        site(3, 2, "Three", "three.example"),
        site(1, 1, "One", "one.example"),
        site(4, 1, "Four", "four.example"),
    ];
    import_ok(&store, &lines).await;
    // Both apps live to the end: a stopped app closes the store they share.
    let apps = [
        TestApp::spawn_as(store.clone(), fixed_now(), Some(1)).await,
        TestApp::spawn_as(store.clone(), fixed_now(), Some(2)).await,
    ];
    for (app, account, expected) in [
        (&apps[0], 1, vec![(1, 1, "A", "one.example"), (4, 1, "A", "four.example")]),
        (&apps[1], 2, vec![(3, 2, "B", "three.example")]),
    ] {
        let body = app.get_ok("/api/v1/automation/sites/").await;
        let sites: Vec<(i64, i64, &str, &str)> = body["sites"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["id"].as_i64().unwrap(),
                    s["account_id"].as_i64().unwrap(),
                    s["account_name"].as_str().unwrap(),
                    s["domain"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(sites, expected, "account {account}");
    }
});
