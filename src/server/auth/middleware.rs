//! One gate in front of every route: it finds the caller (bearer token or session cookie),
//! checks the CSRF token of state-changing requests, and turns away anonymous requests: pages
//! to the sign-in form, API and server-function calls with 401.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, HOST, ORIGIN, SET_COOKIE, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leptos::config::LeptosOptions;

use super::cookies::{self, CSRF_COOKIE, SESSION_COOKIE};
use super::secrets::{random_secret, same_secret, well_formed};
use super::{Caller, CsrfToken, SessionState};
use crate::app::stylesheet_href;
use crate::error::AppError;
use crate::paths::{self, SIGN_IN};
use crate::server::rest::ApiError;
use crate::server::state::AppState;

/// What a path is, for the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Open to anyone: the sign-in form, health and the API document.
    Public,
    /// The front end's files, the favicon, the theme script and robots.txt: the same for everyone, so no
    /// caller is looked up and no cookie is set (see server/assets.rs for their caching).
    Static,
    /// JSON API: bearer token or session; 401 JSON otherwise.
    Api,
    /// Server functions: session only; 401 JSON otherwise.
    ServerFn,
    /// Pages: session only; a redirect to sign-in otherwise.
    Page,
}

pub fn area(path: &str) -> Area {
    // The sign-in and invitation pages call the server functions that answer anonymous callers
    // too; an invitation link (`/join/<token>`) and its form are for people not yet users.
    const PUBLIC: [&str; 5] = [paths::SIGN_IN, paths::SIGN_OUT, paths::JOIN, paths::HEALTHZ, paths::api::OPENAPI];
    let under = |prefix: &str| path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'));
    if under(paths::PKG) || ["/favicon.svg", "/theme.js", "/robots.txt"].contains(&path) {
        Area::Static
    } else if PUBLIC.contains(&path) || paths::PUBLIC_SERVER_FNS.contains(&path) || under(paths::JOIN) {
        Area::Public
    } else if path.starts_with(paths::api::PREFIX) {
        Area::Api
    } else if under(paths::SERVER_FNS) {
        Area::ServerFn
    } else {
        Area::Page
    }
}

/// Sign-in and sign-out forms are the only form bodies; anything bigger is not one of them.
const FORM_LIMIT: usize = 16 * 1024;

pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "csrf_token";

/// An error in the shape its caller reads: the server-function client decodes [`AppError`]
/// itself (so the page can say "Sign in to continue"), everyone else gets the API's JSON.
fn refusal(area: Area, error: AppError) -> Response {
    match area {
        Area::ServerFn => (error.http_status(), axum::Json(error)).into_response(),
        _ => ApiError(error).into_response(),
    }
}

fn unauthorized(area: Area) -> Response {
    let mut response = refusal(area, AppError::Unauthorized);
    if area == Area::Api {
        response.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

fn forbidden(area: Area, reason: &'static str, options: &LeptosOptions) -> Response {
    tracing::warn!(reason, "request refused: CSRF check failed");
    match area {
        Area::Api | Area::ServerFn => refusal(area, AppError::Forbidden(reason.into())),
        Area::Public | Area::Page | Area::Static => {
            let stylesheet = stylesheet_href(options);
            let page = format!(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Form expired · Automation Runs</title>\
<link rel=\"stylesheet\" href=\"{stylesheet}\"></head><body><main class=\"page narrow\">\
<h1>The form expired</h1><p>The form expired. Reload the page and try again.</p>\
<p><a href=\"{sign_in}\">Go to sign-in</a></p></main></body></html>",
                sign_in = paths::SIGN_IN
            );
            (StatusCode::FORBIDDEN, Html(page)).into_response()
        }
    }
}

/// Public paths need no caller: when the caller cannot be looked up (the database is down),
/// the sign-in form, the health check and the front end's files are still served, anonymously.
fn anonymous_after(error: AppError) -> Option<Caller> {
    tracing::warn!(%error, "caller not looked up; serving a public path anonymously");
    None
}

/// The caller could not be looked up: pages answer with an HTML page that says why (the
/// database is down, mostly), everyone else with their error shape.
fn lookup_failed(area: Area, error: AppError, options: &LeptosOptions) -> Response {
    if area != Area::Page {
        return refusal(area, error);
    }
    let status = error.http_status();
    let title = if error == AppError::Unavailable { "Temporarily unavailable" } else { "Something went wrong" };
    let message = error.to_string().replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let stylesheet = stylesheet_href(options);
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} · Automation Runs</title>\
<link rel=\"stylesheet\" href=\"{stylesheet}\"></head><body><main class=\"page narrow\">\
<h1>{title}</h1><p>{message}</p><p><a href=\"\">Try again</a></p></main></body></html>"
    );
    (status, Html(page)).into_response()
}

/// `Authorization: Bearer <token>`: `Some(Ok(token))`; another scheme or no token:
/// `Some(Err(()))`; no header: `None`.
fn bearer(request: &Request) -> Option<Result<String, ()>> {
    let value = request.headers().get(AUTHORIZATION)?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_string())
        .filter(|t| !t.is_empty());
    Some(token.ok_or(()))
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The Origin header, when sent, must be this server: a page of another site cannot post here
/// even if it somehow learned a token.
fn origin_matches(request: &Request) -> bool {
    let Some(origin) = request.headers().get(ORIGIN) else { return true };
    let host = request.headers().get(HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    let scheme = if cookies::over_https(request.headers()) { "https" } else { "http" };
    origin.to_str().is_ok_and(|o| !host.is_empty() && o == format!("{scheme}://{host}"))
}

/// The CSRF token a request submits: the header, or the form field (the body is read and put
/// back for the handler).
async fn submitted_token(request: Request) -> Result<(Option<String>, Request), Response> {
    if let Some(token) = request.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        let token = token.to_string();
        return Ok((Some(token), request));
    }
    let is_form = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((None, request));
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| ApiError(AppError::PayloadTooLarge(FORM_LIMIT)).into_response())?;
    let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|fields| fields.into_iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v));
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}

fn sign_in_redirect(request: &Request, expired: bool) -> Response {
    let next = request.uri().path_and_query().map_or("/", |pq| pq.as_str());
    let mut query = vec![("next", next)];
    if expired {
        query.insert(0, ("error", "expired"));
    }
    let query = serde_urlencoded::to_string(query).unwrap_or_default();
    Redirect::to(&format!("{SIGN_IN}?{query}")).into_response()
}

/// Who the request comes from, as its credential says.
struct Identity {
    caller: Option<Caller>,
    /// The caller sent a bearer token (not a cookie).
    via_bearer: bool,
    /// The session cookie named a session that went idle.
    expired: bool,
}

/// The caller of a bearer token or session cookie. A bad token is refused; a database error
/// leaves public paths anonymous and refuses the rest.
async fn identify(
    state: &AppState,
    area: Area,
    bearer: Option<Result<String, ()>>,
    session_id: Option<&str>,
) -> Result<Identity, Response> {
    let auth = &state.auth;
    let identity = |caller, via_bearer, expired| Identity { caller, via_bearer, expired };
    match (bearer, session_id) {
        (Some(Err(())), _) => Err(unauthorized(area)),
        (Some(Ok(token)), _) => match auth.token(&token).await {
            Ok(Some(caller)) => Ok(identity(Some(caller), true, false)),
            Ok(None) => Err(unauthorized(area)),
            Err(e) if area == Area::Public => Ok(identity(anonymous_after(e), false, false)),
            Err(e) => Err(lookup_failed(area, e, &state.leptos_options)),
        },
        (None, None) => Ok(identity(None, false, false)),
        (None, Some(id)) => match auth.session(id).await {
            Ok(SessionState::Active(caller)) => Ok(identity(Some(caller), false, false)),
            Ok(SessionState::Expired) => Ok(identity(None, false, true)),
            Ok(SessionState::Unknown) => Ok(identity(None, false, false)),
            Err(e) if area == Area::Public => Ok(identity(anonymous_after(e), false, false)),
            Err(e) => Err(lookup_failed(area, e, &state.leptos_options)),
        },
    }
}

/// A state-changing request must come from this origin and carry the CSRF cookie's token; the
/// request comes back whole after its form body was read for the token.
async fn check_csrf(
    state: &AppState,
    area: Area,
    request: Request,
    identity: &Identity,
    has_session_cookie: bool,
    csrf_cookie: Option<&str>,
) -> Result<Request, Response> {
    // A bearer token is not sent by browsers on their own, so a request that carries one and no
    // session cookie cannot be forged from another site.
    // An API call with no credential at all has nothing to forge: it gets its 401 at the gate.
    let anonymous_api = area == Area::Api && identity.caller.is_none() && !has_session_cookie;
    let exempt = is_safe(request.method()) || (identity.via_bearer && !has_session_cookie) || anonymous_api;
    if exempt {
        return Ok(request);
    }
    if !origin_matches(&request) {
        return Err(forbidden(area, "the request came from another origin", &state.leptos_options));
    }
    let (submitted, request) = submitted_token(request).await?;
    match (submitted.as_deref(), csrf_cookie) {
        (Some(s), Some(c)) if same_secret(s, c) => Ok(request),
        _ => Err(forbidden(area, "missing or wrong CSRF token", &state.leptos_options)),
    }
}

/// The refusal of an anonymous caller outside the public paths: API and server functions
/// answer 401, pages send them to the sign-in form (saying why when their session expired).
fn gate(area: Area, identity: &Identity, request: &Request, secure: bool) -> Option<Response> {
    match (area, &identity.caller) {
        (Area::Api | Area::ServerFn, None) => Some(unauthorized(area)),
        (Area::Page, None) => {
            let mut response = sign_in_redirect(request, identity.expired);
            if identity.expired {
                response.headers_mut().append(SET_COOKIE, cookies::clear(SESSION_COOKIE, secure));
            }
            Some(response)
        }
        _ => None,
    }
}

pub async fn authenticate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let area = area(request.uri().path());
    if area == Area::Static {
        return next.run(request).await;
    }
    let headers = request.headers();
    let secure = cookies::over_https(headers);
    let existing_csrf = cookies::get(headers, CSRF_COOKIE).filter(|v| well_formed(v)).map(str::to_string);
    let session_id = cookies::get(headers, SESSION_COOKIE).map(str::to_string);

    let identity = match identify(&state, area, bearer(&request), session_id.as_deref()).await {
        Ok(identity) => identity,
        Err(response) => return response,
    };
    let checked = check_csrf(&state, area, request, &identity, session_id.is_some(), existing_csrf.as_deref()).await;
    let mut request = match checked {
        Ok(request) => request,
        Err(response) => return response,
    };
    if let Some(response) = gate(area, &identity, &request, secure) {
        return response;
    }

    let csrf = existing_csrf.clone().unwrap_or_else(random_secret);
    request.extensions_mut().insert(CsrfToken(csrf.clone()));
    if let Some(caller) = identity.caller {
        request.extensions_mut().insert(caller);
    }
    let mut response = next.run(request).await;
    // Only pages carry forms; API and server-function answers need no CSRF cookie.
    let has_forms = matches!(area, Area::Page | Area::Public);
    if has_forms && existing_csrf.is_none() && !response.headers().get_all(SET_COOKIE).iter().any(is_csrf_cookie) {
        response.headers_mut().append(SET_COOKIE, cookies::csrf(&csrf, secure));
    }
    if identity.expired {
        response.headers_mut().append(SET_COOKIE, cookies::clear(SESSION_COOKIE, secure));
    }
    response
}

fn is_csrf_cookie(value: &HeaderValue) -> bool {
    value.as_bytes().starts_with(format!("{CSRF_COOKIE}=").as_bytes())
}

/// The client's address, for the per-address sign-in throttle: the one a trusted proxy
/// forwarded (see [`crate::server::forwarded`]), else the peer's.
pub fn client_address(request_extensions: &axum::http::Extensions) -> Option<std::net::IpAddr> {
    let forwarded = request_extensions.get::<crate::server::forwarded::ClientAddress>().map(|c| c.0);
    forwarded.or_else(|| request_extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas() {
        assert_eq!(area("/sign-in"), Area::Public);
        assert_eq!(area("/pkg/automation-runs.0123456789abcdef.wasm"), Area::Static);
        assert_eq!(area("/theme.js"), Area::Static);
        assert_eq!(area("/robots.txt"), Area::Static);
        assert_eq!(area("/api/v1/openapi.json"), Area::Public);
        assert_eq!(area("/healthz"), Area::Public);
        assert_eq!(area("/join/abc"), Area::Public);
        assert_eq!(area("/join"), Area::Public);
        assert_eq!(area("/joined"), Area::Page);
        assert_eq!(area("/api/v1/automation/sites/"), Area::Api);
        assert_eq!(area("/api/v1/automation/runs/x/report.csv"), Area::Api);
        assert_eq!(area("/sfn/get_overview"), Area::ServerFn);
        assert_eq!(area("/automation/overview"), Area::Page);
        assert_eq!(area("/"), Area::Page);
        assert_eq!(area("/sign-in/../automation/overview"), Area::Page);
    }
}
