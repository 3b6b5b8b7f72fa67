//! "If automation runs now": estimated credits by stage as horizontal bars, written by hand
//! because charts-rs draws a series in one colour and has no axis title. Each stage's name
//! sits above its bar rather than in a column beside it, so the viewBox stays narrow enough
//! to read when the SVG is scaled down to a phone's width (a 317 px card at 375 px: × 0.79).

use std::convert::Infallible;
use std::fmt::Write as _;

use super::{palette, themed, Theme, FONT_FAMILY};
use crate::domain::format::thousands;
use crate::domain::overview::ThemedSvg;
use crate::domain::prediction::{Prediction, StagePrediction};

pub(super) const AXIS_TITLE: &str = "Estimated credits (cr)";
const ARIA_LABEL: &str = "Estimated credits by stage";
/// An upper bound on a character's advance in the sans-serif fonts of the page's stack, in
/// ems (DejaVu Sans, among the widest, averages about 0.6 over these labels).
pub(super) const CHAR_WIDTH_EM: f64 = 0.7;

const MIN_WIDTH: f64 = 400.0;
const MIN_PLOT_WIDTH: f64 = 180.0;
const PAD: f64 = 12.0;
const LABEL_SIZE: f64 = 15.0;
const VALUE_SIZE: f64 = 14.0;
const TICK_SIZE: f64 = 13.0;
const TITLE_SIZE: f64 = 14.0;
const LABEL_TO_BAR: f64 = 6.0;
const BAR_HEIGHT: f64 = 14.0;
const ROW_GAP: f64 = 12.0;
const ROW_HEIGHT: f64 = LABEL_SIZE + LABEL_TO_BAR + BAR_HEIGHT + ROW_GAP;
/// Wide enough to see at × 0.79; a zero also says "0" beside it.
pub(super) const ZERO_MARKER_WIDTH: f64 = 3.0;
const VALUE_GAP: f64 = 6.0;
const TICK_LENGTH: f64 = 5.0;
const MAX_TICK_STEPS: u64 = 5;

/// Estimated credits by stage, as horizontal bars in the stages' colours; `None` without
/// estimates.
pub fn estimated_credits_chart(prediction: &Prediction) -> Option<ThemedSvg> {
    if !prediction.has_enough_history {
        return None;
    }
    let layout = Layout::new(&prediction.stages);
    themed(|theme| Ok::<_, Infallible>(layout.draw(&prediction.stages, theme)))
}

fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * CHAR_WIDTH_EM * size
}

fn stage_label(stage: &StagePrediction) -> String {
    format!("{}. {}", stage.stage, stage.name)
}

/// What a bar's end says: the credits, "(free)" for a stage that costs nothing by its history.
fn value_label(stage: &StagePrediction) -> String {
    match stage.estimated_credits {
        Some(0) if stage.is_free => "0 (free)".to_string(),
        Some(n) => thousands(n.into()),
        None => "no estimate".to_string(),
    }
}

/// The tick step, 1, 2 or 5 × 10ⁿ, that reaches `max` in at most `MAX_TICK_STEPS` steps.
fn tick_step(max: u64) -> u64 {
    let mut magnitude: u64 = 1;
    loop {
        for m in [1, 2, 5] {
            let step = magnitude.saturating_mul(m);
            if max.div_ceil(step) <= MAX_TICK_STEPS {
                return step;
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

/// The geometry shared by both themes.
struct Layout {
    width: f64,
    height: f64,
    /// Where the bars start: the axis's zero.
    x0: f64,
    plot_width: f64,
    step: u64,
    axis_max: u64,
    axis_y: f64,
}

impl Layout {
    fn new(stages: &[StagePrediction]) -> Self {
        let x0 = PAD;
        let max = stages.iter().filter_map(|s| s.estimated_credits).max().unwrap_or(0);
        let step = tick_step(max);
        let axis_max = step.saturating_mul(max.div_ceil(step).max(1));
        let last_tick_half = text_width(&thousands(axis_max.into()), TICK_SIZE) / 2.0;
        let value_widths: Vec<f64> = stages.iter().map(|s| text_width(&value_label(s), VALUE_SIZE)).collect();
        // Wide enough for every stage name, every value beside a zero and a plot beside the
        // widest value; wider than the minimum only for names longer than the stages' own.
        let width = stages
            .iter()
            .zip(&value_widths)
            .flat_map(|(s, value)| {
                [
                    x0 + text_width(&stage_label(s), LABEL_SIZE) + PAD,
                    x0 + ZERO_MARKER_WIDTH + VALUE_GAP + value + PAD,
                    x0 + MIN_PLOT_WIDTH + VALUE_GAP + value + PAD,
                ]
            })
            .chain([MIN_WIDTH, x0 + MIN_PLOT_WIDTH + last_tick_half + PAD])
            .fold(0.0, f64::max)
            .ceil();
        // The longest plot that leaves each bar's value label inside the viewBox.
        let room = width - PAD - x0;
        let plot_width = stages
            .iter()
            .zip(&value_widths)
            .filter_map(|(s, value)| {
                let credits = s.estimated_credits.filter(|&n| n > 0)?;
                Some((room - VALUE_GAP - value) * axis_max as f64 / credits as f64)
            })
            .chain([room - last_tick_half])
            .fold(f64::INFINITY, f64::min);
        let axis_y = PAD / 2.0 + stages.len() as f64 * ROW_HEIGHT - ROW_GAP + 8.0;
        let height = (axis_y + TICK_LENGTH + 2.0 + TICK_SIZE + 10.0 + TITLE_SIZE + PAD / 2.0).ceil();
        Layout { width, height, x0, plot_width, step, axis_max, axis_y }
    }

    fn x(&self, credits: u64) -> f64 {
        self.x0 + self.plot_width * credits as f64 / self.axis_max as f64
    }

    fn draw(&self, stages: &[StagePrediction], theme: Theme) -> String {
        let (text, muted, axis) = (palette::text(theme), palette::muted(theme), palette::axis(theme));
        let label_style = TextStyle { class: "stage-label", size: LABEL_SIZE, anchor: "start", fill: text };
        let value_style = TextStyle { class: "value", size: VALUE_SIZE, anchor: "start", fill: text };
        let tick_style = TextStyle { class: "tick", size: TICK_SIZE, anchor: "middle", fill: muted };
        let title_style = TextStyle { class: "axis-title", size: TITLE_SIZE, anchor: "middle", fill: muted };
        let mut svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{label}" font-family="{font}"><title>{label}</title>"#,
            w = self.width,
            h = self.height,
            label = escape(ARIA_LABEL),
            font = escape(FONT_FAMILY),
        );
        for (row, stage) in stages.iter().enumerate() {
            let top = PAD / 2.0 + row as f64 * ROW_HEIGHT;
            let bar_y = top + LABEL_SIZE + LABEL_TO_BAR;
            push_text(&mut svg, label_style, self.x0, top + LABEL_SIZE, &stage_label(stage));
            let colour = palette::stage_colour(stage.stage, theme);
            let bar_end = match stage.estimated_credits {
                Some(0) => {
                    push_rect(&mut svg, stage.stage, "zero-marker", self.x0, bar_y, ZERO_MARKER_WIDTH, colour);
                    self.x0 + ZERO_MARKER_WIDTH
                }
                Some(n) => {
                    let end = self.x(n);
                    push_rect(&mut svg, stage.stage, "bar", self.x0, bar_y, end - self.x0, colour);
                    end
                }
                None => self.x0 - VALUE_GAP,
            };
            let value_y = bar_y + BAR_HEIGHT / 2.0 + 0.35 * VALUE_SIZE;
            push_text(&mut svg, value_style, bar_end + VALUE_GAP, value_y, &value_label(stage));
        }
        let _ = write!(
            svg,
            r#"<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="{axis}" stroke-width="1"/>"#,
            x0 = fmt(self.x0),
            x1 = fmt(self.x(self.axis_max)),
            y = fmt(self.axis_y),
        );
        for tick in (0..=self.axis_max).step_by(usize::try_from(self.step).unwrap_or(usize::MAX)) {
            let x = fmt(self.x(tick));
            let _ = write!(
                svg,
                r#"<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="{axis}" stroke-width="1"/>"#,
                y1 = fmt(self.axis_y),
                y2 = fmt(self.axis_y + TICK_LENGTH),
            );
            let y = self.axis_y + TICK_LENGTH + 2.0 + TICK_SIZE;
            push_text(&mut svg, tick_style, self.x(tick), y, &thousands(tick.into()));
        }
        // Under the middle of the plot, moved in if the plot is narrower than the title.
        let half_title = text_width(AXIS_TITLE, TITLE_SIZE) / 2.0;
        let title_x = (self.x0 + self.plot_width / 2.0).clamp(half_title, self.width - half_title);
        let title_y = self.height - PAD / 2.0 - 0.25 * TITLE_SIZE;
        push_text(&mut svg, title_style, title_x, title_y, AXIS_TITLE);
        svg.push_str("</svg>");
        svg
    }
}

/// One decimal is finer than a pixel at any size the chart is shown.
fn fmt(n: f64) -> String {
    let s = format!("{n:.1}");
    s.strip_suffix(".0").map_or_else(|| s.clone(), str::to_string)
}

/// `data-stage` lets the stylesheet colour the bar with `--stage-N`, the same value as `fill`.
fn push_rect(svg: &mut String, stage: u8, class: &str, x: f64, y: f64, width: f64, fill: &str) {
    let _ = write!(
        svg,
        r#"<rect class="{class}" data-stage="{stage}" x="{x}" y="{y}" width="{w}" height="{BAR_HEIGHT}" fill="{fill}"/>"#,
        x = fmt(x),
        y = fmt(y),
        w = fmt(width),
    );
}

/// How one kind of text is set.
#[derive(Clone, Copy)]
struct TextStyle<'a> {
    class: &'a str,
    size: f64,
    anchor: &'a str,
    fill: &'a str,
}

fn push_text(svg: &mut String, style: TextStyle, x: f64, y: f64, content: &str) {
    let TextStyle { class, size, anchor, fill } = style;
    let _ = write!(
        svg,
        r#"<text class="{class}" x="{x}" y="{y}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">{content}</text>"#,
        x = fmt(x),
        y = fmt(y),
        content = escape(content),
    );
}

/// Text and attribute values, escaped for XML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::averages::historical_averages;
    use crate::domain::detail::CreditShare;
    use crate::domain::fixtures::plan_run;
    use crate::domain::pipeline::PendingCounts;
    use crate::domain::prediction::predict;
    use crate::server::charts::credits_donut;

    /// One element of a drawn chart: its attributes and, for text, what it says (unescaped).
    struct Element {
        attrs: Vec<(String, String)>,
        content: String,
    }

    impl Element {
        fn get(&self, name: &str) -> Option<&str> {
            self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
        }
        fn attr(&self, name: &str) -> &str {
            self.get(name).unwrap_or_else(|| panic!("no {name}"))
        }
        fn num(&self, name: &str) -> f64 {
            self.attr(name).parse().expect("a number")
        }
    }

    fn unescape(s: &str) -> String {
        s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
    }

    fn elements(svg: &str, tag: &str) -> Vec<Element> {
        let open = format!("<{tag} ");
        svg.match_indices(&open)
            .map(|(at, _)| {
                let rest = &svg[at + open.len()..];
                let head = &rest[..rest.find('>').expect("a closed tag")];
                let attrs = head
                    .trim_end_matches('/')
                    .split('"')
                    .collect::<Vec<_>>()
                    .chunks_exact(2)
                    .map(|pair| (pair[0].trim().trim_end_matches('=').to_string(), unescape(pair[1])))
                    .collect();
                let body = &rest[head.len() + 1..];
                let content = body.find(&format!("</{tag}>")).map_or(String::new(), |end| unescape(&body[..end]));
                Element { attrs, content }
            })
            .collect()
    }

    fn view_box(svg: &str) -> (f64, f64) {
        let root = &elements(svg, "svg")[0];
        let v: Vec<f64> = root.attr("viewBox").split(' ').map(|n| n.parse().expect("a number")).collect();
        assert_eq!((v[0], v[1]), (0.0, 0.0));
        (v[2], v[3])
    }

    /// Stages 3 and 7 free, stage 6 with nothing pending, long and awkward names.
    fn awkward_prediction() -> Prediction {
        let history = [plan_run(), plan_run(), plan_run()];
        let averages = historical_averages(&history);
        let mut prediction = predict(&PendingCounts([120, 8, 32, 20, 15, 0, 12]), averages.as_ref(), 3, 1000);
        prediction.stages[0].name = "Keywords <&> Clusters".into();
        prediction.stages[4].name = "Content → Image Prompts, with alt text for every image".into();
        prediction
    }

    fn chart() -> ThemedSvg {
        estimated_credits_chart(&awkward_prediction()).expect("enough history")
    }

    fn both(svg: &ThemedSvg) -> [(Theme, &str); 2] {
        [(Theme::Light, &svg.light), (Theme::Dark, &svg.dark)]
    }

    #[test]
    fn every_text_lies_inside_the_view_box() {
        for (_, svg) in both(&chart()) {
            let (width, height) = view_box(svg);
            let texts = elements(svg, "text");
            assert!(texts.len() >= 7 + 7 + 1 + 2, "labels, values, title and at least two ticks");
            for t in texts {
                let (x, y, size) = (t.num("x"), t.num("y"), t.num("font-size"));
                let length = t.content.chars().count() as f64 * CHAR_WIDTH_EM * size;
                let (left, right) = match t.attr("text-anchor") {
                    "start" => (x, x + length),
                    "middle" => (x - length / 2.0, x + length / 2.0),
                    "end" => (x - length, x),
                    other => panic!("anchor {other}"),
                };
                assert!(left >= 0.0 && right <= width, "{:?} spans {left}..{right} of 0..{width}", t.content);
                assert!(y - size >= 0.0 && y + 0.3 * size <= height, "{:?} at y {y} of 0..{height}", t.content);
            }
        }
    }

    #[test]
    fn the_axis_has_a_title_with_its_unit_and_ticks_from_zero() {
        for (_, svg) in both(&chart()) {
            let texts = elements(svg, "text");
            assert_eq!(texts.iter().filter(|t| t.attr("class") == "axis-title" && t.content == AXIS_TITLE).count(), 1);
            let ticks: Vec<&str> =
                texts.iter().filter(|t| t.attr("class") == "tick").map(|t| t.content.as_str()).collect();
            assert_eq!(ticks.first(), Some(&"0"), "{ticks:?}");
            assert!(ticks.len() >= 2, "{ticks:?}");
        }
    }

    #[test]
    fn a_zero_shows_a_marker_and_says_zero() {
        for (_, svg) in both(&chart()) {
            let rects = elements(svg, "rect");
            let values: Vec<Element> =
                elements(svg, "text").into_iter().filter(|t| t.attr("class") == "value").collect();
            for (stage, says) in [("3", "0 (free)"), ("6", "0"), ("7", "0 (free)")] {
                let marker = rects.iter().find(|r| r.attr("data-stage") == stage).expect("a marker");
                assert_eq!(marker.attr("class"), "zero-marker", "stage {stage}");
                assert!(marker.num("width") >= 2.0 && marker.num("height") >= 10.0, "stage {stage}: visible");
                let (top, bottom) = (marker.num("y"), marker.num("y") + marker.num("height"));
                let value =
                    values.iter().find(|t| (top..=bottom).contains(&t.num("y"))).expect("a value by the marker");
                assert_eq!(value.content, says, "stage {stage}");
                assert!(value.num("x") > marker.num("x") + marker.num("width"), "beside the marker, not on it");
            }
        }
    }

    #[test]
    fn each_stage_has_its_donut_colour() {
        let shares: Vec<CreditShare> = (1..=7)
            .map(|stage| CreditShare {
                stage,
                name: String::new(),
                activity: String::new(),
                credits: 10,
                share_percent: None,
                is_free: false,
            })
            .collect();
        let donut = credits_donut(&shares).expect("paid stages");
        let bars = chart();
        for ((theme, bars), (_, donut)) in both(&bars).into_iter().zip(both(&donut)) {
            let slices = elements(donut, "path");
            let rects = elements(bars, "rect");
            assert_eq!(rects.len(), 7);
            for rect in rects {
                let stage = rect.attr("data-stage");
                let slice = slices
                    .iter()
                    .find(|p| p.get("data-series") == Some(format!("Stage {stage}").as_str()))
                    .expect("a slice");
                assert!(rect.attr("fill").eq_ignore_ascii_case(slice.attr("fill")), "stage {stage} in {theme:?}");
            }
        }
    }

    #[test]
    fn bars_are_in_stage_order_and_to_scale_with_their_values_beyond_them() {
        let prediction = awkward_prediction();
        let svg = estimated_credits_chart(&prediction).expect("enough history").light;
        let labels: Vec<Element> =
            elements(&svg, "text").into_iter().filter(|t| t.attr("class") == "stage-label").collect();
        assert_eq!(labels[0].content, "1. Keywords <&> Clusters");
        assert!(svg.contains("1. Keywords &lt;&amp;&gt; Clusters") && !svg.contains("<&>"), "escaped");
        assert!(labels.windows(2).all(|w| w[0].num("y") < w[1].num("y")), "stage 1 at the top");
        let rects = elements(&svg, "rect");
        let credits = |i: usize| prediction.stages[i].estimated_credits.expect("an estimate") as f64;
        // Stage 1 and 2 are paid: their widths keep the ratio of their credits.
        let ratio = rects[0].num("width") / rects[1].num("width");
        assert!((ratio - credits(0) / credits(1)).abs() < 0.01, "{ratio}");
        let values: Vec<Element> = elements(&svg, "text").into_iter().filter(|t| t.attr("class") == "value").collect();
        for (rect, value) in rects.iter().zip(&values) {
            assert!(value.num("x") > rect.num("x") + rect.num("width"));
        }
    }

    #[test]
    fn a_stage_without_an_estimate_says_so_without_a_bar() {
        let mut prediction = awkward_prediction();
        prediction.stages[1].estimated_credits = None;
        let svg = estimated_credits_chart(&prediction).expect("enough history").dark;
        assert!(!elements(&svg, "rect").iter().any(|r| r.attr("data-stage") == "2"));
        assert!(elements(&svg, "text").iter().any(|t| t.content == "no estimate"));
    }

    #[test]
    fn ticks_step_by_one_two_or_five() {
        assert_eq!([0, 1, 5, 6, 11, 96, 250, 1234].map(tick_step), [1, 1, 1, 2, 5, 20, 50, 500]);
        // Absurd estimates still draw.
        assert!(estimated_credits_chart(&{
            let mut p = awkward_prediction();
            p.stages[0].estimated_credits = Some(u64::MAX);
            p
        })
        .is_some());
    }

    #[test]
    fn no_bar_chart_without_history() {
        let prediction = predict(&PendingCounts([1; 7]), None, 2, 10);
        assert_eq!(estimated_credits_chart(&prediction), None);
    }
}
