//! The request id: set on the way in (or taken from a proxy's `x-request-id`), logged with
//! every line of the request, returned in the response header and in JSON error bodies, so a
//! user's "something went wrong" can be found in the log without the log text ever reaching
//! the user.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

pub const HEADER: &str = "x-request-id";

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being handled, when called inside one.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Makes the request's id (set by `SetRequestIdLayer`) available to [`current`].
pub async fn scope(request: Request, next: Next) -> Response {
    let id = request.headers().get(HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    REQUEST_ID.scope(id, next.run(request)).await
}
