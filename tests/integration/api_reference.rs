//! The API reference at /api: rendered on the server (readable without JavaScript) from the
//! OpenAPI document, behind sign-in like every page, under the same content security policy.

use automation_runs::server::db::Store;
use serde_json::Value;

use crate::data::*;
use crate::harness::*;

backends_test!(the_reference_lists_every_endpoint_of_the_document, |store: Store| async move {
    import_ok(&store, &plan_lines()).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), None).await;
    let anonymous = http_client(false);

    // Anonymous: the sign-in form, then back here.
    let response = anonymous.get(app.url("/api")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/sign-in?next=%2Fapi");

    let document: Value = anonymous.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    let paths: Vec<&String> = document["paths"].as_object().expect("paths").keys().collect();
    assert!(paths.len() >= 8, "{paths:?}");

    let session = app.signed_in_client(1, "reader@acme.example").await;
    let response = session.get(app.url("/api")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let policy = response.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(policy.contains("style-src 'self'") && !policy.contains("unsafe-inline"), "{policy}");
    let html = response.text().await.unwrap();

    for path in &paths {
        assert!(html.contains(&format!("<code class=\"api-path\">{path}</code>")), "no card for {path}");
        assert!(html.contains(path.as_str()), "{path} is not on the page");
    }
    for schema in document["components"]["schemas"].as_object().expect("schemas").keys() {
        assert!(html.contains(&format!("id=\"schema-{schema}\"")), "no table for the schema {schema}");
    }
    // A $ref in a response is a link to its schema's table.
    assert!(html.contains("href=\"#schema-ErrorBody\""), "the 401 body links to ErrorBody");
    assert!(html.contains("href=\"#get-api-v1-automation-sites\""), "the contents link to the cards");
    // Authorization, the example and the raw document.
    assert!(html.contains("automation-runs token create"));
    // The example calls the first account endpoint (in the document's order) that needs no parameter.
    let first_plain_get = paths
        .iter()
        .find(|p| {
            p.starts_with("/api/v1/automation/")
                && document["paths"][p.as_str()]["get"].as_object().is_some_and(|get| get.get("parameters").is_none())
        })
        .expect("an account endpoint without parameters");
    let example = format!("curl -H \"Authorization: Bearer $TOKEN\" '{}{first_plain_get}'", app.base);
    assert!(html.contains(&example), "the curl example calls this server: {example}");
    assert!(html.contains("--account 1 "), "the example's token is for the reader's account");
    assert!(html.contains("href=\"/api/v1/openapi.json\""), "a link to the raw document");
    // The header's API link leads here.
    assert!(html.contains("<a href=\"/api\">API</a>"), "the header links to the reference");
    // Nothing inline that the policy would block: no style attributes, every script with a src
    // or this response's nonce.
    assert!(!html.contains(" style=\""), "an inline style");
    for script in html.split("<script").skip(1) {
        let tag = &script[..script.find('>').unwrap()];
        assert!(tag.contains("src=") || tag.contains("nonce="), "an inline script without the nonce: <script{tag}>");
    }

    // The raw document is unchanged and stays where it was.
    let again: Value = session.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(again, document);
});
