//! What the hand-drawn charts (bars.rs, accuracy.rs) share: text measure and placement,
//! number formatting, escaping and axis ticks.

use std::fmt::Write as _;

/// An upper bound on a character's advance in the sans-serif fonts of the page's stack, in
/// ems (DejaVu Sans, among the widest, averages about 0.6 over these labels).
pub(super) const CHAR_WIDTH_EM: f64 = 0.7;
const MAX_TICK_STEPS: u64 = 5;

pub(super) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * CHAR_WIDTH_EM * size
}

/// The tick step, 1, 2 or 5 × 10ⁿ, that reaches `max` in at most 5 steps.
pub(super) fn tick_step(max: u64) -> u64 {
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

/// The ticks from 0 to the first multiple of the step at or above `max`, and that end.
pub(super) fn ticks(max: u64) -> (u64, u64) {
    let step = tick_step(max);
    (step, step.saturating_mul(max.div_ceil(step).max(1)))
}

/// One decimal is finer than a pixel at any size the chart is shown.
pub(super) fn fmt(n: f64) -> String {
    let s = format!("{n:.1}");
    s.strip_suffix(".0").map_or_else(|| s.clone(), str::to_string)
}

/// How one kind of text is set.
#[derive(Clone, Copy)]
pub(super) struct TextStyle<'a> {
    pub class: &'a str,
    pub size: f64,
    pub anchor: &'a str,
    pub fill: &'a str,
}

pub(super) fn push_text(svg: &mut String, style: TextStyle, x: f64, y: f64, content: &str) {
    let TextStyle { class, size, anchor, fill } = style;
    let _ = write!(
        svg,
        r#"<text class="{class}" x="{x}" y="{y}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">{content}</text>"#,
        x = fmt(x),
        y = fmt(y),
        content = escape(content),
    );
}

pub(super) fn push_line(svg: &mut String, class: &str, (x1, y1): (f64, f64), (x2, y2): (f64, f64), stroke: &str) {
    let _ = write!(
        svg,
        r#"<line class="{class}" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{stroke}" stroke-width="1"/>"#,
        x1 = fmt(x1),
        y1 = fmt(y1),
        x2 = fmt(x2),
        y2 = fmt(y2),
    );
}

/// Text and attribute values, escaped for XML.
pub(super) fn escape(text: &str) -> String {
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

/// Reading drawn charts back in tests.
#[cfg(test)]
pub(super) mod parse {
    use super::CHAR_WIDTH_EM;

    /// One element of a drawn chart: its attributes and, for text, what it says (unescaped).
    pub struct Element {
        pub attrs: Vec<(String, String)>,
        pub content: String,
    }

    impl Element {
        pub fn get(&self, name: &str) -> Option<&str> {
            self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
        }
        pub fn attr(&self, name: &str) -> &str {
            self.get(name).unwrap_or_else(|| panic!("no {name}"))
        }
        pub fn num(&self, name: &str) -> f64 {
            self.attr(name).parse().expect("a number")
        }
    }

    fn unescape(s: &str) -> String {
        s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
    }

    pub fn elements(svg: &str, tag: &str) -> Vec<Element> {
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

    pub fn view_box(svg: &str) -> (f64, f64) {
        let root = &elements(svg, "svg")[0];
        let v: Vec<f64> = root.attr("viewBox").split(' ').map(|n| n.parse().expect("a number")).collect();
        assert_eq!((v[0], v[1]), (0.0, 0.0));
        (v[2], v[3])
    }

    /// Panics unless every `<text>` of `svg` lies inside its viewBox, measured with the widest
    /// advance the charts assume.
    pub fn assert_texts_inside(svg: &str) {
        let (width, height) = view_box(svg);
        for t in elements(svg, "text") {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_step_by_one_two_or_five() {
        assert_eq!([0, 1, 5, 6, 11, 96, 250, 1234].map(tick_step), [1, 1, 1, 2, 5, 20, 50, 500]);
        assert_eq!(ticks(0), (1, 1));
        assert_eq!(ticks(96), (20, 100));
        assert_eq!(ticks(u64::MAX).1, u64::MAX, "absurd values still have an end");
    }

    #[test]
    fn numbers_drop_a_zero_decimal_and_text_is_escaped() {
        assert_eq!((fmt(12.0), fmt(12.04), fmt(12.26)), ("12".into(), "12".into(), "12.3".into()));
        assert_eq!(escape("a<&>\"'"), "a&lt;&amp;&gt;&quot;&apos;");
    }
}
