//! Run requests in the store (live-api.md, "Run requests"). Every change runs in one
//! transaction with its `request` event, so pages hear of it at commit. One open request or
//! running run per site is decided under the site's lock (the one that also orders run
//! numbers), with a unique partial index behind it; a claim hands each request to one engine.

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::QueryBuilder;

use super::changes::insert_events;
use super::{with_tx, Tx};
use crate::domain::events::{LiveEvent, RequestChanged};
use crate::domain::requests::{
    check_answer, claims_lapsed_before, Answer, AnswerError, AnswerOutcome, Ask, Estimate, RunRequest,
};
use crate::server::db::requests::{RequestRow, ACTIVE_RUN_SQL, REQUEST_COLUMNS};
use crate::server::db::{ScopedSite, Store, StoreError};

/// Why the site takes no request now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Busy {
    /// A request of the site is pending or claimed.
    OpenRequest,
    /// This run of the site is running or paused.
    ActiveRun(String),
}

/// Why an engine's answer was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerRefusal {
    /// No such request in the engine's account.
    NotFound,
    /// The state does not take this answer.
    State(AnswerError),
    /// The run named as started belongs to another site.
    RunOfAnotherSite(String),
}

/// Who asked, and what the run would cost when they did.
pub struct NewRequest<'a> {
    pub ask: &'a Ask,
    pub requested_by: &'a str,
    pub estimate: Estimate,
}

impl Store {
    pub(super) async fn begin_write(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            // IMMEDIATE takes the write lock at once: the checks below and the write that
            // follows them see the same database.
            Store::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Store::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Files a request for the site, unless the site has a request on its way or a run that
    /// has not finished.
    pub async fn create_request(
        &self,
        site: &ScopedSite,
        new: NewRequest<'_>,
        now: DateTime<Utc>,
    ) -> Result<Result<RunRequest, Busy>, StoreError> {
        let mut tx = self.begin_write().await?;
        if let Tx::Postgres(t) = &mut tx {
            // The site's lock, as ingest takes it to write the site's runs.
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(site.id()).execute(&mut **t).await?;
        }
        let open: Option<i64> = with_tx!(&mut tx, |conn| sqlx::query_scalar(
            "SELECT id FROM run_requests WHERE site_id = $1 AND state IN ('pending', 'claimed') LIMIT 1"
        )
        .bind(site.id())
        .fetch_optional(conn)
        .await)?;
        if open.is_some() {
            return Ok(Err(Busy::OpenRequest));
        }
        let active: Option<String> =
            with_tx!(&mut tx, |conn| sqlx::query_scalar(ACTIVE_RUN_SQL).bind(site.id()).fetch_optional(conn).await)?;
        if let Some(run_id) = active {
            return Ok(Err(Busy::ActiveRun(run_id)));
        }
        let sql = format!(
            "INSERT INTO run_requests (site_id, kind, source_run_id, stage, state, requested_at, requested_by, estimate) \
             VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7) RETURNING {REQUEST_COLUMNS}"
        );
        let inserted: Result<RequestRow, sqlx::Error> = with_tx!(&mut tx, |conn| sqlx::query_as(&sql)
            .bind(site.id())
            .bind(new.ask.kind.as_str())
            .bind(new.ask.source_run_id.as_deref())
            .bind(new.ask.stage.map(i64::from))
            .bind(now)
            .bind(new.requested_by)
            .bind(Json(new.estimate))
            .fetch_one(conn)
            .await);
        let request = match inserted {
            Ok(row) => RunRequest::try_from(row)?,
            // The partial unique index: another open request got in first.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(Err(Busy::OpenRequest)),
            Err(e) => return Err(e.into()),
        };
        announce(&mut tx, site.row().account_id, &[&request], now).await?;
        tx.commit().await?;
        Ok(Ok(request))
    }

    /// Hands the oldest pending request of the account to the calling engine, after putting
    /// back the claims that lapsed. Concurrent claimers never get the same request.
    /// With `site_id`, only a request of that site of the account.
    pub async fn claim_request(
        &self,
        account_id: i64,
        site_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Option<RunRequest>, StoreError> {
        let mut tx = self.begin_write().await?;
        expire_lapsed(&mut tx, Some(account_id), now).await?;
        // PostgreSQL: the first pending row no other claimer has locked. SQLite: the write lock
        // taken at BEGIN already keeps claimers apart.
        let lock = match tx {
            Tx::Postgres(_) => " FOR UPDATE SKIP LOCKED",
            Tx::Sqlite(_) => "",
        };
        let sql = format!(
            "UPDATE run_requests SET state = 'claimed', claimed_at = $2 WHERE id = (\
                 SELECT id FROM run_requests WHERE state = 'pending' \
                 AND site_id IN (SELECT id FROM sites WHERE account_id = $1 AND (id = $3 OR $4)) \
                 ORDER BY id LIMIT 1{lock}) \
             RETURNING {REQUEST_COLUMNS}"
        );
        let row: Option<RequestRow> = with_tx!(&mut tx, |conn| sqlx::query_as(&sql)
            .bind(account_id)
            .bind(now)
            .bind(site_id.unwrap_or(0))
            .bind(site_id.is_none())
            .fetch_optional(conn)
            .await)?;
        let claimed = row.map(RunRequest::try_from).transpose()?;
        if let Some(request) = &claimed {
            announce(&mut tx, account_id, &[request], now).await?;
        }
        tx.commit().await?;
        Ok(claimed)
    }

    /// Records the engine's answer to a request it claimed. The same answer again is taken
    /// as given (the engine may retry after losing the response).
    pub async fn answer_request(
        &self,
        account_id: i64,
        id: i64,
        answer: &Answer,
        now: DateTime<Utc>,
    ) -> Result<Result<RunRequest, AnswerRefusal>, StoreError> {
        let mut tx = self.begin_write().await?;
        let lock = match tx {
            Tx::Postgres(_) => " FOR UPDATE",
            Tx::Sqlite(_) => "",
        };
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM run_requests \
             WHERE id = $1 AND site_id IN (SELECT id FROM sites WHERE account_id = $2){lock}"
        );
        let row: Option<RequestRow> =
            with_tx!(&mut tx, |conn| sqlx::query_as(&sql).bind(id).bind(account_id).fetch_optional(conn).await)?;
        let Some(current) = row.map(RunRequest::try_from).transpose()? else {
            return Ok(Err(AnswerRefusal::NotFound));
        };
        match check_answer(id, current.state, current.run_id.as_deref(), current.reason.as_deref(), answer) {
            Err(e) => return Ok(Err(AnswerRefusal::State(e))),
            Ok(AnswerOutcome::AlreadyAnswered) => return Ok(Ok(current)),
            Ok(AnswerOutcome::Apply) => {}
        }
        let (run_id, reason) = match answer {
            Answer::Started { run_id } => (Some(run_id.as_str()), None),
            Answer::Rejected { reason } => (None, Some(reason.as_str())),
        };
        if let Some(run_id) = run_id {
            // The run may not be reported yet; once it is, it must be the request's site's.
            let site: Option<i64> =
                with_tx!(&mut tx, |conn| sqlx::query_scalar("SELECT site_id FROM runs WHERE run_id = $1")
                    .bind(run_id)
                    .fetch_optional(conn)
                    .await)?;
            if site.is_some_and(|s| s != current.site_id) {
                return Ok(Err(AnswerRefusal::RunOfAnotherSite(run_id.to_string())));
            }
        }
        let sql = format!(
            "UPDATE run_requests SET state = $2, run_id = $3, reason = $4, answered_at = $5 WHERE id = $1 \
             RETURNING {REQUEST_COLUMNS}"
        );
        let row: RequestRow = with_tx!(&mut tx, |conn| sqlx::query_as(&sql)
            .bind(id)
            .bind(answer.state().as_str())
            .bind(run_id)
            .bind(reason)
            .bind(now)
            .fetch_one(conn)
            .await)?;
        let request = RunRequest::try_from(row)?;
        announce(&mut tx, account_id, &[&request], now).await?;
        tx.commit().await?;
        Ok(Ok(request))
    }

    /// Puts every lapsed claim back to pending; returns how many.
    pub async fn expire_lapsed_claims(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        let expired = expire_lapsed(&mut tx, None, now).await?;
        tx.commit().await?;
        Ok(expired)
    }
}

/// Claims made more than the timeout ago, of one account or all, go back to pending.
async fn expire_lapsed(tx: &mut Tx, account_id: Option<i64>, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let (account, all) = (account_id.unwrap_or(0), account_id.is_none());
    let sql = format!(
        "UPDATE run_requests SET state = 'pending', claimed_at = NULL, claims_expired = claims_expired + 1 \
         WHERE state = 'claimed' AND claimed_at < $1 \
         AND site_id IN (SELECT id FROM sites WHERE account_id = $2 OR $3) RETURNING {REQUEST_COLUMNS}"
    );
    let rows: Vec<RequestRow> = with_tx!(tx, |conn| sqlx::query_as(&sql)
        .bind(claims_lapsed_before(now))
        .bind(account)
        .bind(all)
        .fetch_all(conn)
        .await)?;
    let expired = rows.into_iter().map(RunRequest::try_from).collect::<Result<Vec<_>, _>>()?;
    if expired.is_empty() {
        return Ok(0);
    }
    let sites: Vec<i64> = expired.iter().map(|r| r.site_id).collect();
    let accounts: Vec<(i64, i64)> = with_tx!(tx, |conn| {
        let mut q = QueryBuilder::new("SELECT id, account_id FROM sites WHERE id IN (");
        let mut list = q.separated(", ");
        for id in &sites {
            list.push_bind(*id);
        }
        q.push(")");
        q.build_query_as().fetch_all(conn).await
    })?;
    let events: Vec<(i64, Option<i64>, LiveEvent)> = expired
        .iter()
        .filter_map(|r| {
            let account = accounts.iter().find(|(site, _)| *site == r.site_id)?.1;
            Some((account, Some(r.site_id), request_event(r)))
        })
        .collect();
    insert_events(tx, &events, now.timestamp()).await?;
    Ok(expired.len())
}

fn request_event(r: &RunRequest) -> LiveEvent {
    LiveEvent::Request(RequestChanged { id: r.id, site_id: r.site_id, state: r.state.as_str().to_string() })
}

async fn announce(
    tx: &mut Tx,
    account_id: i64,
    requests: &[&RunRequest],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let events: Vec<_> = requests.iter().map(|r| (account_id, Some(r.site_id), request_event(r))).collect();
    insert_events(tx, &events, now.timestamp()).await
}
