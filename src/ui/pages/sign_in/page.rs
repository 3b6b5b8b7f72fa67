use crate::ui::components::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::demo_accounts::DemoAccounts;
use crate::domain::auth::{safe_next, sign_in_error_message, sign_in_notice_message, SIGN_IN_PATH};
use crate::server_fns::get_sign_in;
use crate::ui::components::error_view::{first_app_error, ErrorView};

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || safe_next(query.read().get("next").as_deref());
    let error = move || query.read().get("error").and_then(|c| sign_in_error_message(&c));
    let notice = move || query.read().get("notice").and_then(|c| sign_in_notice_message(&c));
    let form = Resource::new(|| (), |_| get_sign_in());

    let content = move || {
        Suspend::new(async move {
            let view = form.await?;
            Ok::<_, crate::error::AppError>(view! {
                <form id="sign-in-form" class="card sign-in-form" method="post" action=SIGN_IN_PATH>
                    {move || error().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                    {move || notice().map(|m| view! { <p class="form-notice" role="status">{m}</p> })}
                    <input type="hidden" name="csrf_token" value=view.csrf_token />
                    <input type="hidden" name="next" value=next />
                    <label for="sign-in-email">"Email"</label>
                    <input id="sign-in-email" type="email" name="email" autocomplete="username" required autofocus />
                    <label for="sign-in-password">"Password"</label>
                    <input
                        id="sign-in-password"
                        type="password"
                        name="password"
                        autocomplete="current-password"
                        required
                    />
                    <button type="submit" class="button">
                        "Sign in"
                    </button>
                </form>
                <DemoAccounts accounts=view.demo_accounts />
            })
        })
    };

    view! {
        <PageTitle text="Sign in · Automation Runs" />
        <div class="sign-in-page">
            <h1>"Sign in"</h1>
            <p class="muted">"Run history and credits of your sites."</p>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorView error=first_app_error(&errors.get()) /> }>
                    {content}
                </ErrorBoundary>
            </Suspense>
        </div>
    }
}
