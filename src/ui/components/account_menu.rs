use leptos::prelude::*;

use crate::server_fns::get_session;

/// The signed-in account and user, and the sign-out button (a form post with the CSRF token,
/// so it works without JavaScript). Nothing when no one is signed in.
#[component]
pub fn AccountMenu() -> impl IntoView {
    let session = Resource::new(|| (), |_| get_session());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                session
                    .await
                    .ok()
                    .flatten()
                    .map(|s| {
                        view! {
                            <div class="account-menu">
                                <p class="account-who">
                                    <span class="account-name">{s.account_name}</span>
                                    <span class="account-email muted">{s.email}</span>
                                </p>
                                <form method="post" action="/sign-out">
                                    <input type="hidden" name="csrf_token" value=s.csrf_token />
                                    <button type="submit" class="button secondary small">
                                        "Sign out"
                                    </button>
                                </form>
                            </div>
                        }
                    })
            })}
        </Suspense>
    }
}
