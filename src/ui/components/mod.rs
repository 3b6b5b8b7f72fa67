//! Widgets shared by the pages.

pub mod account_menu;
pub mod alert_notices;
pub mod error_view;
pub mod layout;
pub mod live_indicator;
pub mod local_time;
pub mod main_nav;
pub mod not_found;
pub mod page_title;
pub mod pagination;
pub mod phone_collapsible;
pub mod run_requests;
pub mod scroll_region;
pub mod stage_badges;
pub mod stage_legend;
pub mod status_badge;
