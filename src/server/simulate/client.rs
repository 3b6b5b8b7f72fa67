//! The simulator's side of the JSON API: the calls an engine makes, with an `ingest` token.
//! A server that does not answer, or answers 5xx, 408 or 429, is asked again after a pause that
//! doubles from 0.5 s to 15 s, for as long as it takes: every call the simulator repeats is
//! harmless to repeat (ingest is idempotent, an answer to a request may be given twice, reads
//! read). Any other refusal is the caller's to handle. Every wait ends when the simulator stops.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;
use tokio::sync::watch;

use crate::domain::detail::RunDetail;
use crate::domain::overview::{HistoryPage, SiteSummary};
use crate::domain::requests::RunRequest;
use crate::domain::run::RunStatus;
use crate::paths::api;
use crate::server::rest::ingest::NDJSON;

const FIRST_PAUSE: Duration = Duration::from_millis(500);
const LONGEST_PAUSE: Duration = Duration::from_secs(15);
/// A call that takes longer is taken as lost and made again.
const CALL_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("the simulator is stopping")]
    Stopped,
    #[error("{call}: {status} ({code}): {message}")]
    Refused { call: String, status: u16, code: String, message: String },
    #[error("{call}: the answer is not the API's: {source}")]
    Unexpected { call: String, source: serde_json::Error },
    #[error("cannot make an HTTP client: {0}")]
    Setup(reqwest::Error),
}

impl ClientError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Refused { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Resolves once the simulator is told to stop (or its owner is gone).
pub async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

/// Sleeps `pause`, unless the simulator stops first.
pub async fn pause(stop: &watch::Receiver<bool>, pause: Duration) -> Result<(), ClientError> {
    tokio::select! {
        () = tokio::time::sleep(pause) => Ok(()),
        () = stopped(stop.clone()) => Err(ClientError::Stopped),
    }
}

fn decode<T: DeserializeOwned>(call: String, status: StatusCode, bytes: &[u8]) -> Result<T, ClientError> {
    if !status.is_success() {
        let (code, message) = match serde_json::from_slice::<ErrorBody>(bytes) {
            Ok(ErrorBody { error }) => (error.code, error.message),
            Err(_) => (String::new(), String::from_utf8_lossy(bytes).chars().take(300).collect()),
        };
        return Err(ClientError::Refused { call, status: status.as_u16(), code, message });
    }
    serde_json::from_slice(bytes).map_err(|source| ClientError::Unexpected { call, source })
}

/// Not `Debug`: it holds the token.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
    stop: watch::Receiver<bool>,
}

enum Body<'a> {
    Empty,
    Json(serde_json::Value),
    Ndjson(&'a str),
}

/// The API's error body, as far as the simulator reads it.
#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: String,
    message: String,
}

#[derive(Deserialize)]
struct Sites {
    sites: Vec<SiteSummary>,
}

#[derive(Deserialize)]
struct Requests {
    requests: Vec<RunRequest>,
}

fn retried(status: StatusCode) -> bool {
    status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT || status == StatusCode::TOO_MANY_REQUESTS
}

impl Client {
    pub fn new(base: &str, token: &str, stop: watch::Receiver<bool>) -> Result<Client, ClientError> {
        let http = reqwest::Client::builder().timeout(CALL_TIMEOUT).build().map_err(ClientError::Setup)?;
        Ok(Client { http, base: base.trim_end_matches('/').to_string(), token: token.to_string(), stop })
    }

    pub fn stop_signal(&self) -> &watch::Receiver<bool> {
        &self.stop
    }

    /// The status and body of the first answer that is neither lost nor worth asking again.
    async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Body<'_>,
    ) -> Result<(StatusCode, Vec<u8>), ClientError> {
        let url = format!("{}{path}", self.base);
        let mut wait = FIRST_PAUSE;
        loop {
            let mut request = self.http.request(method.clone(), &url).bearer_auth(&self.token).query(query);
            request = match &body {
                Body::Empty => request,
                Body::Json(value) => request.json(value),
                Body::Ndjson(text) => request.header(reqwest::header::CONTENT_TYPE, NDJSON).body(text.to_string()),
            };
            let answer = async {
                let response = request.send().await?;
                let status = response.status();
                Ok::<_, reqwest::Error>((status, response.bytes().await?.to_vec()))
            };
            let outcome = tokio::select! {
                outcome = answer => outcome,
                () = stopped(self.stop.clone()) => return Err(ClientError::Stopped),
            };
            match outcome {
                Ok((status, body)) if !retried(status) => return Ok((status, body)),
                Ok((status, _)) => tracing::warn!(%method, path, %status, retry_in = ?wait, "the server is struggling"),
                Err(e) => tracing::warn!(%method, path, error = %e, retry_in = ?wait, "the server does not answer"),
            }
            pause(&self.stop, wait).await?;
            wait = (wait * 2).min(LONGEST_PAUSE);
        }
    }

    /// The JSON of a 2xx answer; any other answer is a refusal.
    async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Body<'_>,
    ) -> Result<T, ClientError> {
        let (status, bytes) = self.call(method.clone(), path, query, body).await?;
        decode(format!("{method} {path}"), status, &bytes)
    }

    /// The oldest pending request of the account (of one site, when given), now claimed; `None`
    /// when there is none.
    pub async fn claim(&self, site_id: Option<i64>) -> Result<Option<RunRequest>, ClientError> {
        let path = api::ENGINE_CLAIM;
        let query: Vec<_> = site_id.map(|id| ("site_id", id.to_string())).into_iter().collect();
        // A claim whose answer is lost leaves its request claimed until the claim lapses; it is
        // claimed again then.
        let (status, bytes) = self.call(Method::POST, path, &query, Body::Empty).await?;
        if status == StatusCode::NO_CONTENT {
            return Ok(None);
        }
        decode(format!("POST {path}"), status, &bytes).map(Some)
    }

    pub async fn started(&self, request: i64, run_id: &str) -> Result<RunRequest, ClientError> {
        let path = api::fill(api::ENGINE_STARTED, &request.to_string());
        self.json(Method::POST, &path, &[], Body::Json(json!({ "run_id": run_id }))).await
    }

    pub async fn rejected(&self, request: i64, reason: &str) -> Result<RunRequest, ClientError> {
        let path = api::fill(api::ENGINE_REJECTED, &request.to_string());
        self.json(Method::POST, &path, &[], Body::Json(json!({ "reason": reason }))).await
    }

    /// Writes records (NDJSON); the same body again changes nothing.
    pub async fn ingest(&self, body: &str) -> Result<(), ClientError> {
        self.json::<serde_json::Value>(Method::POST, api::INGEST, &[], Body::Ndjson(body)).await.map(drop)
    }

    /// The account's sites.
    pub async fn sites(&self) -> Result<Vec<SiteSummary>, ClientError> {
        let sites: Sites = self.json(Method::GET, api::SITES, &[], Body::Empty).await?;
        Ok(sites.sites)
    }

    /// The site's newest runs (of one status, when given).
    pub async fn history(
        &self,
        site_id: i64,
        status: Option<RunStatus>,
        page_size: u32,
    ) -> Result<HistoryPage, ClientError> {
        let mut query = vec![("site_id", site_id.to_string()), ("page_size", page_size.to_string())];
        query.extend(status.map(|s| ("status", s.as_str().to_string())));
        self.json(Method::GET, api::HISTORY, &query, Body::Empty).await
    }

    pub async fn run_detail(&self, run_id: &str) -> Result<RunDetail, ClientError> {
        let query = [("run_id", run_id.to_string())];
        self.json(Method::GET, api::RUN_DETAIL, &query, Body::Empty).await
    }

    /// The site's requests, newest first.
    pub async fn requests(&self, site_id: i64) -> Result<Vec<RunRequest>, ClientError> {
        let query = [("site_id", site_id.to_string())];
        let list: Requests = self.json(Method::GET, api::RUN_REQUESTS, &query, Body::Empty).await?;
        Ok(list.requests)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::post;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use std::sync::Arc;

    /// A server whose ingest answers 503 `failures` times, then `last`; and its count of calls.
    async fn server(failures: usize, last: StatusCode) -> (String, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let seen = calls.clone();
        let ingest = move || {
            let n = seen.fetch_add(1, SeqCst);
            async move {
                match n {
                    n if n < failures => (StatusCode::SERVICE_UNAVAILABLE, "{}"),
                    _ if last.is_success() => (last, "{}"),
                    _ => (last, r#"{"error":{"code":"invalid_records","message":"Line 1 is bad."}}"#),
                }
            }
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = axum::Router::new().route(api::INGEST, post(ingest));
        tokio::spawn(async move { axum::serve(listener, app).await });
        (format!("http://{addr}"), calls)
    }

    #[tokio::test]
    async fn a_struggling_server_is_asked_again_after_growing_pauses() {
        let (url, calls) = server(2, StatusCode::OK).await;
        let (_stop, stopping) = watch::channel(false);
        let began = std::time::Instant::now();
        Client::new(&url, "token", stopping).unwrap().ingest("{}").await.unwrap();
        assert_eq!(calls.load(SeqCst), 3);
        assert!(began.elapsed() >= FIRST_PAUSE * 3, "0.5 s, then 1 s: {:?}", began.elapsed());
    }

    #[tokio::test]
    async fn a_refusal_is_reported_at_once() {
        let (url, calls) = server(0, StatusCode::BAD_REQUEST).await;
        let (_stop, stopping) = watch::channel(false);
        let e = Client::new(&url, "token", stopping).unwrap().ingest("{}").await.unwrap_err();
        assert_eq!(calls.load(SeqCst), 1);
        let ClientError::Refused { status, code, message, .. } = e else { panic!("{e}") };
        assert_eq!((status, code.as_str(), message.as_str()), (400, "invalid_records", "Line 1 is bad."));
    }

    #[tokio::test]
    async fn a_lost_server_is_asked_again_until_the_simulator_stops() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let (stop, stopping) = watch::channel(false);
        let client = Client::new(&format!("http://127.0.0.1:{port}"), "token", stopping).unwrap();
        let stopper = async {
            tokio::time::sleep(Duration::from_millis(1200)).await;
            let _ = stop.send(true);
        };
        let began = std::time::Instant::now();
        let (result, ()) = tokio::join!(client.ingest("{}"), stopper);
        assert!(matches!(result, Err(ClientError::Stopped)), "{result:?}");
        assert!(began.elapsed() < Duration::from_secs(2), "the stop ends the pause: {:?}", began.elapsed());
    }
}
