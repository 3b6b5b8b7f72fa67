//! Stored markup (issue 9, "A stored HTML injection"): every free-text field of the import
//! format holds markup, and neither page puts any of it into the document as markup, the
//! `<head>` included. A site's `domain` is refused by import unless it is a host name, so the
//! hostile domain is written straight into the database, as a row from before that rule would be.

use automation_runs::server::db::Store;
use serde_json::json;

use crate::data::*;
use crate::harness::*;

const ACCOUNT: i64 = 1;
const SITE: i64 = 11;
const RUN_ID: &str = "run_injection_1";

/// The domain, with a marker on the element it would inject.
const HOSTILE_DOMAIN: &str = "o.example</title><b data-injected>domain</b><title>";

/// Markup for the field `tag`: it closes the elements a text could sit in (`<title>`, a
/// `<script>` holding hydration data) and opens elements marked `data-injected`. `tag` starts
/// with a capital and has no underscore, so the run page's labels show it unchanged.
fn markup(tag: &str) -> String {
    format!("{tag}</title></script><b data-injected>{tag}</b><img src=x data-injected>")
}

/// `markup(tag)` as HTML text shows it: every `<` and `>` an entity.
fn escaped(tag: &str) -> String {
    markup(tag).replace('<', "&lt;").replace('>', "&gt;")
}

fn failed_run() -> String {
    json!({"kind":"run","site_id":SITE,"run_id":RUN_ID,"status":"failed","trigger_type":"manual",
        "current_stage":2,"started_at":"2026-01-20T10:00:00Z","completed_at":"2026-01-20T10:20:00Z",
        "paused_at":null,"resumed_at":null,"cancelled_at":null,"total_credits_used":60,
        "error_message":markup("Error"),
        "stage_1_result":{"keywords_processed":150,"clusters_created":12,"credits_used":45,
            "time_elapsed":"00:03:24","note":markup("Extra"),(markup("Key")):"value",
            "details":{"inner":markup("Nested")}},
        "stage_2_result":{"clusters_processed":10,"ideas_created":3,"credits_used":15,
            "time_elapsed":"00:01:00","reason":markup("Second")}})
    .to_string()
}

fn lines() -> Vec<String> {
    vec![
        account(ACCOUNT, &markup("Account"), 500),
        site(SITE, ACCOUNT, &markup("Site"), "injection.example"),
        failed_run(),
        log(RUN_ID, None, ts("2026-01-20T10:00:00Z"), "info", &markup("Runlog")),
        log(RUN_ID, Some(2), ts("2026-01-20T10:19:00Z"), "error", &markup("Stagelog")),
    ]
}

async fn set_domain(store: &Store, site_id: i64, domain: &str) {
    let sql = "UPDATE sites SET domain = $1 WHERE id = $2";
    let updated = match store {
        Store::Sqlite(pool) => sqlx::query(sql).bind(domain).bind(site_id).execute(pool).await.unwrap().rows_affected(),
        Store::Postgres(pool) => {
            sqlx::query(sql).bind(domain).bind(site_id).execute(pool).await.unwrap().rows_affected()
        }
    };
    assert_eq!(updated, 1);
}

/// The document's tags as a browser's tokenizer sees them: (name, attributes outside quoted
/// values), lower case. Comments are skipped, and so is the content of the elements whose
/// content is text (`script`, `style`, `title`, `textarea`), up to their own end tag.
fn tags(html: &str) -> Vec<(String, String)> {
    let lower = html.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = lower[i..].find('<').map(|p| p + i) {
        i = at + 1;
        if lower[at..].starts_with("<!--") {
            i = lower[at..].find("-->").map_or(lower.len(), |p| at + p + 3);
            continue;
        }
        let name_start = at + 1 + usize::from(bytes.get(at + 1) == Some(&b'/'));
        if !bytes.get(name_start).is_some_and(|b| b.is_ascii_alphabetic() || *b == b'!') {
            continue; // a bare `<` in text
        }
        let mut j = name_start;
        while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' && bytes[j] != b'/' {
            j += 1;
        }
        let name = format!("{}{}", if name_start > at + 1 { "/" } else { "" }, &lower[name_start..j]);
        let mut attrs = String::new();
        let mut quote = None;
        while j < bytes.len() {
            let b = bytes[j];
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'"' || b == b'\'' => quote = Some(b),
                None if b == b'>' => break,
                None => attrs.push(char::from(b)),
            }
            j += 1;
        }
        i = j + 1;
        if ["script", "style", "title", "textarea"].contains(&name.as_str()) {
            let end = format!("</{name}");
            i = lower[i.min(lower.len())..].find(&end).map_or(lower.len(), |p| i + p);
        }
        out.push((name, attrs));
    }
    out
}

/// Nothing of the stored markup is markup in `html`; the head holds one `<title>`, `title`.
fn assert_no_injected_markup(page: &str, html: &str, title: &str) {
    let tags = tags(html);
    let injected: Vec<_> = tags.iter().filter(|(_, attrs)| attrs.contains("data-injected")).collect();
    assert!(injected.is_empty(), "{page}: injected elements {injected:?}");
    for raw in ["<b data-injected", "<img src=x", "</title></script>"] {
        assert!(!html.contains(raw), "{page}: {raw:?} is in the HTML as it was stored");
    }
    let titles: Vec<_> = tags.iter().filter(|(name, _)| name == "title").collect();
    assert_eq!(titles.len(), 1, "{page}: one <title>, found {titles:?}");
    let head_end = html.find("</head>").expect("a head");
    let head = &html[..head_end];
    let expected = format!("<title>{title}</title>");
    assert!(head.contains(&expected), "{page}: the head holds {expected}: {head}");
    let elements_in_head: Vec<_> = self::tags(head).into_iter().map(|(name, _)| name).collect();
    assert!(
        !elements_in_head.iter().any(|n| n == "b" || n == "img"),
        "{page}: markup in the head: {elements_in_head:?}"
    );
}

fn assert_shows(page: &str, html: &str, tags: &[&str]) {
    for tag in tags {
        assert!(html.contains(&escaped(tag)), "{page}: the {tag} text is shown, escaped ({})", escaped(tag));
    }
}

backends_test!(import_refuses_a_domain_that_is_not_a_host_name, |store: Store| async move {
    let text = [
        account(ACCOUNT, "Acme", 5),
        site(SITE, ACCOUNT, "Fine", "fine.example"),
        site(12, ACCOUNT, "O", HOSTILE_DOMAIN),
    ]
    .join("\n");
    let report = import_text(&store, &text, false).await;
    assert!(!report.committed, "{report:?}");
    let bad: Vec<_> = report.errors.iter().map(|e| (e.line, e.reason.as_str())).collect();
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert_eq!(bad[0].0, 3, "the hostile site is line 3: {bad:?}");
    assert!(bad[0].1.contains("site 12: domain must be a host name") && bad[0].1.contains("'<'"), "{bad:?}");
    assert!(!bad[0].1.contains("<b"), "the reason does not echo the markup: {bad:?}");
    assert_eq!(count_rows(&store, "sites").await, 0);

    // A port, a path or a space is no host name either; a plain one in capitals is.
    for (domain, ok) in [("o.example:8080", false), ("o.example/x", false), ("o example", false), ("O.Example", true)] {
        let report =
            import_text(&store, &[account(ACCOUNT, "Acme", 5), site(SITE, ACCOUNT, "S", domain)].join("\n"), false)
                .await;
        assert_eq!(report.committed, ok, "{domain}: {:?}", report.errors);
        if !ok {
            assert_eq!(report.errors[0].line, 2, "{domain}: {:?}", report.errors);
        }
    }
});

backends_test!(stored_markup_is_text_on_both_pages, |store: Store| async move {
    import_ok(&store, &lines()).await;
    set_domain(&store, SITE, HOSTILE_DOMAIN).await;
    let app = TestApp::spawn_as(store.clone(), fixed_now(), None).await;
    let client = app.signed_in_client(ACCOUNT, "owner@injection.example").await;

    let get = |path: String| {
        let client = client.clone();
        let url = app.url(&path);
        async move {
            let response = client.get(&url).send().await.unwrap();
            assert_eq!(response.status().as_u16(), 200, "GET {url}");
            response.text().await.unwrap()
        }
    };
    let escaped_domain = HOSTILE_DOMAIN.replace('<', "&lt;").replace('>', "&gt;");

    let overview = get(format!("/automation/overview?site_id={SITE}")).await;
    assert_no_injected_markup("overview", &overview, "Automation Overview");
    assert_shows("overview", &overview, &["Account", "Site"]);
    assert!(overview.contains(&format!("{escaped_domain} #1")), "overview: the run's title, escaped");

    let run = get(format!("/automation/runs/{RUN_ID}")).await;
    // The head's title is the run's title, escaped; the tab shows the text as it is.
    assert_no_injected_markup("run page", &run, &format!("{escaped_domain} #1"));
    assert_shows("run page", &run, &["Account", "Error", "Extra", "Key", "Second", "Runlog", "Stagelog"]);
    assert!(run.contains("Nested&lt;/title&gt;"), "run page: a nested extra field, escaped");
});
