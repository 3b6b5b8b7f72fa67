//! Every path the app serves or links to, written once: the pages, the forms they post, the JSON
//! API, and the server functions that answer callers who have not signed in.
//!
//! A leaf: it imports nothing of the crate. Route macros take literals (`path!` in `app.rs`,
//! `#[server]`, `#[utoipa::path]`), so those few places spell their path out; the tests below
//! hold the server functions' to these names.

pub const OVERVIEW: &str = "/automation/overview";
pub const TRENDS: &str = "/automation/trends";
pub const COMPARE: &str = "/automation/compare";
/// The run pages, `RUNS/<run_id>`: see [`run_path`].
pub const RUNS: &str = "/automation/runs";
pub const SETTINGS: &str = "/settings";
pub const API_REFERENCE: &str = "/api";
pub const SIGN_IN: &str = "/sign-in";
pub const SIGN_OUT: &str = "/sign-out";
/// The invitation form; its links are `JOIN/<token>` ([`join_path`]).
pub const JOIN: &str = "/join";
pub const HEALTHZ: &str = "/healthz";
/// The front end's hashed files (server/assets.rs).
pub const PKG: &str = "/pkg";
/// Where `#[server(prefix = …)]` puts every server function.
pub const SERVER_FNS: &str = "/sfn";

/// Where a signed-in user lands when nothing else asks for a page.
pub const DEFAULT_LANDING: &str = OVERVIEW;

// The forms the pages post without JavaScript.
pub const REQUEST_FORM: &str = "/automation/run_requests";
pub const BUDGET_FORM: &str = "/settings/budget";
pub const ALERTS_FORM: &str = "/settings/alerts";
pub const PASSWORD_FORM: &str = "/settings/password";
pub const ROLE_FORM: &str = "/settings/team/role";
pub const REMOVE_FORM: &str = "/settings/team/remove";
pub const INVITE_FORM: &str = "/settings/team/invite";
pub const TOKEN_CREATE_FORM: &str = "/settings/tokens/create";
pub const TOKEN_REVOKE_FORM: &str = "/settings/tokens/revoke";

/// The server functions the sign-in and invitation pages call before anyone has signed in.
pub const PUBLIC_SERVER_FNS: [&str; 3] = ["/sfn/get_sign_in", "/sfn/get_session", "/sfn/get_invitation"];

pub fn run_path(run_id: &str) -> String {
    format!("{RUNS}/{run_id}")
}

pub fn overview_path(site_id: i64) -> String {
    format!("{OVERVIEW}?site_id={site_id}")
}

pub fn trends_path(site_id: i64) -> String {
    format!("{TRENDS}?site_id={site_id}")
}

pub fn compare_path(a: &str, b: &str) -> String {
    format!("{COMPARE}?a={a}&b={b}")
}

pub fn join_path(token: &str) -> String {
    format!("{JOIN}/{token}")
}

/// The JSON API (live-api.md and the plan). Route templates name their parameter in braces, as
/// axum reads them; the functions fill them in.
pub mod api {
    /// Everything under it is the API's: JSON answers, bearer tokens.
    pub const PREFIX: &str = "/api/";
    /// The plan's endpoints, and the documents beside them.
    pub const AUTOMATION: &str = "/api/v1/automation/";
    pub const SITES: &str = "/api/v1/automation/sites";
    pub const OVERVIEW_STATS: &str = "/api/v1/automation/overview_stats";
    pub const HISTORY: &str = "/api/v1/automation/history";
    pub const RUN_DETAIL: &str = "/api/v1/automation/run_detail";
    pub const TRENDS: &str = "/api/v1/automation/trends";
    pub const TRENDS_CSV: &str = "/api/v1/automation/trends.csv";
    pub const COMPARE: &str = "/api/v1/automation/compare";
    pub const EVENTS: &str = "/api/v1/automation/events";
    pub const RUN_REQUESTS: &str = "/api/v1/automation/run_requests";
    pub const BUDGET: &str = "/api/v1/automation/budget";
    pub const ALERTS: &str = "/api/v1/automation/alerts";
    pub const AUDIT: &str = "/api/v1/audit";
    pub const INGEST: &str = "/api/v1/ingest";
    pub const OPENAPI: &str = "/api/v1/openapi.json";
    pub const REPORT_CSV: &str = "/api/v1/automation/runs/{run_id}/report.csv";
    pub const REPORT_JSON: &str = "/api/v1/automation/runs/{run_id}/report.json";
    pub const LOGS_NDJSON: &str = "/api/v1/automation/runs/{run_id}/logs.ndjson";
    pub const ENGINE_CLAIM: &str = "/api/v1/engine/run_requests/claim";
    pub const ENGINE_STARTED: &str = "/api/v1/engine/run_requests/{id}/started";
    pub const ENGINE_REJECTED: &str = "/api/v1/engine/run_requests/{id}/rejected";
    /// Any other path under `/api/v1/`: a JSON 404 rather than a page.
    pub const UNKNOWN: &str = "/api/v1/{*rest}";

    /// `template` with its one `{…}` parameter replaced by `value`.
    pub fn fill(template: &str, value: &str) -> String {
        match (template.find('{'), template.find('}')) {
            (Some(open), Some(close)) if open < close => {
                format!("{}{value}{}", &template[..open], &template[close + 1..])
            }
            _ => template.to_string(),
        }
    }

    pub fn events(site_id: i64) -> String {
        format!("{EVENTS}?site_id={site_id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_filled_with_their_value() {
        assert_eq!(api::fill(api::LOGS_NDJSON, "run_7"), "/api/v1/automation/runs/run_7/logs.ndjson");
        assert_eq!(api::fill(api::ENGINE_STARTED, "12"), "/api/v1/engine/run_requests/12/started");
        assert_eq!(api::fill(api::SITES, "x"), api::SITES);
        assert_eq!(run_path("r1"), "/automation/runs/r1");
        assert_eq!(join_path("abc"), "/join/abc");
    }

    #[test]
    fn the_public_server_functions_are_the_ones_declared() {
        use crate::server_fns::{GetInvitation, GetSession, GetSignIn};
        use leptos::server_fn::ServerFn;
        assert_eq!(PUBLIC_SERVER_FNS, [GetSignIn::PATH, GetSession::PATH, GetInvitation::PATH]);
        assert!(PUBLIC_SERVER_FNS.iter().all(|p| p.starts_with(&format!("{SERVER_FNS}/"))));
    }
}
