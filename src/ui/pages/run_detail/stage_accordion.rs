use leptos::prelude::*;
use serde_json::Value;

use crate::domain::format::{duration_short, signed_percent, thousands};
use crate::domain::numbers::round1;
use crate::domain::run_detail::{Comparison, StageDetail};
use crate::domain::stage::{Noun, StageNumber};
use crate::domain::stage_status::StageStatus;
use crate::domain::stage_terms::{credits_per, per_minute, short_number, yield_phrase};
use crate::ui::components::phone_collapsible::PhoneCollapsible;

/// "total_words" → "Total words": unknown fields the engine adds read as labels too.
fn label(key: &str) -> String {
    let words = key.replace('_', " ");
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().collect::<String>() + chars.as_str())
}

fn value_text(value: &Value) -> String {
    match value {
        Value::Number(n) => n.as_i64().map_or_else(|| n.to_string(), |i| thousands(i.into())),
        Value::String(s) => s.clone(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::Null => "—".to_string(),
        other => other.to_string(),
    }
}

/// "+35.2% above the average of 89 credits" with an arrow; or why there is no comparison. The
/// colour says whether that is good: more output is, more credits are not.
fn comparison_text(diff: Option<f64>, avg: Option<String>, more_is_better: bool) -> AnyView {
    match (diff, avg) {
        (Some(d), Some(average)) => {
            let tone = |up: bool| if up == more_is_better { "trend-better" } else { "trend-worse" };
            let (arrow, word, class) = if d > 0.0 {
                ("↑", "above", tone(true))
            } else if d < 0.0 {
                ("↓", "below", tone(false))
            } else {
                ("=", "equal to", "trend-flat")
            };
            view! {
                <span class=class>
                    <span aria-hidden="true">{arrow}" "</span>
                    {format!("{} {word} the average of {average}", signed_percent(d))}
                </span>
            }
            .into_any()
        }
        _ => view! { <span class="muted">"No average to compare with"</span> }.into_any(),
    }
}

/// The comparison with the previous completed runs, or why there is none.
#[component]
fn StageComparison(
    comparison: Option<Comparison>,
    ran: bool,
    comparison_runs: u32,
    output_unit: Noun,
) -> impl IntoView {
    let content = match comparison {
        _ if !ran => view! { <p class="muted">"The stage did not run, so there is nothing to compare."</p> }.into_any(),
        None => view! {
            <p class="notice">
                {format!(
                    "Not enough history: comparisons start after 3 completed runs before this one (there are {comparison_runs}).",
                )}
            </p>
        }
        .into_any(),
        Some(c) => view! {
            <dl class="detail-list">
                <div>
                    <dt>"Credits"</dt>
                    <dd>
                        {comparison_text(
                            c.credits_diff_percent,
                            c.avg_credits.map(|a| format!("{} credits", thousands(a.round() as i128))),
                            false,
                        )}
                    </dd>
                </div>
                <div>
                    <dt>"Output"</dt>
                    <dd>
                        {comparison_text(
                            c.output_diff_percent,
                            c.avg_output.map(|a| format!("{} {}", short_number(a), output_unit.for_count(round1(a)))),
                            true,
                        )}
                    </dd>
                </div>
                <div>
                    <dt>"Compared with"</dt>
                    <dd>{format!("{} earlier completed runs that ran this stage", c.runs_compared)}</dd>
                </div>
            </dl>
        }
        .into_any(),
    };
    view! {
        <h4>"Compared with the average"</h4>
        {content}
    }
}

#[component]
fn StagePanel(stage: StageDetail, comparison_runs: u32) -> impl IntoView {
    let (Some(r), Some(number)) = (stage.result.clone(), StageNumber::from_u8(stage.number)) else {
        let text = match stage.status {
            StageStatus::Running => {
                "In progress: the engine reports this stage's figures when it finishes.".to_string()
            }
            StageStatus::Paused => "Paused in this stage: its figures come when it finishes.".to_string(),
            StageStatus::Pending => "Not started yet.".to_string(),
            status => format!("{}: this stage has no result in this run (N/A).", status.label()),
        };
        return view! { <p>{text}</p> }.into_any();
    };
    let def = number.def();
    let e = stage.efficiency.unwrap_or_default();
    let credits_line = match e.cost_per_input {
        Some(rate) if r.credits_used > 0 => {
            format!("{} credits ({})", thousands(r.credits_used.into()), credits_per(rate, def.input_unit))
        }
        _ if r.credits_used == 0 => "0 credits (free)".to_string(),
        _ => format!("{} credits", thousands(r.credits_used.into())),
    };
    let extras = r.extras(number).map(|(k, v)| (label(k), value_text(v))).collect::<Vec<_>>();
    view! {
        <h4>"Processing"</h4>
        <dl class="detail-list">
            <div>
                <dt>"Input"</dt>
                <dd>{def.input_unit.count(r.input_count)}</dd>
            </div>
            <div>
                <dt>"Output"</dt>
                <dd>{def.output_unit.count(r.output_count)}</dd>
            </div>
            <div>
                <dt>"Time"</dt>
                <dd>{format!("{} ({})", duration_short(Some(r.time_elapsed_seconds as i64)), r.time_elapsed)}</dd>
            </div>
            <div>
                <dt>"Credits"</dt>
                <dd>{credits_line}</dd>
            </div>
            {extras
                .into_iter()
                .map(|(k, v)| {
                    view! {
                        <div>
                            <dt>{k}</dt>
                            <dd>{v}</dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
        <h4>"Efficiency"</h4>
        <dl class="detail-list" data-testid=format!("stage-{}-efficiency", stage.number)>
            <div>
                <dt>"Yield"</dt>
                <dd>{yield_phrase(number, r.input_count, r.output_count).unwrap_or_else(|| "nothing went in".into())}</dd>
            </div>
            <div>
                <dt>"Cost per output"</dt>
                <dd>
                    {match e.cost_per_output {
                        Some(c) if r.credits_used > 0 => credits_per(c, def.output_unit),
                        _ if r.credits_used == 0 => "free".to_string(),
                        _ => "— (nothing produced)".to_string(),
                    }}
                </dd>
            </div>
            <div>
                <dt>"Speed"</dt>
                <dd>{e.processing_rate.map_or_else(|| "—".to_string(), |rate| per_minute(rate, def.input_unit))}</dd>
            </div>
        </dl>
        <StageComparison comparison=stage.comparison ran=true comparison_runs output_unit=def.output_unit />
    }
    .into_any()
}

/// One section per stage; the most expensive starts open. Buttons with aria-expanded, so
/// Enter and Space work (`enhance` toggles them, and keeps the reader's choice across live
/// updates); without JavaScript every panel shows (see the stylesheet). The stage a running run
/// is in is marked as the current step.
#[expect(clippy::too_many_lines, reason = "the accordion's markup; each panel's parts are components already")]
#[component]
pub fn StageAccordion(stages: Vec<StageDetail>, comparison_runs: u32) -> impl IntoView {
    let most_expensive = stages
        .iter()
        .filter_map(|s| s.result.as_ref().map(|r| (s.number, r.credits_used)))
        .fold(None, |best: Option<(u8, u64)>, (n, c)| match best {
            Some((_, bc)) if bc >= c => best,
            _ => Some((n, c)),
        })
        .map(|(n, _)| n);
    view! {
        <section class="card" aria-labelledby="stages-title">
            <h2 id="stages-title">"Stage details"</h2>
            <PhoneCollapsible heading_id="stages-title" title="Stage details">
                <div class="accordion">
                    {stages
                        .into_iter()
                        .map(|stage| {
                            let n = stage.number;
                            let open = Some(n) == most_expensive;
                            let current = matches!(stage.status, StageStatus::Running | StageStatus::Paused);
                            let credits = stage
                                .result
                                .as_ref()
                                .map_or_else(|| "N/A".to_string(), |r| format!("{} cr", thousands(r.credits_used.into())));
                            let trigger_id = format!("stage-{n}-trigger");
                            let panel_id = format!("stage-{n}-panel");
                            view! {
                                <div
                                    class=format!("accordion-item stage-{}", stage.status.as_str())
                                    aria-current=current.then_some("step")
                                    data-testid=format!("stage-{n}-item")
                                >
                                    <h3>
                                        <button
                                            type="button"
                                            class="accordion-trigger"
                                            id=trigger_id.clone()
                                            aria-controls=panel_id.clone()
                                            aria-expanded=open.to_string()
                                            data-accordion=""
                                        >
                                            <span>{format!("Stage {n}: {}", stage.name)}</span>
                                            <span class=format!("badge stage-{}", stage.status.as_str())>
                                                {stage.status.label()}
                                            </span>
                                            <span class="accordion-credits">{credits}</span>
                                        </button>
                                    </h3>
                                    <div
                                        class="accordion-panel"
                                        id=panel_id
                                        role="region"
                                        aria-labelledby=trigger_id
                                        hidden=!open
                                    >
                                        <StagePanel stage=stage.clone() comparison_runs />
                                    </div>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            </PhoneCollapsible>
        </section>
    }
}
