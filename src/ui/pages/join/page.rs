use leptos::prelude::*;
use leptos::Params;
use leptos_router::hooks::{use_params_map, use_query};
use leptos_router::params::Params;

use super::join_form::JoinForm;
use crate::domain::team::{settings_form_error, InvitationState, TeamError};
use crate::paths;
use crate::server_fns::get_invitation;
use crate::ui::components::error_view::{first_app_error, ErrorView};
use crate::ui::components::page_title::PageTitle;
use crate::ui::query::{field, Given};

/// `?error=`: why the join form came back.
#[derive(Params, Clone, PartialEq)]
struct JoinQuery {
    error: Given<String>,
}

#[component]
pub fn JoinPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query::<JoinQuery>();
    let token = move || params.read().get("token").unwrap_or_default();
    let invitation = Resource::new(token, get_invitation);

    let content = move || {
        Suspend::new(async move {
            let view = invitation.await?;
            // A refused form comes back here with its reason; a link that no longer works says
            // so in place of the form.
            let error = untrack(|| field(query, |q| q.error.0.clone())).map(|code| settings_form_error(&code));
            let body = match (view.state, view.email) {
                (InvitationState::Open, Some(email)) => {
                    let whom = format!(
                        "You are invited to {} as {}. Set a password to join; you then sign in with {email}.",
                        view.account_name.unwrap_or_default(),
                        view.role.map_or("a user", |r| r.as_str()),
                    );
                    view! {
                        <p data-testid="invitation-whom">{whom}</p>
                        {error.map(|m| view! { <p class="form-error" role="alert" data-testid="join-error">{m}</p> })}
                        <JoinForm token=untrack(token) email csrf_token=view.csrf_token />
                    }
                    .into_any()
                }
                (state, _) => {
                    let message = TeamError::of_state(state).unwrap_or(TeamError::InvitationUnknown).to_string();
                    view! {
                        <p class="form-error" role="alert" data-testid="invitation-state" data-state=format!("{state:?}").to_lowercase()>
                            {message}
                        </p>
                        <p>
                            <a href=paths::SIGN_IN>"Go to sign-in"</a>
                        </p>
                    }
                    .into_any()
                }
            };
            Ok::<_, crate::error::AppError>(body)
        })
    };

    view! {
        <PageTitle text="Join an account · Automation Runs" />
        <div class="sign-in-page">
            <h1>"Join an account"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorView error=first_app_error(&errors.get()) /> }>
                    {content}
                </ErrorBoundary>
            </Suspense>
        </div>
    }
}
