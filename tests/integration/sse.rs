//! A small Server-Sent Events reader over a real HTTP response, for the event-stream tests.

use std::time::Duration;

use serde_json::Value;

/// One event as the stream framed it.
#[derive(Debug, Clone, PartialEq)]
pub struct SseEvent {
    pub id: Option<String>,
    pub event: String,
    pub data: Value,
}

pub struct SseStream {
    response: reqwest::Response,
    buffer: String,
    /// Comment lines seen (keep-alives).
    pub comments: usize,
}

/// How long a test waits for an event before it fails: far above the 1 s the contract allows,
/// so a slow machine does not fail it, while a lost event still does.
pub const EVENT_WAIT: Duration = Duration::from_secs(15);

impl SseStream {
    /// Opens `GET {base}/api/v1/automation/events?site_id=…` with a bearer token.
    pub async fn open(base: &str, site_id: i64, token: &str, last_event_id: Option<&str>) -> (u16, Option<SseStream>) {
        let client = reqwest::Client::builder().build().unwrap();
        let mut request = client.get(format!("{base}/api/v1/automation/events?site_id={site_id}")).bearer_auth(token);
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        let response = request.send().await.expect("events request");
        let status = response.status().as_u16();
        if status != 200 {
            return (status, None);
        }
        let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
        assert!(content_type.starts_with("text/event-stream"), "content type {content_type}");
        (status, Some(SseStream { response, buffer: String::new(), comments: 0 }))
    }

    /// The next event, or `None` when the stream ended; panics after [`EVENT_WAIT`].
    pub async fn next(&mut self) -> Option<SseEvent> {
        tokio::time::timeout(EVENT_WAIT, self.next_unbounded()).await.expect("no event within the wait")
    }

    /// The next event of this name, skipping others.
    pub async fn next_named(&mut self, name: &str) -> SseEvent {
        loop {
            let e = self.next().await.unwrap_or_else(|| panic!("the stream ended before a {name} event"));
            if e.event == name {
                return e;
            }
        }
    }

    async fn next_unbounded(&mut self) -> Option<SseEvent> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let frame: String = self.buffer.drain(..end + 2).collect();
                let (mut id, mut event, mut data) = (None, "message".to_string(), String::new());
                let mut fields = false;
                for line in frame.lines() {
                    if line.starts_with(':') {
                        self.comments += 1;
                        continue;
                    }
                    let (key, value) = line.split_once(':').map_or((line, ""), |(k, v)| (k, v.trim_start()));
                    fields = true;
                    match key {
                        "id" => id = Some(value.to_string()),
                        "event" => event = value.to_string(),
                        "data" => data.push_str(value),
                        _ => {}
                    }
                }
                if fields {
                    let data = serde_json::from_str(&data).unwrap_or_else(|e| panic!("event data {data:?}: {e}"));
                    return Some(SseEvent { id, event, data });
                }
                continue;
            }
            match self.response.chunk().await {
                Ok(Some(bytes)) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                Ok(None) | Err(_) => return None,
            }
        }
    }
}
