use leptos::prelude::*;

use crate::domain::format::{percent, thousands};
use crate::domain::run_detail::CreditShare;
use crate::domain::view::ThemedSvg;
use crate::ui::components::phone_collapsible::PhoneCollapsible;

/// Where the credits went: a donut drawn on the server, its total in the middle, and a legend
/// table sorted by share, with the free stages grouped.
#[expect(clippy::too_many_lines, reason = "one card: the donut and the table of the same shares")]
#[component]
pub fn CreditsBreakdown(shares: Vec<CreditShare>, total: u64, donut: Option<ThemedSvg>) -> impl IntoView {
    let mut paid: Vec<CreditShare> = shares.iter().filter(|s| s.credits > 0).cloned().collect();
    paid.sort_by(|a, b| b.credits.cmp(&a.credits).then(a.stage.cmp(&b.stage)));
    let free: Vec<String> = shares.iter().filter(|s| s.is_free).map(|s| format!("Stage {}", s.stage)).collect();
    let label = format!("Credits by stage: {} credits in all", thousands(total.into()));
    view! {
        <section class="card" aria-labelledby="credits-title">
            <h2 id="credits-title">"Credits breakdown"</h2>
            <PhoneCollapsible heading_id="credits-title" title="Credits breakdown">
                <div class="donut-layout">
                    {donut
                        .map(|svg| {
                            view! {
                                <figure class="donut" role="img" aria-label=label.clone()>
                                    <div class="chart-light" inner_html=svg.light></div>
                                    <div class="chart-dark" inner_html=svg.dark></div>
                                    <figcaption class="donut-total" aria-hidden="true">
                                        <span class="donut-value">{thousands(total.into())}</span>
                                        <span>"credits"</span>
                                    </figcaption>
                                </figure>
                            }
                        })}
                    <table class="legend-table">
                        <caption class="visually-hidden">"Credits by stage, largest first"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Stage"</th>
                                <th scope="col" class="num">"Share"</th>
                                <th scope="col" class="num">"Credits"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {paid
                                .into_iter()
                                .map(|s| {
                                    view! {
                                        <tr>
                                            <th scope="row">
                                                <span class="legend-swatch" data-stage=s.stage aria-hidden="true"></span>
                                                {format!("Stage {}: {}", s.stage, s.activity)}
                                            </th>
                                            <td class="num">{percent(s.share_percent)}</td>
                                            <td class="num">{format!("{} cr", thousands(s.credits.into()))}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                            {(!free.is_empty())
                                .then(|| {
                                    view! {
                                        <tr class="free-row">
                                            <th scope="row">{format!("Free: {}", free.join(", "))}</th>
                                            <td class="num">"0.0%"</td>
                                            <td class="num">"0 cr"</td>
                                        </tr>
                                    }
                                })}
                        </tbody>
                    </table>
                </div>
            </PhoneCollapsible>
        </section>
    }
}
