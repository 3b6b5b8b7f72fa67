//! /automation/overview: how the runs are going, what the next will cost, what needs care.

pub mod attention_items;
pub mod history_filters;
pub mod page;
pub mod pipeline_status;
pub mod predictive_cost;
pub mod run_history;
pub mod run_statistics;
pub mod site_switcher;
