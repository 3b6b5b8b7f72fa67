//! Domain figures → SVG, on the server only: the donut with charts-rs, the bars and the
//! accuracy scatter by hand (bars.rs, accuracy.rs, sharing svg.rs). Each chart is drawn twice, in the light and the dark theme; the stylesheet shows
//! the one that matches the page.

use charts_rs::{Color, PieChart, Series};

use crate::domain::run_detail::CreditShare;
use crate::domain::view::ThemedSvg;

mod accuracy;
mod bars;
mod palette;
mod svg;
mod trends;

pub use accuracy::accuracy_chart;
pub use bars::estimated_credits_chart;
pub use trends::trend_charts;

/// The page's own font stack, so the chart's labels read like the text around them.
const FONT_FAMILY: &str = "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, Arial, sans-serif";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Theme {
    Light,
    Dark,
}

impl Theme {
    /// charts-rs's name for the theme.
    fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

fn themed<E: std::fmt::Display>(draw: impl Fn(Theme) -> Result<String, E>) -> Option<ThemedSvg> {
    match (draw(Theme::Light), draw(Theme::Dark)) {
        (Ok(light), Ok(dark)) => Some(ThemedSvg { light, dark }),
        (Err(e), _) | (_, Err(e)) => {
            tracing::error!(error = %e, "chart rendering failed");
            None
        }
    }
}

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
        let mut chart = PieChart::new_with_theme(series, theme.name());
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
        chart.series.colors = paid.iter().map(|s| Color::from(palette::stage_colour(s.stage, theme))).collect();
        chart.svg()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::detail::run_detail;
    use crate::domain::fixtures::plan_run;
    use crate::domain::view::SiteRef;

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
}
