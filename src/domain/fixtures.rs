//! Records shared by the domain's tests: the plan's example run.

use super::records::{parse_line, Record};
use super::run::Run;

pub const PLAN_RUN: &str = r#"{"kind":"run","site_id":123,"run_id":"run_20260117_140523_manual","status":"completed","trigger_type":"manual","current_stage":7,"started_at":"2026-01-17T14:05:23Z","completed_at":"2026-01-17T14:43:44Z","paused_at":null,"resumed_at":null,"cancelled_at":null,"total_credits_used":569,"error_message":null,"initial_snapshot":{"stage_1_initial":150,"stage_2_initial":10,"stage_3_initial":50,"stage_4_initial":25,"stage_5_initial":15,"stage_6_initial":8,"stage_7_initial":5,"total_initial_items":263},"stage_1_result":{"keywords_processed":150,"clusters_created":12,"batches":3,"credits_used":45,"time_elapsed":"00:03:24"},"stage_2_result":{"clusters_processed":10,"ideas_created":87,"credits_used":120,"time_elapsed":"00:08:15"},"stage_3_result":{"ideas_processed":50,"tasks_created":50,"credits_used":0,"time_elapsed":"00:00:12"},"stage_4_result":{"tasks_processed":25,"content_created":25,"total_words":15450,"credits_used":310,"time_elapsed":"00:18:42"},"stage_5_result":{"content_processed":15,"prompts_created":45,"credits_used":22,"time_elapsed":"00:02:15"},"stage_6_result":{"images_processed":8,"images_generated":24,"credits_used":72,"time_elapsed":"00:05:30"},"stage_7_result":{"ready_for_review":5,"credits_used":0,"time_elapsed":"00:00:03"}}"#;

/// The plan's example run, numbered 47 as in the plan.
pub fn plan_run() -> Run {
    let Record::Run(run) = parse_line(PLAN_RUN).expect("the plan's run parses") else {
        unreachable!("PLAN_RUN is a run")
    };
    Run { run_number: 47, ..*run }
}
