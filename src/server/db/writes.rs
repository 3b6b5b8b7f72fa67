//! Writes of the importer, inside one transaction per file. Run numbers are kept dense and in
//! (started_at, run_id) order: runs that arrive in order are numbered as they are written;
//! a site that receives a run out of order, or a run whose start moved, is renumbered from
//! the earliest key it touched when the transaction finishes.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde_json::value::RawValue;
use sqlx::types::Json;
use sqlx::{Postgres, QueryBuilder, Sqlite, Transaction};

use super::{Store, StoreError};
use crate::domain::logs::LogLine;
use crate::domain::records::{AccountRecord, PipelineRecord, SiteRecord};
use crate::domain::run::{Run, StageResult};

/// The order of runs within a site.
type RunKey = (DateTime<Utc>, String);

/// Inserted and updated records of one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Upserted {
    pub inserted: u64,
    pub updated: u64,
}

impl Upserted {
    fn add(&mut self, existed: bool) {
        if existed {
            self.updated += 1
        } else {
            self.inserted += 1
        }
    }
}

enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

macro_rules! with_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

/// The last run of a site as the transaction has numbered it so far.
#[derive(Debug, Clone)]
struct SiteTail {
    key: Option<RunKey>,
    number: i64,
}

pub struct ImportTx {
    tx: Tx,
    tails: HashMap<i64, SiteTail>,
    /// Sites to renumber at finish, from the earliest key touched.
    dirty: HashMap<i64, RunKey>,
    touched_sites: BTreeSet<i64>,
}

/// Rows per multi-row statement: under both backends' bind limits (15 columns × 500).
pub const BATCH_ROWS: usize = 500;

impl Store {
    pub async fn begin_import(&self) -> Result<ImportTx, StoreError> {
        let tx = match self {
            Store::Sqlite(pool) => {
                // IMMEDIATE takes the write lock now, so a second import waits for the first
                // (busy timeout) instead of failing when it first writes.
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                // Imports write into every index of `runs` at scattered places; with SQLite's
                // 2 MB default cache each insert would re-read pages from the OS. The size is
                // a ceiling: memory is only taken as pages are used.
                sqlx::query("PRAGMA cache_size = -1048576").execute(&mut *tx).await?;
                // Each multi-row upsert keeps a statement journal; in memory it costs no disk writes.
                sqlx::query("PRAGMA temp_store = MEMORY").execute(&mut *tx).await?;
                Tx::Sqlite(tx)
            }
            Store::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        };
        Ok(ImportTx { tx, tails: HashMap::new(), dirty: HashMap::new(), touched_sites: BTreeSet::new() })
    }

    /// Ids of every account and site, for the importer's reference checks.
    pub async fn known_ids(&self) -> Result<(BTreeSet<i64>, BTreeSet<i64>), StoreError> {
        let accounts: Vec<i64> =
            super::with_pool!(self, |pool| sqlx::query_scalar("SELECT id FROM accounts").fetch_all(pool).await)?;
        let sites: Vec<i64> =
            super::with_pool!(self, |pool| sqlx::query_scalar("SELECT id FROM sites").fetch_all(pool).await)?;
        Ok((accounts.into_iter().collect(), sites.into_iter().collect()))
    }

    /// Whether each run id exists (any site).
    pub async fn existing_run_ids(&self, ids: &[String]) -> Result<BTreeSet<String>, StoreError> {
        let mut found = BTreeSet::new();
        for chunk in ids.chunks(BATCH_ROWS) {
            let rows: Vec<String> = super::with_pool!(self, |pool| {
                let mut q = QueryBuilder::new("SELECT run_id FROM runs WHERE run_id IN (");
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(id);
                }
                q.push(")");
                q.build_query_scalar().fetch_all(pool).await
            })?;
            found.extend(rows);
        }
        Ok(found)
    }
}

/// A run with its JSON columns already written, so the serialising happens on the importer's
/// parsing thread rather than on the path of the database writes.
#[derive(Debug)]
pub struct PreparedRun {
    pub run: Run,
    stage_results: Box<RawValue>,
    initial_snapshot: Box<RawValue>,
}

impl PreparedRun {
    pub fn new(run: Run) -> PreparedRun {
        let stages: Vec<Option<&serde_json::Map<String, serde_json::Value>>> =
            run.stages.iter().map(|s| s.as_ref().map(StageResult::fields)).collect();
        let raw = |json: String| RawValue::from_string(json).expect("serde_json writes valid JSON");
        PreparedRun {
            stage_results: raw(serde_json::to_string(&stages).expect("maps of JSON values serialise")),
            initial_snapshot: raw(serde_json::to_string(&run.initial_snapshot).expect("counts serialise")),
            run,
        }
    }
}

impl ImportTx {
    async fn existing_ids(&mut self, table: &str, ids: &[i64]) -> Result<BTreeSet<i64>, StoreError> {
        let rows: Vec<i64> = with_tx!(&mut self.tx, |conn| {
            let mut q = QueryBuilder::new(format!("SELECT id FROM {table} WHERE id IN ("));
            let mut list = q.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            q.push(")");
            q.build_query_scalar().fetch_all(conn).await
        })?;
        Ok(rows.into_iter().collect())
    }

    pub async fn upsert_accounts(&mut self, batch: &[AccountRecord]) -> Result<Upserted, StoreError> {
        let mut counts = Upserted::default();
        if batch.is_empty() {
            return Ok(counts);
        }
        let existing = self.existing_ids("accounts", &batch.iter().map(|a| a.id).collect::<Vec<_>>()).await?;
        for a in batch {
            with_tx!(&mut self.tx, |conn| sqlx::query(
                "INSERT INTO accounts (id, name, credit_balance) VALUES ($1, $2, $3) \
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, credit_balance = excluded.credit_balance"
            )
            .bind(a.id)
            .bind(&a.name)
            .bind(a.credit_balance)
            .execute(conn)
            .await
            .map(|_| ()))?;
            // The account's name shows with its sites: a change must reach cached site lists.
            with_tx!(&mut self.tx, |conn| sqlx::query(
                "UPDATE sites SET revision = revision + 1 WHERE account_id = $1"
            )
            .bind(a.id)
            .execute(conn)
            .await
            .map(|_| ()))?;
            counts.add(existing.contains(&a.id));
        }
        Ok(counts)
    }

    pub async fn upsert_sites(&mut self, batch: &[SiteRecord]) -> Result<Upserted, StoreError> {
        let mut counts = Upserted::default();
        if batch.is_empty() {
            return Ok(counts);
        }
        let existing = self.existing_ids("sites", &batch.iter().map(|s| s.id).collect::<Vec<_>>()).await?;
        for s in batch {
            with_tx!(&mut self.tx, |conn| sqlx::query(
                "INSERT INTO sites (id, account_id, name, domain) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, name = excluded.name, \
                 domain = excluded.domain"
            )
            .bind(s.id)
            .bind(s.account_id)
            .bind(&s.name)
            .bind(&s.domain)
            .execute(conn)
            .await
            .map(|_| ()))?;
            counts.add(existing.contains(&s.id));
            self.touched_sites.insert(s.id);
        }
        Ok(counts)
    }

    fn mark_dirty(&mut self, site_id: i64, key: RunKey) {
        self.dirty
            .entry(site_id)
            .and_modify(|k| {
                if key < *k {
                    *k = key.clone()
                }
            })
            .or_insert(key);
    }

    /// Holds the site's numbering until the transaction ends, so concurrent imports into one
    /// site number one after the other (SQLite's write lock already does this).
    async fn lock_site(&mut self, site_id: i64) -> Result<(), StoreError> {
        if let Tx::Postgres(tx) = &mut self.tx {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(site_id).execute(&mut **tx).await?;
        }
        Ok(())
    }

    async fn tail(&mut self, site_id: i64) -> Result<SiteTail, StoreError> {
        if let Some(t) = self.tails.get(&site_id) {
            return Ok(t.clone());
        }
        self.lock_site(site_id).await?;
        let row: Option<(DateTime<Utc>, String, i64)> = with_tx!(&mut self.tx, |conn| sqlx::query_as(
            "SELECT started_at, run_id, run_number FROM runs WHERE site_id = $1 \
             ORDER BY started_at DESC, run_id DESC LIMIT 1"
        )
        .bind(site_id)
        .fetch_optional(conn)
        .await)?;
        let tail = match row {
            Some((at, id, n)) => SiteTail { key: Some((at, id)), number: n },
            None => SiteTail { key: None, number: 0 },
        };
        self.tails.insert(site_id, tail.clone());
        Ok(tail)
    }

    /// Upserts a batch of runs (at most [`BATCH_ROWS`], distinct ids).
    pub async fn upsert_runs(&mut self, batch: &[PreparedRun]) -> Result<Upserted, StoreError> {
        let mut counts = Upserted::default();
        if batch.is_empty() {
            return Ok(counts);
        }
        let old: Vec<(String, i64, DateTime<Utc>, i64)> = with_tx!(&mut self.tx, |conn| {
            let mut q = QueryBuilder::new("SELECT run_id, site_id, started_at, run_number FROM runs WHERE run_id IN (");
            let mut list = q.separated(", ");
            for p in batch {
                list.push_bind(&p.run.run_id);
            }
            q.push(")");
            q.build_query_as().fetch_all(conn).await
        })?;
        let old: HashMap<String, (i64, DateTime<Utc>, i64)> =
            old.into_iter().map(|(id, site, at, n)| (id, (site, at, n))).collect();

        let mut numbers = Vec::with_capacity(batch.len());
        for PreparedRun { run, .. } in batch {
            let key: RunKey = (run.started_at, run.run_id.clone());
            self.touched_sites.insert(run.site_id);
            let number = match old.get(&run.run_id) {
                Some(&(site, at, n)) if site == run.site_id && at == run.started_at => n,
                previous => {
                    if let Some(&(old_site, old_at, _)) = previous {
                        if !self.tails.contains_key(&old_site) {
                            self.tail(old_site).await?;
                        }
                        self.touched_sites.insert(old_site);
                        self.mark_dirty(old_site, (old_at, run.run_id.clone()));
                    }
                    let tail = self.tail(run.site_id).await?;
                    let in_order = !self.dirty.contains_key(&run.site_id) && tail.key.as_ref().is_none_or(|k| key > *k);
                    if in_order {
                        let n = tail.number + 1;
                        self.tails.insert(run.site_id, SiteTail { key: Some(key), number: n });
                        n
                    } else {
                        self.mark_dirty(run.site_id, key);
                        0
                    }
                }
            };
            counts.add(old.contains_key(&run.run_id));
            numbers.push(number);
        }

        with_tx!(&mut self.tx, |conn| {
            let mut q = QueryBuilder::new(
                "INSERT INTO runs (run_id, site_id, run_number, status, trigger_type, current_stage, started_at, \
                 completed_at, paused_at, resumed_at, cancelled_at, total_credits_used, error_message, \
                 initial_snapshot, stage_results) ",
            );
            q.push_values(batch.iter().zip(&numbers), |mut row, (prepared, number)| {
                let run = &prepared.run;
                row.push_bind(&run.run_id)
                    .push_bind(run.site_id)
                    .push_bind(*number)
                    .push_bind(run.status.as_str())
                    .push_bind(run.trigger_type.as_str())
                    .push_bind(i64::from(run.current_stage.get()))
                    .push_bind(run.started_at)
                    .push_bind(run.completed_at)
                    .push_bind(run.paused_at)
                    .push_bind(run.resumed_at)
                    .push_bind(run.cancelled_at)
                    .push_bind(i64::try_from(run.total_credits_used).unwrap_or(i64::MAX))
                    .push_bind(&run.error_message)
                    .push_bind(Json(&*prepared.initial_snapshot))
                    .push_bind(Json(&*prepared.stage_results));
            });
            q.push(
                " ON CONFLICT (run_id) DO UPDATE SET site_id = excluded.site_id, run_number = excluded.run_number, \
                 status = excluded.status, trigger_type = excluded.trigger_type, current_stage = excluded.current_stage, \
                 started_at = excluded.started_at, completed_at = excluded.completed_at, paused_at = excluded.paused_at, \
                 resumed_at = excluded.resumed_at, cancelled_at = excluded.cancelled_at, \
                 total_credits_used = excluded.total_credits_used, error_message = excluded.error_message, \
                 initial_snapshot = excluded.initial_snapshot, stage_results = excluded.stage_results",
            );
            q.build().execute(conn).await.map(|_| ())
        })?;
        Ok(counts)
    }

    /// Keeps the record with the latest `as_of` per site.
    pub async fn upsert_pipeline(&mut self, p: &PipelineRecord) -> Result<Upserted, StoreError> {
        let existed: Option<i64> =
            with_tx!(&mut self.tx, |conn| sqlx::query_scalar("SELECT site_id FROM pipelines WHERE site_id = $1")
                .bind(p.site_id)
                .fetch_optional(conn)
                .await)?;
        with_tx!(&mut self.tx, |conn| sqlx::query(
            "INSERT INTO pipelines (site_id, as_of, counts) VALUES ($1, $2, $3) \
             ON CONFLICT (site_id) DO UPDATE SET as_of = excluded.as_of, counts = excluded.counts \
             WHERE excluded.as_of >= pipelines.as_of"
        )
        .bind(p.site_id)
        .bind(p.as_of)
        .bind(Json(p.counts))
        .execute(conn)
        .await
        .map(|_| ()))?;
        self.touched_sites.insert(p.site_id);
        let mut counts = Upserted::default();
        counts.add(existed.is_some());
        Ok(counts)
    }

    /// Inserts log lines; a line already stored is skipped (counted as updated).
    pub async fn insert_logs(&mut self, batch: &[(String, LogLine)]) -> Result<Upserted, StoreError> {
        if batch.is_empty() {
            return Ok(Upserted::default());
        }
        let result = with_tx!(&mut self.tx, |conn| {
            let mut q = QueryBuilder::new("INSERT INTO run_logs (run_id, stage, at, level, message, line_hash) ");
            q.push_values(batch, |mut row, (run_id, line)| {
                row.push_bind(run_id)
                    .push_bind(i64::from(line.stage.unwrap_or(0)))
                    .push_bind(line.at)
                    .push_bind(line.level.as_str())
                    .push_bind(&line.message)
                    .push_bind(line.identity_hash());
            });
            q.push(" ON CONFLICT (run_id, line_hash) DO NOTHING");
            q.build().execute(conn).await.map(|r| r.rows_affected())
        })?;
        Ok(Upserted { inserted: result, updated: batch.len() as u64 - result })
    }

    /// Renumbers the sites that need it, bumps the revision of every site touched, commits.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        let dirty: Vec<(i64, RunKey)> = self.dirty.drain().collect();
        for (site_id, (at, run_id)) in dirty {
            // Runs before the key were untouched, so their numbers are still dense.
            let base: Option<i64> = with_tx!(&mut self.tx, |conn| sqlx::query_scalar(
                "SELECT run_number FROM runs WHERE site_id = $1 AND (started_at, run_id) < ($2, $3) \
                 ORDER BY started_at DESC, run_id DESC LIMIT 1"
            )
            .bind(site_id)
            .bind(at)
            .bind(&run_id)
            .fetch_optional(conn)
            .await)?;
            with_tx!(&mut self.tx, |conn| sqlx::query(
                "UPDATE runs SET run_number = n.num FROM ( \
                   SELECT run_id, $4 + ROW_NUMBER() OVER (ORDER BY started_at, run_id) AS num FROM runs \
                   WHERE site_id = $1 AND (started_at, run_id) >= ($2, $3)) n \
                 WHERE runs.run_id = n.run_id AND runs.run_number <> n.num"
            )
            .bind(site_id)
            .bind(at)
            .bind(&run_id)
            .bind(base.unwrap_or(0))
            .execute(conn)
            .await
            .map(|_| ()))?;
        }
        let touched: Vec<i64> = std::mem::take(&mut self.touched_sites).into_iter().collect();
        for chunk in touched.chunks(BATCH_ROWS) {
            for (head, tail) in [
                ("UPDATE sites SET revision = revision + 1 WHERE id IN (", ")"),
                ("DELETE FROM run_counts WHERE site_id IN (", ")"),
                (
                    "INSERT INTO run_counts (site_id, status, trigger_type, runs) \
                     SELECT site_id, status, trigger_type, COUNT(*) FROM runs WHERE site_id IN (",
                    ") GROUP BY site_id, status, trigger_type",
                ),
            ] {
                with_tx!(&mut self.tx, |conn| {
                    let mut q = QueryBuilder::new(head);
                    let mut list = q.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    q.push(tail);
                    q.build().execute(conn).await.map(|_| ())
                })?;
            }
        }
        match self.tx {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}
