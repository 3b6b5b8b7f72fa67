use leptos::prelude::*;

use crate::domain::auth::SessionView;
use crate::paths;

/// The signed-in account, user and role, and the sign-out button (a form post with the CSRF token,
/// so it works without JavaScript).
#[component]
pub fn AccountMenu(user: SessionView) -> impl IntoView {
    view! {
        <div class="account-menu">
            <p class="account-who">
                <span class="account-name">{user.account_name}</span>
                <span class="account-email muted">
                    {user.email} " · " <span data-testid="account-role">{user.role.label()}</span>
                </span>
            </p>
            <form method="post" action=paths::SIGN_OUT>
                <input type="hidden" name="csrf_token" value=user.csrf_token />
                <button type="submit" class="button secondary small">
                    "Sign out"
                </button>
            </form>
        </div>
    }
}
