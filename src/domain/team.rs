//! An account's team without I/O: the roles and what each may do, the guard that keeps an owner
//! on every account, when an invitation link still works, the audit log's vocabulary, and what
//! the settings forms say when the server refused them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a signed-in user may do in their account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including users, tokens, budget and alerts.
    Owner,
    /// Reads, and starts, re-runs and retries runs.
    Member,
    /// Reads only.
    Viewer,
}

/// The things a role may or may not do; reading the account's runs is every role's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Run now, re-run, retry a stage.
    RequestRuns,
    /// The monthly budget and the alerts' webhook.
    ChangeSettings,
    /// Users, invitations, API tokens, and the audit log.
    ManageTeam,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Owner, Role::Member, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Member => "member",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Member => "Member",
            Role::Viewer => "Viewer",
        }
    }

    /// The role a new user gets when none is asked for: the account's first user owns it, the
    /// ones after are members (an owner promotes them on purpose).
    pub fn default_for(existing_users: i64) -> Role {
        if existing_users == 0 {
            Role::Owner
        } else {
            Role::Member
        }
    }

    pub fn allows(self, permission: Permission) -> bool {
        match permission {
            Permission::RequestRuns => matches!(self, Role::Owner | Role::Member),
            Permission::ChangeSettings | Permission::ManageTeam => self == Role::Owner,
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::parse(s).ok_or_else(|| format!("unknown role {s:?}: expected owner, member or viewer"))
    }
}

impl Permission {
    /// What a refused user is told: which role they have and who can help.
    pub fn refusal(self, role: Role) -> String {
        let what = match self {
            Permission::RequestRuns => "start, re-run or retry runs",
            Permission::ChangeSettings => "change the budget or the alerts",
            Permission::ManageTeam => "manage users, invitations and API tokens",
        };
        format!("Your role ({}) may not {what}. Ask an owner of the account.", role.as_str())
    }
}

/// Whether a user of role `current` may become `next` (`None`: be removed) while the account has
/// `owners` owners: the last owner may be neither demoted nor removed, so every account keeps
/// someone who can manage it.
pub fn keeps_an_owner(owners: i64, current: Role, next: Option<Role>) -> bool {
    let loses_owner = current == Role::Owner && next != Some(Role::Owner);
    !loses_owner || owners > 1
}

/// How long an invitation link works.
pub const INVITATION_VALID_SECS: i64 = 7 * 24 * 60 * 60;

/// An invitation link as the invitee meets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationState {
    Open,
    Used,
    Expired,
    /// No invitation has this link (mistyped, or never issued).
    Unknown,
}

/// The state at `now` (unix seconds) of an invitation that expires at `expires_at` and was
/// accepted at `accepted_at`. A used link says so even after it would have expired.
pub fn invitation_state(expires_at: i64, accepted_at: Option<i64>, now: i64) -> InvitationState {
    match accepted_at {
        Some(_) => InvitationState::Used,
        None if now >= expires_at => InvitationState::Expired,
        None => InvitationState::Open,
    }
}

/// What the audit log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    RoleChanged,
    UserRemoved,
    UserInvited,
    InvitationAccepted,
    PasswordChanged,
    TokenCreated,
    TokenRevoked,
    BudgetChanged,
    WebhookChanged,
    RunRequested,
}

impl AuditAction {
    pub const ALL: [AuditAction; 10] = [
        AuditAction::RoleChanged,
        AuditAction::UserRemoved,
        AuditAction::UserInvited,
        AuditAction::InvitationAccepted,
        AuditAction::PasswordChanged,
        AuditAction::TokenCreated,
        AuditAction::TokenRevoked,
        AuditAction::BudgetChanged,
        AuditAction::WebhookChanged,
        AuditAction::RunRequested,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::RoleChanged => "role_changed",
            AuditAction::UserRemoved => "user_removed",
            AuditAction::UserInvited => "user_invited",
            AuditAction::InvitationAccepted => "invitation_accepted",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::TokenCreated => "token_created",
            AuditAction::TokenRevoked => "token_revoked",
            AuditAction::BudgetChanged => "budget_changed",
            AuditAction::WebhookChanged => "webhook_changed",
            AuditAction::RunRequested => "run_requested",
        }
    }

    pub fn parse(s: &str) -> Option<AuditAction> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// How the settings page words it.
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::RoleChanged => "Changed a role",
            AuditAction::UserRemoved => "Removed a user",
            AuditAction::UserInvited => "Invited a user",
            AuditAction::InvitationAccepted => "Accepted an invitation",
            AuditAction::PasswordChanged => "Changed their password",
            AuditAction::TokenCreated => "Created an API token",
            AuditAction::TokenRevoked => "Revoked an API token",
            AuditAction::BudgetChanged => "Changed the budget",
            AuditAction::WebhookChanged => "Changed the webhook",
            AuditAction::RunRequested => "Requested a run",
        }
    }
}

/// Entries the settings page and `GET /api/v1/audit` show: the newest.
pub const AUDIT_SHOWN: u32 = 100;

/// One change on record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// Who: a user's email, `API token <name>`, or `command line`.
    pub actor: String,
    pub action: AuditAction,
    /// What it was done to: a user's email, a token's name, a site's domain; null for the
    /// account itself.
    pub target: Option<String>,
    /// The change in words (`member → viewer`, `5000 credits`, `rerun of run_…`).
    pub detail: Option<String>,
}

/// A user of the account, as the team section lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    /// The signed-in user themself.
    pub is_you: bool,
}

/// An invitation not yet used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub email: String,
    pub role: Role,
    pub expires_at: DateTime<Utc>,
    pub expired: bool,
}

/// The owner's team section: users, open invitations, and a new invitation's link once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamPanel {
    pub members: Vec<TeamMember>,
    pub invitations: Vec<PendingInvitation>,
    /// The link of the invitation just made, on the first read after the form and never again.
    pub revealed_link: Option<String>,
    pub csrf_token: String,
}

/// An API token as the settings list it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    pub scope: TokenScope,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// The owner's token section: the account's tokens, and a new token's secret once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokensPanel {
    pub tokens: Vec<TokenView>,
    pub revealed_secret: Option<String>,
    pub csrf_token: String,
}

/// What the invitation page shows the invitee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub state: InvitationState,
    /// Present while the link is open.
    pub email: Option<String>,
    pub account_name: Option<String>,
    pub role: Option<Role>,
    pub csrf_token: String,
}

/// A token's name as given (trimmed): 1 to 100 characters.
pub fn token_name(name: &str) -> Result<&str, TeamError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        Err(TeamError::TokenName)
    } else {
        Ok(name)
    }
}

/// `?<param>=<code>` after a refused settings form, one parameter per section.
pub const PASSWORD_ERROR_PARAM: &str = "password_error";
pub const TEAM_ERROR_PARAM: &str = "team_error";
pub const TOKEN_ERROR_PARAM: &str = "token_error";

/// Why a team, token, password or invitation form was refused, beyond the API's own errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamError {
    #[error("An account keeps at least one owner: make another user an owner first.")]
    LastOwner,
    #[error("That email already belongs to a user.")]
    AlreadyUser,
    #[error("Enter a valid email address.")]
    InvalidEmail,
    #[error("The current password is not correct.")]
    WrongPassword,
    #[error("The two new passwords differ.")]
    PasswordsDiffer,
    #[error("The new password must have at least 10 characters (and at most 1024 bytes).")]
    WeakPassword,
    #[error("A token needs a name of 1 to 100 characters.")]
    TokenName,
    #[error("This invitation link has already been used. Sign in, or ask an owner for a new link.")]
    InvitationUsed,
    #[error("This invitation link has expired (links work for 7 days). Ask an owner of the account for a new one.")]
    InvitationExpired,
    #[error("This invitation link is not valid. Check that it was copied whole.")]
    InvitationUnknown,
}

impl TeamError {
    pub const ALL: [TeamError; 10] = [
        TeamError::LastOwner,
        TeamError::AlreadyUser,
        TeamError::InvalidEmail,
        TeamError::WrongPassword,
        TeamError::PasswordsDiffer,
        TeamError::WeakPassword,
        TeamError::TokenName,
        TeamError::InvitationUsed,
        TeamError::InvitationExpired,
        TeamError::InvitationUnknown,
    ];

    /// The code a form's redirect carries.
    pub fn code(&self) -> &'static str {
        match self {
            TeamError::LastOwner => "last_owner",
            TeamError::AlreadyUser => "already_user",
            TeamError::InvalidEmail => "invalid_email",
            TeamError::WrongPassword => "wrong_password",
            TeamError::PasswordsDiffer => "passwords_differ",
            TeamError::WeakPassword => "weak_password",
            TeamError::TokenName => "token_name",
            TeamError::InvitationUsed => "invitation_used",
            TeamError::InvitationExpired => "invitation_expired",
            TeamError::InvitationUnknown => "invitation_unknown",
        }
    }

    /// The API status of the same refusal.
    pub fn status_code(&self) -> u16 {
        match self {
            TeamError::LastOwner | TeamError::AlreadyUser | TeamError::InvitationUsed => 409,
            TeamError::InvitationExpired => 410,
            TeamError::InvitationUnknown => 404,
            _ => 400,
        }
    }

    pub fn of_state(state: InvitationState) -> Option<TeamError> {
        match state {
            InvitationState::Open => None,
            InvitationState::Used => Some(TeamError::InvitationUsed),
            InvitationState::Expired => Some(TeamError::InvitationExpired),
            InvitationState::Unknown => Some(TeamError::InvitationUnknown),
        }
    }
}

/// What a settings form says after the server refused it, by the code it redirected with: a
/// [`TeamError`]'s, or the API's error code.
pub fn settings_form_error(code: &str) -> String {
    if let Some(e) = TeamError::ALL.iter().find(|e| e.code() == code) {
        return format!("Not saved: {e}");
    }
    let why = match code {
        "forbidden" => "your role may not do this. Ask an owner of the account.",
        "rate_limited" => "too many changes in a short time. Try again in 15 minutes.",
        "not_found" => "that user or token is not in this account (any more).",
        "bad_request" => "the form was not valid. Check the fields and try again.",
        "unavailable" => "the database is not reachable just now. Try again in a moment.",
        _ => "something went wrong on our side. Try again.",
    };
    format!("Not saved: {why}")
}

/// What the sign-in page says after an invitation was accepted.
pub const JOINED_NOTICE: &str = "joined";

/// What an API token may do (live-api.md, "Tokens have a scope").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Every GET of the JSON API, for its own account.
    #[default]
    Read,
    /// Also the ingest and engine endpoints: the automation engine's token.
    Ingest,
}

impl TokenScope {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Ingest => "ingest",
        }
    }
}

impl std::str::FromStr for TokenScope {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "read" => Ok(TokenScope::Read),
            "ingest" => Ok(TokenScope::Ingest),
            other => Err(format!("unknown token scope {other:?}: expected read or ingest")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn roles_allow_what_the_issue_says() {
        use Permission::*;
        let table = [
            (Role::Owner, [true, true, true]),
            (Role::Member, [true, false, false]),
            (Role::Viewer, [false, false, false]),
        ];
        for (role, allowed) in table {
            for (permission, expected) in [RequestRuns, ChangeSettings, ManageTeam].into_iter().zip(allowed) {
                assert_eq!(role.allows(permission), expected, "{role:?} {permission:?}");
            }
        }
    }

    #[test]
    fn the_first_user_owns_the_account() {
        assert_eq!(Role::default_for(0), Role::Owner);
        assert_eq!(Role::default_for(1), Role::Member);
        assert_eq!(Role::default_for(7), Role::Member);
    }

    #[test]
    fn roles_read_and_write_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert_eq!(Role::parse("admin"), None);
        assert!("Owner".parse::<Role>().is_err(), "names are lower case");
    }

    #[test]
    fn the_last_owner_stays() {
        assert!(!keeps_an_owner(1, Role::Owner, Some(Role::Member)));
        assert!(!keeps_an_owner(1, Role::Owner, None));
        assert!(keeps_an_owner(1, Role::Owner, Some(Role::Owner)), "no change is no loss");
        assert!(keeps_an_owner(2, Role::Owner, None));
        assert!(keeps_an_owner(1, Role::Member, None));
        assert!(keeps_an_owner(1, Role::Viewer, Some(Role::Owner)));
    }

    #[test]
    fn invitations_expire_after_seven_days_and_work_once() {
        let made = 1_000;
        let expires = made + INVITATION_VALID_SECS;
        assert_eq!(invitation_state(expires, None, made), InvitationState::Open);
        assert_eq!(invitation_state(expires, None, expires - 1), InvitationState::Open);
        assert_eq!(invitation_state(expires, None, expires), InvitationState::Expired);
        assert_eq!(invitation_state(expires, Some(made + 5), made + 6), InvitationState::Used);
        assert_eq!(invitation_state(expires, Some(made + 5), expires + 1), InvitationState::Used);
    }

    #[test]
    fn token_names_are_trimmed_and_bounded() {
        assert_eq!(token_name("  reports "), Ok("reports"));
        assert_eq!(token_name("   "), Err(TeamError::TokenName));
        assert_eq!(token_name(&"é".repeat(100)), Ok("é".repeat(100).as_str()));
        assert_eq!(token_name(&"é".repeat(101)), Err(TeamError::TokenName));
    }

    #[test]
    fn audit_actions_round_trip() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
            assert_eq!(serde_json::to_value(action).unwrap(), serde_json::json!(action.as_str()));
        }
    }

    #[test]
    fn every_refusal_is_said_in_words() {
        for e in TeamError::ALL {
            let message = settings_form_error(e.code());
            assert!(message.ends_with(&e.to_string()), "{message}");
            assert!(TeamError::ALL.iter().filter(|o| o.code() == e.code()).count() == 1, "{e:?}: a unique code");
        }
        assert!(settings_form_error("forbidden").contains("role"));
        assert!(settings_form_error("rate_limited").contains("15 minutes"));
        assert!(settings_form_error("anything").contains("on our side"));
        assert!(Permission::ManageTeam.refusal(Role::Member).contains("member"));
    }

    proptest! {
        #[test]
        fn no_change_ever_leaves_an_account_without_an_owner(
            roles in proptest::collection::vec(0usize..3, 1..8),
            who in 0usize..8,
            next in proptest::option::of(0usize..3),
        ) {
            let mut roles: Vec<Role> = roles.into_iter().map(|i| Role::ALL[i]).collect();
            roles[0] = Role::Owner; // accounts start with an owner
            let who = who % roles.len();
            let owners = roles.iter().filter(|r| **r == Role::Owner).count() as i64;
            let next = next.map(|i| Role::ALL[i]);
            if keeps_an_owner(owners, roles[who], next) {
                match next {
                    Some(role) => roles[who] = role,
                    None => { roles.remove(who); }
                }
                prop_assert!(roles.contains(&Role::Owner));
            }
        }

        #[test]
        fn an_invitation_is_open_only_before_expiry_and_use(
            expires in 0i64..1_000_000, accepted in proptest::option::of(0i64..1_000_000), now in 0i64..1_000_000,
        ) {
            let open = invitation_state(expires, accepted, now) == InvitationState::Open;
            prop_assert_eq!(open, accepted.is_none() && now < expires);
        }
    }
}
