//! Users, sessions and API tokens. Every secret arrives here already hashed. Token creation and
//! revocation are in `writes::team`, with their audit entries.

use super::{with_pool, Store, StoreError};
use crate::domain::team::Role;

/// What checking a password needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserCredentials {
    pub id: i64,
    pub account_id: i64,
    pub password_hash: String,
}

/// The signed-in user behind a session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub user_id: i64,
    pub email: String,
    pub account_id: i64,
    pub account_name: String,
    pub role: String,
    pub last_seen_at: i64,
}

/// A live (unrevoked) token's owner.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenOwner {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub scope: String,
    pub last_used_at: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub scope: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl Store {
    /// The account's name, when it exists.
    pub async fn account_name(&self, account_id: i64) -> Result<Option<String>, StoreError> {
        Ok(with_pool!(self, |pool| sqlx::query_scalar("SELECT name FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_optional(pool)
            .await)?)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserCredentials>, StoreError> {
        Ok(with_pool!(self, |pool| sqlx::query_as("SELECT id, account_id, password_hash FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(pool)
            .await)?)
    }

    pub async fn insert_user(
        &self,
        account_id: i64,
        email: &str,
        password_hash: &str,
        role: Role,
        now: i64,
    ) -> Result<i64, StoreError> {
        Ok(with_pool!(self, |pool| sqlx::query_scalar(
            "INSERT INTO users (account_id, email, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5) \
             RETURNING id"
        )
        .bind(account_id)
        .bind(email)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(now)
        .fetch_one(pool)
        .await)?)
    }

    /// Creates the user or resets its account, password and role (the demo's users, at every
    /// start).
    pub async fn upsert_user(
        &self,
        account_id: i64,
        email: &str,
        password_hash: &str,
        role: Role,
        now: i64,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO users (account_id, email, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (email) DO UPDATE SET account_id = excluded.account_id, \
             password_hash = excluded.password_hash, role = excluded.role",
            )
            .bind(account_id)
            .bind(email)
            .bind(password_hash)
            .bind(role.as_str())
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    pub async fn insert_session(&self, id_hash: &str, user_id: i64, now: i64) -> Result<(), StoreError> {
        with_pool!(self, |pool| sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)"
        )
        .bind(id_hash)
        .bind(user_id)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        Ok(with_pool!(self, |pool| sqlx::query_as(
            "SELECT u.id AS user_id, u.email, u.account_id, a.name AS account_name, u.role, s.last_seen_at \
             FROM sessions s JOIN users u ON u.id = s.user_id JOIN accounts a ON a.id = u.account_id \
             WHERE s.id_hash = $1"
        )
        .bind(id_hash)
        .fetch_optional(pool)
        .await)?)
    }

    pub async fn touch_session(&self, id_hash: &str, now: i64) -> Result<(), StoreError> {
        with_pool!(self, |pool| sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1")
            .bind(id_hash)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        with_pool!(self, |pool| sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Sessions idle since before `cutoff` can never be used again.
    pub async fn delete_sessions_idle_since(&self, cutoff: i64) -> Result<u64, StoreError> {
        let done = with_pool!(self, |pool| sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1")
            .bind(cutoff)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(done)
    }

    pub async fn token_owner(&self, token_hash: &str) -> Result<Option<TokenOwner>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT id, account_id, name, scope, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await
        })?)
    }

    pub async fn touch_token(&self, id: i64, now: i64) -> Result<(), StoreError> {
        with_pool!(self, |pool| sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Tokens by id, of one account or of all.
    pub async fn tokens(&self, account_id: Option<i64>) -> Result<Vec<TokenRow>, StoreError> {
        Ok(with_pool!(self, |pool| sqlx::query_as(
            "SELECT id, account_id, name, scope, created_at, last_used_at, revoked_at FROM api_tokens \
             WHERE (account_id = $1 OR $2) ORDER BY id"
        )
        .bind(account_id.unwrap_or(0))
        .bind(account_id.is_none())
        .fetch_all(pool)
        .await)?)
    }
}
