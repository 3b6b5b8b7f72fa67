use leptos::prelude::*;
use serde_json::Value;

use crate::domain::detail::{Comparison, StageDetail};
use crate::domain::format::{decimal, duration_short, signed_percent, thousands};

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

/// "+35.2% above the average of 88.8" with an arrow; or why there is no comparison. The colour
/// says whether that is good: more output is, more credits are not.
fn comparison_text(value_label: &str, diff: Option<f64>, avg: Option<f64>, more_is_better: bool) -> AnyView {
    match (diff, avg) {
        (Some(d), Some(a)) => {
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
                    {format!("{} {word} the average {value_label} of {}", signed_percent(d), decimal(Some(a), 1))}
                </span>
            }
            .into_any()
        }
        _ => view! { <span class="muted">"No average to compare with"</span> }.into_any(),
    }
}

/// The comparison with the previous completed runs, or why there is none.
#[component]
fn StageComparison(comparison: Option<Comparison>, ran: bool, comparison_runs: u32) -> impl IntoView {
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
                    <dd>{comparison_text("credits", c.credits_diff_percent, c.avg_credits, false)}</dd>
                </div>
                <div>
                    <dt>"Output"</dt>
                    <dd>{comparison_text("output", c.output_diff_percent, c.avg_output, true)}</dd>
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
    let Some(r) = stage.result.clone() else {
        return view! {
            <p>{format!("{}: this stage has no result in this run (N/A).", stage.status.label())}</p>
        }
        .into_any();
    };
    let e = stage.efficiency.unwrap_or(crate::domain::detail::Efficiency {
        cost_per_input: None,
        cost_per_output: None,
        output_ratio: None,
        processing_rate: None,
    });
    view! {
        <h4>"Processing"</h4>
        <dl class="detail-list">
            <div>
                <dt>"Input"</dt>
                <dd>{format!("{} {}", thousands(r.input_count.into()), stage.input_type)}</dd>
            </div>
            <div>
                <dt>"Output"</dt>
                <dd>{format!("{} {} created", thousands(r.output_count.into()), stage.output_type)}</dd>
            </div>
            <div>
                <dt>"Time"</dt>
                <dd>{format!("{} ({})", duration_short(Some(r.time_elapsed_seconds as i64)), r.time_elapsed)}</dd>
            </div>
            <div>
                <dt>"Credits"</dt>
                <dd>
                    {format!(
                        "{} credits ({} per item)",
                        thousands(r.credits_used.into()),
                        decimal(e.cost_per_input, 2),
                    )}
                </dd>
            </div>
            {r
                .extra_fields
                .iter()
                .map(|(k, v)| {
                    view! {
                        <div>
                            <dt>{label(k)}</dt>
                            <dd>{value_text(v)}</dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
        <h4>"Efficiency"</h4>
        <dl class="detail-list">
            <div>
                <dt>"Output per input"</dt>
                <dd>{decimal(e.output_ratio, 2)}</dd>
            </div>
            <div>
                <dt>"Cost per output"</dt>
                <dd>{e.cost_per_output.map_or_else(|| "—".to_string(), |c| format!("{} cr", decimal(Some(c), 2)))}</dd>
            </div>
            <div>
                <dt>"Items per minute"</dt>
                <dd>{decimal(e.processing_rate, 1)}</dd>
            </div>
        </dl>
        <StageComparison comparison=stage.comparison ran=true comparison_runs />
    }
    .into_any()
}

/// One section per stage; the most expensive starts open. Buttons with aria-expanded, so
/// Enter and Space work; without JavaScript every panel shows (see the stylesheet).
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
            <div class="accordion">
                {stages
                    .into_iter()
                    .map(|stage| {
                        let n = stage.number;
                        let (open, set_open) = signal(Some(n) == most_expensive);
                        let credits = stage
                            .result
                            .as_ref()
                            .map_or_else(|| "N/A".to_string(), |r| format!("{} cr", thousands(r.credits_used.into())));
                        let trigger_id = format!("stage-{n}-trigger");
                        let panel_id = format!("stage-{n}-panel");
                        view! {
                            <div class=format!("accordion-item stage-{}", stage.status.as_str())>
                                <h3>
                                    <button
                                        type="button"
                                        class="accordion-trigger"
                                        id=trigger_id.clone()
                                        aria-controls=panel_id.clone()
                                        aria-expanded=move || open.get().to_string()
                                        on:click=move |_| set_open.update(|o| *o = !*o)
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
                                    hidden=move || !open.get()
                                >
                                    <StagePanel stage=stage.clone() comparison_runs />
                                </div>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
        </section>
    }
}
