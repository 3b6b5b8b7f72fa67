//! An account's team as the store keeps it: users with their roles, invitations, the audit log
//! and the settings forms' throttle. Every read names its account; the writes that must stay
//! consistent with each other (a role change and its audit entry, the last-owner count) are in
//! `writes::team`.

use super::{with_pool, Store, StoreError};
use crate::domain::team::{AuditAction, AuditEntry};

/// A user of an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub id: i64,
    pub email: String,
    pub role: String,
    pub last_sign_in_at: Option<i64>,
}

/// An invitation, with the name of the account it joins.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: i64,
    pub account_id: i64,
    pub account_name: String,
    pub email: String,
    pub role: String,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
}

/// A change to put on record, in the transaction that makes it.
#[derive(Debug, Clone, Copy)]
pub struct NewAudit<'a> {
    pub account_id: i64,
    pub actor: &'a str,
    pub action: AuditAction,
    pub target: Option<&'a str>,
    pub detail: Option<&'a str>,
}

pub(crate) const INSERT_AUDIT: &str =
    "INSERT INTO audit_log (account_id, at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)";

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    actor: String,
    action: String,
    target: Option<String>,
    detail: Option<String>,
}

impl Store {
    /// The users of the account, owners first, then by email.
    pub async fn members(&self, account_id: i64) -> Result<Vec<MemberRow>, StoreError> {
        Ok(with_pool!(self, |pool| sqlx::query_as(
            "SELECT id, email, role, last_sign_in_at FROM users WHERE account_id = $1 \
             ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, email"
        )
        .bind(account_id)
        .fetch_all(pool)
        .await)?)
    }

    /// How many users the account has (the first becomes its owner).
    pub async fn user_count(&self, account_id: i64) -> Result<i64, StoreError> {
        Ok(with_pool!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(pool)
            .await)?)
    }

    /// The user's password hash and email, when the user is of this account.
    pub async fn password_of(&self, account_id: i64, user_id: i64) -> Result<Option<(String, String)>, StoreError> {
        Ok(with_pool!(self, |pool| sqlx::query_as(
            "SELECT email, password_hash FROM users WHERE id = $1 AND account_id = $2"
        )
        .bind(user_id)
        .bind(account_id)
        .fetch_optional(pool)
        .await)?)
    }

    pub async fn record_sign_in(&self, user_id: i64, now: i64) -> Result<(), StoreError> {
        with_pool!(self, |pool| sqlx::query("UPDATE users SET last_sign_in_at = $2 WHERE id = $1")
            .bind(user_id)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// The account's invitations not yet used, newest first.
    pub async fn open_invitations(&self, account_id: i64) -> Result<Vec<InvitationRow>, StoreError> {
        Ok(with_pool!(self, |pool| sqlx::query_as(
            "SELECT i.id, i.account_id, a.name AS account_name, i.email, i.role, i.expires_at, i.accepted_at \
             FROM invitations i JOIN accounts a ON a.id = i.account_id \
             WHERE i.account_id = $1 AND i.accepted_at IS NULL ORDER BY i.id DESC LIMIT 100"
        )
        .bind(account_id)
        .fetch_all(pool)
        .await)?)
    }

    /// The invitation behind a link's token hash, of whichever account it joins.
    pub async fn invitation(&self, token_hash: &str) -> Result<Option<InvitationRow>, StoreError> {
        Ok(with_pool!(self, |pool| sqlx::query_as(
            "SELECT i.id, i.account_id, a.name AS account_name, i.email, i.role, i.expires_at, i.accepted_at \
             FROM invitations i JOIN accounts a ON a.id = i.account_id WHERE i.token_hash = $1"
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await)?)
    }

    /// Puts a change on record outside any other write (budget, webhook, run requests, whose
    /// writes are made elsewhere).
    pub async fn record_audit(&self, entry: NewAudit<'_>, now: i64) -> Result<(), StoreError> {
        with_pool!(self, |pool| sqlx::query(INSERT_AUDIT)
            .bind(entry.account_id)
            .bind(now)
            .bind(entry.actor)
            .bind(entry.action.as_str())
            .bind(entry.target)
            .bind(entry.detail)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// The account's newest `limit` audit entries, newest first.
    pub async fn audit(&self, account_id: i64, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let rows: Vec<AuditRow> = with_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT id, at, actor, action, target, detail FROM audit_log WHERE account_id = $1 ORDER BY id DESC LIMIT $2"
        )
        .bind(account_id)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await
        })?;
        rows.into_iter()
            .map(|r| {
                let corrupt =
                    |reason: &str| StoreError::Corrupt { id: format!("audit {}", r.id), reason: reason.into() };
                Ok(AuditEntry {
                    id: r.id,
                    at: chrono::DateTime::from_timestamp(r.at, 0).ok_or_else(|| corrupt("time out of range"))?,
                    action: AuditAction::parse(&r.action).ok_or_else(|| corrupt("unknown action"))?,
                    actor: r.actor,
                    target: r.target,
                    detail: r.detail,
                })
            })
            .collect()
    }

    /// Submission times of `subject` since `since` (rows no rule counts any more are deleted
    /// on the way).
    pub async fn form_submissions(&self, subject: &str, since: i64) -> Result<Vec<i64>, StoreError> {
        with_pool!(self, |pool| sqlx::query("DELETE FROM form_submissions WHERE submitted_at < $1")
            .bind(since)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT submitted_at FROM form_submissions WHERE subject = $1 AND submitted_at >= $2"
        )
        .bind(subject)
        .bind(since)
        .fetch_all(pool)
        .await)?)
    }

    pub async fn file_form_submission(&self, subject: &str, now: i64) -> Result<(), StoreError> {
        with_pool!(self, |pool| sqlx::query("INSERT INTO form_submissions (subject, submitted_at) VALUES ($1, $2)")
            .bind(subject)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}
