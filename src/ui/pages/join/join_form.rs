use leptos::prelude::*;

use crate::domain::auth::MIN_PASSWORD_CHARS;
use crate::paths;

/// The invitee's password for the account they were invited to (a plain form post).
#[component]
pub fn JoinForm(token: String, email: String, csrf_token: String) -> impl IntoView {
    view! {
        <form id="join-form" class="card sign-in-form" method="post" action=paths::JOIN>
            <input type="hidden" name="csrf_token" value=csrf_token />
            <input type="hidden" name="token" value=token />
            <label for="join-email">"Email"</label>
            <input id="join-email" type="email" name="username" value=email autocomplete="username" readonly />
            <label for="join-password">{format!("Password (at least {MIN_PASSWORD_CHARS} characters)")}</label>
            <input
                id="join-password"
                type="password"
                name="password"
                autocomplete="new-password"
                minlength=MIN_PASSWORD_CHARS.to_string()
                required
            />
            <label for="join-password-again">"Password again"</label>
            <input
                id="join-password-again"
                type="password"
                name="password_again"
                autocomplete="new-password"
                minlength=MIN_PASSWORD_CHARS.to_string()
                required
            />
            <button type="submit" class="button">
                "Set password and join"
            </button>
        </form>
    }
}
