//! The trends page's charts, drawn by hand on one time axis: a figure per run with its rolling
//! median and its anomalies (each a link to its run), and stacked bars per day or week (credits
//! by stage, runs by status). A long, busy range is drawn per pixel column (the lowest and
//! highest run in it as one stroke), so the SVG stays small and quick whatever the run count.

use std::convert::Infallible;
use std::fmt::Write as _;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::svg::{escape, fmt, push_line, push_text, text_width, ticks, TextStyle};
use super::{palette, themed, Theme, FONT_FAMILY};
use crate::domain::format::thousands;
use crate::domain::run::{run_title, RunStatus};
use crate::domain::stage::STAGE_COUNT;
use crate::domain::trends::{Granularity, TrendCharts, TrendFigure, TrendsView, STATUS_ORDER};
use crate::domain::view::ThemedSvg;
use crate::paths;

const WIDTH: f64 = 640.0;
const PAD: f64 = 12.0;
const TICK_SIZE: f64 = 13.0;
const TITLE_SIZE: f64 = 14.0;
const TICK_LENGTH: f64 = 5.0;
const TICK_GAP: f64 = 4.0;
const PLOT_HEIGHT: f64 = 180.0;
/// Up to this many runs each get a dot; beyond, the runs are drawn per pixel column.
const MAX_DOTS: usize = 250;
const DOT_RADIUS: f64 = 2.5;
/// The anomaly's diamond (half its diagonal), and the invisible circle that takes the pointer.
const MARK_SIZE: f64 = 6.5;
const HIT_RADIUS: f64 = 12.0;
const X_TICKS: i64 = 5;

/// The stylesheet's `[data-status]` colours, which the page's legend swatches use.
fn status_colour(status: RunStatus, theme: Theme) -> &'static str {
    match status {
        RunStatus::Completed => palette::stage_colour(2, theme),
        RunStatus::Failed => palette::danger(theme),
        RunStatus::Cancelled => palette::axis(theme),
        RunStatus::Running => palette::stage_colour(1, theme),
        RunStatus::Paused => palette::stage_colour(4, theme),
    }
}

/// All the trends page's charts; a chart is `None` when it has nothing to draw.
pub fn trend_charts(view: &TrendsView) -> TrendCharts {
    let axis = TimeAxis::of(view);
    let line = |figure| LineChart::new(view, figure, &axis).map(|c| themed(|t| Ok::<_, Infallible>(c.draw(t))));
    TrendCharts {
        credits: line(TrendFigure::TotalCreditsUsed).flatten(),
        duration: line(TrendFigure::DurationSeconds).flatten(),
        credits_per_content: line(TrendFigure::CreditsPerContent).flatten(),
        stage_credits: stage_credits_chart(view, &axis),
        runs_by_status: runs_by_status_chart(view),
    }
}

/// The days the charts span: from the first bucket's start to the end of the last.
struct TimeAxis {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

fn day_start(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

fn step(granularity: Granularity) -> Duration {
    Duration::days(match granularity {
        Granularity::Day => 1,
        Granularity::Week => 7,
    })
}

impl TimeAxis {
    fn of(view: &TrendsView) -> TimeAxis {
        let buckets = &view.report.stage_credits;
        let last_run = view.report.runs.last().map(|r| r.started_at);
        let from = buckets.first().map(|b| day_start(b.start)).or(view.report.runs.first().map(|r| r.started_at));
        let to = buckets.last().map(|b| day_start(b.start) + step(view.report.granularity)).or(last_run);
        let from = from.unwrap_or_default();
        TimeAxis { from, to: to.filter(|t| *t > from).unwrap_or(from + Duration::days(1)) }
    }

    /// Where `t` lies along `width`, 0 to 1 of it.
    fn share(&self, t: DateTime<Utc>) -> f64 {
        let span = (self.to - self.from).num_seconds().max(1) as f64;
        ((t - self.from).num_seconds() as f64 / span).clamp(0.0, 1.0)
    }

    /// About five dates, evenly spaced, as "Mar 4".
    fn ticks(&self) -> Vec<(DateTime<Utc>, String)> {
        let days = (self.to - self.from).num_days().max(1);
        let every = (days / X_TICKS).max(1);
        (0..=X_TICKS)
            .map(|i| self.from + Duration::days(i * every))
            .filter(|t| *t <= self.to)
            .map(|t| (t, t.format("%b %-d").to_string()))
            .collect()
    }
}

/// A plot's frame: the left edge after the y ticks, its top, width and bottom.
struct Frame {
    left: f64,
    top: f64,
    plot_width: f64,
    bottom: f64,
    height: f64,
    axis_max: u64,
    step: u64,
}

impl Frame {
    fn new(axis_max_value: u64, y_label: impl Fn(u64) -> String) -> Frame {
        let (step, axis_max) = ticks(axis_max_value);
        let widest = (0..=axis_max)
            .step_by(usize::try_from(step).unwrap_or(usize::MAX))
            .map(|t| text_width(&y_label(t), TICK_SIZE))
            .fold(0.0, f64::max);
        let left = PAD + widest + TICK_GAP + TICK_LENGTH;
        let top = PAD / 2.0 + TITLE_SIZE + 12.0;
        // Room on the right for half the last date.
        let plot_width = WIDTH - left - PAD - text_width("Mar 31", TICK_SIZE) / 2.0;
        let bottom = top + PLOT_HEIGHT;
        let height = (bottom + TICK_LENGTH + 2.0 + TICK_SIZE + PAD).ceil();
        Frame { left, top, plot_width, bottom, height, axis_max, step }
    }

    fn y(&self, value: f64) -> f64 {
        self.bottom - PLOT_HEIGHT * (value / self.axis_max as f64).clamp(0.0, 1.0)
    }

    fn x(&self, axis: &TimeAxis, t: DateTime<Utc>) -> f64 {
        self.left + self.plot_width * axis.share(t)
    }

    /// The svg element, the y title, both axes and their ticks.
    fn open(&self, theme: Theme, role: &str, label: &str, y_title: &str, y_label: impl Fn(u64) -> String) -> String {
        let (muted, axis_colour) = (palette::muted(theme), palette::axis(theme));
        let mut svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" width="{WIDTH}" height="{h}" viewBox="0 0 {WIDTH} {h}" role="{role}" aria-label="{label}" font-family="{font}">"#,
            h = self.height,
            label = escape(label),
            font = escape(FONT_FAMILY),
        );
        if role == "img" {
            let _ = write!(svg, "<title>{}</title>", escape(label));
        }
        let title = TextStyle { class: "axis-title", size: TITLE_SIZE, anchor: "start", fill: muted };
        push_text(&mut svg, title, PAD, PAD / 2.0 + TITLE_SIZE, y_title);
        let right = self.left + self.plot_width;
        push_line(&mut svg, "axis", (self.left, self.bottom), (right, self.bottom), axis_colour);
        push_line(&mut svg, "axis", (self.left, self.top), (self.left, self.bottom), axis_colour);
        let tick_y = TextStyle { class: "tick", size: TICK_SIZE, anchor: "end", fill: muted };
        for tick in (0..=self.axis_max).step_by(usize::try_from(self.step).unwrap_or(usize::MAX)) {
            let y = self.y(tick as f64);
            push_line(&mut svg, "tick-mark", (self.left - TICK_LENGTH, y), (self.left, y), axis_colour);
            push_text(&mut svg, tick_y, self.left - TICK_LENGTH - TICK_GAP, y + 0.35 * TICK_SIZE, &y_label(tick));
        }
        svg
    }

    fn close_with_dates(&self, svg: &mut String, theme: Theme, axis: &TimeAxis) {
        let (muted, axis_colour) = (palette::muted(theme), palette::axis(theme));
        let tick_x = TextStyle { class: "tick", size: TICK_SIZE, anchor: "middle", fill: muted };
        for (t, label) in axis.ticks() {
            let x = self.x(axis, t);
            push_line(svg, "tick-mark", (x, self.bottom), (x, self.bottom + TICK_LENGTH), axis_colour);
            push_text(svg, tick_x, x, self.bottom + TICK_LENGTH + 2.0 + TICK_SIZE, &label);
        }
        svg.push_str("</svg>");
    }
}

/// The unit a figure's axis counts in: minutes for durations, so the ticks are round.
fn axis_unit(figure: TrendFigure) -> (f64, &'static str) {
    match figure {
        TrendFigure::TotalCreditsUsed => (1.0, "Credits used (cr)"),
        TrendFigure::DurationSeconds => (60.0, "Duration (minutes)"),
        TrendFigure::CreditsPerContent => (1.0, "Credits per content item (cr)"),
    }
}

struct Point {
    x: f64,
    value: f64,
    median: Option<f64>,
}

struct Mark {
    x: f64,
    value: f64,
    run_id: String,
    title: String,
}

struct LineChart<'a> {
    figure: TrendFigure,
    axis: &'a TimeAxis,
    frame: Frame,
    points: Vec<Point>,
    marks: Vec<Mark>,
    label: String,
}

impl<'a> LineChart<'a> {
    fn new(view: &TrendsView, figure: TrendFigure, axis: &'a TimeAxis) -> Option<LineChart<'a>> {
        let (unit, _) = axis_unit(figure);
        let report = &view.report;
        let rows: Vec<_> = report
            .runs
            .iter()
            .zip(&report.medians)
            .filter_map(|(run, m)| {
                let value = match figure {
                    TrendFigure::TotalCreditsUsed => Some(run.total_credits_used as f64),
                    TrendFigure::DurationSeconds => Some(run.duration_seconds as f64),
                    TrendFigure::CreditsPerContent => run.credits_per_content,
                }?;
                let median = match figure {
                    TrendFigure::TotalCreditsUsed => m.total_credits_used,
                    TrendFigure::DurationSeconds => m.duration_seconds,
                    TrendFigure::CreditsPerContent => m.credits_per_content,
                };
                Some((run, value / unit, median.map(|v| v / unit)))
            })
            .collect();
        if rows.is_empty() {
            return None;
        }
        let max = rows.iter().flat_map(|(_, v, m)| [*v, m.unwrap_or(0.0)]).fold(0.0, f64::max);
        let frame = Frame::new(max.ceil() as u64, |t| thousands(t.into()));
        let points = rows
            .iter()
            .map(|(run, value, median)| Point { x: frame.x(axis, run.started_at), value: *value, median: *median })
            .collect();
        let marks = report
            .anomalies
            .iter()
            .filter(|a| a.figure == figure)
            .map(|a| Mark {
                x: frame.x(axis, a.started_at),
                value: a.value / unit,
                run_id: a.run_id.clone(),
                title: format!("{}, anomaly: {}", run_title(&view.site.domain, a.run_number), a.summary()),
            })
            .collect();
        let label = format!("{} per run over the last {} days, with its rolling median", figure.label(), view.days);
        Some(LineChart { figure, axis, frame, points, marks, label })
    }

    #[expect(clippy::too_many_lines, reason = "one SVG drawn in order: axes, points, median line, anomaly marks")]
    fn draw(&self, theme: Theme) -> String {
        let f = &self.frame;
        let (_, y_title) = axis_unit(self.figure);
        let role = if self.marks.is_empty() { "img" } else { "group" };
        let mut svg = f.open(theme, role, &self.label, y_title, |t| thousands(t.into()));
        let run_colour = palette::stage_colour(1, theme);
        if self.points.len() <= MAX_DOTS {
            for p in &self.points {
                let _ = write!(
                    svg,
                    r#"<circle class="run" cx="{}" cy="{}" r="{DOT_RADIUS}" fill="{run_colour}"/>"#,
                    fmt(p.x),
                    fmt(f.y(p.value))
                );
            }
        } else {
            // One stroke per pixel column, from its lowest run to its highest.
            let mut d = String::new();
            let mut column: Option<(i64, f64, f64)> = None;
            let flush = |d: &mut String, (x, lo, hi): (i64, f64, f64)| {
                let _ = write!(d, "M{x} {}V{}", fmt(f.y(lo) + 1.0), fmt(f.y(hi) - 1.0));
            };
            for p in &self.points {
                let x = p.x.round() as i64;
                column = match column {
                    Some((cx, lo, hi)) if cx == x => Some((cx, lo.min(p.value), hi.max(p.value))),
                    Some(done) => {
                        flush(&mut d, done);
                        Some((x, p.value, p.value))
                    }
                    None => Some((x, p.value, p.value)),
                };
            }
            if let Some(done) = column {
                flush(&mut d, done);
            }
            let _ = write!(svg, r#"<path class="runs" d="{d}" stroke="{run_colour}" stroke-width="1" fill="none"/>"#);
        }
        let mut median = String::new();
        let mut last_x = f64::NEG_INFINITY;
        for p in &self.points {
            let Some(m) = p.median else { continue };
            // One vertex per pixel is as fine as the line can show.
            if p.x - last_x < 1.0 {
                continue;
            }
            let cmd = if median.is_empty() { 'M' } else { 'L' };
            let _ = write!(median, "{cmd}{} {}", fmt(p.x), fmt(f.y(m)));
            last_x = p.x;
        }
        let _ = write!(
            svg,
            r#"<path class="rolling-median" d="{median}" stroke="{}" stroke-width="2.5" fill="none"/>"#,
            palette::text(theme)
        );
        for mark in &self.marks {
            let (x, y) = (mark.x, f.y(mark.value));
            let title = escape(&mark.title);
            let _ = write!(
                svg,
                r#"<a class="anomaly-link" href="{href}" aria-label="{title}"><title>{title}</title><circle cx="{cx}" cy="{cy}" r="{HIT_RADIUS}" fill="transparent"/><path class="anomaly" d="M{cx} {top}L{right} {cy}L{cx} {bot}L{left} {cy}Z" fill="{fill}" stroke="{halo}" stroke-width="2"/></a>"#,
                href = escape(&paths::run_path(&mark.run_id)),
                cx = fmt(x),
                cy = fmt(y),
                top = fmt(y - MARK_SIZE),
                bot = fmt(y + MARK_SIZE),
                left = fmt(x - MARK_SIZE),
                right = fmt(x + MARK_SIZE),
                fill = palette::danger(theme),
                halo = palette::surface(theme),
            );
        }
        f.close_with_dates(&mut svg, theme, self.axis);
        svg
    }
}

/// Stacked bars, one per bucket: each layer's height and colour, bottom up.
fn stacked_bars(
    starts: &[NaiveDate],
    granularity: Granularity,
    layers: &[Vec<u64>],
    colour: impl Fn(usize, Theme) -> &'static str,
    data_attr: impl Fn(usize) -> String,
    axis: &TimeAxis,
    (label, y_title): (&str, &str),
) -> Option<ThemedSvg> {
    let totals: Vec<u64> = (0..starts.len()).map(|i| layers.iter().map(|l| l[i]).sum()).collect();
    let max = totals.iter().copied().max().filter(|&m| m > 0)?;
    let frame = Frame::new(max, |t| thousands(t.into()));
    let draw = |theme| {
        let mut svg = frame.open(theme, "img", label, y_title, |t| thousands(t.into()));
        for (i, start) in starts.iter().enumerate() {
            let x0 = frame.x(axis, day_start(*start));
            let x1 = frame.x(axis, day_start(*start) + step(granularity));
            // A hairline gap between bars keeps neighbours apart.
            let width = ((x1 - x0) * 0.85).max(0.5);
            let mut below = 0u64;
            for (layer, values) in layers.iter().enumerate() {
                let v = values[i];
                if v == 0 {
                    continue;
                }
                let (top, bottom) = (frame.y((below + v) as f64), frame.y(below as f64));
                let _ = write!(
                    svg,
                    r#"<rect {attr} x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"/>"#,
                    attr = data_attr(layer),
                    x = fmt(x0),
                    y = fmt(top),
                    w = fmt(width),
                    h = fmt(bottom - top),
                    fill = colour(layer, theme),
                );
                below += v;
            }
        }
        frame.close_with_dates(&mut svg, theme, axis);
        Ok::<_, Infallible>(svg)
    };
    themed(draw)
}

fn stage_credits_chart(view: &TrendsView, axis: &TimeAxis) -> Option<ThemedSvg> {
    let buckets = &view.report.stage_credits;
    let starts: Vec<NaiveDate> = buckets.iter().map(|b| b.start).collect();
    let layers: Vec<Vec<u64>> = (0..STAGE_COUNT).map(|s| buckets.iter().map(|b| b.credits[s]).collect()).collect();
    let per = match view.report.granularity {
        Granularity::Day => "day",
        Granularity::Week => "week",
    };
    stacked_bars(
        &starts,
        view.report.granularity,
        &layers,
        |layer, theme| palette::stage_colour(layer as u8 + 1, theme),
        |layer| format!(r#"data-stage="{}""#, layer + 1),
        axis,
        (&format!("Credits by stage per {per} over the last {} days", view.days), &format!("Credits per {per} (cr)")),
    )
}

fn runs_by_status_chart(view: &TrendsView) -> Option<ThemedSvg> {
    let buckets = &view.runs_by_status;
    let starts: Vec<NaiveDate> = buckets.iter().map(|b| b.start).collect();
    let axis = TimeAxis {
        from: starts.first().map(|d| day_start(*d)).unwrap_or_default(),
        to: starts.last().map(|d| day_start(*d) + Duration::days(7)).unwrap_or_default(),
    };
    let layers: Vec<Vec<u64>> =
        STATUS_ORDER.iter().map(|s| buckets.iter().map(|b| u64::from(b.count(*s))).collect()).collect();
    stacked_bars(
        &starts,
        Granularity::Week,
        &layers,
        |layer, theme| status_colour(STATUS_ORDER[layer], theme),
        |layer| format!(r#"data-status="{}""#, STATUS_ORDER[layer].as_str()),
        &axis,
        (&format!("Runs per week by status over the last {} days", view.days), "Runs per week"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stats::RunTiming;
    use crate::domain::trends::{runs_by_status, trend_report, TrendSample};
    use crate::domain::view::SiteRef;
    use crate::server::charts::svg::parse::{assert_texts_inside, elements};
    use chrono::TimeZone;

    fn view(runs: usize, days: u32) -> TrendsView {
        let now = Utc.with_ymd_and_hms(2026, 6, 30, 12, 0, 0).unwrap();
        let from = now - Duration::days(i64::from(days));
        let every = Duration::seconds(i64::from(days) * 86_400 / runs as i64);
        let samples: Vec<TrendSample> = (0..runs)
            .map(|i| {
                let credits = if i % 97 == 50 { 2_000 } else { 500 + (i as u64 * 7) % 40 };
                TrendSample {
                    run_id: format!("r{i}"),
                    run_number: i as i64 + 1,
                    started_at: from + every * i as i32,
                    total_credits_used: credits,
                    duration_seconds: 1_800 + (i as i64 * 13) % 300,
                    content_created: 20,
                    stage_credits: [credits / 7; STAGE_COUNT],
                }
            })
            .collect();
        let timings: Vec<RunTiming> = samples
            .iter()
            .map(|s| RunTiming {
                started_at: s.started_at,
                status: RunStatus::Completed,
                completed_at: None,
                credits: 0,
            })
            .collect();
        TrendsView {
            site: SiteRef { id: 1, name: "T".into(), domain: "t.com".into() },
            days,
            report: trend_report(&samples, from, now, days),
            runs_by_status: runs_by_status(&timings, Granularity::Week, from, now),
            charts: TrendCharts::default(),
        }
    }

    #[test]
    fn every_chart_is_drawn_with_its_text_inside_and_anomalies_linked() {
        let v = view(120, 30);
        let charts = trend_charts(&v);
        let credits = charts.credits.expect("runs");
        for svg in [&credits.light, &credits.dark] {
            assert_texts_inside(svg);
            let links = elements(svg, "a");
            assert!(!links.is_empty(), "anomalies are marked");
            assert!(links.iter().all(|a| a.attr("href").starts_with("/automation/runs/r")));
        }
        for chart in [charts.duration, charts.credits_per_content, charts.stage_credits, charts.runs_by_status] {
            let chart = chart.expect("drawn");
            assert_texts_inside(&chart.light);
            assert_texts_inside(&chart.dark);
        }
    }

    // Its speed is for a benchmark to say, not a timed test on a shared machine.
    #[test]
    fn a_busy_year_draws_small() {
        let charts = trend_charts(&view(8_000, 365));
        let credits = charts.credits.expect("runs");
        assert!(credits.light.len() < 120_000, "{} bytes", credits.light.len());
    }
}
