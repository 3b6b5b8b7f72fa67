//! Writes of the importer and of ingest, inside one transaction per file or request. Numbering
//! lives in `runs`, and what the transaction changed (counts, revisions, events) in `changes`.

mod changes;
mod requests;
mod runs;
mod team;

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::{Postgres, QueryBuilder, Sqlite, SqliteConnection, Transaction};

use super::{Store, StoreError};
use crate::domain::logs::LogLine;
use crate::domain::records::{AccountRecord, PipelineRecord, SiteRecord};
use changes::Changes;
pub use changes::RUN_EVENTS_PER_SITE;
pub use requests::{AnswerRefusal, Busy, NewRequest};
pub use runs::{PreparedRun, StoredRun};
pub use team::{Joined, NewInvitation, TeamRefusal};

/// The order of runs within a site.
type RunKey = (DateTime<Utc>, String);

/// What a write did to the records of one kind. A record sent again as it is stored is
/// unchanged: it writes nothing, moves no cache and announces no event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Upserted {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl Upserted {
    fn add(&mut self, existed: bool, changed: bool) {
        match (existed, changed) {
            (_, false) => self.unchanged += 1,
            (false, true) => self.inserted += 1,
            (true, true) => self.updated += 1,
        }
    }
}

enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    /// Ends the transaction now. A dropped one is rolled back only when its connection is next
    /// used, and until then keeps its row locks (an account's, in `team`).
    async fn rollback(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.rollback().await?,
            Tx::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }
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
use with_tx;

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
    changes: Changes,
    /// Sites whose lock the transaction holds (PostgreSQL).
    locked: BTreeSet<i64>,
    /// The SQLite connection's cache and map sizes in the pool, given back before it returns.
    pooled: Option<(i64, i64)>,
}

/// Cache and memory map of the import's SQLite connection. Imports write into every index of
/// `runs` at scattered places, so a cache larger than SQLite's 2 MB default saves re-reading
/// pages; but it is held until the file's one transaction ends, so its size bounds the import's
/// memory whatever the file's size. Without the map, pages the import reads from a large store
/// are read into that cache rather than mapped, and do not count towards the process.
async fn set_sqlite_memory(conn: &mut SqliteConnection, cache_size: i64, mmap_bytes: i64) -> Result<(), StoreError> {
    // A cache size below zero is in KiB, above zero in pages.
    sqlx::query(&format!("PRAGMA cache_size = {cache_size}")).execute(&mut *conn).await?;
    sqlx::query(&format!("PRAGMA mmap_size = {mmap_bytes}")).execute(&mut *conn).await?;
    Ok(())
}

/// The import connection's cache unless told otherwise: what keeps a large import's memory
/// under 200 MB (BENCHMARKS.md, section 10).
pub const DEFAULT_IMPORT_CACHE_MIB: u32 = 48;

/// Rows per multi-row statement: under both backends' bind limits (16 columns × 500).
pub const BATCH_ROWS: usize = 500;

impl Store {
    pub async fn begin_import(&self) -> Result<ImportTx, StoreError> {
        self.begin_import_with(DEFAULT_IMPORT_CACHE_MIB).await
    }

    /// An import whose SQLite connection keeps a page cache of `cache_mib`.
    pub async fn begin_import_with(&self, cache_mib: u32) -> Result<ImportTx, StoreError> {
        let (tx, pooled) = match self {
            Store::Sqlite(pool) => {
                let mut conn = pool.acquire().await?;
                let pooled = (
                    sqlx::query_scalar("PRAGMA cache_size").fetch_one(&mut *conn).await?,
                    sqlx::query_scalar("PRAGMA mmap_size").fetch_one(&mut *conn).await?,
                );
                // Set before the transaction begins: SQLite keeps the old map while it holds pages.
                set_sqlite_memory(&mut conn, -1024 * i64::from(cache_mib), 0).await?;
                // Each multi-row upsert keeps a statement journal; in memory it costs no disk writes.
                sqlx::query("PRAGMA temp_store = MEMORY").execute(&mut *conn).await?;
                // What `Pool::begin_with` does, on this connection. IMMEDIATE takes the write lock
                // now, so a second import waits for the first (busy timeout) instead of failing
                // when it first writes.
                let tx = Transaction::begin(conn, Some("BEGIN IMMEDIATE".into())).await?;
                (Tx::Sqlite(tx), Some(pooled))
            }
            Store::Postgres(pool) => (Tx::Postgres(pool.begin().await?), None),
        };
        Ok(ImportTx {
            tx,
            pooled,
            tails: HashMap::new(),
            dirty: HashMap::new(),
            changes: Changes::default(),
            locked: BTreeSet::new(),
        })
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

    /// Whether the account exists.
    pub async fn account_exists(&mut self, id: i64) -> Result<bool, StoreError> {
        Ok(!self.existing_ids("accounts", &[id]).await?.is_empty())
    }

    /// The account a stored site belongs to.
    pub async fn site_account(&mut self, site_id: i64) -> Result<Option<i64>, StoreError> {
        Ok(with_tx!(&mut self.tx, |conn| sqlx::query_scalar("SELECT account_id FROM sites WHERE id = $1")
            .bind(site_id)
            .fetch_optional(conn)
            .await)?)
    }

    pub async fn upsert_accounts(&mut self, batch: &[AccountRecord]) -> Result<Upserted, StoreError> {
        let mut counts = Upserted::default();
        if batch.is_empty() {
            return Ok(counts);
        }
        let existing = self.existing_ids("accounts", &batch.iter().map(|a| a.id).collect::<Vec<_>>()).await?;
        for a in batch {
            let before: Option<(String, i64)> = with_tx!(&mut self.tx, |conn| sqlx::query_as(
                "SELECT name, credit_balance FROM accounts WHERE id = $1"
            )
            .bind(a.id)
            .fetch_optional(conn)
            .await)?;
            let changed = before.as_ref().is_none_or(|(name, balance)| *name != a.name || *balance != a.credit_balance);
            if changed {
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
            }
            if before.as_ref().is_some_and(|(name, _)| *name != a.name) {
                // The account's name shows with its sites: a change must reach cached site lists.
                let sites: Vec<i64> =
                    with_tx!(&mut self.tx, |conn| sqlx::query_scalar("SELECT id FROM sites WHERE account_id = $1")
                        .bind(a.id)
                        .fetch_all(conn)
                        .await)?;
                self.changes.sites.extend(sites);
            }
            if before.as_ref().is_none_or(|(_, balance)| *balance != a.credit_balance) {
                self.changes.account(a.id, a.credit_balance);
            }
            counts.add(existing.contains(&a.id), changed);
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
            let written: Option<i64> = with_tx!(&mut self.tx, |conn| sqlx::query_scalar(
                "INSERT INTO sites (id, account_id, name, domain) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, name = excluded.name, \
                 domain = excluded.domain \
                 WHERE sites.account_id IS DISTINCT FROM excluded.account_id \
                 OR sites.name IS DISTINCT FROM excluded.name OR sites.domain IS DISTINCT FROM excluded.domain \
                 RETURNING id"
            )
            .bind(s.id)
            .bind(s.account_id)
            .bind(&s.name)
            .bind(&s.domain)
            .fetch_optional(conn)
            .await)?;
            if written.is_some() {
                self.changes.sites.insert(s.id);
            }
            counts.add(existing.contains(&s.id), written.is_some());
        }
        Ok(counts)
    }

    /// Keeps the record with the latest `as_of` per site.
    pub async fn upsert_pipeline(&mut self, p: &PipelineRecord) -> Result<Upserted, StoreError> {
        self.lock_sites([p.site_id]).await?;
        let existed: Option<i64> =
            with_tx!(&mut self.tx, |conn| sqlx::query_scalar("SELECT site_id FROM pipelines WHERE site_id = $1")
                .bind(p.site_id)
                .fetch_optional(conn)
                .await)?;
        let written: Option<i64> = with_tx!(&mut self.tx, |conn| {
            sqlx::query_scalar(
            "INSERT INTO pipelines (site_id, as_of, counts) VALUES ($1, $2, $3) \
             ON CONFLICT (site_id) DO UPDATE SET as_of = excluded.as_of, counts = excluded.counts \
             WHERE excluded.as_of >= pipelines.as_of \
             AND (pipelines.as_of IS DISTINCT FROM excluded.as_of OR pipelines.counts IS DISTINCT FROM excluded.counts) \
             RETURNING site_id"
        )
        .bind(p.site_id)
        .bind(p.as_of)
        .bind(Json(p.counts))
        .fetch_optional(conn)
        .await
        })?;
        if written.is_some() {
            self.changes.pipeline(p.site_id, p.as_of);
        }
        let mut counts = Upserted::default();
        counts.add(existed.is_some(), written.is_some());
        Ok(counts)
    }

    /// Inserts log lines; a line already stored is skipped (unchanged).
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
        Ok(Upserted { inserted: result, updated: 0, unchanged: batch.len() as u64 - result })
    }

    /// Ends the transaction and keeps nothing of it.
    pub async fn rollback(mut self) -> Result<(), StoreError> {
        self.give_back_memory().await?;
        self.tx.rollback().await
    }

    async fn give_back_memory(&mut self) -> Result<(), StoreError> {
        if let (Tx::Sqlite(tx), Some((cache_size, mmap_size))) = (&mut self.tx, self.pooled) {
            set_sqlite_memory(tx, cache_size, mmap_size).await?;
        }
        Ok(())
    }

    /// Renumbers the sites that need it, settles the changes (counts, revisions, events), commits.
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
        self.give_back_memory().await?;
        self.changes.settle(&mut self.tx, Utc::now().timestamp()).await?;
        self.tx.commit().await
    }
}
