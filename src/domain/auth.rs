//! Sign-in rules without I/O: where a sign-in may send the user back to, what an email is, when
//! a session has gone idle, and the sliding-window throttle of failed attempts (its arithmetic
//! only: the failures themselves live in the database, shared by every instance).

use crate::paths::{self, SIGN_IN};
use serde::{Deserialize, Serialize};

/// The signed-in user as the page header shows them, and the token its sign-out form carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub email: String,
    pub account_name: String,
    pub role: super::team::Role,
    pub csrf_token: String,
}

/// A demo account's published sign-in, for the sign-in page in demo mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoSignIn {
    pub account_name: String,
    pub email: String,
    pub password: String,
    pub role: super::team::Role,
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
        "unavailable" => {
            Some("Sign-in is not possible right now: the database cannot be reached. Try again in a moment.")
        }
        _ => None,
    }
}

/// The message for the sign-in page's `notice` query parameter.
pub fn sign_in_notice_message(code: &str) -> Option<&'static str> {
    match code {
        "signed-out" => Some("You have signed out."),
        super::team::JOINED_NOTICE => Some("Your password is set and you have joined the account. Sign in with it."),
        _ => None,
    }
}

/// A path on this site to send the user to after sign-in: only a local absolute path, never
/// another host (`//evil`, `/\evil`, `https://…`) nor the sign-in page itself, so the form
/// cannot be turned into an open redirect or a loop.
pub fn safe_next(next: Option<&str>) -> String {
    let Some(next) = next.map(str::trim).filter(|n| !n.is_empty()) else {
        return paths::DEFAULT_LANDING.to_string();
    };
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && next.len() <= 2048;
    let is_sign_in = next == paths::SIGN_IN || next.starts_with(&format!("{SIGN_IN}?"));
    if local && !is_sign_in {
        next.to_string()
    } else {
        paths::DEFAULT_LANDING.to_string()
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

/// Submissions of the settings forms per user (and of the invitation form per address) within
/// 15 minutes: far above what a person does, far below what a script hammering them would.
pub const FORM_SUBMISSIONS: ThrottleRule = ThrottleRule { max_failures: 60, window_secs: 15 * 60 };

impl ThrottleRule {
    /// The earliest failure time that still counts at `now`; older ones have left the window.
    pub fn counts_from(self, now: i64) -> i64 {
        now - self.window_secs + 1
    }

    /// Seconds until a key with these failure times (unix seconds, any order) may try again, or
    /// `None` when it may try now.
    pub fn locked_for(self, failures: &[i64], now: i64) -> Option<i64> {
        let counted = failures.iter().filter(|&&t| now - t < self.window_secs);
        let (count, oldest) = counted.fold((0, i64::MAX), |(n, oldest), &t| (n + 1, oldest.min(t)));
        (count >= self.max_failures && count > 0).then(|| self.window_secs - (now - oldest))
    }
}

/// What a failed sign-in counts against: the email tried, and the address it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThrottleKind {
    Email,
    Address,
}

impl ThrottleKind {
    pub const ALL: [ThrottleKind; 2] = [ThrottleKind::Email, ThrottleKind::Address];

    pub fn rule(self) -> ThrottleRule {
        match self {
            ThrottleKind::Email => PER_EMAIL,
            ThrottleKind::Address => PER_ADDRESS,
        }
    }

    /// The name the store files failures under.
    pub fn as_str(self) -> &'static str {
        match self {
            ThrottleKind::Email => "email",
            ThrottleKind::Address => "address",
        }
    }
}

/// Seconds until a sign-in may be tried with this email from this address (the longer of the two
/// locks), or `None` when it may be tried now.
pub fn sign_in_locked_for(email_failures: &[i64], address_failures: &[i64], now: i64) -> Option<i64> {
    let by_email = PER_EMAIL.locked_for(email_failures, now);
    let by_address = PER_ADDRESS.locked_for(address_failures, now);
    by_email.max(by_address)
}

/// Failures older than this count under no rule at `now`, and can be forgotten.
pub fn throttle_forget_before(now: i64) -> i64 {
    ThrottleKind::ALL.iter().map(|k| k.rule().counts_from(now)).min().unwrap_or(now)
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
            assert_eq!(safe_next(bad), paths::DEFAULT_LANDING, "{bad:?}");
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
        let mut failures = Vec::new();
        for i in 0..4 {
            failures.push(100 + i);
            assert_eq!(PER_EMAIL.locked_for(&failures, 100 + i), None);
        }
        failures.push(104);
        assert_eq!(PER_EMAIL.locked_for(&failures, 104), Some(900 - 4));
        assert_eq!(PER_EMAIL.locked_for(&failures, 100 + 899), Some(1));
        assert_eq!(PER_EMAIL.locked_for(&failures, 100 + 900), None, "the first failure left the window");
        assert_eq!(PER_EMAIL.locked_for(&[], 104), None, "no failures, no lock");
    }

    #[test]
    fn failures_count_in_any_order() {
        // Instances append their failures as they happen; the store returns them unsorted.
        let failures = [104, 100, 103, 101, 102];
        assert_eq!(PER_EMAIL.locked_for(&failures, 104), Some(900 - 4));
    }

    #[test]
    fn the_address_limit_is_twenty() {
        let failures: Vec<i64> = (0..19).collect();
        assert_eq!(PER_ADDRESS.locked_for(&failures, 19), None);
        let failures: Vec<i64> = (0..20).collect();
        assert_eq!(PER_ADDRESS.locked_for(&failures, 19), Some(900 - 19));
    }

    #[test]
    fn a_sign_in_waits_for_the_longer_lock() {
        let email: Vec<i64> = (0..5).collect();
        let address: Vec<i64> = (100..120).collect();
        assert_eq!(sign_in_locked_for(&email, &[], 120), Some(900 - 120));
        assert_eq!(sign_in_locked_for(&[], &address, 120), Some(900 - 20));
        assert_eq!(sign_in_locked_for(&email, &address, 120), Some(900 - 20));
        assert_eq!(sign_in_locked_for(&email[..4], &address[..19], 120), None);
    }

    #[test]
    fn forgotten_failures_count_under_no_rule() {
        let cutoff = throttle_forget_before(10_000);
        for kind in ThrottleKind::ALL {
            let rule = kind.rule();
            let just_out = vec![cutoff - 1; rule.max_failures];
            assert_eq!(rule.locked_for(&just_out, 10_000), None, "{kind:?}");
            let just_in = vec![cutoff; rule.max_failures];
            assert!(rule.locked_for(&just_in, 10_000).is_some(), "{kind:?}");
        }
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
            let now = times.iter().copied().max().unwrap_or(0);
            prop_assert_eq!(PER_EMAIL.locked_for(&times, now), None);
        }

        #[test]
        fn a_lock_never_outlasts_the_window(gaps in proptest::collection::vec(0i64..400, 5..30)) {
            let mut failures = Vec::new();
            let mut now = 0;
            for gap in gaps {
                now += gap;
                if let Some(wait) = PER_EMAIL.locked_for(&failures, now) {
                    prop_assert!(wait > 0 && wait <= PER_EMAIL.window_secs);
                } else {
                    failures.push(now);
                }
            }
        }
    }
}
