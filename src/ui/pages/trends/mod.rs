//! /automation/trends: whether a site's runs drift (credits, duration, credits per content
//! item, credits by stage, runs by status) and which runs stood out.

pub mod anomaly_list;
pub mod chart_legend;
pub mod figure_section;
pub mod page;
pub mod range_switcher;
pub mod runs_by_status_card;
pub mod stage_credits_card;
pub mod too_few_runs;
pub mod trend_chart;
