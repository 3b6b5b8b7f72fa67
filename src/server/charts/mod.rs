//! Domain figures → SVG with charts-rs, on the server only. Each chart is drawn twice, in the
//! light and the dark theme; the stylesheet shows the one that matches the page.

use charts_rs::{Color, HorizontalBarChart, PieChart, Series};

use crate::domain::detail::CreditShare;
use crate::domain::overview::ThemedSvg;
use crate::domain::prediction::Prediction;

/// The page's own font stack, so the chart's labels read like the text around them.
const FONT_FAMILY: &str = "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, Arial, sans-serif";

fn themed<E: std::fmt::Display>(draw: impl Fn(&str) -> Result<String, E>) -> Option<ThemedSvg> {
    match (draw("light"), draw("dark")) {
        (Ok(light), Ok(dark)) => Some(ThemedSvg { light, dark }),
        (Err(e), _) | (_, Err(e)) => {
            tracing::error!(error = %e, "chart rendering failed");
            None
        }
    }
}

/// Estimated credits by stage, as horizontal bars; `None` without estimates.
pub fn estimated_credits_chart(prediction: &Prediction) -> Option<ThemedSvg> {
    if !prediction.has_enough_history {
        return None;
    }
    // The bars are drawn from the bottom up; reversed, stage 1 reads first.
    let labels: Vec<String> = prediction.stages.iter().rev().map(|s| format!("{} {}", s.stage, s.name)).collect();
    let values: Vec<f32> = prediction.stages.iter().rev().map(|s| s.estimated_credits.unwrap_or(0) as f32).collect();
    themed(|theme| {
        let mut chart = HorizontalBarChart::new_with_theme(
            vec![Series::new("Estimated credits".to_string(), values.clone())],
            labels.clone(),
            theme,
        );
        chart.width = 640.0;
        chart.height = 320.0;
        chart.background_color = Color::transparent();
        chart.font_family = FONT_FAMILY.to_string();
        chart.legend.show = Some(false);
        chart.series_list[0].label_show = true;
        chart.margin.right = 40.0;
        chart.margin.left = 10.0;
        chart.svg()
    })
}

/// Each stage's colour per theme: the stylesheet's `--stage-N`, so chart and legend agree.
const STAGE_COLOURS: [(&str, &str); 7] = [
    ("#2f6fdb", "#6ea8ff"),
    ("#0e8074", "#2cc9b5"),
    ("#4f8a10", "#9bd44a"),
    ("#c25e00", "#ff9f45"),
    ("#c0266d", "#ff7ab8"),
    ("#7a48d6", "#b59cff"),
    ("#8b5a2b", "#d4a373"),
];

/// The run's credits by stage as a donut; free stages have no slice. `None` when the run
/// used no credits. The total and the labels are in the page's HTML beside it.
pub fn credits_donut(shares: &[CreditShare]) -> Option<ThemedSvg> {
    let paid: Vec<&CreditShare> = shares.iter().filter(|s| s.credits > 0).collect();
    if paid.is_empty() {
        return None;
    }
    themed(|theme| {
        let series = paid
            .iter()
            .map(|s| {
                let mut series = Series::new(format!("Stage {}", s.stage), vec![s.credits as f32]);
                series.label_show = false;
                series
            })
            .collect();
        let mut chart = PieChart::new_with_theme(series, theme);
        chart.width = 280.0;
        chart.height = 280.0;
        chart.radius = 120.0;
        chart.inner_radius = 72.0;
        chart.rose_type = Some(false);
        chart.background_color = Color::transparent();
        chart.font_family = FONT_FAMILY.to_string();
        chart.legend.show = Some(false);
        // No slice labels: they clip at the chart's edge, and the legend table names each slice.
        chart.min_show_label_angle = 360.0;
        chart.series.colors = paid
            .iter()
            .map(|s| {
                let (light, dark) = STAGE_COLOURS[usize::from(s.stage) - 1];
                Color::from(if theme == "dark" { dark } else { light })
            })
            .collect();
        chart.svg()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::averages::historical_averages;
    use crate::domain::detail::{run_detail, SiteRef};
    use crate::domain::fixtures::plan_run;
    use crate::domain::pipeline::PendingCounts;
    use crate::domain::prediction::predict;

    /// The y of the <text> element that holds `label`.
    fn label_y(svg: &str, label: &str) -> f32 {
        let at = svg.find(label).expect("label drawn");
        let start = svg[..at].rfind("<text").expect("inside a text element");
        let y = &svg[start..at][svg[start..at].find(" y=\"").expect("a y attribute") + 4..];
        y[..y.find('"').expect("closing quote")].parse().expect("a number")
    }

    fn count(svg: &str, needle: &str) -> usize {
        svg.matches(needle).count()
    }

    #[test]
    fn donut_has_one_slice_per_paid_stage_and_no_labels() {
        let run = plan_run();
        let site = SiteRef { id: 1, name: "T".into(), domain: "t.com".into() };
        let detail = run_detail(&run, &site, None, 0, run.started_at);
        let svg = credits_donut(&detail.metrics.credit_shares).expect("the run used credits");
        for theme in [&svg.light, &svg.dark] {
            assert!(theme.starts_with("<svg"), "an SVG document");
            assert_eq!(count(theme, "<path"), 5, "five paid stages, five slices: {theme}");
            assert_eq!(count(theme, "<text"), 0, "slice labels are left to the legend table");
        }
        assert!(svg.light.contains("fill=\"#C25E00\" data-series=\"Stage 4\""), "stage 4 in its light colour");
        assert!(svg.dark.contains("fill=\"#FF9F45\" data-series=\"Stage 4\""), "stage 4 in its dark colour");
    }

    #[test]
    fn no_donut_without_credits() {
        assert_eq!(credits_donut(&[]), None);
    }

    #[test]
    fn bar_chart_labels_are_escaped_and_ordered() {
        let history = [plan_run(), plan_run(), plan_run()];
        let averages = historical_averages(&history);
        let mut prediction = predict(&PendingCounts([120, 8, 32, 20, 15, 24, 12]), averages.as_ref(), 3, 1000);
        prediction.stages[0].name = "Keywords <&> Clusters".into();
        let svg = estimated_credits_chart(&prediction).expect("enough history");
        assert!(svg.light.contains("Keywords &lt;&amp;&gt; Clusters"), "{}", svg.light);
        assert!(!svg.light.contains("<&>"));
        assert!(label_y(&svg.light, "1 Keywords") < label_y(&svg.light, "7 Review"), "stage 1 reads first, at the top");
    }

    #[test]
    fn no_bar_chart_without_history() {
        let prediction = predict(&PendingCounts([1; 7]), None, 2, 10);
        assert_eq!(estimated_credits_chart(&prediction), None);
    }
}
