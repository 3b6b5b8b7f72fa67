//! /automation/compare: any two runs of the account side by side.

pub mod credit_donuts;
pub mod page;
pub mod run_picker;
pub mod run_summaries;
pub mod stage_differences;
pub mod timelines;
