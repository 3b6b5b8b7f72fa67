use leptos::prelude::*;

use crate::domain::format::{duration_short, thousands};
use crate::domain::overview::HistoryPage;
use crate::ui::components::stage_badges::StageBadges;
use crate::ui::components::status_badge::StatusBadge;

/// The site's runs, newest first, each linking to its detail.
#[component]
pub fn RunHistory(page: HistoryPage) -> impl IntoView {
    let total = page.pagination.total_count;
    if page.runs.is_empty() {
        return view! {
            <section class="card empty-state" aria-labelledby="history-title">
                <h2 id="history-title">"Run history"</h2>
                <p>"No runs yet for " {page.site.domain} "."</p>
                <p>
                    "Load your engine's run history with "
                    <code>"automation-runs import runs.ndjson"</code> "."
                </p>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">"Run history"</h2>
            <p class="muted">{format!("{} runs in all, newest first", thousands(total.into()))}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Run history table">
                <table class="history-table">
                    <thead>
                        <tr>
                            <th scope="col">"Run"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Trigger"</th>
                            <th scope="col">"Started (UTC)"</th>
                            <th scope="col" class="num">"Credits"</th>
                            <th scope="col">"Stages"</th>
                            <th scope="col" class="num">"Duration"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {page
                            .runs
                            .into_iter()
                            .map(|run| {
                                let href = format!("/automation/runs/{}", run.run_id);
                                let failed = run.failed_stage.map(|s| format!(" (Stage {s} failed)"));
                                view! {
                                    <tr>
                                        <th scope="row">
                                            <a href=href>{run.run_title}</a>
                                        </th>
                                        <td>
                                            <StatusBadge status=run.status />
                                        </td>
                                        <td>{run.trigger_type.label()}</td>
                                        <td>
                                            <time datetime=run.started_at.to_rfc3339()>
                                                {run.started_at.format("%b %-d, %Y %H:%M").to_string()}
                                            </time>
                                        </td>
                                        <td class="num">{thousands(run.total_credits_used.into())} " cr"</td>
                                        <td>
                                            <StageBadges statuses=run.stage_statuses />
                                        </td>
                                        <td class="num">{duration_short(Some(run.duration_seconds))} {failed}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
