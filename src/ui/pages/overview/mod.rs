//! /automation/overview: how the runs are going and what the next will cost.

pub mod page;
pub mod run_history;
pub mod site_switcher;
