use leptos::prelude::*;

use crate::domain::forecast::Accuracy;
use crate::domain::format::percent;

/// How far the estimate was off on the runs it could be checked against, in words.
fn accuracy_sentence(accuracy: &Accuracy) -> String {
    let off = percent(accuracy.median_abs_error_percent);
    let within = accuracy.within_range.unwrap_or(0);
    match accuracy.runs_checked {
        0 => "The estimate is checked against past runs once a run has 3 completed runs before it.".to_string(),
        1 => {
            let landed = if within == 1 { "inside" } else { "outside" };
            format!("On the last run, the estimate was off by {off}; it landed {landed} the likely range.")
        }
        n => format!(
            "Over the last {n} runs, the estimate was off by {off} (median); {within} of {n} landed in the likely range."
        ),
    }
}

/// The backtest: the estimate made before each of the site's last runs, against what it used.
#[component]
pub fn EstimateAccuracy(accuracy: Accuracy) -> impl IntoView {
    view! {
        <p class="estimate-accuracy" data-testid="estimate-accuracy">
            {accuracy_sentence(&accuracy)}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_says_how_many_runs_and_how_far_off() {
        let a = Accuracy { runs_checked: 20, median_abs_error_percent: Some(12.0), within_range: Some(14) };
        assert_eq!(
            accuracy_sentence(&a),
            "Over the last 20 runs, the estimate was off by 12.0% (median); 14 of 20 landed in the likely range."
        );
        let one = Accuracy { runs_checked: 1, median_abs_error_percent: Some(4.4), within_range: Some(0) };
        assert_eq!(
            accuracy_sentence(&one),
            "On the last run, the estimate was off by 4.4%; it landed outside the likely range."
        );
        let none = Accuracy { runs_checked: 0, median_abs_error_percent: None, within_range: None };
        assert!(accuracy_sentence(&none).starts_with("The estimate is checked"));
    }
}
