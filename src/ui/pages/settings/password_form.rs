use leptos::prelude::*;

use crate::domain::auth::MIN_PASSWORD_CHARS;
use crate::paths;

/// The profile: who is signed in, and a new password (the current one first). Changing it ends
/// the user's sessions in other browsers.
#[component]
pub fn PasswordForm(
    email: String,
    role_label: &'static str,
    csrf_token: String,
    saved: bool,
    error: Option<String>,
) -> impl IntoView {
    view! {
        <section class="card settings-section" aria-labelledby="profile-title">
            <h2 id="profile-title">"Profile"</h2>
            <p data-testid="profile-who">
                "Signed in as " <strong>{email.clone()}</strong> ", " {role_label.to_lowercase()} " of this account."
            </p>
            {error.map(|m| view! { <p class="form-error" role="alert" data-testid="password-form-error">{m}</p> })}
            {saved
                .then(|| {
                    view! {
                        <p class="form-notice" role="status" data-testid="password-form-saved">
                            "Password changed. Your sessions in other browsers have ended."
                        </p>
                    }
                })}
            <form method="post" action=paths::PASSWORD_FORM class="settings-form">
                <input type="hidden" name="csrf_token" value=csrf_token />
                // For password managers: the account the new password belongs to.
                <input type="email" name="username" value=email autocomplete="username" hidden />
                <label for="current-password">"Current password"</label>
                <input id="current-password" name="current_password" type="password" autocomplete="current-password" required />
                <label for="new-password">{format!("New password (at least {MIN_PASSWORD_CHARS} characters)")}</label>
                <input
                    id="new-password"
                    name="new_password"
                    type="password"
                    autocomplete="new-password"
                    minlength=MIN_PASSWORD_CHARS.to_string()
                    required
                />
                <label for="new-password-again">"New password again"</label>
                <input
                    id="new-password-again"
                    name="new_password_again"
                    type="password"
                    autocomplete="new-password"
                    minlength=MIN_PASSWORD_CHARS.to_string()
                    required
                />
                <button type="submit" class="button">
                    "Change password"
                </button>
            </form>
        </section>
    }
}
