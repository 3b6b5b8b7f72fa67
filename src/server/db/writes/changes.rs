//! What a write transaction changed, kept as it goes and settled at commit: the per-site run
//! counts move by their deltas (never recounted, so a write costs the same on a site of a
//! million runs), and each change becomes a row of the `events` outbox, which the servers read
//! (SQLite) or hear by NOTIFY (PostgreSQL, a trigger on the table) and stream to the pages.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;

use super::{with_tx, Tx, BATCH_ROWS};
use crate::domain::events::{AccountChanged, LiveEvent, PipelineChanged, RunChanged};
use crate::domain::run::RunStatus;
use crate::server::db::StoreError;

/// Run events kept per site and transaction: a page refetches on any of them, so a bulk import
/// announces its last runs rather than a million.
pub const RUN_EVENTS_PER_SITE: usize = 20;

/// The advisory lock that orders event ids (site ids, the other advisory locks, are positive).
const EVENT_ORDER_LOCK: i64 = -1;

/// (site, status, trigger): one row of `run_counts`.
type CountKey = (i64, &'static str, &'static str);

#[derive(Debug, Default)]
pub(super) struct Changes {
    /// In key order: the count rows are then locked in the same order by every transaction.
    counts: BTreeMap<CountKey, i64>,
    /// Changed runs by site, oldest change first, at most [`RUN_EVENTS_PER_SITE`] each.
    runs: BTreeMap<i64, Vec<String>>,
    pipelines: BTreeMap<i64, DateTime<Utc>>,
    /// Accounts whose balance changed, with the new balance.
    accounts: BTreeMap<i64, i64>,
    /// Sites whose revision must move (the run-detail and site-list caches key on it).
    pub sites: BTreeSet<i64>,
}

impl Changes {
    pub fn count(&mut self, key: CountKey, delta: i64) {
        *self.counts.entry(key).or_default() += delta;
    }

    pub fn run(&mut self, site_id: i64, run_id: &str) {
        self.sites.insert(site_id);
        let runs = self.runs.entry(site_id).or_default();
        runs.retain(|id| id != run_id);
        if runs.len() == RUN_EVENTS_PER_SITE {
            runs.remove(0);
        }
        runs.push(run_id.to_string());
    }

    pub fn pipeline(&mut self, site_id: i64, as_of: DateTime<Utc>) {
        self.sites.insert(site_id);
        self.pipelines.insert(site_id, as_of);
    }

    pub fn account(&mut self, account_id: i64, credit_balance: i64) {
        self.accounts.insert(account_id, credit_balance);
    }

    /// Writes the count deltas, the revisions and the events, inside the transaction.
    #[allow(
        clippy::too_many_lines,
        reason = "the three writes of a transaction's end (counts, revisions, events) in their order, each a batched statement on both backends"
    )]
    pub async fn settle(self, tx: &mut Tx, now: i64) -> Result<(), StoreError> {
        let deltas: Vec<(CountKey, i64)> = self.counts.into_iter().filter(|(_, d)| *d != 0).collect();
        for chunk in deltas.chunks(BATCH_ROWS) {
            with_tx!(tx, |conn| {
                let mut q = QueryBuilder::new("INSERT INTO run_counts (site_id, status, trigger_type, runs) ");
                q.push_values(chunk, |mut row, ((site, status, trigger), delta)| {
                    row.push_bind(*site).push_bind(*status).push_bind(*trigger).push_bind(*delta);
                });
                q.push(
                    " ON CONFLICT (site_id, status, trigger_type) DO UPDATE SET runs = run_counts.runs + excluded.runs",
                );
                q.build().execute(conn).await.map(|_| ())
            })?;
        }
        let sites: Vec<i64> = self.sites.iter().copied().collect();
        let mut site_accounts = HashMap::new();
        for chunk in sites.chunks(BATCH_ROWS) {
            with_tx!(tx, |conn| {
                let mut q = QueryBuilder::new("UPDATE sites SET revision = revision + 1 WHERE id IN (");
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                q.push(")");
                q.build().execute(conn).await.map(|_| ())
            })?;
            let rows: Vec<(i64, i64)> = with_tx!(tx, |conn| {
                let mut q = QueryBuilder::new("SELECT id, account_id FROM sites WHERE id IN (");
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                q.push(")");
                q.build_query_as().fetch_all(conn).await
            })?;
            site_accounts.extend(rows);
        }

        let mut events: Vec<(i64, Option<i64>, LiveEvent)> = Vec::new();
        let run_ids: Vec<&String> = self.runs.values().flatten().collect();
        for chunk in run_ids.chunks(BATCH_ROWS) {
            let rows: Vec<(String, i64, i64, String, i64, i64)> = with_tx!(tx, |conn| {
                let mut q = QueryBuilder::new(
                    "SELECT run_id, site_id, run_number, status, current_stage, total_credits_used FROM runs \
                     WHERE run_id IN (",
                );
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(id.as_str());
                }
                q.push(")");
                q.build_query_as().fetch_all(conn).await
            })?;
            let mut by_id: HashMap<String, (i64, i64, String, i64, i64)> = rows
                .into_iter()
                .map(|(id, site, n, status, stage, credits)| (id, (site, n, status, stage, credits)))
                .collect();
            for id in chunk {
                let Some((site_id, run_number, status, stage, credits)) = by_id.remove(id.as_str()) else { continue };
                let Ok(status) = status.parse::<RunStatus>() else { continue };
                let Some(&account) = site_accounts.get(&site_id) else { continue };
                events.push((
                    account,
                    Some(site_id),
                    LiveEvent::Run(RunChanged {
                        site_id,
                        run_id: id.to_string(),
                        run_number,
                        status,
                        current_stage: u8::try_from(stage).unwrap_or(0),
                        total_credits_used: u64::try_from(credits).unwrap_or(0),
                    }),
                ));
            }
        }
        for (site_id, as_of) in self.pipelines {
            if let Some(&account) = site_accounts.get(&site_id) {
                events.push((account, Some(site_id), LiveEvent::Pipeline(PipelineChanged { site_id, as_of })));
            }
        }
        for (account, credit_balance) in self.accounts {
            events.push((account, None, LiveEvent::Account(AccountChanged { credit_balance })));
        }
        insert_events(tx, &events, now).await
    }
}

/// Appends events to the outbox, in order.
pub(super) async fn insert_events(
    tx: &mut Tx,
    events: &[(i64, Option<i64>, LiveEvent)],
    now: i64,
) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    // PostgreSQL hands out ids at insert, not at commit: holding one lock from the insert to the
    // commit makes ids follow commit order, so a stream that has seen id N has seen every
    // event before it and replays from N lose nothing. SQLite's write lock already does this.
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(EVENT_ORDER_LOCK).execute(&mut **t).await?;
    }
    for chunk in events.chunks(BATCH_ROWS) {
        with_tx!(tx, |conn| {
            let mut q = QueryBuilder::new("INSERT INTO events (account_id, site_id, name, data, at) ");
            q.push_values(chunk, |mut row, (account, site, event)| {
                row.push_bind(*account)
                    .push_bind(*site)
                    .push_bind(event.name())
                    .push_bind(event.data_json())
                    .push_bind(now);
            });
            q.build().execute(conn).await.map(|_| ())
        })?;
    }
    Ok(())
}
