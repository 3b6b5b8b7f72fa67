use leptos::prelude::*;

use crate::domain::auth::DemoSignIn;

/// The demo accounts' sign-ins; the server sends them in demo mode only.
#[component]
pub fn DemoAccounts(accounts: Vec<DemoSignIn>) -> impl IntoView {
    (!accounts.is_empty()).then(|| {
        view! {
            <section class="card demo-accounts" aria-label="Demo accounts">
                <h2>"Demo accounts"</h2>
                <p class="muted">
                    "This server runs with demo data. Sign in to either account as its owner, a member or a viewer:"
                </p>
                <dl class="demo-account-list">
                    {accounts
                        .into_iter()
                        .map(|a| {
                            view! {
                                <div class="demo-account">
                                    <dt>{format!("{} · {}", a.account_name, a.role.label())}</dt>
                                    <dd>
                                        "Email " <code>{a.email}</code> " · Password "
                                        <code>{a.password}</code>
                                    </dd>
                                </div>
                            }
                        })
                        .collect_view()}
                </dl>
            </section>
        }
    })
}
