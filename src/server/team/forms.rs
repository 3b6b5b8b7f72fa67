//! The team section's forms: change a role, remove a user. Plain posts (the gate checks their
//! CSRF field), counted by the form throttle, answered with a redirect back to the settings.

use axum::extract::State;
use axum::response::Redirect;
use axum::{Extension, Form};
use serde::Deserialize;

use super::{back_to_settings, TeamFailure};
use crate::domain::team::{Role, TEAM_ERROR_PARAM};
use crate::error::AppError;
use crate::server::auth::Caller;
use crate::server::state::AppState;

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    user_id: String,
    role: String,
}

#[derive(Debug, Deserialize)]
pub struct RemoveForm {
    user_id: String,
}

fn user_id(raw: &str) -> Result<i64, TeamFailure> {
    raw.trim().parse().map_err(|_| TeamFailure::App(AppError::BadRequest("The form names no user.".into())))
}

/// `POST /settings/team/role` (`user_id`, `role`): back to `?saved=team`, or `?team_error=`
/// `last_owner`, `forbidden` (not an owner), `not_found` (a user of another account, or gone).
pub async fn change_role(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<RoleForm>,
) -> Redirect {
    let outcome = async {
        let role = Role::parse(&form.role).ok_or_else(|| AppError::BadRequest("Choose a role.".into()))?;
        let user = user_id(&form.user_id)?;
        state.auth.throttle_form(&caller).await?;
        state.auth.change_role(&caller, user, role).await
    }
    .await;
    back_to_settings(outcome, "team", TEAM_ERROR_PARAM)
}

/// `POST /settings/team/remove` (`user_id`): the user's sessions end at once.
pub async fn remove_user(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<RemoveForm>,
) -> Redirect {
    let outcome = async {
        let user = user_id(&form.user_id)?;
        state.auth.throttle_form(&caller).await?;
        state.auth.remove_user(&caller, user).await
    }
    .await;
    back_to_settings(outcome, "team", TEAM_ERROR_PARAM)
}
