//! Team changes, each in one transaction with its audit entry, so nothing changes off the record.
//! Role changes and removals take the account's lock first: two owners demoting each other at
//! once are ordered, and the second finds the first's change when it counts the owners left.

use super::{with_tx, Tx};
use crate::domain::team::{invitation_state, keeps_an_owner, AuditAction, InvitationState, Role};
use crate::server::db::team::{NewAudit, INSERT_AUDIT};
use crate::server::db::{Store, StoreError};

/// Why a team change was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamRefusal {
    /// No such user (or token) in the account.
    NotFound,
    /// The change would leave the account without an owner.
    LastOwner,
    /// The email already belongs to a user.
    AlreadyUser,
    /// The invitation link does not work (used, expired, unknown).
    Invitation(InvitationState),
}

/// A user who joined through an invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    pub user_id: i64,
    pub account_id: i64,
    pub email: String,
    pub role: Role,
}

/// A new invitation as the store files it.
pub struct NewInvitation<'a> {
    pub account_id: i64,
    pub email: &'a str,
    pub role: Role,
    pub token_hash: &'a str,
    pub invited_by: &'a str,
    pub expires_at: i64,
}

/// Rolls the transaction back and answers with the refusal.
async fn refuse<T>(tx: Tx, refusal: TeamRefusal) -> Result<Result<T, TeamRefusal>, StoreError> {
    tx.rollback().await?;
    Ok(Err(refusal))
}

async fn audit(tx: &mut Tx, entry: NewAudit<'_>, now: i64) -> Result<(), StoreError> {
    with_tx!(tx, |conn| sqlx::query(INSERT_AUDIT)
        .bind(entry.account_id)
        .bind(now)
        .bind(entry.actor)
        .bind(entry.action.as_str())
        .bind(entry.target)
        .bind(entry.detail)
        .execute(conn)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Orders the account's team changes (SQLite's write transaction is one at a time already).
async fn lock_account(tx: &mut Tx, account_id: i64) -> Result<(), StoreError> {
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT id FROM accounts WHERE id = $1 FOR UPDATE").bind(account_id).execute(&mut **t).await?;
    }
    Ok(())
}

/// The user's email and role, when the user is of the account.
async fn member(tx: &mut Tx, account_id: i64, user_id: i64) -> Result<Option<(String, Role)>, StoreError> {
    let row: Option<(String, String)> =
        with_tx!(tx, |conn| sqlx::query_as("SELECT email, role FROM users WHERE id = $1 AND account_id = $2")
            .bind(user_id)
            .bind(account_id)
            .fetch_optional(conn)
            .await)?;
    row.map(|(email, role)| {
        let role = Role::parse(&role)
            .ok_or_else(|| StoreError::Corrupt { id: format!("user {user_id}"), reason: format!("role {role:?}") })?;
        Ok((email, role))
    })
    .transpose()
}

async fn owners(tx: &mut Tx, account_id: i64) -> Result<i64, StoreError> {
    Ok(with_tx!(tx, |conn| sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE account_id = $1 AND role = 'owner'")
        .bind(account_id)
        .fetch_one(conn)
        .await)?)
}

async fn email_taken(tx: &mut Tx, email: &str) -> Result<bool, StoreError> {
    let found: Option<i64> = with_tx!(tx, |conn| sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(conn)
        .await)?;
    Ok(found.is_some())
}

impl Store {
    /// Gives a user of the account another role (the target's email on success). The same role
    /// again changes nothing and records nothing.
    pub async fn change_role(
        &self,
        account_id: i64,
        user_id: i64,
        role: Role,
        actor: &str,
        now: i64,
    ) -> Result<Result<String, TeamRefusal>, StoreError> {
        let mut tx = self.begin_write().await?;
        lock_account(&mut tx, account_id).await?;
        let Some((email, current)) = member(&mut tx, account_id, user_id).await? else {
            return refuse(tx, TeamRefusal::NotFound).await;
        };
        if current == role {
            tx.rollback().await?;
            return Ok(Ok(email));
        }
        if !keeps_an_owner(owners(&mut tx, account_id).await?, current, Some(role)) {
            return refuse(tx, TeamRefusal::LastOwner).await;
        }
        with_tx!(&mut tx, |conn| sqlx::query("UPDATE users SET role = $2 WHERE id = $1")
            .bind(user_id)
            .bind(role.as_str())
            .execute(conn)
            .await
            .map(|_| ()))?;
        let detail = format!("{} → {}", current.as_str(), role.as_str());
        let entry = NewAudit {
            account_id,
            actor,
            action: AuditAction::RoleChanged,
            target: Some(&email),
            detail: Some(&detail),
        };
        audit(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(Ok(email))
    }

    /// Removes a user of the account; their sessions go with them (ON DELETE CASCADE), so they
    /// are signed out at their next request.
    pub async fn remove_user(
        &self,
        account_id: i64,
        user_id: i64,
        actor: &str,
        now: i64,
    ) -> Result<Result<String, TeamRefusal>, StoreError> {
        let mut tx = self.begin_write().await?;
        lock_account(&mut tx, account_id).await?;
        let Some((email, current)) = member(&mut tx, account_id, user_id).await? else {
            return refuse(tx, TeamRefusal::NotFound).await;
        };
        if !keeps_an_owner(owners(&mut tx, account_id).await?, current, None) {
            return refuse(tx, TeamRefusal::LastOwner).await;
        }
        with_tx!(&mut tx, |conn| sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(conn)
            .await
            .map(|_| ()))?;
        with_tx!(&mut tx, |conn| sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(user_id)
            .execute(conn)
            .await
            .map(|_| ()))?;
        let entry = NewAudit {
            account_id,
            actor,
            action: AuditAction::UserRemoved,
            target: Some(&email),
            detail: Some(current.as_str()),
        };
        audit(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(Ok(email))
    }

    /// Sets a user's password hash and ends every session of theirs but `keep_session` (the
    /// one that asked). Returns how many sessions ended.
    pub async fn change_password(
        &self,
        account_id: i64,
        user_id: i64,
        password_hash: &str,
        keep_session: &str,
        now: i64,
    ) -> Result<Result<u64, TeamRefusal>, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some((email, _)) = member(&mut tx, account_id, user_id).await? else {
            return refuse(tx, TeamRefusal::NotFound).await;
        };
        with_tx!(&mut tx, |conn| sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
            .bind(user_id)
            .bind(password_hash)
            .execute(conn)
            .await
            .map(|_| ()))?;
        let ended = with_tx!(&mut tx, |conn| sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
            .bind(user_id)
            .bind(keep_session)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        let entry =
            NewAudit { account_id, actor: &email, action: AuditAction::PasswordChanged, target: None, detail: None };
        audit(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(Ok(ended))
    }

    /// Files an invitation to the account, unless the email already belongs to a user.
    pub async fn create_invitation(
        &self,
        new: NewInvitation<'_>,
        now: i64,
    ) -> Result<Result<i64, TeamRefusal>, StoreError> {
        let mut tx = self.begin_write().await?;
        if email_taken(&mut tx, new.email).await? {
            return refuse(tx, TeamRefusal::AlreadyUser).await;
        }
        let id: i64 = with_tx!(&mut tx, |conn| sqlx::query_scalar(
            "INSERT INTO invitations (account_id, email, role, token_hash, invited_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
        )
        .bind(new.account_id)
        .bind(new.email)
        .bind(new.role.as_str())
        .bind(new.token_hash)
        .bind(new.invited_by)
        .bind(now)
        .bind(new.expires_at)
        .fetch_one(conn)
        .await)?;
        let entry = NewAudit {
            account_id: new.account_id,
            actor: new.invited_by,
            action: AuditAction::UserInvited,
            target: Some(new.email),
            detail: Some(new.role.as_str()),
        };
        audit(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// Uses the invitation behind `token_hash` once: the invitee becomes a user of its account
    /// with its role and this password. A link already used, expired or unknown is refused,
    /// and a second use at the same moment finds the first's `accepted_at`.
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<Result<Joined, TeamRefusal>, StoreError> {
        let mut tx = self.begin_write().await?;
        let row: Option<(i64, i64, String, String, i64, Option<i64>)> = with_tx!(&mut tx, |conn| sqlx::query_as(
            "SELECT id, account_id, email, role, expires_at, accepted_at FROM invitations WHERE token_hash = $1"
        )
        .bind(token_hash)
        .fetch_optional(conn)
        .await)?;
        let Some((id, account_id, email, role, expires_at, accepted_at)) = row else {
            return refuse(tx, TeamRefusal::Invitation(InvitationState::Unknown)).await;
        };
        let state = invitation_state(expires_at, accepted_at, now);
        if state != InvitationState::Open {
            return refuse(tx, TeamRefusal::Invitation(state)).await;
        }
        let role = Role::parse(&role)
            .ok_or_else(|| StoreError::Corrupt { id: format!("invitation {id}"), reason: format!("role {role:?}") })?;
        let used = with_tx!(&mut tx, |conn| sqlx::query(
            "UPDATE invitations SET accepted_at = $2 WHERE id = $1 AND accepted_at IS NULL"
        )
        .bind(id)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        if used != 1 {
            return refuse(tx, TeamRefusal::Invitation(InvitationState::Used)).await;
        }
        if email_taken(&mut tx, &email).await? {
            return refuse(tx, TeamRefusal::AlreadyUser).await;
        }
        let user_id: i64 = with_tx!(&mut tx, |conn| sqlx::query_scalar(
            "INSERT INTO users (account_id, email, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5) \
             RETURNING id"
        )
        .bind(account_id)
        .bind(&email)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(now)
        .fetch_one(conn)
        .await)?;
        let entry = NewAudit {
            account_id,
            actor: &email,
            action: AuditAction::InvitationAccepted,
            target: Some(&email),
            detail: Some(role.as_str()),
        };
        audit(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(Ok(Joined { user_id, account_id, email, role }))
    }

    /// A new API token of the account, on record.
    pub async fn create_token(
        &self,
        account_id: i64,
        name: &str,
        scope: &str,
        token_hash: &str,
        actor: &str,
        now: i64,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = with_tx!(&mut tx, |conn| sqlx::query_scalar(
            "INSERT INTO api_tokens (account_id, name, scope, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) \
             RETURNING id"
        )
        .bind(account_id)
        .bind(name)
        .bind(scope)
        .bind(token_hash)
        .bind(now)
        .fetch_one(conn)
        .await)?;
        let entry =
            NewAudit { account_id, actor, action: AuditAction::TokenCreated, target: Some(name), detail: Some(scope) };
        audit(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Revokes a live token (of `account_id` only, when given), on record; `None` when there is
    /// no such live token.
    pub async fn revoke_token(
        &self,
        id: i64,
        account_id: Option<i64>,
        actor: &str,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        let mut tx = self.begin_write().await?;
        let revoked: Option<(i64, String)> = with_tx!(&mut tx, |conn| {
            sqlx::query_as(
            "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL AND (account_id = $3 OR $4) \
             RETURNING account_id, name"
        )
        .bind(id)
        .bind(now)
        .bind(account_id.unwrap_or(0))
        .bind(account_id.is_none())
        .fetch_optional(conn)
        .await
        })?;
        let Some((account_id, name)) = revoked else {
            tx.rollback().await?;
            return Ok(None);
        };
        let entry =
            NewAudit { account_id, actor, action: AuditAction::TokenRevoked, target: Some(&name), detail: None };
        audit(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(Some(name))
    }
}
