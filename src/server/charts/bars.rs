//! "If automation runs now": estimated credits by stage as horizontal bars, written by hand
//! because charts-rs draws a series in one colour and has no axis title. Each stage's name
//! sits above its bar rather than in a column beside it, so the viewBox stays narrow enough
//! to read when the SVG is scaled down to a phone's width (a 317 px card at 375 px: × 0.79).
//! Above the bars, the total and its likely range; where a short balance runs out, a mark
//! across that stage's bar and a label under it.

use std::convert::Infallible;
use std::fmt::Write as _;

use super::svg::{escape, fmt, push_line, push_text, text_width, ticks, TextStyle};
use super::{palette, themed, Theme, FONT_FAMILY};
use crate::domain::format::thousands;
use crate::domain::prediction::{Prediction, StagePrediction};
use crate::domain::view::ThemedSvg;

pub(super) const AXIS_TITLE: &str = "Estimated credits (cr)";
pub(super) const RUNS_OUT_LABEL: &str = "Balance runs out here";
const ARIA_LABEL: &str = "Estimated credits by stage";

const MIN_WIDTH: f64 = 400.0;
const MIN_PLOT_WIDTH: f64 = 180.0;
const PAD: f64 = 12.0;
const CAPTION_SIZE: f64 = 14.0;
const CAPTION_GAP: f64 = 10.0;
const LABEL_SIZE: f64 = 15.0;
const VALUE_SIZE: f64 = 14.0;
const TICK_SIZE: f64 = 13.0;
const TITLE_SIZE: f64 = 14.0;
const RUNS_OUT_SIZE: f64 = 13.0;
const LABEL_TO_BAR: f64 = 6.0;
const BAR_HEIGHT: f64 = 14.0;
const ROW_GAP: f64 = 12.0;
const ROW_HEIGHT: f64 = LABEL_SIZE + LABEL_TO_BAR + BAR_HEIGHT + ROW_GAP;
/// The runs-out label's line under its bar.
const RUNS_OUT_LINE: f64 = 6.0 + RUNS_OUT_SIZE;
/// How far the runs-out mark reaches beyond the bar, so it shows against the card as well as
/// against the bar's own colour.
const MARK_OVERHANG: f64 = 4.0;
/// Wide enough to see at × 0.79; a zero also says "0" beside it.
pub(super) const ZERO_MARKER_WIDTH: f64 = 3.0;
const VALUE_GAP: f64 = 6.0;
const TICK_LENGTH: f64 = 5.0;

/// Estimated credits by stage, as horizontal bars in the stages' colours; `None` without
/// estimates.
pub fn estimated_credits_chart(prediction: &Prediction) -> Option<ThemedSvg> {
    if !prediction.has_enough_history {
        return None;
    }
    let layout = Layout::new(prediction);
    themed(|theme| Ok::<_, Infallible>(layout.draw(&prediction.stages, theme)))
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

/// "Total 569 cr, likely 500–640 cr" above the bars: the range belongs to the whole run, not
/// to a stage. `None` without a range.
fn range_caption(prediction: &Prediction) -> Option<String> {
    let (total, range) = prediction.total_estimated_credits.zip(prediction.likely_range)?;
    let likely = if range.low == range.high {
        thousands(range.low.into())
    } else {
        format!("{}–{}", thousands(range.low.into()), thousands(range.high.into()))
    };
    Some(format!("Total {} cr, likely {likely} cr", thousands(total.into())))
}

/// The stage where the balance runs out, and the credits of that stage the balance still pays:
/// where its mark crosses the bar.
fn runs_out_point(prediction: &Prediction) -> Option<(u8, u64)> {
    let stage = prediction.runs_out_at_stage?;
    let before: i128 = prediction
        .stages
        .iter()
        .take_while(|s| s.stage != stage)
        .map(|s| i128::from(s.estimated_credits.unwrap_or(0)))
        .sum();
    let left = u64::try_from(i128::from(prediction.current_balance) - before).unwrap_or(0);
    Some((stage, left))
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
    caption: Option<String>,
    /// The top of each stage's row.
    row_tops: Vec<f64>,
    runs_out: Option<(u8, u64)>,
}

impl Layout {
    fn new(prediction: &Prediction) -> Self {
        let stages = &prediction.stages;
        let x0 = PAD;
        let max = stages.iter().filter_map(|s| s.estimated_credits).max().unwrap_or(0);
        let (step, axis_max) = ticks(max);
        let last_tick_half = text_width(&thousands(axis_max.into()), TICK_SIZE) / 2.0;
        let value_widths: Vec<f64> = stages.iter().map(|s| text_width(&value_label(s), VALUE_SIZE)).collect();
        let caption = range_caption(prediction);
        let runs_out = runs_out_point(prediction);
        // Wide enough for every stage name, every value beside a zero, a plot beside the widest
        // value and the caption; wider than the minimum only for names longer than the stages'.
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
            .chain(caption.iter().map(|c| x0 + text_width(c, CAPTION_SIZE) + PAD))
            .chain(runs_out.map(|_| x0 + text_width(RUNS_OUT_LABEL, RUNS_OUT_SIZE) + PAD))
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
        let mut top = PAD / 2.0 + caption.as_ref().map_or(0.0, |_| CAPTION_SIZE + CAPTION_GAP);
        let row_tops = stages
            .iter()
            .map(|s| {
                let row = top;
                let extra = if runs_out.is_some_and(|(stage, _)| stage == s.stage) { RUNS_OUT_LINE } else { 0.0 };
                top += ROW_HEIGHT + extra;
                row
            })
            .collect();
        let axis_y = top - ROW_GAP + 8.0;
        let height = (axis_y + TICK_LENGTH + 2.0 + TICK_SIZE + 10.0 + TITLE_SIZE + PAD / 2.0).ceil();
        Layout { width, height, x0, plot_width, step, axis_max, axis_y, caption, row_tops, runs_out }
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
        if let Some(caption) = &self.caption {
            let style = TextStyle { class: "likely-range", size: CAPTION_SIZE, anchor: "start", fill: text };
            push_text(&mut svg, style, self.x0, PAD / 2.0 + CAPTION_SIZE, caption);
        }
        for (stage, &top) in stages.iter().zip(&self.row_tops) {
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
            if let Some((_, paid)) = self.runs_out.filter(|(s, _)| *s == stage.stage) {
                let credits = stage.estimated_credits.unwrap_or(0);
                self.draw_runs_out(&mut svg, theme, self.x(paid.min(credits)), bar_y);
            }
        }
        push_line(&mut svg, "axis", (self.x0, self.axis_y), (self.x(self.axis_max), self.axis_y), axis);
        for tick in (0..=self.axis_max).step_by(usize::try_from(self.step).unwrap_or(usize::MAX)) {
            let x = self.x(tick);
            push_line(&mut svg, "tick-mark", (x, self.axis_y), (x, self.axis_y + TICK_LENGTH), axis);
            let y = self.axis_y + TICK_LENGTH + 2.0 + TICK_SIZE;
            push_text(&mut svg, tick_style, x, y, &thousands(tick.into()));
        }
        // Under the middle of the plot, moved in if the plot is narrower than the title.
        let half_title = text_width(AXIS_TITLE, TITLE_SIZE) / 2.0;
        let title_x = (self.x0 + self.plot_width / 2.0).clamp(half_title, self.width - half_title);
        let title_y = self.height - PAD / 2.0 - 0.25 * TITLE_SIZE;
        push_text(&mut svg, title_style, title_x, title_y, AXIS_TITLE);
        svg.push_str("</svg>");
        svg
    }

    /// A mark across the bar where the balance is spent, on a halo of the card's colour so it
    /// stands out of any stage colour, and the label under the bar, starting at the mark (or
    /// ending there when the mark is too far right).
    fn draw_runs_out(&self, svg: &mut String, theme: Theme, x: f64, bar_y: f64) {
        let (top, bottom) = (bar_y - MARK_OVERHANG, bar_y + BAR_HEIGHT + MARK_OVERHANG);
        let _ = write!(
            svg,
            r#"<g class="runs-out-marker"><line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="{halo}" stroke-width="6"/><line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="{mark}" stroke-width="3"/></g>"#,
            x = fmt(x),
            y1 = fmt(top),
            y2 = fmt(bottom),
            halo = palette::surface(theme),
            mark = palette::danger(theme),
        );
        let label_width = text_width(RUNS_OUT_LABEL, RUNS_OUT_SIZE);
        let (anchor, at) =
            if x + label_width <= self.width - PAD { ("start", x) } else { ("end", x.min(self.width - PAD)) };
        let style =
            TextStyle { class: "runs-out-label", size: RUNS_OUT_SIZE, anchor, fill: palette::danger_text(theme) };
        push_text(svg, style, at, bottom + 2.0 + RUNS_OUT_SIZE, RUNS_OUT_LABEL);
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::averages::historical_averages;
    use crate::domain::fixtures::plan_run;
    use crate::domain::forecast::LikelyRange;
    use crate::domain::pipeline::PendingCounts;
    use crate::domain::prediction::predict;
    use crate::domain::run_detail::CreditShare;
    use crate::server::charts::credits_donut;
    use crate::server::charts::svg::parse::{assert_texts_inside, elements, view_box, Element};

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
            assert!(elements(svg, "text").len() >= 7 + 7 + 1 + 2, "labels, values, title and at least two ticks");
            assert_texts_inside(svg);
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
    fn absurd_estimates_still_draw() {
        let mut p = awkward_prediction();
        p.stages[0].estimated_credits = Some(u64::MAX);
        assert!(estimated_credits_chart(&p).is_some());
    }

    /// The plan run's own queue (45, 120, 0, 310, 22, 72, 0 credits; running sums 45, 165, 165,
    /// 475, 497, 569, 569) at `balance`, with a likely range.
    fn plan_queue(balance: i64) -> Prediction {
        let history = [plan_run(), plan_run(), plan_run()];
        let averages = historical_averages(&history);
        let prediction = predict(&PendingCounts([150, 10, 50, 25, 15, 8, 5]), averages.as_ref(), 3, balance);
        Prediction {
            likely_range: Some(LikelyRange { low: 500, high: 1_640, runs: 10, runs_in_range: 8 }),
            ..prediction
        }
    }

    fn texts_of(svg: &str, class: &str) -> Vec<Element> {
        elements(svg, "text").into_iter().filter(|t| t.attr("class") == class).collect()
    }

    #[test]
    fn the_total_and_its_likely_range_head_the_chart() {
        let svg = estimated_credits_chart(&plan_queue(10_000)).expect("enough history");
        for (_, theme) in both(&svg) {
            let caption = texts_of(theme, "likely-range");
            assert_eq!(caption.len(), 1);
            assert_eq!(caption[0].content, "Total 569 cr, likely 500–1,640 cr");
            let first_label = &texts_of(theme, "stage-label")[0];
            assert!(caption[0].num("y") < first_label.num("y") - LABEL_SIZE, "above the first stage");
            assert_texts_inside(theme);
        }
        let mut one = plan_queue(10_000);
        one.likely_range = Some(LikelyRange { low: 569, high: 569, runs: 3, runs_in_range: 3 });
        let light = estimated_credits_chart(&one).expect("enough history").light;
        assert_eq!(texts_of(&light, "likely-range")[0].content, "Total 569 cr, likely 569 cr");
        // Without a range (the page's data before one is computed), no caption.
        let light = estimated_credits_chart(&chart_free_range()).expect("enough history").light;
        assert!(texts_of(&light, "likely-range").is_empty());
    }

    fn chart_free_range() -> Prediction {
        Prediction { likely_range: None, ..plan_queue(10_000) }
    }

    #[test]
    fn a_long_caption_widens_the_chart_rather_than_leave_it() {
        let mut p = plan_queue(10_000);
        p.total_estimated_credits = Some(123_456_789_012);
        p.likely_range = Some(LikelyRange { low: 100_000_000_000, high: 234_567_890_123, runs: 10, runs_in_range: 8 });
        let svg = estimated_credits_chart(&p).expect("enough history");
        assert!(view_box(&svg.light).0 > MIN_WIDTH);
        assert_texts_inside(&svg.light);
    }

    /// The runs-out mark's x (its lines share it) and the label, in `svg`.
    fn runs_out(svg: &str) -> Option<(f64, Element)> {
        let mark = elements(svg, "line").into_iter().find(svg_mark)?;
        let label = texts_of(svg, "runs-out-label").into_iter().next().expect("a label with the mark");
        Some((mark.num("x1"), label))
    }

    fn svg_mark(line: &Element) -> bool {
        [palette::danger(Theme::Light), palette::danger(Theme::Dark)].contains(&line.attr("stroke"))
    }

    #[test]
    fn a_short_balance_marks_where_it_runs_out_in_its_stage() {
        // 120 credits: stage 1 takes 45, so 75 of stage 2's 120 are paid.
        let svg = estimated_credits_chart(&plan_queue(120)).expect("enough history");
        for (theme, drawn) in both(&svg) {
            assert_texts_inside(drawn);
            let (x, label) = runs_out(drawn).expect("a mark");
            assert_eq!(label.content, RUNS_OUT_LABEL);
            assert_eq!(label.attr("fill"), palette::danger_text(theme));
            let bar = elements(drawn, "rect").into_iter().find(|r| r.attr("data-stage") == "2").expect("stage 2");
            let (left, right) = (bar.num("x"), bar.num("x") + bar.num("width"));
            let expected = left + (right - left) * 75.0 / 120.0;
            assert!((x - expected).abs() < 0.2, "{x} ≠ {expected}");
            // The label sits under stage 2's bar, above stage 3's name.
            let labels = texts_of(drawn, "stage-label");
            assert!(label.num("y") - RUNS_OUT_SIZE > bar.num("y") + bar.num("height"));
            assert!(label.num("y") < labels[2].num("y") - LABEL_SIZE);
            assert_eq!(elements(drawn, "g").iter().filter(|g| g.attr("class") == "runs-out-marker").count(), 1);
        }
    }

    #[test]
    fn the_mark_stays_on_its_bar_at_either_end() {
        // Nothing left for stage 1: the mark sits at the bar's start.
        let light = estimated_credits_chart(&plan_queue(-5)).expect("enough history").light;
        let (x, label) = runs_out(&light).expect("a mark");
        assert_eq!(x, PAD);
        assert_eq!(label.attr("text-anchor"), "start");
        // 474 of 475: all but one credit of stage 4, the longest bar: the label ends at the mark.
        let light = estimated_credits_chart(&plan_queue(474)).expect("enough history").light;
        let (x, label) = runs_out(&light).expect("a mark");
        let bar = elements(&light, "rect").into_iter().find(|r| r.attr("data-stage") == "4").expect("stage 4");
        assert!(x <= bar.num("x") + bar.num("width") && x > bar.num("x") + bar.num("width") - 2.0);
        assert_eq!(label.attr("text-anchor"), "end");
        assert_texts_inside(&light);
    }

    #[test]
    fn no_mark_when_the_balance_covers_the_estimate() {
        let svg = estimated_credits_chart(&plan_queue(569)).expect("enough history");
        for (_, drawn) in both(&svg) {
            assert!(runs_out(drawn).is_none());
            assert!(!drawn.contains(RUNS_OUT_LABEL));
        }
    }

    #[test]
    fn no_bar_chart_without_history() {
        let prediction = predict(&PendingCounts([1; 7]), None, 2, 10);
        assert_eq!(estimated_credits_chart(&prediction), None);
    }
}
