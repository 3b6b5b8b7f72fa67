use leptos::prelude::*;

/// What a stacked chart's colours stand for: each entry's swatch takes its colour from the
/// stylesheet by `data-stage` or `data-status`, the same attribute the chart's bars carry.
#[component]
pub fn ChartLegend(
    #[prop(into)] title: String,
    /// (attribute name, its value, the words)
    entries: Vec<(&'static str, String, String)>,
) -> impl IntoView {
    view! {
        <div class="stage-legend">
            <span class="stage-legend-title">{title}</span>
            <ul>
                {entries
                    .into_iter()
                    .map(|(attr, value, words)| {
                        let swatch = if attr == "data-stage" {
                            view! { <span class="legend-swatch" data-stage=value aria-hidden="true"></span> }
                                .into_any()
                        } else {
                            view! { <span class="legend-swatch" data-status=value aria-hidden="true"></span> }
                                .into_any()
                        };
                        view! { <li>{swatch} {words}</li> }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}
