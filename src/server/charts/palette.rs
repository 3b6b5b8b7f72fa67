//! The charts' colours per theme. The stage colours are the stylesheet's `--stage-N` pairs
//! (style/main.css), which the legend swatches use, so every chart and legend agrees.

use super::Theme;

/// (light, dark) for stages 1 to 7.
pub(super) const STAGE_COLOURS: [(&str, &str); 7] = [
    ("#2f6fdb", "#6ea8ff"),
    ("#0e8074", "#2cc9b5"),
    ("#4f8a10", "#9bd44a"),
    ("#c25e00", "#ff9f45"),
    ("#c0266d", "#ff7ab8"),
    ("#7a48d6", "#b59cff"),
    ("#8b5a2b", "#d4a373"),
];

/// `--color-border-strong`, for a stage number outside 1 to 7.
const UNKNOWN_STAGE: (&str, &str) = ("#767e8a", "#7c8696");

fn pick(pair: (&'static str, &'static str), theme: Theme) -> &'static str {
    match theme {
        Theme::Light => pair.0,
        Theme::Dark => pair.1,
    }
}

pub(super) fn stage_colour(stage: u8, theme: Theme) -> &'static str {
    let pair = usize::from(stage).checked_sub(1).and_then(|i| STAGE_COLOURS.get(i)).copied();
    pick(pair.unwrap_or(UNKNOWN_STAGE), theme)
}

/// `--color-text`: labels and values.
pub(super) fn text(theme: Theme) -> &'static str {
    pick(("#1b1e24", "#e7e9ee"), theme)
}

/// `--color-text-muted`: tick labels and the axis title.
pub(super) fn muted(theme: Theme) -> &'static str {
    pick(("#555d69", "#a4adba"), theme)
}

/// `--color-border-strong`: the axis line and ticks.
pub(super) fn axis(theme: Theme) -> &'static str {
    pick(UNKNOWN_STAGE, theme)
}

/// `--color-surface-raised`: the card behind the charts.
pub(super) fn surface(theme: Theme) -> &'static str {
    pick(("#ffffff", "#1a1e25"), theme)
}

/// `--color-danger`: marks (≥ 3:1 on the card).
pub(super) fn danger(theme: Theme) -> &'static str {
    pick(DANGER, theme)
}

/// `--color-danger-text`: words that warn (≥ 4.5:1 on the card).
pub(super) fn danger_text(theme: Theme) -> &'static str {
    pick(DANGER_TEXT, theme)
}

/// `--color-accent`: what a chart lets you follow (its links).
pub(super) fn accent(theme: Theme) -> &'static str {
    pick(ACCENT, theme)
}

const DANGER: (&str, &str) = ("#c42b2b", "#f06a6a");
const DANGER_TEXT: (&str, &str) = ("#a61f1f", "#ff9d9d");
const ACCENT: (&str, &str) = ("#1a5fb4", "#79b0ff");

#[cfg(test)]
mod tests {
    use super::*;

    /// The legend swatches take their colour from the stylesheet; it must say the same.
    #[test]
    fn stylesheet_stage_colours_are_the_charts() {
        let css = include_str!("../../../style/main.css");
        for (i, (light, dark)) in STAGE_COLOURS.iter().enumerate() {
            let declaration = format!("--stage-{}: light-dark({light}, {dark});", i + 1);
            assert!(css.contains(&declaration), "style/main.css declares {declaration}");
        }
    }

    #[test]
    fn stylesheet_feedback_colours_are_the_charts() {
        let css = include_str!("../../../style/main.css");
        for (token, (light, dark)) in
            [("--color-danger", DANGER), ("--color-danger-text", DANGER_TEXT), ("--color-accent", ACCENT)]
        {
            let declaration = format!("{token}: light-dark({light}, {dark});");
            assert!(css.contains(&declaration), "style/main.css declares {declaration}");
        }
    }

    /// WCAG relative luminance contrast of two `#rrggbb` colours.
    fn contrast(a: &str, b: &str) -> f64 {
        let luminance = |hex: &str| {
            let channel = |i: usize| {
                let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
                if c <= 0.03928 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
        };
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn warnings_and_links_read_on_the_card_in_both_themes() {
        for theme in [Theme::Light, Theme::Dark] {
            let card = surface(theme);
            assert!(contrast(danger_text(theme), card) >= 4.5, "{theme:?} runs-out label");
            assert!(contrast(danger(theme), card) >= 3.0, "{theme:?} runs-out mark");
            assert!(contrast(accent(theme), card) >= 3.0, "{theme:?} accuracy points");
            assert!(contrast(text(theme), card) >= 4.5 && contrast(muted(theme), card) >= 4.5, "{theme:?}");
        }
    }

    #[test]
    fn an_unknown_stage_gets_the_neutral_colour() {
        assert_eq!(stage_colour(0, Theme::Light), "#767e8a");
        assert_eq!(stage_colour(8, Theme::Dark), "#7c8696");
        assert_eq!(stage_colour(7, Theme::Dark), "#d4a373");
    }
}
