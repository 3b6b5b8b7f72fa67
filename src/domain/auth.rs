//! Sign-in rules without I/O: where a sign-in may send the user back to, what an email is, when
//! a session has gone idle, and the sliding-window throttle of failed attempts.

use std::collections::HashMap;
use std::hash::Hash;

use serde::{Deserialize, Serialize};

/// The signed-in user as the page header shows them, and the token its sign-out form carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub email: String,
    pub account_name: String,
    pub csrf_token: String,
}

/// A demo account's published sign-in, for the sign-in page in demo mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoSignIn {
    pub account_name: String,
    pub email: String,
    pub password: String,
}

/// What the sign-in form needs from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInView {
    pub csrf_token: String,
    /// Empty unless the server runs in demo mode.
    pub demo_accounts: Vec<DemoSignIn>,
}

/// The message for the sign-in page's `error` query parameter.
pub fn sign_in_error_message(code: &str) -> Option<&'static str> {
    match code {
        "invalid" => Some("The email or password is not correct."),
        "locked" => Some("Too many failed sign-in attempts. Try again in 15 minutes."),
        "expired" => Some("Your session expired after inactivity. Sign in again."),
        _ => None,
    }
}

/// The message for the sign-in page's `notice` query parameter.
pub fn sign_in_notice_message(code: &str) -> Option<&'static str> {
    (code == "signed-out").then_some("You have signed out.")
}

/// Where a signed-in user lands when the sign-in form carries no usable `next`.
pub const DEFAULT_LANDING: &str = "/automation/overview";

/// The sign-in page's own path; the `next` of a redirect never points back at it.
pub const SIGN_IN_PATH: &str = "/sign-in";

/// A path on this site to send the user to after sign-in: only a local absolute path, never
/// another host (`//evil`, `/\evil`, `https://…`) nor the sign-in page itself, so the form
/// cannot be turned into an open redirect or a loop.
pub fn safe_next(next: Option<&str>) -> String {
    let Some(next) = next.map(str::trim).filter(|n| !n.is_empty()) else {
        return DEFAULT_LANDING.to_string();
    };
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && next.len() <= 2048;
    let is_sign_in = next == SIGN_IN_PATH || next.starts_with(&format!("{SIGN_IN_PATH}?"));
    if local && !is_sign_in {
        next.to_string()
    } else {
        DEFAULT_LANDING.to_string()
    }
}

/// Emails compare without case or surrounding blanks; one user per normalised address.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A plausible address for `user add`: something@something.something, no blanks, ≤ 254 chars.
pub fn validate_email(email: &str) -> Result<String, String> {
    let email = normalize_email(email);
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.contains('@') && domain.contains('.') && !domain.starts_with('.')
        });
    if valid {
        Ok(email)
    } else {
        Err(format!("{email:?} is not an email address"))
    }
}

/// Passwords shorter than this are refused by `user add`.
pub const MIN_PASSWORD_CHARS: usize = 10;

pub fn validate_password(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!("the password must have at least {MIN_PASSWORD_CHARS} characters"));
    }
    if password.len() > 1024 {
        return Err("the password must have at most 1024 bytes".into());
    }
    Ok(())
}

/// A session last used at `last_seen` (unix seconds) has expired at `now` after `idle_secs`
/// without a request.
pub fn session_expired(last_seen: i64, now: i64, idle_secs: i64) -> bool {
    now.saturating_sub(last_seen) >= idle_secs
}

/// Rewriting `last_seen` on every request would turn each page view into a write; a session
/// refreshed within this many seconds keeps its stamp, which shortens its life by at most that.
pub const SESSION_TOUCH_SECS: i64 = 60;

/// Whether a request at `now` rewrites the session's `last_seen`: once a minute, or every half
/// idle time when that is shorter, so a session in use never expires.
pub fn session_needs_touch(last_seen: i64, now: i64, idle_secs: i64) -> bool {
    now - last_seen >= SESSION_TOUCH_SECS.min(idle_secs / 2)
}

/// Expired sessions are kept this long past their expiry, so a returning user is told the
/// session expired rather than shown the form as if never signed in.
pub const EXPIRED_SESSION_KEPT_SECS: i64 = 24 * 60 * 60;

/// Limits of failed attempts per key within a window; once reached, the key stays locked until
/// the window's first failure is `window_secs` old.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleRule {
    pub max_failures: usize,
    pub window_secs: i64,
}

/// Five wrong passwords for one email, or twenty from one address, within 15 minutes.
pub const PER_EMAIL: ThrottleRule = ThrottleRule { max_failures: 5, window_secs: 15 * 60 };
pub const PER_ADDRESS: ThrottleRule = ThrottleRule { max_failures: 20, window_secs: 15 * 60 };

/// Failed attempts by key, oldest first, trimmed to the window on every look.
#[derive(Debug)]
pub struct Throttle<K> {
    rule: ThrottleRule,
    failures: HashMap<K, Vec<i64>>,
}

impl<K: Eq + Hash + Clone> Throttle<K> {
    pub fn new(rule: ThrottleRule) -> Self {
        Throttle { rule, failures: HashMap::new() }
    }

    /// Seconds until `key` may try again, or `None` when it may try now.
    pub fn locked_for(&mut self, key: &K, now: i64) -> Option<i64> {
        let window = self.rule.window_secs;
        let times = self.failures.get_mut(key)?;
        times.retain(|&t| now - t < window);
        if times.is_empty() {
            self.failures.remove(key);
            return None;
        }
        (times.len() >= self.rule.max_failures).then(|| window - (now - times[0]))
    }

    pub fn record_failure(&mut self, key: K, now: i64) {
        self.failures.entry(key).or_default().push(now);
    }

    /// A successful sign-in forgives the key's earlier failures.
    pub fn clear(&mut self, key: &K) {
        self.failures.remove(key);
    }

    /// Drops keys whose failures have all left the window, so memory follows recent attempts
    /// only, not every address that ever tried.
    pub fn prune(&mut self, now: i64) {
        let window = self.rule.window_secs;
        self.failures.retain(|_, times| times.last().is_some_and(|&t| now - t < window));
    }

    pub fn tracked_keys(&self) -> usize {
        self.failures.len()
    }
}

/// What an API token may do (live-api.md, "Tokens have a scope").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Every GET of the JSON API, for its own account.
    #[default]
    Read,
    /// Also the ingest and engine endpoints: the automation engine's token.
    Ingest,
}

impl TokenScope {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Ingest => "ingest",
        }
    }
}

impl std::str::FromStr for TokenScope {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "read" => Ok(TokenScope::Read),
            "ingest" => Ok(TokenScope::Ingest),
            other => Err(format!("unknown token scope {other:?}: expected read or ingest")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn next_is_kept_when_local() {
        assert_eq!(safe_next(Some("/automation/runs/run_1?x=1")), "/automation/runs/run_1?x=1");
        assert_eq!(safe_next(Some("/automation/overview?site_id=124")), "/automation/overview?site_id=124");
    }

    #[test]
    fn next_falls_back_for_foreign_or_odd_targets() {
        for bad in [
            None,
            Some(""),
            Some("  "),
            Some("//evil.example/"),
            Some("/\\evil.example"),
            Some("https://evil.example/"),
            Some("automation/overview"),
            Some("/sign-in"),
            Some("/sign-in?next=/x"),
            Some("/a\r\nSet-Cookie: x=1"),
        ] {
            assert_eq!(safe_next(bad), DEFAULT_LANDING, "{bad:?}");
        }
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(validate_email("  Owner@Acme.Example ").unwrap(), "owner@acme.example");
        for bad in ["", "owner", "@acme.example", "owner@", "owner@acme", "a b@c.d", "a@b@c.d", "a@.b"] {
            assert!(validate_email(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(validate_password("short").is_err());
        assert!(validate_password("long enough!").is_ok());
    }

    #[test]
    fn sessions_expire_after_the_idle_time() {
        assert!(!session_expired(1000, 1000 + 7199, 7200));
        assert!(session_expired(1000, 1000 + 7200, 7200));
        assert!(!session_expired(1000, 900, 7200), "a clock step back is not an expiry");
    }

    #[test]
    fn sessions_in_use_are_refreshed_before_they_could_expire() {
        assert!(!session_needs_touch(1000, 1059, 7200));
        assert!(session_needs_touch(1000, 1060, 7200));
        // A 3-second idle time: refreshed every second, so requests 0.7 s apart keep it alive.
        assert!(session_needs_touch(1000, 1001, 3));
        assert!(!session_needs_touch(1000, 1000, 3));
    }

    #[test]
    fn the_fifth_failure_locks_until_the_first_leaves_the_window() {
        let mut t = Throttle::new(PER_EMAIL);
        let key = "owner@acme.example".to_string();
        for i in 0..4 {
            t.record_failure(key.clone(), 100 + i);
            assert_eq!(t.locked_for(&key, 100 + i), None);
        }
        t.record_failure(key.clone(), 104);
        assert_eq!(t.locked_for(&key, 104), Some(900 - 4));
        assert_eq!(t.locked_for(&key, 100 + 899), Some(1));
        assert_eq!(t.locked_for(&key, 100 + 900), None, "the first failure left the window");
        assert_eq!(t.locked_for(&"other".to_string(), 104), None, "keys are independent");
    }

    #[test]
    fn success_clears_and_prune_forgets_old_keys() {
        let mut t = Throttle::new(PER_EMAIL);
        for i in 0..5 {
            t.record_failure("a", i);
        }
        t.record_failure("b", 0);
        t.clear(&"a");
        assert_eq!(t.locked_for(&"a", 5), None);
        t.prune(10_000);
        assert_eq!(t.tracked_keys(), 0);
    }

    proptest! {
        #[test]
        fn safe_next_always_returns_a_local_path(next in any::<Option<String>>()) {
            let target = safe_next(next.as_deref());
            prop_assert!(target.starts_with('/') && !target.starts_with("//") && !target.contains('\\'));
            prop_assert!(!target.chars().any(char::is_control));
        }

        #[test]
        fn never_locked_below_the_limit(times in proptest::collection::vec(0i64..10_000, 0..5)) {
            let mut t = Throttle::new(PER_EMAIL);
            let mut times = times;
            times.sort_unstable();
            for &at in &times {
                t.record_failure(1u8, at);
            }
            let now = times.last().copied().unwrap_or(0);
            prop_assert_eq!(t.locked_for(&1u8, now), None);
        }

        #[test]
        fn a_lock_never_outlasts_the_window(gaps in proptest::collection::vec(0i64..400, 5..30)) {
            let mut t = Throttle::new(PER_EMAIL);
            let mut now = 0;
            for gap in gaps {
                now += gap;
                if let Some(wait) = t.locked_for(&1u8, now) {
                    prop_assert!(wait > 0 && wait <= PER_EMAIL.window_secs);
                } else {
                    t.record_failure(1u8, now);
                }
            }
        }
    }
}
