use leptos::prelude::*;

use crate::domain::format::thousands;
use crate::domain::view::ThemedSvg;

/// Both runs' credit donuts, drawn on the server by the run page's chart function.
#[component]
pub fn CreditDonuts(a: (String, u64, Option<ThemedSvg>), b: (String, u64, Option<ThemedSvg>)) -> impl IntoView {
    let donut = |(title, total, svg): (String, u64, Option<ThemedSvg>)| {
        let label = format!("{title}: credits by stage, {} credits in all", thousands(total.into()));
        match svg {
            Some(svg) => view! {
                <figure class="donut" role="img" aria-label=label>
                    <div class="chart-light" inner_html=svg.light></div>
                    <div class="chart-dark" inner_html=svg.dark></div>
                    <figcaption class="donut-total" aria-hidden="true">
                        <span class="donut-value">{thousands(total.into())}</span>
                        <span>"credits"</span>
                    </figcaption>
                </figure>
                <p class="muted compare-donut-title">{title}</p>
            }
            .into_any(),
            None => view! { <p class="muted">{format!("{title} used no credits.")}</p> }.into_any(),
        }
    };
    view! {
        <section class="card" aria-labelledby="compare-donuts-title">
            <h2 id="compare-donuts-title">"Credits by stage"</h2>
            <div class="compare-pair compare-donuts">
                <div>{donut(a)}</div>
                <div>{donut(b)}</div>
            </div>
        </section>
    }
}
