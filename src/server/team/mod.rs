//! An account's team (issue 14): users and their roles, invitations, API tokens made in the
//! app, password changes, and the audit log they all write. This is the service side under the
//! settings forms and the command line; what may be done is `domain::team`'s, checked here on
//! the server whatever the page showed.

pub mod forms;
pub mod invitations;
pub mod password;
pub mod tokens;

use axum::response::Redirect;

use crate::domain::budget::SAVED_PARAM;
use crate::domain::team::{AuditEntry, Permission, Role, TeamError, TeamMember, TeamPanel, AUDIT_SHOWN};
use crate::error::AppError;
use crate::paths::SETTINGS;
use crate::server::auth::{Auth, Caller};
use crate::server::db::writes::TeamRefusal;
use crate::server::db::StoreError;

/// A team change that was not made: refused by the team's rules, or failed like any request.
#[derive(Debug, thiserror::Error)]
pub enum TeamFailure {
    #[error(transparent)]
    Refused(#[from] TeamError),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<StoreError> for TeamFailure {
    fn from(e: StoreError) -> Self {
        TeamFailure::App(e.into())
    }
}

impl From<TeamRefusal> for TeamFailure {
    fn from(refusal: TeamRefusal) -> Self {
        match refusal {
            TeamRefusal::NotFound => TeamFailure::App(AppError::NotFound("User".into())),
            TeamRefusal::LastOwner => TeamFailure::Refused(TeamError::LastOwner),
            TeamRefusal::AlreadyUser => TeamFailure::Refused(TeamError::AlreadyUser),
            TeamRefusal::Invitation(state) => {
                TeamFailure::Refused(TeamError::of_state(state).unwrap_or(TeamError::InvitationUnknown))
            }
        }
    }
}

/// For callers that answer with the API's errors (the command line, the demo's engine).
impl From<TeamFailure> for AppError {
    fn from(failure: TeamFailure) -> Self {
        match failure {
            TeamFailure::App(e) => e,
            TeamFailure::Refused(e) if e.status_code() == 409 => AppError::Conflict(e.to_string()),
            TeamFailure::Refused(e) => AppError::BadRequest(e.to_string()),
        }
    }
}

impl TeamFailure {
    /// The code a form's redirect carries (see `domain::team::settings_form_error`).
    pub fn code(&self) -> &'static str {
        match self {
            TeamFailure::Refused(e) => e.code(),
            TeamFailure::App(e) => e.code(),
        }
    }
}

/// Back to the settings after a form: `?saved=<section>`, or `?<error_param>=<code>`.
pub fn back_to_settings(outcome: Result<(), TeamFailure>, saved: &str, error_param: &str) -> Redirect {
    match outcome {
        Ok(()) => Redirect::to(&format!("{SETTINGS}?{SAVED_PARAM}={saved}")),
        Err(e) => {
            tracing::info!(error = %e, form = saved, "settings form refused");
            Redirect::to(&format!("{SETTINGS}?{error_param}={}", e.code()))
        }
    }
}

fn timestamp(secs: i64) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp(secs, 0)
}

impl Auth {
    /// The owner's team section: the account's users and open invitations.
    pub async fn team_panel(
        &self,
        caller: &Caller,
        revealed_link: Option<String>,
        csrf_token: String,
    ) -> Result<TeamPanel, AppError> {
        caller.may(Permission::ManageTeam)?;
        let you = caller.user.as_ref().map(|u| u.id);
        let (members, invitations) = tokio::try_join!(
            self.store().members(caller.account_id),
            self.store().open_invitations(caller.account_id)
        )?;
        let now = self.now();
        let corrupt = |what: String| {
            tracing::error!(what, "stored role is invalid");
            AppError::Internal
        };
        let members = members
            .into_iter()
            .map(|m| {
                Ok(TeamMember {
                    role: Role::parse(&m.role).ok_or_else(|| corrupt(format!("user {}", m.id)))?,
                    is_you: Some(m.id) == you,
                    last_sign_in_at: m.last_sign_in_at.and_then(timestamp),
                    id: m.id,
                    email: m.email,
                })
            })
            .collect::<Result<_, AppError>>()?;
        let invitations = invitations
            .into_iter()
            .map(|i| {
                Ok(crate::domain::team::PendingInvitation {
                    role: Role::parse(&i.role).ok_or_else(|| corrupt(format!("invitation {}", i.id)))?,
                    expires_at: timestamp(i.expires_at).ok_or_else(|| corrupt(format!("invitation {}", i.id)))?,
                    expired: now >= i.expires_at,
                    email: i.email,
                })
            })
            .collect::<Result<_, AppError>>()?;
        Ok(TeamPanel { members, invitations, revealed_link, csrf_token })
    }

    /// Gives a user of the caller's account another role; the last owner keeps theirs.
    pub async fn change_role(&self, caller: &Caller, user_id: i64, role: Role) -> Result<(), TeamFailure> {
        caller.may(Permission::ManageTeam)?;
        self.store().change_role(caller.account_id, user_id, role, &caller.actor(), self.now()).await??;
        Ok(())
    }

    /// Removes a user of the caller's account, ending their sessions at once; never the last
    /// owner.
    pub async fn remove_user(&self, caller: &Caller, user_id: i64) -> Result<(), TeamFailure> {
        caller.may(Permission::ManageTeam)?;
        self.store().remove_user(caller.account_id, user_id, &caller.actor(), self.now()).await??;
        Ok(())
    }

    /// The account's newest audit entries: for its owners, and for API tokens (a GET of the
    /// API, which every token may make).
    pub async fn audit_log(&self, caller: &Caller) -> Result<Vec<AuditEntry>, AppError> {
        if caller.user.is_some() {
            caller.may(Permission::ManageTeam)?;
        }
        Ok(self.store().audit(caller.account_id, AUDIT_SHOWN).await?)
    }
}
