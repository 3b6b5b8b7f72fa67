//! The two cookies: the session and the CSRF token. Both HttpOnly: no script of the page ever
//! needs them (forms carry the CSRF token, rendered by the server).

use axum::http::header::{COOKIE, FORWARDED};
use axum::http::{HeaderMap, HeaderValue};

pub const SESSION_COOKIE: &str = "ar_session";
pub const CSRF_COOKIE: &str = "ar_csrf";

/// The value of the cookie `name` in the request's Cookie headers.
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"'))
}

/// Served over HTTPS, as a TLS-terminating proxy in front of the app reports it. Cookies then
/// carry `Secure`; plain-HTTP development keeps working without it. Only a trusted proxy's word
/// reaches this far: [`crate::server::forwarded::resolve`] removes the headers from anyone else.
pub fn over_https(headers: &HeaderMap) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    crate::domain::proxy::forwarded_https(header("x-forwarded-proto"), header(FORWARDED.as_str()))
}

/// `Set-Cookie` for a cookie that lives as long as the browser session (the server decides
/// when a session ends; the CSRF cookie only has to outlive the form).
pub fn set(name: &str, value: &str, same_site: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}{secure}"))
        .expect("cookie values are base64url")
}

/// `Set-Cookie` that deletes the cookie.
pub fn clear(name: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"))
        .expect("static cookie text")
}

pub fn session(value: &str, secure: bool) -> HeaderValue {
    set(SESSION_COOKIE, value, "Lax", secure)
}

pub fn csrf(value: &str, secure: bool) -> HeaderValue {
    set(CSRF_COOKIE, value, "Strict", secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_cookie_among_several_headers() {
        let mut h = HeaderMap::new();
        h.append(COOKIE, HeaderValue::from_static("a=1; ar_csrf=xyz"));
        h.append(COOKIE, HeaderValue::from_static("ar_session=abc"));
        assert_eq!(get(&h, "ar_session"), Some("abc"));
        assert_eq!(get(&h, "ar_csrf"), Some("xyz"));
        assert_eq!(get(&h, "ar"), None);
    }

    #[test]
    fn secure_only_behind_https() {
        let mut h = HeaderMap::new();
        assert!(!over_https(&h));
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert!(over_https(&h));
        assert!(session("v", true).to_str().unwrap().ends_with("; Secure"));
        assert_eq!(session("v", false).to_str().unwrap(), "ar_session=v; Path=/; HttpOnly; SameSite=Lax");
    }
}
