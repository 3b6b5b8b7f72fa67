//! The one error type the pages and the JSON API show. Internal causes are logged where they
//! happen and never reach a response.

use serde::{Deserialize, Serialize};

use crate::domain::params::ParamError;
use crate::domain::requests::Estimate;
use server_fn_error::{FromServerFnError, ServerFnErrorErr};

// Re-exported under a short name so the imports above read the same on both targets.
mod server_fn_error {
    pub use leptos::server_fn::codec::JsonEncoding;
    pub use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// A parameter or input the caller can correct.
    #[error("{0}")]
    BadRequest(String),
    /// No valid session or token came with the request.
    #[error("Sign in to continue.")]
    Unauthorized,
    /// A state-changing request failed its CSRF check.
    #[error("The request was refused: {0}. Reload the page and try again.")]
    Forbidden(String),
    /// The caller is known but may not do this (a `read` token on a writing endpoint, a
    /// record of another account).
    #[error("{0}")]
    NotAllowed(String),
    /// A request body of a type the endpoint does not take.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Records that did not pass validation; the response lists the lines.
    #[error("{0}")]
    InvalidRecords(String),
    /// A request body over the limit, in bytes.
    #[error("The request body is larger than {0} bytes.")]
    PayloadTooLarge(usize),
    /// An unknown site or run, or one of another account: the same answer for both.
    #[error("{0} not found")]
    NotFound(String),
    /// The request is at odds with the current state: a site with a run on its way, an
    /// unfinished run to re-run, a request already answered.
    #[error("{0}")]
    Conflict(String),
    /// The run's recommended buffer exceeds the balance, and the caller did not confirm.
    #[error("The balance of {} credits is below the recommended buffer of {} credits for this run. Confirm to request it anyway.", .0.current_balance, .0.recommended_buffer.unwrap_or(0))]
    InsufficientBalance(Estimate),
    /// Too many submissions of a form (or wrong passwords) in the throttle's window.
    #[error("Too many attempts in a short time. Try again in 15 minutes.")]
    TooManyRequests,
    /// Something failed on our side; the cause is in the server log.
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    /// The request could not reach the server or its answer could not be read.
    #[error("The server could not be reached ({0}). Check your connection and try again.")]
    Transport(String),
    /// The database cannot be reached (stopped, restarting, or no connection free in time):
    /// nothing is wrong with the request, and the same request works once it is back.
    #[error("The service is temporarily unavailable: its database cannot be reached. Please try again in a moment.")]
    Unavailable,
}

impl AppError {
    /// The HTTP status of the error: the one table every edge (API, server functions, the
    /// gate's refusals, the pages) answers with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::BadRequest(_) => 400,
            AppError::Unauthorized => 401,
            AppError::Forbidden(_) => 403,
            AppError::PayloadTooLarge(_) => 413,
            AppError::NotAllowed(_) => 403,
            AppError::UnsupportedMediaType(_) => 415,
            AppError::InvalidRecords(_) => 400,
            AppError::NotFound(_) => 404,
            AppError::Conflict(_) | AppError::InsufficientBalance(_) => 409,
            AppError::TooManyRequests => 429,
            AppError::Internal => 500,
            AppError::Transport(_) => 502,
            AppError::Unavailable => 503,
        }
    }

    /// [`AppError::status_code`] as the server's HTTP type.
    #[cfg(feature = "ssr")]
    pub fn http_status(&self) -> axum::http::StatusCode {
        axum::http::StatusCode::from_u16(self.status_code()).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The machine-readable code of the JSON error body.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "bad_request",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::NotAllowed(_) => "forbidden",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::InvalidRecords(_) => "invalid_records",
            AppError::NotFound(_) => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::InsufficientBalance(_) => "insufficient_balance",
            AppError::TooManyRequests => "rate_limited",
            AppError::Internal => "internal",
            // Made in the browser when a server function's request fails; never sent by the
            // server, and kept apart from the server's own 503 below.
            AppError::Transport(_) => "transport",
            AppError::Unavailable => "unavailable",
        }
    }
}

/// A parameter the caller can correct: every edge answers it with 400 and its message.
impl From<ParamError> for AppError {
    fn from(e: ParamError) -> Self {
        AppError::BadRequest(e.0)
    }
}

impl FromServerFnError for AppError {
    type Encoder = server_fn_error::JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::MissingArg(msg) => AppError::BadRequest(msg),
            ServerFnErrorErr::Request(msg) | ServerFnErrorErr::Response(msg) => AppError::Transport(msg),
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed");
                let _ = other;
                AppError::Internal
            }
        }
    }
}
