use leptos::prelude::*;

use crate::domain::format::{duration_short, thousands};
use crate::domain::history::HistoryRun;
use crate::domain::stage::STAGES;
use crate::paths;
use crate::ui::components::local_time::LocalTime;
use crate::ui::components::stage_badges::StageBadges;
use crate::ui::components::status_badge::StatusBadge;

/// One run of the history table: its title linking to the run page, what it made, its status,
/// trigger, start, credits, stages and duration, and a box to pick it for comparing.
#[component]
pub fn HistoryRow(run: HistoryRun) -> impl IntoView {
    let href = paths::run_path(&run.run_id);
    let status = if run.is_partial() {
        view! {
            <span class="badge status-partial">
                <span aria-hidden="true">"⚠"</span>
                " Partial"
            </span>
        }
        .into_any()
    } else {
        view! { <StatusBadge status=run.status /> }.into_any()
    };
    // The summary's content and images are the outputs of stages 4 and 6.
    let quick_summary = format!(
        "{} · {}",
        STAGES[3].output_unit.count(run.summary.content_created),
        STAGES[5].output_unit.count(run.summary.images_generated),
    );
    let compare_title = run.run_title.clone();
    view! {
        <tr>
            <th scope="row" data-label="Run">
                <a class="run-title" href=href>{run.run_title}</a>
                <span class="run-summary" data-testid="run-summary">
                    {quick_summary}
                </span>
            </th>
            <td data-label="Status" data-testid="run-status">
                {status}
                {run
                    .failed_stage
                    .map(|s| view! { <span class="failed-note">{format!(" (Stage {s} failed)")}</span> })}
            </td>
            <td data-label="Trigger">{run.trigger_type.label()}</td>
            <td data-label="Started">
                <LocalTime at=run.started_at />
            </td>
            <td class="num" data-label="Credits">{thousands(run.total_credits_used.into())} " cr"</td>
            <td data-label="Stages">
                <StageBadges statuses=run.stage_statuses />
            </td>
            <td class="num" data-label="Duration">
                {duration_short(Some(run.duration_seconds))}
                {run.status.is_active().then_some(" so far")}
            </td>
            // Belongs to the compare form below the table by its id: a
            // form cannot wrap the table, whose filters and pages are
            // forms and links of their own.
            <td data-label="Compare">
                <input
                    type="checkbox"
                    name="run"
                    value=run.run_id.clone()
                    form="compare-runs"
                    aria-label=format!("Compare {}", compare_title)
                />
            </td>
        </tr>
    }
}
