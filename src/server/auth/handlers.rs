//! The sign-in and sign-out form posts. Plain HTML forms, so they work without JavaScript;
//! the middleware has already checked their CSRF token.

use axum::extract::{FromRequest, RawForm, Request, State};
use axum::http::header::SET_COOKIE;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::cookies::{self, SESSION_COOKIE};
use super::middleware::client_address;
use super::secrets::random_secret;
use super::SignInOutcome;
use crate::domain::auth::safe_next;
use crate::error::AppError;
use crate::paths::SIGN_IN;
use crate::server::rest::ApiError;
use crate::server::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

fn back_to_form(error: &str, next: &str) -> Response {
    let query = serde_urlencoded::to_string([("error", error), ("next", next)]).unwrap_or_default();
    Redirect::to(&format!("{SIGN_IN}?{query}")).into_response()
}

pub async fn sign_in(State(state): State<AppState>, request: Request) -> Response {
    let secure = cookies::over_https(request.headers());
    let address = client_address(request.extensions());
    let old_session = cookies::get(request.headers(), SESSION_COOKIE).map(str::to_string);
    let form: SignInForm = match RawForm::from_request(request, &state).await {
        Ok(RawForm(bytes)) => serde_urlencoded::from_bytes(&bytes).unwrap_or_default(),
        Err(rejection) => return rejection.into_response(),
    };
    let next = safe_next(form.next.as_deref());
    match state.auth.sign_in(&form.email, &form.password, address).await {
        Ok(SignInOutcome::SignedIn { session_id }) => {
            // A session id known before sign-in (planted, or the previous user's) must not
            // survive it: the old one is ended and a new id and CSRF token are issued.
            if let Some(old) = old_session {
                if let Err(e) = state.auth.sign_out(&old).await {
                    return ApiError(e).into_response();
                }
            }
            let mut response = Redirect::to(&next).into_response();
            let headers = response.headers_mut();
            headers.append(SET_COOKIE, cookies::session(&session_id, secure));
            headers.append(SET_COOKIE, cookies::csrf(&random_secret(), secure));
            response
        }
        Ok(SignInOutcome::Rejected) => back_to_form("invalid", &next),
        Ok(SignInOutcome::Locked { retry_after_secs }) => {
            tracing::warn!(retry_after_secs, "sign-in locked");
            back_to_form("locked", &next)
        }
        // The form, which needs no database, says so; a JSON body would strand the browser.
        Err(AppError::Unavailable) => back_to_form("unavailable", &next),
        Err(e) => ApiError(e).into_response(),
    }
}

pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let secure = cookies::over_https(&headers);
    if let Some(id) = cookies::get(&headers, SESSION_COOKIE) {
        if let Err(e) = state.auth.sign_out(id).await {
            return ApiError(e).into_response();
        }
    }
    let mut response = Redirect::to(&format!("{SIGN_IN}?notice=signed-out")).into_response();
    let headers = response.headers_mut();
    headers.append(SET_COOKIE, cookies::clear(SESSION_COOKIE, secure));
    headers.append(SET_COOKIE, cookies::csrf(&random_secret(), secure));
    response
}
