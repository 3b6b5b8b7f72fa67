use leptos::prelude::*;

/// A change against an earlier period (`before`: "last week"), by arrow and words, coloured by
/// whether it is good news.
pub fn trend_line(
    change: Option<f64>,
    higher_is_better: bool,
    before: &'static str,
    describe: impl Fn(f64) -> String,
) -> AnyView {
    match change {
        None => view! { <p class="stat-trend trend-flat">{format!("No data to compare with {before}")}</p> }.into_any(),
        Some(0.0) => view! { <p class="stat-trend trend-flat">{format!("Same as {before}")}</p> }.into_any(),
        Some(c) => {
            let class = if (c > 0.0) == higher_is_better { "trend-better" } else { "trend-worse" };
            let arrow = if c < 0.0 { "↓" } else { "↑" };
            view! {
                <p class=format!("stat-trend {class}")>
                    <span aria-hidden="true">{arrow}</span>
                    " "
                    {describe(c)}
                </p>
            }
            .into_any()
        }
    }
}
