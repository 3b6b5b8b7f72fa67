//! Domain figures → SVG with charts-rs, on the server only. Each chart is drawn twice, in the
//! light and the dark theme; the stylesheet shows the one that matches the page.

use charts_rs::{Color, HorizontalBarChart, Series};

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
    let values: Vec<f32> =
        prediction.stages.iter().rev().map(|s| s.estimated_credits.unwrap_or(0) as f32).collect();
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
