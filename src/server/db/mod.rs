//! The store: SQLite (embedded default) or PostgreSQL behind one interface. Each query is
//! written once; [`with_pool!`] runs it on whichever pool the store holds, so both backends
//! keep their real column types (TIMESTAMPTZ and JSONB on PostgreSQL).

mod alerts;
mod auth;
mod budget;
mod events;
mod reads;
mod requests;
mod rows;
pub mod team;
mod throttle;
pub mod writes;

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

use crate::domain::scope::Scope;

pub use alerts::{DueDelivery, NewAlert};
pub use auth::{SessionRow, TokenOwner, TokenRow, UserCredentials};
pub use budget::BudgetRow;
pub use events::{Replay, StoredEvent, EVENT_CHANNEL};
pub use reads::ScopedSite;
pub use rows::SiteRow;
pub use team::{InvitationRow, MemberRow, NewAudit};
pub use throttle::{FiledAttempt, SignInFailures};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported DATABASE_URL {0:?}: expected sqlite:// or postgres://")]
    UnsupportedUrl(String),
    #[error("could not create the database folder {path}: {source}")]
    Folder { path: String, source: std::io::Error },
    #[error("stored record {id} is invalid: {reason}")]
    Corrupt { id: String, reason: String },
}

impl StoreError {
    /// The database could not be reached: it is down or restarting, refuses or drops
    /// connections, or no pooled connection came free within [`ACQUIRE_TIMEOUT`]. The same
    /// request may work in a moment; nothing about it was wrong.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Database(e) => unreachable(e),
            _ => false,
        }
    }
}

fn unreachable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => true,
        // PostgreSQL's SQLSTATE class 08 (connection exception), and 57P01-57P03: the server is
        // shutting down or not yet accepting connections. SQLite's codes are numbers.
        sqlx::Error::Database(db) => {
            db.code().is_some_and(|code| code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03"))
        }
        _ => false,
    }
}

impl From<StoreError> for crate::error::AppError {
    fn from(e: StoreError) -> Self {
        if e.is_unavailable() {
            tracing::warn!(error = %e, "database unavailable");
            crate::error::AppError::Unavailable
        } else {
            tracing::error!(error = %e, "store error");
            crate::error::AppError::Internal
        }
    }
}

/// How long a query waits for a pooled connection (or for a new one to open) before it gives
/// up. sqlx's default of 30 s made every request hang that long while the database was down;
/// with this the caller hears within a few seconds, and the request timeout never fires.
pub const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// How much of an SQLite file its connections map into memory (SQLite caps it at its compiled
/// maximum, 2 GB); the rest is read with read(2) as before.
const SQLITE_MMAP_BYTES: u64 = 1 << 32;

/// Bind values of the `(s.account_id = $a OR $all)` filter every scoped query carries.
fn scope_binds(scope: Scope) -> (i64, bool) {
    match scope {
        Scope::Installation => (0, true),
        Scope::Account(id) => (id, false),
    }
}

#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the store's pool, whichever backend it is.
macro_rules! with_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match $store {
            $crate::server::db::Store::Sqlite($pool) => $body,
            $crate::server::db::Store::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

impl Store {
    /// Connects to `url` (sqlite://… or postgres://…) and applies the migrations.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Store, StoreError> {
        Store::connect_mapping(url, max_connections, SQLITE_MMAP_BYTES).await
    }

    /// [`Store::connect`] for a command that reads the file once (an import and the alerts it
    /// checks afterwards): an SQLite map would make every page it touched count as the
    /// process's memory, up to the file's size, for no gain.
    pub async fn connect_unmapped(url: &str, max_connections: u32) -> Result<Store, StoreError> {
        Store::connect_mapping(url, max_connections, 0).await
    }

    async fn connect_mapping(url: &str, max_connections: u32, mmap_bytes: u64) -> Result<Store, StoreError> {
        let store = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            Store::Postgres(
                PgPoolOptions::new()
                    .max_connections(max_connections)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .connect_with(options)
                    .await?,
            )
        } else if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            let file = path.split('?').next().unwrap_or(path);
            if let Some(parent) = std::path::Path::new(file).parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .map_err(|source| StoreError::Folder { path: parent.display().to_string(), source })?;
            }
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(std::time::Duration::from_secs(10))
                // Reads then copy no pages through read(2) calls: the connections share the
                // mapped file, so a request's few index searches cost no system calls.
                .pragma("mmap_size", mmap_bytes.to_string());
            Store::Sqlite(
                SqlitePoolOptions::new()
                    .max_connections(max_connections)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    // Each query would first send a ping to its connection's thread and wait for
                    // the answer. An SQLite connection is a file in this process, with no server
                    // that could have dropped it; the pool still pings on release.
                    .test_before_acquire(false)
                    .connect_with(options)
                    .await?,
            )
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await?,
            Store::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// One round trip to the database (through the pool, so it waits at most
    /// [`ACQUIRE_TIMEOUT`] for a connection).
    pub async fn ping(&self) -> Result<(), StoreError> {
        with_pool!(self, |pool| sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// The PostgreSQL pool, for what only PostgreSQL has (LISTEN).
    pub fn postgres(&self) -> Option<&PgPool> {
        match self {
            Store::Postgres(pool) => Some(pool),
            Store::Sqlite(_) => None,
        }
    }

    pub async fn close(&self) {
        with_pool!(self, |pool| pool.close().await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreachable_databases_are_told_from_failing_queries() {
        let io = || sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        for e in [sqlx::Error::PoolTimedOut, sqlx::Error::PoolClosed, io()] {
            assert!(StoreError::Database(e).is_unavailable());
        }
        for e in [sqlx::Error::RowNotFound, sqlx::Error::ColumnNotFound("x".into())] {
            assert!(!StoreError::Database(e).is_unavailable());
        }
        assert!(!StoreError::UnsupportedUrl("mysql://".into()).is_unavailable());
        let unavailable: crate::error::AppError = StoreError::Database(sqlx::Error::PoolTimedOut).into();
        assert_eq!(unavailable.http_status(), axum::http::StatusCode::SERVICE_UNAVAILABLE);
        let internal: crate::error::AppError = StoreError::Database(sqlx::Error::RowNotFound).into();
        assert_eq!(internal.http_status(), axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    }
}
