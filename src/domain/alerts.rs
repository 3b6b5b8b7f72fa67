//! Alerts (issue 12, "Budgets and alerts"): what is worth telling an account about, the key
//! that makes each transition alert once, which webhook URLs are taken, and when a failed
//! delivery is tried again. Pure: the store keeps the state, the server sends.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// The month's projected spend went over the budget.
    BudgetAtRisk,
    /// The month's spend went over the budget.
    BudgetOver,
    /// A site's balance fell below the recommended buffer of its next run.
    BalanceLow,
    /// A run failed.
    RunFailed,
}

impl AlertKind {
    pub const ALL: [AlertKind; 4] =
        [AlertKind::BudgetAtRisk, AlertKind::BudgetOver, AlertKind::BalanceLow, AlertKind::RunFailed];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::BudgetAtRisk => "budget_at_risk",
            AlertKind::BudgetOver => "budget_over",
            AlertKind::BalanceLow => "balance_low",
            AlertKind::RunFailed => "run_failed",
        }
    }

    pub fn parse(s: &str) -> Option<AlertKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The key of the budget alert of a month and status (`budget:2026-12:at_risk`): each status
/// alerts once a month.
pub fn budget_key(month: &str, status: &str) -> String {
    format!("budget:{month}:{status}")
}

/// The key of a failed run's alert: once per run.
pub fn run_failed_key(run_id: &str) -> String {
    format!("run_failed:{run_id}")
}

/// The condition a site's low balance is tracked under; its episode counts the times the
/// balance recovered, so each fall below the buffer alerts once.
pub fn balance_condition(site_id: i64) -> String {
    format!("balance_low:{site_id}")
}

pub fn balance_low_key(site_id: i64, episode: i64) -> String {
    format!("{}:{episode}", balance_condition(site_id))
}

/// An alert as the settings page's notice list and the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Alert {
    pub id: i64,
    pub kind: AlertKind,
    /// What makes it unique: the same key never alerts twice.
    pub key: String,
    pub message: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting for its next attempt.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Retried for 24 hours without a 2xx answer, or the webhook was removed.
    GivenUp,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::GivenUp => "given_up",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryState> {
        [DeliveryState::Pending, DeliveryState::Delivered, DeliveryState::GivenUp].into_iter().find(|d| d.as_str() == s)
    }
}

/// One alert's delivery to the webhook, as the delivery log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub id: i64,
    pub alert_id: i64,
    pub url: String,
    pub state: DeliveryState,
    /// Attempts made so far.
    pub attempts: i64,
    /// The HTTP status of the last answer; null when none came (timeout, refused connection).
    pub last_status: Option<i64>,
    /// Why the last attempt failed, when it did.
    pub last_error: Option<String>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// `GET /api/v1/automation/alerts`: the webhook and what was sent to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AlertsView {
    pub webhook_configured: bool,
    pub webhook_url: Option<String>,
    /// The newest alerts first (the in-app notice list).
    pub alerts: Vec<Alert>,
    /// The newest deliveries first.
    pub deliveries: Vec<Delivery>,
}

/// What the settings page shows of alerts: the view, the webhook secret once after it was
/// issued, and the form's CSRF token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertsPanel {
    pub alerts: AlertsView,
    /// The new signing secret, present on the first read after the form set the webhook and
    /// never again.
    pub revealed_secret: Option<String>,
    /// The caller's role may set the webhook (an owner's).
    pub can_change: bool,
    pub csrf_token: String,
}

/// The answer to setting a webhook: the signing secret, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WebhookSet {
    /// Null after the webhook was removed.
    pub webhook_url: Option<String>,
    /// The new HMAC-SHA256 key of `X-Automation-Signature: sha256=<hex>`, issued with every set
    /// (the previous one stops working); null after removal. Only this answer shows it.
    pub secret: Option<String>,
}

/// `?alerts_error=<the API's error code>` when the webhook was not set.
pub const ALERTS_ERROR_PARAM: &str = "alerts_error";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("The webhook URL must start with http:// or https://.")]
    Scheme,
    #[error("The webhook URL has no host.")]
    NoHost,
    #[error("The webhook URL must not carry a user name or password.")]
    Credentials,
    #[error("The webhook URL must be at most 2048 characters, without spaces or control characters.")]
    Malformed,
    #[error("Webhooks to {0} are not allowed on this server (AUTOMATION_RUNS_WEBHOOK_ALLOW).")]
    HostNotAllowed(String),
}

/// The hosts webhooks may go to (`AUTOMATION_RUNS_WEBHOOK_ALLOW`); empty: any host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebhookAllow(Vec<String>);

impl WebhookAllow {
    /// A comma-separated host list; blanks are skipped, case is ignored.
    pub fn parse(list: &str) -> WebhookAllow {
        WebhookAllow(list.split(',').map(|h| h.trim().to_ascii_lowercase()).filter(|h| !h.is_empty()).collect())
    }

    pub fn allows(&self, host: &str) -> bool {
        self.0.is_empty() || self.0.iter().any(|h| h.eq_ignore_ascii_case(host))
    }
}

/// The host of an http(s) URL, lower-cased, without port or IPv6 brackets; checked against
/// `allow`.
pub fn check_webhook_url(url: &str, allow: &WebhookAllow) -> Result<String, WebhookError> {
    if url.len() > 2048 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(WebhookError::Malformed);
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).ok_or(WebhookError::Scheme)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(WebhookError::Credentials);
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    if host.is_empty() {
        return Err(WebhookError::NoHost);
    }
    if !allow.allows(host) {
        return Err(WebhookError::HostNotAllowed(host.to_string()));
    }
    Ok(host.to_string())
}

/// Deliveries are retried for this long after the alert, then given up.
pub const DELIVERY_WINDOW: Duration = Duration::hours(24);
const FIRST_RETRY: Duration = Duration::seconds(30);
const LONGEST_WAIT: Duration = Duration::hours(2);

/// When a delivery whose `attempts` (at least 1) have all failed is tried next: 30 s after the
/// first failure, doubling up to 2 h between attempts; `None` once that falls past
/// [`DELIVERY_WINDOW`] after the alert (give up).
pub fn next_attempt(created_at: DateTime<Utc>, attempts: i64, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    let wait = (FIRST_RETRY * 2i32.pow(doublings)).min(LONGEST_WAIT);
    let next = now + wait;
    (next <= created_at + DELIVERY_WINDOW).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_urls_must_be_http_and_may_be_restricted() {
        let any = WebhookAllow::default();
        assert_eq!(check_webhook_url("https://hooks.example.com/a?b=c", &any), Ok("hooks.example.com".into()));
        assert_eq!(check_webhook_url("HTTP://127.0.0.1:8080/x", &any), Ok("127.0.0.1".into()));
        assert_eq!(check_webhook_url("http://[::1]:9/x", &any), Ok("::1".into()));
        assert_eq!(check_webhook_url("ftp://x.example/", &any), Err(WebhookError::Scheme));
        assert_eq!(check_webhook_url("javascript:alert(1)", &any), Err(WebhookError::Scheme));
        assert_eq!(check_webhook_url("file:///etc/passwd", &any), Err(WebhookError::Scheme));
        assert_eq!(check_webhook_url("hooks.example.com", &any), Err(WebhookError::Scheme));
        assert_eq!(check_webhook_url("http:///path", &any), Err(WebhookError::NoHost));
        assert_eq!(check_webhook_url("http://u:p@x.example/", &any), Err(WebhookError::Credentials));
        assert_eq!(check_webhook_url("http://x.example/a b", &any), Err(WebhookError::Malformed));
        let only = WebhookAllow::parse(" Hooks.Example.com , ,127.0.0.1");
        assert!(check_webhook_url("https://hooks.example.com/", &only).is_ok());
        assert!(check_webhook_url("http://127.0.0.1:1234/", &only).is_ok());
        assert_eq!(
            check_webhook_url("http://169.254.169.254/latest", &only),
            Err(WebhookError::HostNotAllowed("169.254.169.254".into()))
        );
    }

    #[test]
    fn retries_back_off_and_stop_after_a_day() {
        let created = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert_eq!(next_attempt(created, 1, created), Some(created + Duration::seconds(30)));
        assert_eq!(next_attempt(created, 2, created), Some(created + Duration::seconds(60)));
        assert_eq!(next_attempt(created, 5, created), Some(created + Duration::seconds(480)));
        assert_eq!(next_attempt(created, 30, created), Some(created + Duration::hours(2)));
        // Followed from the first failure, the attempts stop within the window.
        let (mut now, mut attempts) = (created, 1);
        while let Some(next) = next_attempt(created, attempts, now) {
            assert!(next - now <= Duration::hours(2));
            now = next;
            attempts += 1;
        }
        assert!(now <= created + DELIVERY_WINDOW && now > created + DELIVERY_WINDOW - Duration::hours(2), "{now}");
        assert!(attempts < 30, "{attempts} attempts");
    }

    #[test]
    fn keys_name_the_transition() {
        assert_eq!(budget_key("2026-12", "at_risk"), "budget:2026-12:at_risk");
        assert_eq!(run_failed_key("r1"), "run_failed:r1");
        assert_eq!(balance_low_key(7, 2), "balance_low:7:2");
        for kind in AlertKind::ALL {
            assert_eq!(AlertKind::parse(kind.as_str()), Some(kind));
        }
    }
}
