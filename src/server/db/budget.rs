//! The monthly budget of an account and the month's spend it is held against. Both are of
//! one account, named by the caller's scope: no query here reaches another account.

use chrono::{DateTime, Utc};

use super::{with_pool, Store, StoreError};

/// An account's budget and the credits of its runs started in a time range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetRow {
    pub monthly_budget: Option<i64>,
    pub spent: i64,
}

impl Store {
    /// The account's budget and Σ total_credits_used of its runs started in `[from, until)`;
    /// `None` when the account does not exist.
    pub async fn budget(
        &self,
        account_id: i64,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Option<BudgetRow>, StoreError> {
        // One walk per site along its start times (runs_by_site_started).
        let row: Option<(Option<i64>, i64)> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT a.monthly_budget, CAST(COALESCE((SELECT SUM(r.total_credits_used) FROM runs r \
                 JOIN sites s ON s.id = r.site_id \
                 WHERE s.account_id = a.id AND r.started_at >= $2 AND r.started_at < $3), 0) AS BIGINT) \
             FROM accounts a WHERE a.id = $1"
        )
        .bind(account_id)
        .bind(from)
        .bind(until)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(monthly_budget, spent)| BudgetRow { monthly_budget, spent }))
    }

    /// Sets (or, with `None`, removes) the account's budget; false when there is no such account.
    pub async fn set_monthly_budget(&self, account_id: i64, credits: Option<i64>) -> Result<bool, StoreError> {
        let done = with_pool!(self, |pool| sqlx::query("UPDATE accounts SET monthly_budget = $2 WHERE id = $1")
            .bind(account_id)
            .bind(credits)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(done > 0)
    }
}
