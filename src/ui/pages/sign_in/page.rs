use crate::ui::components::page_title::PageTitle;
use leptos::prelude::*;
use leptos::Params;
use leptos_router::hooks::use_query;
use leptos_router::params::Params;

use super::demo_accounts::DemoAccounts;
use crate::domain::auth::{safe_next, sign_in_error_message, sign_in_notice_message};
use crate::paths;
use crate::server_fns::get_sign_in;
use crate::ui::components::error_view::{first_app_error, ErrorView};
use crate::ui::query::{field, Given};

/// `?next=&error=&notice=`: where to go after signing in, and why the form is shown again.
#[derive(Params, Clone, PartialEq)]
struct SignInQuery {
    next: Given<String>,
    error: Given<String>,
    notice: Given<String>,
}

#[component]
pub fn SignInPage() -> impl IntoView {
    // Unknown codes show nothing and an unsafe `next` lands on the default page: the sign-in
    // form works whatever the address says.
    let query = use_query::<SignInQuery>();
    let next = move || safe_next(field(query, |q| q.next.0.clone()).as_deref());
    let error = move || field(query, |q| q.error.0.clone()).and_then(|c| sign_in_error_message(&c));
    let notice = move || field(query, |q| q.notice.0.clone()).and_then(|c| sign_in_notice_message(&c));
    let form = Resource::new(|| (), |_| get_sign_in());

    let content = move || {
        Suspend::new(async move {
            let view = form.await?;
            Ok::<_, crate::error::AppError>(view! {
                <form id="sign-in-form" class="card sign-in-form" method="post" action=paths::SIGN_IN>
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
