//! Run upserts and their numbering. Run numbers are kept dense and in (started_at, run_id)
//! order: runs that arrive in order are numbered as they are written; a site that receives a
//! run out of order, or a run whose start moved, is renumbered from the earliest key it touched
//! when the transaction finishes.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde_json::value::RawValue;
use sqlx::types::Json;
use sqlx::QueryBuilder;

use super::{with_tx, ImportTx, RunKey, SiteTail, Tx, Upserted};
use crate::domain::run::{Run, StageResult};
use crate::server::db::StoreError;

/// A run with its JSON columns already written, so the serialising happens on the importer's
/// parsing thread rather than on the path of the database writes.
#[derive(Debug)]
pub struct PreparedRun {
    pub run: Run,
    /// The input line it came from, for errors found while writing.
    pub line: u64,
    stage_results: Box<RawValue>,
    initial_snapshot: Box<RawValue>,
    content_hash: i64,
}

impl PreparedRun {
    pub fn new(run: Run, line: u64) -> PreparedRun {
        let stages: Vec<Option<&serde_json::Map<String, serde_json::Value>>> =
            run.stages.iter().map(|s| s.as_ref().map(StageResult::fields)).collect();
        let raw = |json: String| RawValue::from_string(json).expect("serde_json writes valid JSON");
        let stage_results = raw(serde_json::to_string(&stages).expect("maps of JSON values serialise"));
        let initial_snapshot = raw(serde_json::to_string(&run.initial_snapshot).expect("counts serialise"));
        PreparedRun {
            content_hash: content_hash(&run, &initial_snapshot, &stage_results),
            stage_results,
            initial_snapshot,
            line,
            run,
        }
    }
}

/// A hash of every column the run is written with except its number, which the site's other
/// runs decide: a stored run with the same hash holds the same record. Each part is a whole
/// JSON value, so their concatenation is unambiguous. Stored, so the encoding must stay; a
/// change would only make the next import write every run once.
fn content_hash(run: &Run, initial_snapshot: &RawValue, stage_results: &RawValue) -> i64 {
    let scalars = (
        run.site_id,
        run.status.as_str(),
        run.trigger_type.as_str(),
        run.current_stage.get(),
        run.started_at,
        run.completed_at,
        run.paused_at,
        run.resumed_at,
        run.cancelled_at,
        run.total_credits_used,
        &run.error_message,
    );
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(serde_json::to_string(&scalars).expect("plain values serialise").as_bytes());
    hasher.update(initial_snapshot.get().as_bytes());
    hasher.update(stage_results.get().as_bytes());
    hasher.digest() as i64
}

/// A stored run as the upsert finds it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredRun {
    pub run_id: String,
    pub site_id: i64,
    started_at: DateTime<Utc>,
    run_number: i64,
    status: String,
    trigger_type: String,
    content_hash: Option<i64>,
}

/// Columns a run is written with besides its id, in the order they are bound.
const RUN_COLUMNS: [&str; 15] = [
    "site_id",
    "run_number",
    "status",
    "trigger_type",
    "current_stage",
    "started_at",
    "completed_at",
    "paused_at",
    "resumed_at",
    "cancelled_at",
    "total_credits_used",
    "error_message",
    "initial_snapshot",
    "stage_results",
    "content_hash",
];

/// The status or trigger as the static string `run_counts` is keyed by.
fn count_label(value: &str) -> &'static str {
    use crate::domain::run::{RunStatus, TriggerType};
    RunStatus::ALL
        .iter()
        .map(|s| s.as_str())
        .chain([TriggerType::Manual.as_str(), TriggerType::Scheduled.as_str()])
        .find(|s| *s == value)
        .unwrap_or("unknown")
}

impl ImportTx {
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

    /// Holds these sites until the transaction ends, so that concurrent writes to a site run one
    /// after the other (SQLite's write lock already does this). Every write to a site takes it,
    /// updates included: an update moves the site's run counts and revision too, and two
    /// transactions locking those rows in turn could deadlock. Locks are taken in ascending
    /// site order, so two transactions on the same sites never wait for each other in a circle.
    pub(super) async fn lock_sites(&mut self, sites: impl IntoIterator<Item = i64>) -> Result<(), StoreError> {
        let Tx::Postgres(tx) = &mut self.tx else { return Ok(()) };
        let wanted: BTreeSet<i64> = sites.into_iter().filter(|s| !self.locked.contains(s)).collect();
        for site_id in wanted {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(site_id).execute(&mut **tx).await?;
            self.locked.insert(site_id);
        }
        Ok(())
    }

    async fn tail(&mut self, site_id: i64) -> Result<SiteTail, StoreError> {
        if let Some(t) = self.tails.get(&site_id) {
            return Ok(t.clone());
        }
        self.lock_sites([site_id]).await?;
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

    /// The stored state of these runs, by id.
    pub async fn stored_runs(&mut self, ids: &[&str]) -> Result<HashMap<String, StoredRun>, StoreError> {
        let rows: Vec<StoredRun> = with_tx!(&mut self.tx, |conn| {
            let mut q = QueryBuilder::new(
                "SELECT run_id, site_id, started_at, run_number, status, trigger_type, content_hash FROM runs \
                 WHERE run_id IN (",
            );
            let mut list = q.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            q.push(")");
            q.build_query_as().fetch_all(conn).await
        })?;
        Ok(rows.into_iter().map(|r| (r.run_id.clone(), r)).collect())
    }

    /// Upserts a batch of runs (at most [`super::BATCH_ROWS`], distinct ids). A run stored from
    /// the same record is counted as unchanged and not sent at all.
    pub async fn upsert_runs(&mut self, batch: &[PreparedRun]) -> Result<Upserted, StoreError> {
        let mut counts = Upserted::default();
        if batch.is_empty() {
            return Ok(counts);
        }
        self.lock_sites(batch.iter().map(|p| p.run.site_id)).await?;
        let old = self.stored_runs(&batch.iter().map(|p| p.run.run_id.as_str()).collect::<Vec<_>>()).await?;
        self.lock_sites(old.values().map(|o| o.site_id)).await?;
        let changed: Vec<&PreparedRun> = batch
            .iter()
            .filter(|p| old.get(&p.run.run_id).is_none_or(|o| o.content_hash != Some(p.content_hash)))
            .collect();
        counts.unchanged = (batch.len() - changed.len()) as u64;
        if changed.is_empty() {
            return Ok(counts);
        }
        let numbers = self.numbers(&changed, &old).await?;
        self.write_runs(&changed, &numbers).await?;

        for PreparedRun { run, .. } in changed {
            if let Some(o) = old.get(&run.run_id) {
                counts.updated += 1;
                self.changes.count((o.site_id, count_label(&o.status), count_label(&o.trigger_type)), -1);
                self.changes.sites.insert(o.site_id);
            } else {
                counts.inserted += 1;
            }
            self.changes.count((run.site_id, run.status.as_str(), run.trigger_type.as_str()), 1);
            self.changes.run(run.site_id, &run.run_id);
        }
        Ok(counts)
    }

    /// The number each run is written with: the stored one while its place in the site holds,
    /// the next one of the site for a run that comes after its last, and 0 (until the site is
    /// renumbered at commit) for one that does not.
    async fn numbers(
        &mut self,
        runs: &[&PreparedRun],
        old: &HashMap<String, StoredRun>,
    ) -> Result<Vec<i64>, StoreError> {
        let mut numbers = Vec::with_capacity(runs.len());
        for PreparedRun { run, .. } in runs.iter().copied() {
            let key: RunKey = (run.started_at, run.run_id.clone());
            let number = match old.get(&run.run_id) {
                Some(o) if o.site_id == run.site_id && o.started_at == run.started_at => o.run_number,
                previous => {
                    if let Some(o) = previous {
                        if !self.tails.contains_key(&o.site_id) {
                            self.tail(o.site_id).await?;
                        }
                        self.mark_dirty(o.site_id, (o.started_at, run.run_id.clone()));
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
            numbers.push(number);
        }
        Ok(numbers)
    }

    /// Every run sent is new or changed, so it is written whole, without comparing columns.
    async fn write_runs(&mut self, runs: &[&PreparedRun], numbers: &[i64]) -> Result<(), StoreError> {
        with_tx!(&mut self.tx, |conn| {
            let mut q = QueryBuilder::new(format!("INSERT INTO runs (run_id, {}) ", RUN_COLUMNS.join(", ")));
            q.push_values(runs.iter().zip(numbers), |mut row, (prepared, number)| {
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
                    .push_bind(Json(&*prepared.stage_results))
                    .push_bind(prepared.content_hash);
            });
            let set: Vec<String> = RUN_COLUMNS.iter().map(|c| format!("{c} = excluded.{c}")).collect();
            q.push(format!(" ON CONFLICT (run_id) DO UPDATE SET {}", set.join(", ")));
            q.build().execute(conn).await.map(|_| ())
        })?;
        Ok(())
    }
}
