//! "How good has the estimate been": the backtest's runs as points, the estimate made before
//! each run across, what it used up, on one scale so the dashed diagonal is "exact". Drawn by
//! hand rather than with charts-rs: its scatter chart cannot make a point a link with its own
//! title, nor draw a reference line or a point filled or hollow by a flag, and each point must
//! open its run.

use std::convert::Infallible;
use std::fmt::Write as _;

use super::svg::{escape, fmt, push_line, push_text, text_width, ticks, TextStyle};
use super::{palette, themed, Theme, FONT_FAMILY};
use crate::domain::forecast::BacktestPoint;
use crate::domain::format::thousands;
use crate::domain::run::run_title;
use crate::domain::view::ThemedSvg;
use crate::paths;

pub(super) const X_TITLE: &str = "Estimated credits (cr)";
pub(super) const Y_TITLE: &str = "Actual credits (cr)";

const WIDTH: f64 = 400.0;
const PAD: f64 = 12.0;
const TICK_SIZE: f64 = 13.0;
const TITLE_SIZE: f64 = 14.0;
const TICK_LENGTH: f64 = 5.0;
const TICK_GAP: f64 = 4.0;
/// The dot, and the larger invisible circle around it that takes the pointer, so a point is a
/// target of about 24 px even scaled down to a phone's width.
const DOT_RADIUS: f64 = 5.5;
const HIT_RADIUS: f64 = 15.0;

/// Estimated against actual credits of the backtested runs, each point a link to its run;
/// `None` without a checked run. `domain` names the runs ("gardenguide.io #12").
pub fn accuracy_chart(points: &[BacktestPoint], domain: &str) -> Option<ThemedSvg> {
    if points.is_empty() {
        return None;
    }
    let layout = Layout::new(points);
    themed(|theme| Ok::<_, Infallible>(layout.draw(points, domain, theme)))
}

/// What a point says on hover and to a screen reader.
fn point_title(point: &BacktestPoint, domain: &str) -> String {
    let landed = if point.within_range { "in the likely range" } else { "outside the likely range" };
    format!(
        "{}: estimated {} cr, used {} cr, {landed}",
        run_title(domain, point.run_number),
        thousands(point.predicted.into()),
        thousands(point.actual.into()),
    )
}

/// The geometry shared by both themes: a square plot, both axes on one scale.
struct Layout {
    height: f64,
    left: f64,
    top: f64,
    side: f64,
    step: u64,
    axis_max: u64,
}

impl Layout {
    fn new(points: &[BacktestPoint]) -> Self {
        let max = points.iter().flat_map(|p| [p.predicted, p.actual]).max().unwrap_or(0);
        let (step, axis_max) = ticks(max);
        let widest_tick = text_width(&thousands(axis_max.into()), TICK_SIZE);
        let left = PAD + widest_tick + TICK_GAP + TICK_LENGTH;
        let top = PAD / 2.0 + TITLE_SIZE + 12.0;
        // Room on the right for half the last x tick's label.
        let side = (WIDTH - left - PAD - widest_tick / 2.0).floor();
        let height = (top + side + TICK_LENGTH + 2.0 + TICK_SIZE + 10.0 + TITLE_SIZE + PAD / 2.0).ceil();
        Layout { height, left, top, side, step, axis_max }
    }

    fn x(&self, credits: u64) -> f64 {
        self.left + self.side * credits as f64 / self.axis_max as f64
    }

    fn y(&self, credits: u64) -> f64 {
        self.top + self.side - self.side * credits as f64 / self.axis_max as f64
    }

    fn draw(&self, points: &[BacktestPoint], domain: &str, theme: Theme) -> String {
        let (muted, axis, accent) = (palette::muted(theme), palette::axis(theme), palette::accent(theme));
        let label = format!("Estimated against actual credits, last {} runs", points.len());
        let mut svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="accuracy-chart" width="{WIDTH}" height="{h}" viewBox="0 0 {WIDTH} {h}" role="group" aria-label="{label}" font-family="{font}">"#,
            h = self.height,
            label = escape(&label),
            font = escape(FONT_FAMILY),
        );
        let title_style = |anchor| TextStyle { class: "axis-title", size: TITLE_SIZE, anchor, fill: muted };
        push_text(&mut svg, title_style("start"), PAD, PAD / 2.0 + TITLE_SIZE, Y_TITLE);
        let bottom = self.top + self.side;
        let right = self.x(self.axis_max);
        push_line(&mut svg, "axis", (self.left, bottom), (right, bottom), axis);
        push_line(&mut svg, "axis", (self.left, self.top), (self.left, bottom), axis);
        let tick_x = TextStyle { class: "tick", size: TICK_SIZE, anchor: "middle", fill: muted };
        let tick_y = TextStyle { anchor: "end", ..tick_x };
        for tick in (0..=self.axis_max).step_by(usize::try_from(self.step).unwrap_or(usize::MAX)) {
            let (x, y, label) = (self.x(tick), self.y(tick), thousands(tick.into()));
            push_line(&mut svg, "tick-mark", (x, bottom), (x, bottom + TICK_LENGTH), axis);
            push_text(&mut svg, tick_x, x, bottom + TICK_LENGTH + 2.0 + TICK_SIZE, &label);
            push_line(&mut svg, "tick-mark", (self.left - TICK_LENGTH, y), (self.left, y), axis);
            push_text(&mut svg, tick_y, self.left - TICK_LENGTH - TICK_GAP, y + 0.35 * TICK_SIZE, &label);
        }
        // Where the estimate was exact.
        let _ = write!(
            svg,
            r#"<line class="exact-line" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{muted}" stroke-width="1.5" stroke-dasharray="5 4"/>"#,
            x1 = fmt(self.left),
            y1 = fmt(bottom),
            x2 = fmt(right),
            y2 = fmt(self.top),
        );
        let x_title = self.left + self.side / 2.0;
        push_text(&mut svg, title_style("middle"), x_title, self.height - PAD / 2.0 - 0.25 * TITLE_SIZE, X_TITLE);
        // Oldest first, so the newest run's point lies on top where points meet.
        for point in points.iter().rev() {
            let title = escape(&point_title(point, domain));
            let (class, fill) = if point.within_range {
                ("point in-range", accent)
            } else {
                ("point outside-range", palette::surface(theme))
            };
            let _ = write!(
                svg,
                r#"<a class="point-link" href="{href}" aria-label="{title}"><title>{title}</title><circle class="hit" cx="{cx}" cy="{cy}" r="{HIT_RADIUS}" fill="transparent"/><circle class="{class}" cx="{cx}" cy="{cy}" r="{DOT_RADIUS}" fill="{fill}" stroke="{accent}" stroke-width="2"/></a>"#,
                href = escape(&paths::run_path(&point.run_id)),
                cx = fmt(self.x(point.predicted)),
                cy = fmt(self.y(point.actual)),
            );
        }
        svg.push_str("</svg>");
        svg
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::charts::svg::parse::{assert_texts_inside, elements, view_box, Element};

    fn point(run_number: i64, predicted: u64, actual: u64, within_range: bool) -> BacktestPoint {
        BacktestPoint { run_id: format!("run-{run_number}"), run_number, predicted, actual, within_range }
    }

    fn sample() -> Vec<BacktestPoint> {
        vec![
            point(24, 540, 569, true),
            point(23, 569, 669, false),
            point(22, 0, 310, false),
            point(21, 1_234, 980, true),
        ]
    }

    fn both(svg: &ThemedSvg) -> [&str; 2] {
        [&svg.light, &svg.dark]
    }

    /// The dot of each point link, in drawing order.
    fn dots(svg: &str) -> Vec<Element> {
        elements(svg, "circle").into_iter().filter(|c| c.attr("class").starts_with("point")).collect()
    }

    #[test]
    fn each_point_links_to_its_run_with_a_title() {
        let svg = accuracy_chart(&sample(), "gardenguide.io").expect("points");
        for drawn in both(&svg) {
            let links = elements(drawn, "a");
            assert_eq!(links.len(), 4);
            let hrefs: Vec<&str> = links.iter().map(|a| a.attr("href")).collect();
            assert_eq!(
                hrefs,
                [
                    "/automation/runs/run-21",
                    "/automation/runs/run-22",
                    "/automation/runs/run-23",
                    "/automation/runs/run-24"
                ]
            );
            let titles: Vec<&str> =
                drawn.split("<title>").skip(1).filter_map(|rest| rest.split("</title>").next()).collect();
            assert!(
                titles.contains(&"gardenguide.io #23: estimated 569 cr, used 669 cr, outside the likely range"),
                "{titles:?}"
            );
            for link in &links {
                assert!(link.attr("aria-label").starts_with("gardenguide.io #"), "a name for the link");
            }
            assert!(drawn.contains(r#"role="group""#) && !drawn.contains(r#"role="img""#), "the links stay reachable");
        }
    }

    #[test]
    fn points_sit_on_one_scale_with_the_exact_line_as_diagonal() {
        let light = accuracy_chart(&sample(), "g.io").expect("points").light;
        let line = elements(&light, "line").into_iter().find(|l| l.attr("class") == "exact-line").expect("y = x");
        let (x1, y1, x2, y2) = (line.num("x1"), line.num("y1"), line.num("x2"), line.num("y2"));
        assert!(((x2 - x1) - (y1 - y2)).abs() < 0.01, "45°: one scale on both axes");
        // The point estimated at 0 lies on the y axis, at the height of its 310.
        let dots = dots(&light);
        let zero = &dots[1];
        assert_eq!(zero.num("cx"), x1);
        let per_credit = (y1 - y2) / 1_500.0;
        assert!((zero.num("cy") - (y1 - 310.0 * per_credit)).abs() < 0.1, "{}", zero.num("cy"));
        // 980 actual for 1,234 estimated: under the line.
        let under = &dots[0];
        assert!(under.num("cy") > y1 - under.num("cx") + x1);
    }

    #[test]
    fn in_range_points_are_filled_and_the_others_hollow() {
        let svg = accuracy_chart(&sample(), "g.io").expect("points");
        for (drawn, theme) in [(&svg.light, Theme::Light), (&svg.dark, Theme::Dark)] {
            for dot in dots(drawn) {
                let filled = dot.attr("fill") == palette::accent(theme);
                assert_eq!(filled, dot.attr("class").contains("in-range"), "{:?}", dot.attrs);
                assert_eq!(dot.attr("stroke"), palette::accent(theme));
            }
        }
    }

    #[test]
    fn axes_have_titles_and_every_text_is_inside() {
        let wide = vec![point(1, 9_876_543, 12_345_678, true), point(2, 1, 1, true)];
        for points in [sample(), wide, vec![point(7, 3, 3, true)]] {
            let svg = accuracy_chart(&points, "a-rather-long-domain-name.example").expect("points");
            for drawn in both(&svg) {
                let texts = elements(drawn, "text");
                for title in [X_TITLE, Y_TITLE] {
                    assert_eq!(texts.iter().filter(|t| t.content == title).count(), 1, "{title}");
                }
                assert_texts_inside(drawn);
                let (width, height) = view_box(drawn);
                for dot in elements(drawn, "circle") {
                    let (cx, cy, r) = (dot.num("cx"), dot.num("cy"), dot.num("r"));
                    let inside = |c: f64, size: f64| c - DOT_RADIUS >= 0.0 && c + DOT_RADIUS <= size;
                    assert!(inside(cx, width) && inside(cy, height), "a dot at {cx},{cy} (r {r})");
                }
            }
        }
    }

    #[test]
    fn tied_points_are_both_drawn_and_linked() {
        let tied = vec![point(2, 300, 300, true), point(1, 300, 300, true)];
        let light = accuracy_chart(&tied, "g.io").expect("points").light;
        let dots = dots(&light);
        assert_eq!(dots.len(), 2);
        assert_eq!((dots[0].num("cx"), dots[0].num("cy")), (dots[1].num("cx"), dots[1].num("cy")));
        // The newer run is drawn last, on top.
        assert_eq!(
            elements(&light, "a").last().map(|a| a.attr("href").to_string()),
            Some("/automation/runs/run-2".into())
        );
    }

    #[test]
    fn no_chart_without_checked_runs() {
        assert_eq!(accuracy_chart(&[], "g.io"), None);
    }

    #[test]
    fn run_ids_are_escaped_in_the_links() {
        let mut odd = point(5, 10, 12, false);
        odd.run_id = "a\"b<c>".into();
        let light = accuracy_chart(&[odd], "g.io").expect("a point").light;
        assert!(light.contains(r#"href="/automation/runs/a&quot;b&lt;c&gt;""#));
    }
}
