//! /automation/overview: how the runs are going, what the next will cost, what needs care.

pub mod accuracy_chart;
pub mod attention_items;
pub mod budget_banner;
pub mod estimate_accuracy;
pub mod history_filters;
pub mod how_estimated;
pub mod likely_cost;
pub mod monthly_budget;
pub mod page;
pub mod pipeline_status;
pub mod predictive_cost;
pub mod run_history;
pub mod run_statistics;
pub mod runs_out_notice;
pub mod site_switcher;
pub mod trend_line;
pub mod wasted_credits;
