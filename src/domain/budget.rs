//! A monthly credit budget per account (metrics.md, "Where the figures beyond the plan are
//! served", the budget): the month's spend so far, where it is heading, and whether a run now
//! would take it past the budget. Months are calendar months in UTC.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// The largest budget taken: more credits a month than any account could spend. A bigger
/// number is a typing slip (a pasted balance, extra zeros), refused rather than stored.
pub const MAX_MONTHLY_BUDGET: i64 = 1_000_000_000;

/// A budget that can be stored: a whole number of credits from 0 to [`MAX_MONTHLY_BUDGET`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct MonthlyBudget(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BudgetError {
    #[error("The monthly budget must be a whole number of credits, or null to remove it.")]
    NotAnInteger,
    #[error("The monthly budget cannot be negative.")]
    Negative,
    #[error("The monthly budget must be at most {MAX_MONTHLY_BUDGET} credits.")]
    TooLarge,
}

impl TryFrom<i64> for MonthlyBudget {
    type Error = BudgetError;

    fn try_from(credits: i64) -> Result<Self, BudgetError> {
        match credits {
            c if c < 0 => Err(BudgetError::Negative),
            c if c > MAX_MONTHLY_BUDGET => Err(BudgetError::TooLarge),
            c => Ok(MonthlyBudget(c)),
        }
    }
}

impl From<MonthlyBudget> for i64 {
    fn from(b: MonthlyBudget) -> i64 {
        b.0
    }
}

impl MonthlyBudget {
    pub fn credits(self) -> i64 {
        self.0
    }

    /// A budget as a JSON body gives it: a whole number, or null to remove it. `100.0`, `"100"`
    /// and `1e3` are not whole numbers of credits as JSON writes them, and are refused.
    pub fn from_json(value: &serde_json::Value) -> Result<Option<MonthlyBudget>, BudgetError> {
        match value {
            serde_json::Value::Null => Ok(None),
            serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => match n.as_i64() {
                Some(credits) => MonthlyBudget::try_from(credits).map(Some),
                None => Err(BudgetError::TooLarge),
            },
            serde_json::Value::Number(n) if n.as_f64().is_some_and(|f| f < 0.0) => Err(BudgetError::Negative),
            _ => Err(BudgetError::NotAnInteger),
        }
    }

    /// A budget as a form field gives it: empty to remove it, else digits (a leading `-` is
    /// said to be negative rather than not a number).
    pub fn from_form(field: &str) -> Result<Option<MonthlyBudget>, BudgetError> {
        let field = field.trim();
        if field.is_empty() {
            return Ok(None);
        }
        let (negative, digits) = match field.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, field),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BudgetError::NotAnInteger);
        }
        if negative {
            return Err(if digits.bytes().all(|b| b == b'0') {
                BudgetError::NotAnInteger
            } else {
                BudgetError::Negative
            });
        }
        // Too many digits for an i64 is far past the maximum too.
        let credits: i64 = digits.parse().map_err(|_| BudgetError::TooLarge)?;
        MonthlyBudget::try_from(credits).map(Some)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BudgetStatus {
    /// No budget is set.
    None,
    /// Neither the spend so far nor the projection exceeds the budget.
    Ok,
    /// The projected month-end spend exceeds the budget.
    AtRisk,
    /// The month's spend so far exceeds the budget.
    Over,
}

impl BudgetStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BudgetStatus::None => "none",
            BudgetStatus::Ok => "ok",
            BudgetStatus::AtRisk => "at_risk",
            BudgetStatus::Over => "over",
        }
    }

    /// Whether the status is one users are warned of (banner, alert).
    pub fn is_warning(self) -> bool {
        matches!(self, BudgetStatus::AtRisk | BudgetStatus::Over)
    }
}

/// `GET /api/v1/automation/budget`: the account's budget and the month's spend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BudgetView {
    /// Credits a calendar month (UTC) may cost; null when none is set.
    pub monthly_budget: Option<i64>,
    /// Σ total_credits_used of the account's runs started this calendar month (UTC).
    pub month_to_date: i64,
    /// ceil(month_to_date / elapsed seconds of the month × seconds in the month); null in the
    /// month's first second, when no time has elapsed.
    pub projected_month_end: Option<i64>,
    /// none without a budget; over when month_to_date exceeds it; at_risk when the projection
    /// does; else ok.
    pub status: BudgetStatus,
}

/// Whether a run now, as the prediction estimates it, fits in what the month's budget has left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BudgetCheck {
    /// Credits the budget has left this month (0 once it is spent); null without a budget.
    pub remaining: Option<i64>,
    /// Whether month_to_date + the run's total_estimated_credits exceeds the budget; null
    /// without a budget or without an estimate.
    pub would_exceed: Option<bool>,
}

/// What the settings page shows of the budget, with the check of a run now of one site
/// beside the balance check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetPanel {
    pub budget: BudgetView,
    /// The site the run-now check is of: the one asked for, else the account's first; null
    /// when the account has no site.
    pub site_id: Option<i64>,
    /// The prediction's total_estimated_credits for that site; null without enough history.
    pub total_estimated_credits: Option<u64>,
    /// A run now of that site against the budget; null when the account has no site.
    pub run_now: Option<BudgetCheck>,
    /// The caller's role may set the budget (an owner's).
    pub can_change: bool,
    /// For the budget form (the gate checks it on every post).
    pub csrf_token: String,
}

/// `?saved=budget` after a budget was set or removed.
pub const SAVED_PARAM: &str = "saved";
/// `?budget_error=<the API's error code>` (bad_request, forbidden, …) when it was not.
pub const BUDGET_ERROR_PARAM: &str = "budget_error";

/// The first second of the calendar month (UTC) that `now` falls in.
pub fn month_start(now: DateTime<Utc>) -> DateTime<Utc> {
    first_second(now.year(), now.month())
}

/// The first second of the calendar month after the one `now` falls in.
pub fn next_month_start(now: DateTime<Utc>) -> DateTime<Utc> {
    if now.month() == 12 {
        first_second(now.year() + 1, 1)
    } else {
        first_second(now.year(), now.month() + 1)
    }
}

fn first_second(year: i32, month: u32) -> DateTime<Utc> {
    let date = NaiveDate::from_ymd_opt(year, month, 1).expect("the first of a month exists");
    Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight exists"))
}

/// `YYYY-MM` of the month `now` falls in, as alerts name it.
pub fn month_key(now: DateTime<Utc>) -> String {
    format!("{:04}-{:02}", now.year(), now.month())
}

/// ceil(month_to_date × seconds in the month / elapsed seconds), in integers: the elapsed
/// seconds are whole seconds since the month began; none have elapsed in its first second.
pub fn projected_month_end(month_to_date: i64, now: DateTime<Utc>) -> Option<i64> {
    let start = month_start(now);
    let elapsed = i128::from((now - start).num_seconds());
    if elapsed <= 0 {
        return None;
    }
    let month = i128::from((next_month_start(now) - start).num_seconds());
    let mtd = i128::from(month_to_date.max(0));
    i64::try_from((mtd * month + elapsed - 1) / elapsed).ok()
}

pub fn budget_status(budget: Option<i64>, month_to_date: i64, projected: Option<i64>) -> BudgetStatus {
    match budget {
        None => BudgetStatus::None,
        Some(b) if month_to_date > b => BudgetStatus::Over,
        Some(b) if projected.is_some_and(|p| p > b) => BudgetStatus::AtRisk,
        Some(_) => BudgetStatus::Ok,
    }
}

pub fn budget_view(budget: Option<MonthlyBudget>, month_to_date: i64, now: DateTime<Utc>) -> BudgetView {
    let monthly_budget = budget.map(MonthlyBudget::credits);
    let projected = projected_month_end(month_to_date, now);
    BudgetView {
        monthly_budget,
        month_to_date,
        projected_month_end: projected,
        status: budget_status(monthly_budget, month_to_date, projected),
    }
}

/// A run now estimated at `estimated_credits` (the prediction's total_estimated_credits)
/// against what the budget has left.
pub fn check_run(view: &BudgetView, estimated_credits: Option<u64>) -> BudgetCheck {
    let Some(budget) = view.monthly_budget else { return BudgetCheck { remaining: None, would_exceed: None } };
    let spent = i128::from(view.month_to_date);
    BudgetCheck {
        remaining: Some((budget - view.month_to_date).max(0)),
        would_exceed: estimated_credits.map(|credits| spent + i128::from(credits) > i128::from(budget)),
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn budget(credits: i64) -> Option<MonthlyBudget> {
        Some(MonthlyBudget::try_from(credits).unwrap())
    }

    #[test]
    fn months_begin_at_their_first_second_in_utc() {
        assert_eq!(month_start(at("2026-12-04T13:50:17Z")), at("2026-12-01T00:00:00Z"));
        assert_eq!(next_month_start(at("2026-12-31T23:59:59Z")), at("2027-01-01T00:00:00Z"));
        assert_eq!(month_start(at("2027-01-01T00:00:00Z")), at("2027-01-01T00:00:00Z"));
        // A time given in another zone is still placed by its UTC month.
        assert_eq!(month_start(at("2026-03-01T01:00:00+02:00")), at("2026-02-01T00:00:00Z"));
        assert_eq!(month_key(at("2026-12-31T23:59:59Z")), "2026-12");
        assert_eq!(month_key(at("2027-01-01T00:00:00Z")), "2027-01");
    }

    #[test]
    fn february_has_29_days_in_leap_years() {
        let days = |s: &str| (next_month_start(at(s)) - month_start(at(s))).num_days();
        assert_eq!(days("2028-02-10T00:00:00Z"), 29);
        assert_eq!(days("2026-02-10T00:00:00Z"), 28);
        assert_eq!(days("2100-02-10T00:00:00Z"), 28);
        assert_eq!(days("2000-02-10T00:00:00Z"), 29);
        assert_eq!(days("2026-04-10T00:00:00Z"), 30);
        assert_eq!(days("2026-12-10T00:00:00Z"), 31);
    }

    #[test]
    fn the_projection_is_rounded_up_from_whole_seconds() {
        // A day into a 30-day month: 100 credits → 3,000.
        assert_eq!(projected_month_end(100, at("2026-04-02T00:00:00Z")), Some(3_000));
        // 7 credits after 3 seconds of a 31-day month: ceil(7 × 2,678,400 / 3) = 6,249,600.
        assert_eq!(projected_month_end(7, at("2026-12-01T00:00:03Z")), Some(6_249_600));
        // 1 credit a third of the way through a 28-day month... ceil(3.0000…) is 3, not 4.
        let third = month_start(at("2026-02-01T00:00:00Z")) + Duration::seconds(28 * 86_400 / 3);
        assert_eq!(projected_month_end(1, third), Some(3));
        assert_eq!(projected_month_end(1, third + Duration::seconds(1)), Some(3));
        assert_eq!(projected_month_end(1, third - Duration::seconds(1)), Some(4));
        // The month's last second projects almost the spend itself.
        assert_eq!(projected_month_end(500, at("2026-12-31T23:59:59Z")), Some(501));
        assert_eq!(projected_month_end(0, at("2026-12-31T23:59:59Z")), Some(0));
        // In the first second, no time has elapsed: no projection (a ratio over 0).
        assert_eq!(projected_month_end(5, at("2026-12-01T00:00:00Z")), None);
        assert_eq!(projected_month_end(5, at("2026-12-01T00:00:00.900Z")), None);
    }

    #[test]
    fn status_follows_spend_then_projection() {
        let now = at("2026-04-16T00:00:00Z"); // half of a 30-day month
        assert_eq!(budget_view(None, 10, now).status, BudgetStatus::None);
        assert_eq!(budget_view(budget(100), 40, now).status, BudgetStatus::Ok); // projects 80
        assert_eq!(budget_view(budget(100), 50, now).status, BudgetStatus::Ok); // projects exactly 100
        assert_eq!(budget_view(budget(100), 51, now).status, BudgetStatus::AtRisk); // projects 102
        assert_eq!(budget_view(budget(100), 100, now).status, BudgetStatus::AtRisk); // at the budget, not over it
        assert_eq!(budget_view(budget(100), 101, now).status, BudgetStatus::Over);
        assert_eq!(budget_view(budget(0), 0, now).status, BudgetStatus::Ok);
        assert_eq!(budget_view(budget(0), 1, now).status, BudgetStatus::Over);
        // No projection in the first second: over or ok only.
        let first = at("2026-04-01T00:00:00Z");
        assert_eq!(budget_view(budget(100), 90, first).status, BudgetStatus::Ok);
        assert_eq!(budget_view(budget(100), 101, first).status, BudgetStatus::Over);
    }

    #[test]
    fn the_view_serializes_as_the_spec_names_it() {
        let view = budget_view(budget(1_000), 600, at("2026-04-16T00:00:00Z"));
        assert_eq!(
            serde_json::to_value(view).unwrap(),
            json!({"monthly_budget": 1000, "month_to_date": 600, "projected_month_end": 1200, "status": "at_risk"})
        );
        let none = budget_view(None, 0, at("2026-04-01T00:00:00Z"));
        assert_eq!(
            serde_json::to_value(none).unwrap(),
            json!({"monthly_budget": null, "month_to_date": 0, "projected_month_end": null, "status": "none"})
        );
    }

    #[test]
    fn a_run_now_is_checked_against_what_is_left() {
        let now = at("2026-04-16T00:00:00Z");
        let view = budget_view(budget(1_000), 700, now);
        assert_eq!(check_run(&view, Some(300)), BudgetCheck { remaining: Some(300), would_exceed: Some(false) });
        assert_eq!(check_run(&view, Some(301)), BudgetCheck { remaining: Some(300), would_exceed: Some(true) });
        assert_eq!(check_run(&view, None), BudgetCheck { remaining: Some(300), would_exceed: None });
        let over = budget_view(budget(1_000), 1_200, now);
        assert_eq!(check_run(&over, Some(0)), BudgetCheck { remaining: Some(0), would_exceed: Some(true) });
        let unset = budget_view(None, 1_200, now);
        assert_eq!(check_run(&unset, Some(10)), BudgetCheck { remaining: None, would_exceed: None });
        assert_eq!(check_run(&view, Some(u64::MAX)).would_exceed, Some(true));
    }

    #[test]
    fn budgets_from_json() {
        assert_eq!(MonthlyBudget::from_json(&json!(null)), Ok(None));
        assert_eq!(MonthlyBudget::from_json(&json!(0)), Ok(budget(0)));
        assert_eq!(MonthlyBudget::from_json(&json!(1_000_000_000)), Ok(budget(1_000_000_000)));
        assert_eq!(MonthlyBudget::from_json(&json!(1_000_000_001)), Err(BudgetError::TooLarge));
        assert_eq!(MonthlyBudget::from_json(&json!(u64::MAX)), Err(BudgetError::TooLarge));
        assert_eq!(MonthlyBudget::from_json(&json!(-1)), Err(BudgetError::Negative));
        assert_eq!(MonthlyBudget::from_json(&json!(-1.5)), Err(BudgetError::Negative));
        for bad in [json!(12.5), json!(100.0), json!("100"), json!(true), json!([1]), json!({"n": 1})] {
            assert_eq!(MonthlyBudget::from_json(&bad), Err(BudgetError::NotAnInteger), "{bad}");
        }
    }

    #[test]
    fn budgets_from_forms() {
        assert_eq!(MonthlyBudget::from_form(""), Ok(None));
        assert_eq!(MonthlyBudget::from_form("  "), Ok(None));
        assert_eq!(MonthlyBudget::from_form(" 2500 "), Ok(budget(2_500)));
        assert_eq!(MonthlyBudget::from_form("0"), Ok(budget(0)));
        assert_eq!(MonthlyBudget::from_form("-5"), Err(BudgetError::Negative));
        assert_eq!(MonthlyBudget::from_form("1000000001"), Err(BudgetError::TooLarge));
        assert_eq!(MonthlyBudget::from_form("99999999999999999999999"), Err(BudgetError::TooLarge));
        for bad in ["12.5", "1e3", "+5", "abc", "-", "1 000", "-0"] {
            assert_eq!(MonthlyBudget::from_form(bad), Err(BudgetError::NotAnInteger), "{bad}");
        }
    }

    fn any_time() -> impl Strategy<Value = DateTime<Utc>> {
        // 1970 to 2400: leap years, century years and every month boundary in between.
        (0i64..13_569_465_600).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
    }

    proptest! {
        #[test]
        fn every_time_lies_in_its_month(now in any_time()) {
            let start = month_start(now);
            let next = next_month_start(now);
            prop_assert!(start <= now && now < next);
            prop_assert_eq!(start.day(), 1);
            prop_assert_eq!(next.day(), 1);
            prop_assert_eq!(month_start(next - Duration::seconds(1)), start);
            prop_assert!((28..=31).contains(&(next - start).num_days()));
            prop_assert_eq!((next - start).num_seconds() % 86_400, 0);
        }

        #[test]
        fn the_projection_is_the_least_integer_at_or_above_the_rate(now in any_time(), mtd in 0i64..10_000_000_000) {
            let elapsed = i128::from((now - month_start(now)).num_seconds());
            let month = i128::from((next_month_start(now) - month_start(now)).num_seconds());
            match projected_month_end(mtd, now) {
                None => prop_assert_eq!(elapsed, 0),
                Some(p) => {
                    let p = i128::from(p);
                    prop_assert!(p * elapsed >= i128::from(mtd) * month);
                    prop_assert!((p - 1) * elapsed < i128::from(mtd) * month);
                    prop_assert!(p >= i128::from(mtd));
                }
            }
        }

        #[test]
        fn status_matches_its_definition(now in any_time(), mtd in 0i64..2_000, b in prop::option::of(0i64..2_000)) {
            let view = budget_view(b.map(|b| MonthlyBudget::try_from(b).unwrap()), mtd, now);
            let expected = match b {
                None => BudgetStatus::None,
                Some(b) if mtd > b => BudgetStatus::Over,
                Some(b) if view.projected_month_end.is_some_and(|p| p > b) => BudgetStatus::AtRisk,
                Some(_) => BudgetStatus::Ok,
            };
            prop_assert_eq!(view.status, expected);
            let check = check_run(&view, Some(0));
            prop_assert_eq!(check.would_exceed, b.map(|b| mtd > b));
        }

        #[test]
        fn form_and_json_agree(n in -2_000_000_000i64..2_000_000_000) {
            prop_assert_eq!(MonthlyBudget::from_form(&n.to_string()), MonthlyBudget::from_json(&json!(n)));
        }
    }
}
