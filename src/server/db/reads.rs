//! Reads. Site-level reads take a [`ScopedSite`], which only [`Store::site`] hands out after
//! checking the caller's scope, so no read can reach a site the caller may not see.

use chrono::{DateTime, Utc};
use sqlx::types::Json;

use super::rows::{RunRow, SiteRow, RUN_COLUMNS, SITE_COLUMNS};
use super::{scope_binds, with_pool, Scope, Store, StoreError};
use crate::domain::logs::LogLine;
use crate::domain::params::{HistoryFilter, LogQuery};
use crate::domain::pipeline::{PipelineCounts, PipelineSnapshot};
use crate::domain::run::{Run, RunStatus, TriggerType};
use crate::domain::stats::RunTiming;

/// A site the caller may see. Constructed only by the store's scoped look-ups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedSite(SiteRow);

impl ScopedSite {
    pub fn row(&self) -> &SiteRow {
        &self.0
    }
    pub fn id(&self) -> i64 {
        self.0.id
    }
}

fn to_runs(rows: Vec<RunRow>) -> Result<Vec<Run>, StoreError> {
    rows.into_iter().map(Run::try_from).collect()
}

impl Store {
    /// The sites the scope may see, by id.
    pub async fn sites(&self, scope: Scope) -> Result<Vec<ScopedSite>, StoreError> {
        let (account, all) = scope_binds(scope);
        let sql = format!(
            "SELECT {SITE_COLUMNS} FROM sites s JOIN accounts a ON a.id = s.account_id \
             WHERE (s.account_id = $1 OR $2) ORDER BY s.id"
        );
        let rows: Vec<SiteRow> =
            with_pool!(self, |pool| sqlx::query_as(&sql).bind(account).bind(all).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(ScopedSite).collect())
    }

    /// A fingerprint of the scope's site list: it changes whenever an import touches one of
    /// the sites or their accounts (each bumps the site's revision), or a site is added.
    pub async fn sites_version(&self, scope: Scope) -> Result<(i64, i64), StoreError> {
        let (account, all) = scope_binds(scope);
        let row: (i64, Option<i64>) = with_pool!(self, |pool| sqlx::query_as(
            "SELECT COUNT(*), CAST(SUM(revision) AS BIGINT) FROM sites s WHERE (s.account_id = $1 OR $2)"
        )
        .bind(account)
        .bind(all)
        .fetch_one(pool)
        .await)?;
        Ok((row.0, row.1.unwrap_or(0)))
    }

    /// The site, when it exists and the scope may see it.
    pub async fn site(&self, scope: Scope, site_id: i64) -> Result<Option<ScopedSite>, StoreError> {
        let (account, all) = scope_binds(scope);
        let sql = format!(
            "SELECT {SITE_COLUMNS} FROM sites s JOIN accounts a ON a.id = s.account_id \
             WHERE s.id = $1 AND (s.account_id = $2 OR $3)"
        );
        let row: Option<SiteRow> = with_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(site_id)
            .bind(account)
            .bind(all)
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(ScopedSite))
    }

    /// The scope's first site by id, the default when no site is asked for: one row, however
    /// many sites the scope has.
    pub async fn first_site(&self, scope: Scope) -> Result<Option<ScopedSite>, StoreError> {
        let (account, all) = scope_binds(scope);
        let sql = format!(
            "SELECT {SITE_COLUMNS} FROM sites s JOIN accounts a ON a.id = s.account_id \
             WHERE (s.account_id = $1 OR $2) ORDER BY s.id LIMIT 1"
        );
        let row: Option<SiteRow> =
            with_pool!(self, |pool| sqlx::query_as(&sql).bind(account).bind(all).fetch_optional(pool).await)?;
        Ok(row.map(ScopedSite))
    }

    /// The site of a run, when both exist and the scope may see them; cheap enough to run
    /// before a cache look-up.
    pub async fn site_of_run(&self, scope: Scope, run_id: &str) -> Result<Option<ScopedSite>, StoreError> {
        let (account, all) = scope_binds(scope);
        let sql = format!(
            "SELECT {SITE_COLUMNS} FROM runs r JOIN sites s ON s.id = r.site_id \
             JOIN accounts a ON a.id = s.account_id \
             WHERE r.run_id = $1 AND (s.account_id = $2 OR $3)"
        );
        let row: Option<SiteRow> = with_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(run_id)
            .bind(account)
            .bind(all)
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(ScopedSite))
    }

    /// All the site's runs: run numbers are dense, so the largest is the count.
    pub async fn total_runs(&self, site: &ScopedSite) -> Result<i64, StoreError> {
        let n: Option<i64> =
            with_pool!(self, |pool| sqlx::query_scalar("SELECT MAX(run_number) FROM runs WHERE site_id = $1")
                .bind(site.id())
                .fetch_one(pool)
                .await)?;
        Ok(n.unwrap_or(0))
    }

    /// Runs started at or after `since`, with the little the statistics need, and the failed
    /// and cancelled ones started from `wasted_since` (earlier), for the credits they wasted:
    /// one walk along the site's start times rather than a second query.
    pub async fn run_timings_since(
        &self,
        site: &ScopedSite,
        since: DateTime<Utc>,
        wasted_since: DateTime<Utc>,
    ) -> Result<Vec<RunTiming>, StoreError> {
        type TimingRow = (String, DateTime<Utc>, Option<DateTime<Utc>>, i64);
        let rows: Vec<TimingRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT status, started_at, completed_at, total_credits_used FROM runs \
                 WHERE site_id = $1 AND started_at >= $2 AND (started_at >= $3 OR status IN ($4, $5))",
            )
            .bind(site.id())
            .bind(wasted_since)
            .bind(since)
            .bind(RunStatus::Failed.as_str())
            .bind(RunStatus::Cancelled.as_str())
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|(status, started_at, completed_at, credits)| {
                Ok(RunTiming {
                    status: status.parse().map_err(|reason| StoreError::Corrupt { id: "run".into(), reason })?,
                    started_at,
                    completed_at,
                    credits: credits.max(0) as u64,
                })
            })
            .collect()
    }

    /// The site's last `limit` completed runs, newest first; with `before`, only those that
    /// started strictly before that run (a run's own comparison leaves out itself and any run
    /// that started at the same moment).
    pub async fn last_completed_runs(
        &self,
        site: &ScopedSite,
        before: Option<&Run>,
        limit: u32,
    ) -> Result<Vec<Run>, StoreError> {
        // Run numbers follow start times within a site, so every run started before `before` is
        // numbered below it: the bound on the number (outside the OR, so that it is an index
        // range) starts the index walk at the run. Without it, an old run's comparison read the
        // row of every newer completed run to check its start.
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM runs r WHERE r.site_id = $1 AND r.status = $2 \
             AND r.run_number < $4 AND ($3 IS NULL OR r.started_at < $3) ORDER BY r.run_number DESC LIMIT $5"
        );
        let rows: Vec<RunRow> = with_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(site.id())
            .bind(RunStatus::Completed.as_str())
            .bind(before.map(|run| run.started_at))
            .bind(before.map_or(i64::MAX, |run| run.run_number))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await)?;
        to_runs(rows)
    }

    /// The site's completed runs started at or after `since`, and the (at most) `before` completed
    /// runs preceding them, oldest first: what trends read. Run numbers follow start times
    /// within a site (import numbers runs in (started_at, run_id) order), so the range is found
    /// once on the (site, started_at) index and then read as a range of numbers on the
    /// (site, status, number) index: no index on start time by status is needed, and the cost
    /// grows with the runs in the range, not with the site's history.
    pub async fn completed_runs_since(
        &self,
        site: &ScopedSite,
        since: DateTime<Utc>,
        before: u32,
    ) -> Result<Vec<Run>, StoreError> {
        let sql = format!(
            "WITH first_in_range AS (SELECT f.run_number FROM runs f WHERE f.site_id = $1 AND f.started_at >= $2 \
               ORDER BY f.started_at, f.run_id LIMIT 1) \
             SELECT {RUN_COLUMNS} FROM runs r WHERE r.site_id = $1 AND r.status = $3 \
               AND r.run_number >= (SELECT run_number FROM first_in_range) \
             UNION ALL \
             SELECT * FROM (SELECT {RUN_COLUMNS} FROM runs r WHERE r.site_id = $1 AND r.status = $3 \
               AND r.run_number < (SELECT run_number FROM first_in_range) \
               ORDER BY r.run_number DESC LIMIT $4) earlier"
        );
        let rows: Vec<RunRow> = with_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(site.id())
            .bind(since)
            .bind(RunStatus::Completed.as_str())
            .bind(i64::from(before))
            .fetch_all(pool)
            .await)?;
        let mut runs = to_runs(rows)?;
        runs.sort_by_key(|r| r.run_number);
        Ok(runs)
    }

    /// The id of the site's last completed run numbered below `run_number`: the run a run page
    /// offers to compare with.
    pub async fn previous_completed_run(
        &self,
        site: &ScopedSite,
        run_number: i64,
    ) -> Result<Option<String>, StoreError> {
        with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT run_id FROM runs WHERE site_id = $1 AND status = $2 AND run_number < $3 \
             ORDER BY run_number DESC LIMIT 1"
        )
        .bind(site.id())
        .bind(RunStatus::Completed.as_str())
        .bind(run_number)
        .fetch_optional(pool)
        .await)
        .map_err(StoreError::from)
    }

    /// Runs numbered in `first..=last`, newest first: a history page is a range of numbers,
    /// so its cost does not grow with the page number.
    pub async fn runs_numbered(&self, site: &ScopedSite, first: i64, last: i64) -> Result<Vec<Run>, StoreError> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM runs r WHERE r.site_id = $1 AND r.run_number BETWEEN $2 AND $3 \
             ORDER BY r.run_number DESC, r.run_id"
        );
        let rows: Vec<RunRow> =
            with_pool!(self, |pool| sqlx::query_as(&sql).bind(site.id()).bind(first).bind(last).fetch_all(pool).await)?;
        to_runs(rows)
    }

    /// How many of the site's runs pass the filter, from the counts each import keeps.
    pub async fn count_runs(&self, site: &ScopedSite, filter: HistoryFilter) -> Result<i64, StoreError> {
        let n: Option<i64> = with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT CAST(SUM(runs) AS BIGINT) FROM run_counts WHERE site_id = $1 \
             AND ($2 IS NULL OR status = $2) AND ($3 IS NULL OR trigger_type = $3)"
        )
        .bind(site.id())
        .bind(filter.status.map(RunStatus::as_str))
        .bind(filter.trigger.map(TriggerType::as_str))
        .fetch_one(pool)
        .await)?;
        Ok(n.unwrap_or(0))
    }

    /// A page of the runs that pass the filter, newest first. A status filter walks the
    /// (site, status, number) index; a trigger filter, which splits runs about evenly, skips
    /// along the site's runs.
    pub async fn filtered_runs(
        &self,
        site: &ScopedSite,
        filter: HistoryFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Run>, StoreError> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM runs r WHERE r.site_id = $1 \
             AND ($2 IS NULL OR r.status = $2) AND ($3 IS NULL OR r.trigger_type = $3) \
             ORDER BY r.run_number DESC LIMIT $4 OFFSET $5"
        );
        let rows: Vec<RunRow> = with_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(site.id())
            .bind(filter.status.map(RunStatus::as_str))
            .bind(filter.trigger.map(TriggerType::as_str))
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await)?;
        to_runs(rows)
    }

    /// One run of a site the caller may see.
    pub async fn run(&self, site: &ScopedSite, run_id: &str) -> Result<Option<Run>, StoreError> {
        let sql = format!("SELECT {RUN_COLUMNS} FROM runs r WHERE r.run_id = $1 AND r.site_id = $2");
        let row: Option<RunRow> =
            with_pool!(self, |pool| sqlx::query_as(&sql).bind(run_id).bind(site.id()).fetch_optional(pool).await)?;
        row.map(Run::try_from).transpose()
    }

    pub async fn pipeline(&self, site: &ScopedSite) -> Result<Option<PipelineSnapshot>, StoreError> {
        let row: Option<(DateTime<Utc>, Json<PipelineCounts>)> =
            with_pool!(self, |pool| sqlx::query_as("SELECT as_of, counts FROM pipelines WHERE site_id = $1")
                .bind(site.id())
                .fetch_optional(pool)
                .await)?;
        Ok(row.map(|(as_of, counts)| PipelineSnapshot { as_of, counts: counts.0 }))
    }

    /// A page of the run's log in time order, and how many lines match the filter.
    pub async fn logs(
        &self,
        site: &ScopedSite,
        run_id: &str,
        query: &LogQuery,
    ) -> Result<(Vec<LogLine>, u64), StoreError> {
        let stage = query.stage.map(i64::from);
        let level = query.level.map(|l| l.as_str());
        let pattern = query.search.as_deref().map(like_pattern);
        let filter = "FROM run_logs l JOIN runs r ON r.run_id = l.run_id \
             WHERE l.run_id = $1 AND r.site_id = $2 \
             AND ($3 IS NULL OR l.stage = $3) AND ($4 IS NULL OR l.level = $4) \
             AND ($5 IS NULL OR LOWER(l.message) LIKE $5 ESCAPE '\\')";
        let page_sql =
            format!("SELECT l.stage, l.at, l.level, l.message {filter} ORDER BY l.at, l.id LIMIT $6 OFFSET $7");
        let count_sql = format!("SELECT COUNT(*) {filter}");
        let rows: Vec<(i64, DateTime<Utc>, String, String)> = with_pool!(self, |pool| sqlx::query_as(&page_sql)
            .bind(run_id)
            .bind(site.id())
            .bind(stage)
            .bind(level)
            .bind(pattern.as_deref())
            .bind(query.limit as i64)
            .bind(query.offset as i64)
            .fetch_all(pool)
            .await)?;
        let total: i64 = with_pool!(self, |pool| sqlx::query_scalar(&count_sql)
            .bind(run_id)
            .bind(site.id())
            .bind(stage)
            .bind(level)
            .bind(pattern.as_deref())
            .fetch_one(pool)
            .await)?;
        let lines = rows
            .into_iter()
            .map(|(stage, at, level, message)| {
                Ok(LogLine {
                    stage: u8::try_from(stage).ok().filter(|s| *s > 0),
                    at,
                    level: level.parse().map_err(|reason| StoreError::Corrupt { id: run_id.into(), reason })?,
                    message,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok((lines, total.max(0) as u64))
    }
}

/// `%text%` for a case-insensitive LIKE, with the pattern characters escaped.
fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}
