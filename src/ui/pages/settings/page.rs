use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::budget_form::{budget_form_error, BudgetForm};
use super::delivery_log::DeliveryLog;
use super::webhook_form::{webhook_form_error, WebhookForm};
use crate::domain::alerts::ALERTS_ERROR_PARAM;
use crate::domain::budget::{BUDGET_ERROR_PARAM, SAVED_PARAM};
use crate::error::AppError;
use crate::server_fns::{get_alerts, get_budget};
use crate::ui::components::alert_notices::AlertNotices;
use crate::ui::components::error_view::{first_app_error, ErrorView};
use crate::ui::components::page_title::PageTitle;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |key: &str| query.read().get(key).filter(|v| !v.is_empty());
    let budget = Resource::new(|| (), |_| get_budget(None));
    let alerts = Resource::new(|| (), |_| get_alerts());

    let content = move || {
        Suspend::new(async move {
            let (budget, alerts) = (budget.await?, alerts.await?);
            let (notices, deliveries) = (alerts.alerts.alerts.clone(), alerts.alerts.deliveries.clone());
            let saved = untrack(|| param(SAVED_PARAM));
            Ok::<_, AppError>(view! {
                <div class="page-grid settings-grid">
                    <BudgetForm
                        panel=budget
                        saved=saved.as_deref() == Some("budget")
                        error=untrack(|| param(BUDGET_ERROR_PARAM)).map(|code| budget_form_error(&code))
                    />
                    <WebhookForm
                        panel=alerts
                        saved=saved.as_deref() == Some("alerts")
                        error=untrack(|| param(ALERTS_ERROR_PARAM)).map(|code| webhook_form_error(&code))
                    />
                    <DeliveryLog deliveries alerts=notices.clone() />
                    <AlertNotices alerts=notices limit=100 />
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
