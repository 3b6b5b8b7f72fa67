//! /automation/trends: whether a site's runs drift (credits, duration, credits per content
//! item, credits by stage, runs by status) and which runs stood out.

pub mod anomaly_list;
pub mod chart_legend;
pub mod page;
pub mod range_switcher;
pub mod trend_chart;
