//! Failed sign-ins, kept in the database so that every instance on it counts the same attempts:
//! a guesser spread over the instances behind a balancer meets one limit, not one per instance.
//! The store only files and returns failure times; whether they lock is the arithmetic of
//! `domain::auth`.

use super::{with_pool, Store, StoreError};
use crate::domain::auth::ThrottleKind;

/// The failure times (unix seconds) of the email and of the address a sign-in is tried with.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SignInFailures {
    pub by_email: Vec<i64>,
    pub by_address: Vec<i64>,
}

/// An attempt filed as failed while its password is checked; see [`Store::forgive_sign_in`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiledAttempt {
    address_row: Option<i64>,
}

impl Store {
    /// Failures since `since` of `email` and of `address`.
    pub async fn sign_in_failures(
        &self,
        email: &str,
        address: Option<&str>,
        since: i64,
    ) -> Result<SignInFailures, StoreError> {
        let rows: Vec<(String, i64)> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT kind, failed_at FROM sign_in_failures \
             WHERE failed_at >= $3 AND ((kind = $4 AND subject = $1) OR (kind = $5 AND subject = $2))"
        )
        .bind(email)
        .bind(address)
        .bind(since)
        .bind(ThrottleKind::Email.as_str())
        .bind(ThrottleKind::Address.as_str())
        .fetch_all(pool)
        .await)?;
        let mut failures = SignInFailures::default();
        for (kind, at) in rows {
            if kind == ThrottleKind::Email.as_str() {
                failures.by_email.push(at);
            } else {
                failures.by_address.push(at);
            }
        }
        Ok(failures)
    }

    /// Files a failure of `email` and of `address` at `now`.
    pub async fn file_sign_in_failure(
        &self,
        email: &str,
        address: Option<&str>,
        now: i64,
    ) -> Result<FiledAttempt, StoreError> {
        let mut address_row = None;
        let subjects = [(ThrottleKind::Email, Some(email)), (ThrottleKind::Address, address)];
        for (kind, subject) in subjects {
            let Some(subject) = subject else { continue };
            let id: i64 = with_pool!(self, |pool| sqlx::query_scalar(
                "INSERT INTO sign_in_failures (kind, subject, failed_at) VALUES ($1, $2, $3) RETURNING id"
            )
            .bind(kind.as_str())
            .bind(subject)
            .bind(now)
            .fetch_one(pool)
            .await)?;
            if kind == ThrottleKind::Address {
                address_row = Some(id);
            }
        }
        Ok(FiledAttempt { address_row })
    }

    /// A sign-in that succeeded: the email's failures are forgiven, and the attempt's own
    /// address row (the address's earlier failures stay: another email may have been guessed
    /// from it).
    pub async fn forgive_sign_in(&self, email: &str, attempt: &FiledAttempt) -> Result<(), StoreError> {
        with_pool!(self, |pool| sqlx::query(
            "DELETE FROM sign_in_failures WHERE (kind = $1 AND subject = $2) OR id = $3"
        )
        .bind(ThrottleKind::Email.as_str())
        .bind(email)
        .bind(attempt.address_row)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Deletes failures older than `before`, which no rule counts any more.
    pub async fn forget_sign_in_failures_before(&self, before: i64) -> Result<u64, StoreError> {
        let done = with_pool!(self, |pool| sqlx::query("DELETE FROM sign_in_failures WHERE failed_at < $1")
            .bind(before)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(done)
    }
}
