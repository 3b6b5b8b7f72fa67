use leptos::prelude::*;

use crate::domain::compare::RunComparison;
use crate::domain::format::{duration_short, signed_percent, thousands};
use crate::domain::numbers::percent;
use crate::domain::run_detail::StageDetail;
use crate::domain::stage_terms::short_number;

/// Whether more of a figure is good, bad or neither.
#[derive(Clone, Copy)]
enum Better {
    More,
    Less,
    Neither,
}

/// "▲ +29.0% worse": the arrow and the words say what the colour says, so colour is never
/// the only sign. `None` when there is no percent change (a's figure 0, or a stage missing).
fn change(diff: Option<f64>, better: Better) -> (String, &'static str) {
    let Some(d) = diff else { return ("no change to compare".into(), "diff-none") };
    if d == 0.0 {
        return ("= same".into(), "diff-same");
    }
    let arrow = if d > 0.0 { "▲" } else { "▼" };
    let (word, class) = match (better, d > 0.0) {
        (Better::Neither, _) => ("", "diff-neutral"),
        (Better::More, true) | (Better::Less, false) => (" better", "diff-good"),
        _ => (" worse", "diff-bad"),
    };
    (format!("{arrow} {}{word}", signed_percent(d)), class)
}

/// One figure of both runs: how each shows it, and its raw value for the change.
struct Figure {
    label: &'static str,
    a: Option<f64>,
    b: Option<f64>,
    show: fn(f64) -> String,
    better: Better,
}

fn figures(a: Option<&StageDetail>, b: Option<&StageDetail>) -> Vec<Figure> {
    let get = |s: Option<&StageDetail>, f: fn(&StageDetail) -> Option<f64>| s.and_then(f);
    let count = |n: f64| thousands(n.round() as i128);
    vec![
        Figure {
            label: "Input",
            a: get(a, |s| s.result.as_ref().map(|r| r.input_count as f64)),
            b: get(b, |s| s.result.as_ref().map(|r| r.input_count as f64)),
            show: count,
            better: Better::Neither,
        },
        Figure {
            label: "Output",
            a: get(a, |s| s.result.as_ref().map(|r| r.output_count as f64)),
            b: get(b, |s| s.result.as_ref().map(|r| r.output_count as f64)),
            show: count,
            better: Better::More,
        },
        Figure {
            label: "Credits",
            a: get(a, |s| s.result.as_ref().map(|r| r.credits_used as f64)),
            b: get(b, |s| s.result.as_ref().map(|r| r.credits_used as f64)),
            show: |n| format!("{} cr", thousands(n.round() as i128)),
            better: Better::Less,
        },
        Figure {
            label: "Time",
            a: get(a, |s| s.result.as_ref().map(|r| r.time_elapsed_seconds as f64)),
            b: get(b, |s| s.result.as_ref().map(|r| r.time_elapsed_seconds as f64)),
            show: |n| duration_short(Some(n.round() as i64)),
            better: Better::Less,
        },
        Figure {
            label: "Credits per output item",
            a: get(a, |s| s.efficiency.and_then(|e| e.cost_per_output)),
            b: get(b, |s| s.efficiency.and_then(|e| e.cost_per_output)),
            show: |n| format!("{} cr", short_number(n)),
            better: Better::Less,
        },
    ]
}

/// Per stage, each figure of both runs and how b differs from a, good or bad in words.
#[component]
pub fn StageDifferences(comparison: RunComparison, a: Vec<StageDetail>, b: Vec<StageDetail>) -> impl IntoView {
    let rows = comparison
        .stages
        .iter()
        .map(|s| {
            let (sa, sb) = (a.iter().find(|d| d.number == s.stage), b.iter().find(|d| d.number == s.stage));
            let name = sa.or(sb).map(|d| d.name.clone()).unwrap_or_default();
            let figures = figures(sa, sb);
            let span = figures.len();
            let rows = figures
                .into_iter()
                .enumerate()
                .map(|(i, f)| {
                    let shown = |v: Option<f64>| v.map_or_else(|| "—".to_string(), f.show);
                    let diff = f.a.zip(f.b).and_then(|(x, y)| percent(y - x, x));
                    let (text, class) = change(diff, f.better);
                    view! {
                        <tr>
                            {(i == 0)
                                .then(|| {
                                    view! {
                                        <th scope="rowgroup" rowspan=span>
                                            {format!("{}. {name}", s.stage)}
                                        </th>
                                    }
                                })}
                            <th scope="row">{f.label}</th>
                            <td class="num">{shown(f.a)}</td>
                            <td class="num">{shown(f.b)}</td>
                            <td class=format!("num {class}")>{text}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! { <tbody>{rows}</tbody> }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="compare-stages-title">
            <h2 id="compare-stages-title">"Stage by stage"</h2>
            <p class="muted">
                "Change is run B against run A. More output is better; more credits, time or credits per item are worse."
            </p>
            <div class="table-scroll">
                <table class="compare-stages" data-testid="compare-stages">
                    <caption class="visually-hidden">"Each stage's figures in both runs and the change"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Stage"</th>
                            <th scope="col">"Figure"</th>
                            <th scope="col" class="num">"Run A"</th>
                            <th scope="col" class="num">"Run B"</th>
                            <th scope="col" class="num">"Change"</th>
                        </tr>
                    </thead>
                    {rows}
                </table>
            </div>
        </section>
    }
}
