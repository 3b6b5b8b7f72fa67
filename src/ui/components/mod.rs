//! Widgets shared by the pages.

pub mod account_menu;
pub mod error_view;
pub mod layout;
pub mod local_time;
pub mod not_found;
pub mod page_title;
pub mod pagination;
pub mod scroll_region;
pub mod stage_badges;
pub mod status_badge;
pub mod theme_toggle;
