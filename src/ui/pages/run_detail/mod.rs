//! /automation/runs/:run_id: everything one run did.

pub mod credits_breakdown;
pub mod failure_banner;
pub mod insights_panel;
pub mod live_progress;
pub mod log_filters;
pub mod log_table;
pub mod log_viewer;
pub mod page;
pub mod pipeline_flow;
pub mod run_actions;
pub mod run_content;
pub mod run_header;
pub mod run_timeline;
pub mod stage_accordion;
pub mod summary_card;
