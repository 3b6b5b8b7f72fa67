use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::audit_log::AuditLog;
use super::budget_form::{budget_form_error, BudgetForm};
use super::delivery_log::DeliveryLog;
use super::password_form::PasswordForm;
use super::team_section::TeamSection;
use super::token_section::TokenSection;
use super::webhook_form::{webhook_form_error, WebhookForm};
use crate::domain::alerts::ALERTS_ERROR_PARAM;
use crate::domain::budget::{BUDGET_ERROR_PARAM, SAVED_PARAM};
use crate::domain::team::{settings_form_error, PASSWORD_ERROR_PARAM, TEAM_ERROR_PARAM, TOKEN_ERROR_PARAM};
use crate::error::AppError;
use crate::server_fns::{get_alerts, get_audit, get_budget, get_session, get_team, get_tokens};
use crate::ui::components::alert_notices::AlertNotices;
use crate::ui::components::error_view::{first_app_error, ErrorView};
use crate::ui::components::page_title::PageTitle;

#[allow(
    clippy::too_many_lines,
    reason = "its sections are components already; the lines are their props and form outcomes"
)]
#[component]
pub fn SettingsPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |key: &str| untrack(|| query.read().get(key).filter(|v| !v.is_empty()));
    let session = Resource::new(|| (), |_| get_session());
    let team = Resource::new(|| (), |_| get_team());
    let tokens = Resource::new(|| (), |_| get_tokens());
    let audit = Resource::new(|| (), |_| get_audit());
    let budget = Resource::new(|| (), |_| get_budget(None));
    let alerts = Resource::new(|| (), |_| get_alerts());

    let content = move || {
        Suspend::new(async move {
            let user = session.await?.ok_or(AppError::Unauthorized)?;
            let (team, tokens, audit) = (team.await?, tokens.await?, audit.await?);
            let (budget, alerts) = (budget.await?, alerts.await?);
            let (notices, deliveries) = (alerts.alerts.alerts.clone(), alerts.alerts.deliveries.clone());
            let saved = param(SAVED_PARAM);
            let saved_in = |sections: &[&str]| saved.clone().filter(|s| sections.contains(&s.as_str()));
            let error = |key: &str| param(key).map(|code| settings_form_error(&code));
            // A team or token form refused to someone who does not see those sections (a
            // member's or viewer's post) is said at the top.
            let refused = team
                .is_none()
                .then(|| error(TEAM_ERROR_PARAM).or_else(|| error(TOKEN_ERROR_PARAM)))
                .flatten()
                .map(|m| view! { <p class="form-error" role="alert" data-testid="settings-form-error">{m}</p> });
            Ok::<_, AppError>(view! {
                <div class="page-grid settings-grid">
                    {refused}
                    <PasswordForm
                        email=user.email
                        role_label=user.role.label()
                        csrf_token=user.csrf_token
                        saved=saved.as_deref() == Some("password")
                        error=error(PASSWORD_ERROR_PARAM)
                    />
                    {team
                        .map(|panel| {
                            view! {
                                <TeamSection panel saved=saved_in(&["team", "invite"]) error=error(TEAM_ERROR_PARAM) />
                            }
                        })}
                    {tokens
                        .map(|panel| {
                            view! {
                                <TokenSection
                                    panel
                                    saved=saved_in(&["token", "token-revoked"])
                                    error=error(TOKEN_ERROR_PARAM)
                                />
                            }
                        })}
                    <BudgetForm
                        panel=budget
                        saved=saved.as_deref() == Some("budget")
                        error=param(BUDGET_ERROR_PARAM).map(|code| budget_form_error(&code))
                    />
                    <WebhookForm
                        panel=alerts
                        saved=saved.as_deref() == Some("alerts")
                        error=param(ALERTS_ERROR_PARAM).map(|code| webhook_form_error(&code))
                    />
                    <DeliveryLog deliveries alerts=notices.clone() />
                    <AlertNotices alerts=notices limit=100 />
                    {audit.map(|entries| view! { <AuditLog entries /> })}
                </div>
            })
        })
    };

    view! {
        <PageTitle text="Settings" />
        <div class="page-header">
            <h1>"Settings"</h1>
        </div>
        <Transition fallback=|| view! { <section class="card loading" aria-busy="true"></section> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView error=first_app_error(&errors.get()) /> }>
                {content}
            </ErrorBoundary>
        </Transition>
    }
}
