//! Who is calling: users and their sessions, API tokens, and the sign-in throttle (whose
//! failures live in the database, shared by every instance). The middleware turns a request's
//! cookie or bearer token into a [`Caller`]; every read below it is scoped to that caller's
//! account.

pub mod cookies;
pub mod handlers;
pub mod middleware;
pub mod secrets;

use std::net::IpAddr;
use std::sync::Arc;

use crate::domain::auth::{
    normalize_email, session_expired, session_needs_touch, sign_in_locked_for, throttle_forget_before, validate_email,
    validate_password, EXPIRED_SESSION_KEPT_SECS, FORM_SUBMISSIONS, SESSION_TOUCH_SECS,
};
use crate::domain::scope::Scope;
use crate::domain::team::{token_name, Permission, Role, TokenScope};
use crate::error::AppError;
use crate::server::db::{Store, TokenRow};
use crate::server::service::Clock;
use crate::server::team::TeamFailure;

/// Sessions end after two hours without a request, unless configured otherwise.
pub const DEFAULT_SESSION_IDLE_SECS: i64 = 2 * 60 * 60;

/// The account a request acts for, and the signed-in user when it came with a session (an API
/// token acts for the account alone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub account_id: i64,
    pub user: Option<SignedInUser>,
    /// A session reads; a token does what its scope allows.
    pub access: TokenScope,
    /// The name of the API token that authenticated the request, if one did.
    pub token_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedInUser {
    pub id: i64,
    pub email: String,
    pub account_name: String,
    pub role: Role,
}

/// Who the audit log names for the command line's changes.
pub const COMMAND_LINE: &str = "command line";

impl Caller {
    pub fn scope(&self) -> Scope {
        Scope::Account(self.account_id)
    }

    pub fn can_ingest(&self) -> bool {
        self.access == TokenScope::Ingest
    }

    /// Whether the caller may do this, checked on the server by every state-changing endpoint
    /// and form: a user by their role; a token by its scope, the engine's (`ingest`) asking for
    /// runs and changing the budget and alerts as before roles, and never managing the team
    /// (tokens are made by owners, and a token that could make tokens would outlive its owner's
    /// say).
    pub fn may(&self, permission: Permission) -> Result<(), AppError> {
        let refusal = match (&self.user, permission) {
            (Some(user), _) if user.role.allows(permission) => return Ok(()),
            (Some(user), _) => permission.refusal(user.role),
            (None, Permission::RequestRuns | Permission::ChangeSettings) if self.can_ingest() => return Ok(()),
            (None, Permission::RequestRuns) => {
                "Run requests are made by signed-in users or with an ingest token; this token may only read.".into()
            }
            (None, Permission::ChangeSettings) => {
                "Settings are changed by signed-in owners or with an ingest token; this token may only read.".into()
            }
            (None, Permission::ManageTeam) => "Users and tokens are managed by an owner signed in to the app.".into(),
        };
        Err(AppError::NotAllowed(refusal))
    }

    /// Who the audit log and a run request name: the user's email, or the token's name.
    pub fn actor(&self) -> String {
        match (&self.user, &self.token_name) {
            (Some(user), _) => user.email.clone(),
            (None, Some(name)) => format!("API token {name}"),
            (None, None) => "API".to_string(),
        }
    }
}

/// The request's CSRF token: the value of its CSRF cookie, or the one being set on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsrfToken(pub String);

/// A demo user, shown on the sign-in page in demo mode only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUser {
    pub account_id: i64,
    pub account_name: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInOutcome {
    /// The new session's id, for the cookie.
    SignedIn { session_id: String },
    /// Wrong email or password: one answer for both.
    Rejected,
    /// Too many failures for this email or address; seconds until the next try.
    Locked { retry_after_secs: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    Active(Caller),
    /// The session existed but went idle; it has been deleted.
    Expired,
    Unknown,
}

#[derive(Clone)]
pub struct Auth {
    store: Store,
    clock: Clock,
    idle_secs: i64,
    demo_users: Arc<Vec<DemoUser>>,
    /// Checked against when the email is unknown, so a wrong email costs the same argon2 time
    /// as a wrong password and the answer's timing does not tell which it was.
    decoy_hash: Arc<str>,
}

pub(crate) fn internal(what: &'static str) -> impl FnOnce(argon2::password_hash::Error) -> AppError {
    move |e| {
        tracing::error!(error = %e, "{what}");
        AppError::Internal
    }
}

/// Runs argon2 off the async workers: one verification takes tens of milliseconds of CPU.
pub(crate) async fn verify_off_thread(password: String, hash: Arc<str>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || secrets::verify_password(&password, &hash)).await.map_err(|e| {
        tracing::error!(error = %e, "password check panicked");
        AppError::Internal
    })
}

impl Auth {
    pub fn new(store: Store, clock: Clock, idle_secs: i64, demo_users: Vec<DemoUser>) -> Result<Self, AppError> {
        let decoy_hash = secrets::hash_password("decoy password, never issued").map_err(internal("decoy hash"))?;
        Ok(Auth { store, clock, idle_secs, demo_users: Arc::new(demo_users), decoy_hash: decoy_hash.into() })
    }

    pub(crate) fn now(&self) -> i64 {
        (self.clock)().timestamp()
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    pub fn demo_users(&self) -> &[DemoUser] {
        &self.demo_users
    }

    /// Checks the password and opens a session. Locked emails and addresses are refused before
    /// the password is looked at, so a lock cannot be probed for the right password. The
    /// failures live in the database, so every instance on it applies the same locks.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        address: Option<IpAddr>,
    ) -> Result<SignInOutcome, AppError> {
        let email = normalize_email(email);
        let address = address.map(|a| a.to_canonical().to_string());
        let now = self.now();
        let failures = self.store.sign_in_failures(&email, address.as_deref(), throttle_forget_before(now)).await?;
        if let Some(wait) = sign_in_locked_for(&failures.by_email, &failures.by_address, now) {
            return Ok(SignInOutcome::Locked { retry_after_secs: wait });
        }
        // Filed as a failure before the password is checked and forgiven if it is right: guesses
        // in flight at the same time (on this instance or another) then count against each
        // other, instead of all passing the check above while the hashes are computed.
        let attempt = self.store.file_sign_in_failure(&email, address.as_deref(), now).await?;
        let user = self.store.user_by_email(&email).await?;
        let hash: Arc<str> = user.as_ref().map_or_else(|| self.decoy_hash.clone(), |u| u.password_hash.as_str().into());
        let matches = verify_off_thread(password.to_string(), hash).await?;
        let Some(user) = user.filter(|_| matches) else {
            self.store.forget_sign_in_failures_before(throttle_forget_before(now)).await?;
            tracing::info!(email = %email, "sign-in rejected");
            return Ok(SignInOutcome::Rejected);
        };
        self.store.forgive_sign_in(&email, &attempt).await?;
        let session_id = secrets::random_secret();
        self.store.insert_session(&secrets::secret_hash(&session_id), user.id, now).await?;
        self.store.record_sign_in(user.id, now).await?;
        self.store.delete_sessions_idle_since(now - self.idle_secs - EXPIRED_SESSION_KEPT_SECS).await?;
        tracing::info!(user_id = user.id, account_id = user.account_id, "signed in");
        Ok(SignInOutcome::SignedIn { session_id })
    }

    pub async fn sign_out(&self, session_id: &str) -> Result<(), AppError> {
        Ok(self.store.delete_session(&secrets::secret_hash(session_id)).await?)
    }

    /// The session behind a cookie value, extending its life.
    pub async fn session(&self, session_id: &str) -> Result<SessionState, AppError> {
        if !secrets::well_formed(session_id) {
            return Ok(SessionState::Unknown);
        }
        let id_hash = secrets::secret_hash(session_id);
        let Some(row) = self.store.session(&id_hash).await? else { return Ok(SessionState::Unknown) };
        let now = self.now();
        if session_expired(row.last_seen_at, now, self.idle_secs) {
            self.store.delete_session(&id_hash).await?;
            return Ok(SessionState::Expired);
        }
        if session_needs_touch(row.last_seen_at, now, self.idle_secs) {
            self.store.touch_session(&id_hash, now).await?;
        }
        let role = Role::parse(&row.role).ok_or_else(|| {
            tracing::error!(user_id = row.user_id, role = %row.role, "stored role is invalid");
            AppError::Internal
        })?;
        Ok(SessionState::Active(Caller {
            account_id: row.account_id,
            user: Some(SignedInUser { id: row.user_id, email: row.email, account_name: row.account_name, role }),
            access: TokenScope::Read,
            token_name: None,
        }))
    }

    /// The account of a live API token.
    pub async fn token(&self, token: &str) -> Result<Option<Caller>, AppError> {
        if !token.strip_prefix(secrets::TOKEN_PREFIX).is_some_and(secrets::well_formed) {
            return Ok(None);
        }
        let Some(owner) = self.store.token_owner(&secrets::secret_hash(token)).await? else { return Ok(None) };
        let now = self.now();
        if owner.last_used_at.is_none_or(|t| now - t >= SESSION_TOUCH_SECS) {
            self.store.touch_token(owner.id, now).await?;
        }
        let access = owner.scope.parse::<TokenScope>().map_err(|e| {
            tracing::error!(token_id = owner.id, error = %e, "stored token scope is invalid");
            AppError::Internal
        })?;
        Ok(Some(Caller { account_id: owner.account_id, user: None, access, token_name: Some(owner.name) }))
    }

    pub(crate) async fn require_account(&self, account_id: i64) -> Result<String, AppError> {
        self.store
            .account_name(account_id)
            .await?
            .ok_or_else(|| AppError::BadRequest(format!("there is no account {account_id}; import it first")))
    }

    /// `user add`: a new user of an existing account, with `role`, or by default the owner
    /// when the account has no user yet and a member after.
    pub async fn add_user(
        &self,
        account_id: i64,
        email: &str,
        password: &str,
        role: Option<Role>,
    ) -> Result<(i64, Role), AppError> {
        let email = validate_email(email).map_err(AppError::BadRequest)?;
        validate_password(password).map_err(AppError::BadRequest)?;
        self.require_account(account_id).await?;
        if self.store.user_by_email(&email).await?.is_some() {
            return Err(AppError::BadRequest(format!("a user with the email {email} already exists")));
        }
        let role = match role {
            Some(role) => role,
            None => Role::default_for(self.store.user_count(account_id).await?),
        };
        let hash = secrets::hash_password(password).map_err(internal("password hash"))?;
        Ok((self.store.insert_user(account_id, &email, &hash, role, self.now()).await?, role))
    }

    /// The demo users, created or reset to their published passwords and roles.
    pub async fn ensure_demo_users(&self) -> Result<(), AppError> {
        for user in self.demo_users.iter() {
            self.require_account(user.account_id).await?;
            let hash = secrets::hash_password(user.password).map_err(internal("password hash"))?;
            self.store.upsert_user(user.account_id, user.email, &hash, user.role, self.now()).await?;
        }
        Ok(())
    }

    /// A new token for the account, on record as `actor`'s: `(id, token)`. The token is shown
    /// once; only its hash is kept.
    pub async fn create_token(
        &self,
        account_id: i64,
        name: &str,
        scope: TokenScope,
        actor: &str,
    ) -> Result<(i64, String), TeamFailure> {
        let name = token_name(name)?;
        self.require_account(account_id).await?;
        let token = secrets::new_api_token();
        let hash = secrets::secret_hash(&token);
        let id = self.store.create_token(account_id, name, scope.as_str(), &hash, actor, self.now()).await?;
        Ok((id, token))
    }

    pub async fn tokens(&self, account_id: Option<i64>) -> Result<Vec<TokenRow>, AppError> {
        Ok(self.store.tokens(account_id).await?)
    }

    /// Revokes a live token (of `account_id` only, when given: the settings page's owner), on
    /// record as `actor`'s.
    pub async fn revoke_token(&self, id: i64, account_id: Option<i64>, actor: &str) -> Result<(), AppError> {
        match self.store.revoke_token(id, account_id, actor, self.now()).await? {
            Some(_) => Ok(()),
            None => Err(AppError::NotFound(format!("live token {id}"))),
        }
    }

    /// Counts a settings form's submission against its sender (the signed-in user), refusing it
    /// past [`FORM_SUBMISSIONS`] within the window, as sign-in attempts are; the submissions
    /// live in the database, so every instance counts them.
    pub async fn throttle_form(&self, caller: &Caller) -> Result<(), AppError> {
        let subject = match &caller.user {
            Some(user) => format!("user:{}", user.id),
            // A token's calls are the API's; it is not a form's sender.
            None => return Ok(()),
        };
        self.throttle_subject(&subject).await
    }

    /// [`Auth::throttle_form`] for any subject (the invitation form counts per client address).
    pub(crate) async fn throttle_subject(&self, subject: &str) -> Result<(), AppError> {
        let now = self.now();
        let earlier = self.store.form_submissions(subject, FORM_SUBMISSIONS.counts_from(now)).await?;
        if let Some(wait) = FORM_SUBMISSIONS.locked_for(&earlier, now) {
            tracing::warn!(subject, wait, "settings form throttled");
            return Err(AppError::TooManyRequests);
        }
        Ok(self.store.file_form_submission(subject, now).await?)
    }
}
