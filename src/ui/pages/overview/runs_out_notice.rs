use leptos::prelude::*;

use crate::domain::format::thousands;
use crate::domain::stage::{StageNumber, CREDIT};

/// Where a run started now would stop for want of credits, and what finishes it.
fn runs_out_sentence(stage: u8, balance: i64, total: u64) -> String {
    let name = StageNumber::from_u8(stage).map_or("", |s| s.def().name);
    let top_up = u64::try_from(i128::from(total) - i128::from(balance)).unwrap_or(0);
    format!(
        "At your balance of {} credits, a run now stops during stage {stage} ({name}); top up {} to finish it.",
        thousands(balance.into()),
        CREDIT.count(top_up),
    )
}

/// Shown when the balance is below the estimate itself, not only below its buffer.
#[component]
pub fn RunsOutNotice(stage: u8, balance: i64, total: u64) -> impl IntoView {
    view! {
        <p class="runs-out" data-testid="runs-out">{runs_out_sentence(stage, balance, total)}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_names_the_stage_and_the_top_up() {
        assert_eq!(
            runs_out_sentence(4, 120, 218),
            "At your balance of 120 credits, a run now stops during stage 4 (Tasks → Content); top up 98 credits to finish it."
        );
        assert!(runs_out_sentence(1, -5, 1_000).ends_with("top up 1,005 credits to finish it."));
        assert!(runs_out_sentence(2, 99, 100).ends_with("top up 1 credit to finish it."));
    }
}
