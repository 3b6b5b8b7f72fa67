//! Figures of a stage said in the stage's own terms ("12.5 keywords per cluster", "0.30 credits
//! per keyword"), so no figure on a page is a bare ratio the reader has to decode.

use super::stage::{Noun, StageNumber};

/// One decimal, without a trailing ".0": "12.5", "3".
pub fn short_number(x: f64) -> String {
    let rounded = super::numbers::round1(x);
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// How many items went in for each item out, or out for each in, whichever reads as a number
/// of at least one: stage 1 clusters keywords ("12.5 keywords per cluster"), stage 5 makes
/// several prompts of an article ("3 image prompts per article"). Stage 7 approves, so it says
/// how many of the items it reviewed it approved. `None` when nothing went in.
pub fn yield_phrase(stage: StageNumber, input: u64, output: u64) -> Option<String> {
    let def = stage.def();
    if input == 0 {
        return None;
    }
    if def.input_field == def.output_field {
        return Some(format!("{output} of {input} approved"));
    }
    if output == 0 {
        return Some(format!("no {} from {input} {}", def.output_unit.many, def.input_unit.for_count(input as f64)));
    }
    let (from, to) = (input as f64, output as f64);
    let (n, per_n, per): (f64, Noun, Noun) = if to >= from {
        (to / from, def.output_unit, def.input_unit)
    } else {
        (from / to, def.input_unit, def.output_unit)
    };
    let shown = short_number(n);
    Some(format!("{shown} {} per {}", per_n.for_count(super::numbers::round1(n)), per.one))
}

/// "0.30 credits per keyword": a rate is one of the few places a fraction of a credit means
/// something.
pub fn credits_per(credits_per_item: f64, item: Noun) -> String {
    format!("{credits_per_item:.2} credits per {}", item.one)
}

/// "44.1 keywords per minute".
pub fn per_minute(items_per_minute: f64, item: Noun) -> String {
    format!(
        "{} {} per minute",
        short_number(items_per_minute),
        item.for_count(super::numbers::round1(items_per_minute))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(n: u8) -> StageNumber {
        StageNumber::from_u8(n).unwrap()
    }

    #[test]
    fn yields_read_in_the_stages_terms() {
        assert_eq!(yield_phrase(stage(1), 150, 12).as_deref(), Some("12.5 keywords per cluster"));
        assert_eq!(yield_phrase(stage(2), 10, 87).as_deref(), Some("8.7 ideas per cluster"));
        assert_eq!(yield_phrase(stage(3), 50, 50).as_deref(), Some("1 task per idea"));
        assert_eq!(yield_phrase(stage(4), 25, 25).as_deref(), Some("1 article per task"));
        assert_eq!(yield_phrase(stage(5), 15, 45).as_deref(), Some("3 image prompts per article"));
        assert_eq!(yield_phrase(stage(6), 8, 24).as_deref(), Some("3 images per image prompt"));
        assert_eq!(yield_phrase(stage(7), 5, 5).as_deref(), Some("5 of 5 approved"));
    }

    #[test]
    fn yields_without_input_or_output() {
        assert_eq!(yield_phrase(stage(2), 0, 0), None);
        assert_eq!(yield_phrase(stage(2), 4, 0).as_deref(), Some("no ideas from 4 clusters"));
        assert_eq!(yield_phrase(stage(2), 1, 0).as_deref(), Some("no ideas from 1 cluster"));
    }

    #[test]
    fn rates_carry_their_unit() {
        assert_eq!(credits_per(0.3, stage(1).def().input_unit), "0.30 credits per keyword");
        assert_eq!(per_minute(44.12, stage(1).def().input_unit), "44.1 keywords per minute");
        assert_eq!(per_minute(1.0, stage(4).def().input_unit), "1 task per minute");
        assert_eq!(short_number(2.96), "3");
    }
}
