//! Property tests of the figures: they hold for any run, not just the examples.

use chrono::{Duration, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::{json, Value};

use super::averages::historical_averages;
use super::detail::run_detail;
use super::forecast::{backtest, likely_range, BACKTEST_RUNS};
use super::host_name::check_host_name;
use super::pipeline::PendingCounts;
use super::prediction::predict;
use super::run::{format_hms, InitialSnapshot, Run, RunStatus, StageResult, TriggerType};
use super::stage::{StageNumber, STAGE_COUNT};
use super::stage_status::{stage_statuses, StageStatus};
use super::stats::{run_statistics, RunTiming};
use super::view::SiteRef;

fn status() -> impl Strategy<Value = RunStatus> {
    prop::sample::select(RunStatus::ALL.to_vec())
}

prop_compose! {
    fn stage_result(stage: StageNumber)(input in 0u64..100_000, output in 0u64..100_000,
            credits in 0u64..1_000_000, seconds in 0u64..400_000) -> StageResult {
        let def = stage.def();
        let mut fields = serde_json::Map::new();
        fields.insert(def.input_field.into(), json!(input));
        if def.output_field != def.input_field {
            fields.insert(def.output_field.into(), json!(output));
        }
        fields.insert("credits_used".into(), json!(credits));
        fields.insert("time_elapsed".into(), Value::from(format_hms(seconds)));
        StageResult::from_fields(stage, fields).expect("generated results are valid")
    }
}

fn stages() -> impl Strategy<Value = [Option<StageResult>; STAGE_COUNT]> {
    let per_stage: Vec<_> = StageNumber::all().map(|s| prop::option::of(stage_result(s))).collect();
    per_stage.prop_map(|v| v.try_into().expect("seven stages"))
}

prop_compose! {
    fn run()(status in status(), current in 1i64..=7, stages in stages(), start in 0i64..10_000_000,
             length in 0i64..500_000, total_initial in 0u64..1_000_000, number in 1i64..1000) -> Run {
        let started_at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::seconds(start);
        let ended = started_at + Duration::seconds(length);
        Run {
            run_id: format!("run_{number}"),
            site_id: 1,
            run_number: number,
            status,
            trigger_type: TriggerType::Manual,
            current_stage: StageNumber::try_from(current).unwrap(),
            started_at,
            completed_at: matches!(status, RunStatus::Completed | RunStatus::Failed).then_some(ended),
            paused_at: None,
            resumed_at: None,
            cancelled_at: (status == RunStatus::Cancelled).then_some(ended),
            total_credits_used: stages.iter().flatten().map(|r| r.credits).sum(),
            error_message: None,
            initial_snapshot: InitialSnapshot { total_initial_items: total_initial, ..Default::default() },
            stages,
        }
    }
}

fn site() -> SiteRef {
    SiteRef { id: 1, name: "Site".into(), domain: "site.test".into() }
}

fn assert_finite(value: &Value, path: &str) {
    match value {
        Value::Number(n) => assert!(n.as_f64().is_some_and(f64::is_finite), "{path} is not finite"),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| assert_finite(v, &format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().for_each(|(k, v)| assert_finite(v, &format!("{path}.{k}"))),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn shares_are_within_a_twentieth_of_the_exact_ratio(run in run()) {
        let detail = run_detail(&run, &site(), None, 0, run.started_at);
        let total: u64 = run.stages.iter().flatten().map(|r| r.credits).sum();
        for share in &detail.metrics.credit_shares {
            match share.share_percent {
                None => prop_assert_eq!(total, 0),
                Some(p) => {
                    let exact = share.credits as f64 / total as f64 * 100.0;
                    prop_assert!((p - exact).abs() <= 0.05 + 1e-9, "share {} vs exact {}", p, exact);
                }
            }
        }
    }

    #[test]
    fn no_figure_is_nan_or_infinite(run in run(), history in prop::collection::vec(run(), 0..12),
                                    pending in prop::array::uniform7(0u64..1_000_000), balance in any::<i64>()) {
        let completed: Vec<Run> = history.into_iter().map(|mut r| { r.status = RunStatus::Completed; r }).collect();
        let averages = historical_averages(&completed);
        let detail = run_detail(&run, &site(), averages.as_ref(), completed.len() as u32, run.started_at + Duration::hours(1));
        assert_finite(&serde_json::to_value(&detail).unwrap(), "detail");
        let prediction = predict(&PendingCounts(pending), averages.as_ref(), completed.len() as u32, balance);
        assert_finite(&serde_json::to_value(&prediction).unwrap(), "prediction");
        let timings: Vec<RunTiming> = completed.iter().map(|r| RunTiming {
            status: r.status, started_at: r.started_at, completed_at: r.completed_at, credits: r.total_credits_used,
        }).collect();
        let stats = run_statistics(completed.len() as u64, &timings, run.started_at);
        assert_finite(&serde_json::to_value(&stats).unwrap(), "stats");
    }

    #[test]
    fn stage_statuses_agree_with_current_stage_and_run_status(
        status in status(), current in 1i64..=7, has in prop::array::uniform7(any::<bool>())
    ) {
        let current = StageNumber::try_from(current).unwrap();
        let statuses = stage_statuses(status, current, has);
        for (i, s) in statuses.iter().enumerate() {
            let stage = i + 1;
            let c = usize::from(current.get());
            // Only the current stage of an unfinished run carries the run's own state.
            let live = matches!(s, StageStatus::Running | StageStatus::Paused | StageStatus::Failed | StageStatus::Cancelled);
            prop_assert_eq!(live, stage == c && status != RunStatus::Completed, "stage {} is {:?}", stage, s);
            if *s == StageStatus::Completed { prop_assert!(has[i]); }
            if *s == StageStatus::Skipped { prop_assert!(!has[i] || (stage > c && matches!(status, RunStatus::Failed | RunStatus::Cancelled))); }
            if *s == StageStatus::Pending { prop_assert!(stage > c && matches!(status, RunStatus::Running | RunStatus::Paused)); }
            if stage < c { prop_assert!(matches!(s, StageStatus::Completed | StageStatus::Skipped)); }
        }
        let expected_live = match status {
            RunStatus::Running => Some(StageStatus::Running),
            RunStatus::Paused => Some(StageStatus::Paused),
            RunStatus::Failed => Some(StageStatus::Failed),
            RunStatus::Cancelled => Some(StageStatus::Cancelled),
            RunStatus::Completed => None,
        };
        if let Some(live) = expected_live {
            prop_assert_eq!(statuses[current.index()], live);
        }
    }

    #[test]
    fn estimates_are_exact_integer_ceilings(pending in 0u64..1_000_000, credits in 0u64..1_000_000, inputs in 1u64..1_000_000) {
        let exact = (u128::from(pending) * u128::from(credits)).div_ceil(u128::from(inputs));
        prop_assert_eq!(super::numbers::mul_div_ceil(pending, credits, inputs).map(u128::from), Some(exact));
    }
}

prop_compose! {
    /// A completed run for the forecasts: a queue of its own, results that may cost nothing
    /// or be missing, and a start among few hours, so that runs tie.
    fn completed_run()(stages in stages(), queue in prop::array::uniform7(0u64..5_000), hour in 0i64..120,
                       free in prop::bool::weighted(0.2)) -> Run {
        let mut stages = stages;
        if free {
            for s in StageNumber::all() {
                if let Some(r) = &stages[s.index()] {
                    let mut fields = r.fields().clone();
                    fields.insert("credits_used".into(), json!(0));
                    stages[s.index()] = Some(StageResult::from_fields(s, fields).expect("a valid result"));
                }
            }
        }
        let [s1, s2, s3, s4, s5, s6, s7] = queue;
        Run {
            run_id: format!("run_{hour}"),
            site_id: 1,
            run_number: hour,
            status: RunStatus::Completed,
            trigger_type: TriggerType::Scheduled,
            current_stage: StageNumber::from_u8(7).expect("stage 7"),
            started_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::hours(hour),
            completed_at: None,
            paused_at: None,
            resumed_at: None,
            cancelled_at: None,
            total_credits_used: stages.iter().flatten().map(|r| r.credits).sum(),
            error_message: None,
            initial_snapshot: InitialSnapshot {
                stage_1_initial: s1,
                stage_2_initial: s2,
                stage_3_initial: s3,
                stage_4_initial: s4,
                stage_5_initial: s5,
                stage_6_initial: s6,
                stage_7_initial: s7,
                total_initial_items: queue.iter().sum(),
            },
            stages,
        }
    }
}

/// Completed runs newest first by start, as the store reads them.
fn completed_history(max: usize) -> impl Strategy<Value = Vec<Run>> {
    prop::collection::vec(completed_run(), 0..max).prop_map(|mut runs| {
        runs.sort_by_key(|r| std::cmp::Reverse(r.started_at));
        runs
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_likely_range_is_ordered_and_holds_all_but_its_ends(
        history in completed_history(12), pending in prop::array::uniform7(0u64..100_000)
    ) {
        let last = &history[..history.len().min(10)];
        match likely_range(&PendingCounts(pending), last) {
            None => prop_assert!(last.len() < 3),
            Some(range) => {
                prop_assert!(range.low <= range.high);
                prop_assert_eq!(range.runs as usize, last.len());
                let trimmed = if last.len() >= 5 { 2 } else { 0 };
                prop_assert!(range.runs_in_range as usize >= last.len() - trimmed, "{:?}", range);
                prop_assert!(range.runs_in_range <= range.runs);
            }
        }
    }

    #[test]
    fn a_run_stops_where_the_running_sum_first_passes_the_balance(
        history in completed_history(12), pending in prop::array::uniform7(0u64..100_000),
        balance in -1_000i64..50_000_000
    ) {
        let last = &history[..history.len().min(10)];
        let averages = historical_averages(last);
        let p = predict(&PendingCounts(pending), averages.as_ref(), last.len() as u32, balance);
        let sums: Vec<i128> = p.stages.iter()
            .scan(0i128, |sum, s| { *sum += i128::from(s.estimated_credits.unwrap_or(0)); Some(*sum) })
            .collect();
        match (p.total_estimated_credits, p.runs_out_at_stage) {
            (None, stage) => prop_assert_eq!(stage, None),
            (Some(total), None) => prop_assert!(i128::from(total) <= i128::from(balance)),
            (Some(total), Some(stage)) => {
                prop_assert!(i128::from(total) > i128::from(balance));
                let at = usize::from(stage) - 1;
                prop_assert!(sums[at] > i128::from(balance));
                prop_assert!(at == 0 || sums[at - 1] <= i128::from(balance));
            }
        }
    }

    #[test]
    fn a_settled_backtest_of_the_newest_runs_is_the_backtest_of_all(history in completed_history(60), read in 0usize..60) {
        let whole = backtest(&history, true);
        prop_assert!(whole.settled);
        let a = whole.accuracy;
        prop_assert!(a.runs_checked as usize <= BACKTEST_RUNS);
        prop_assert_eq!(a.median_abs_error_percent.is_some(), a.runs_checked > 0);
        prop_assert!(a.within_range.unwrap_or(0) <= a.runs_checked);
        prop_assert!(a.median_abs_error_percent.is_none_or(|m| m.is_finite() && m >= 0.0));
        let part = backtest(&history[..read.min(history.len())], false);
        if part.settled {
            prop_assert_eq!(part.accuracy, a);
        }
        prop_assert!(part.accuracy.runs_checked <= a.runs_checked);
    }
}

/// One label of a host name, by the grammar: a letter or digit, then up to 61 letters, digits or
/// hyphens, then a letter or digit.
fn label() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
}

/// Text around host names: valid ones, near misses (one character of another kind put in,
/// including markup and whitespace), long runs of labels, and anything at all.
fn host_like_text() -> impl Strategy<Value = String> {
    let near_miss = (prop::collection::vec(label(), 1..5), any::<prop::sample::Index>(), "[-.:/ <>&\"'_@\\n\\t\u{e9}]")
        .prop_map(|(labels, at, odd)| {
            let name = labels.join(".");
            let at = at.index(name.len() + 1);
            format!("{}{odd}{}", &name[..at], &name[at..])
        });
    prop_oneof![
        prop::collection::vec(label(), 1..6).prop_map(|l| l.join(".")),
        near_miss,
        "[a-zA-Z0-9.-]{0,80}",
        prop::collection::vec("[a-z0-9]{55,63}", 3..6).prop_map(|l| l.join(".")),
        any::<String>(),
    ]
}

/// The rule of a host name, written out as stated.
fn is_host_name(s: &str) -> bool {
    (1..=253).contains(&s.chars().count())
        && s.split('.').all(|label| {
            (1..=63).contains(&label.chars().count())
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn host_names_of_the_grammar_are_taken_up_to_253_characters(labels in prop::collection::vec(label(), 1..6)) {
        let name = labels.join(".");
        match check_host_name(&name) {
            Ok(()) => prop_assert!(name.len() <= 253),
            Err(e) => prop_assert!(name.len() > 253 && e.contains("longer than 253"), "{:?}: {}", name, e),
        }
    }

    #[test]
    fn a_domain_is_taken_exactly_when_it_is_a_host_name(raw in host_like_text()) {
        let taken = check_host_name(&raw);
        prop_assert_eq!(taken.is_ok(), is_host_name(&raw), "{:?}: {:?}", raw, taken);
        if taken.is_ok() {
            prop_assert!(!raw.contains(['<', '>', '&', '"', '\'', ' ']), "markup in a host name: {:?}", raw);
        }
        // Either case of the letters is the same answer.
        prop_assert_eq!(check_host_name(&raw.to_ascii_uppercase()).is_ok(), taken.is_ok());
        if let Err(e) = taken {
            prop_assert!(!e.is_empty());
        }
    }
}
