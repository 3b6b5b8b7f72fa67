//! Widgets shared by the pages.

pub mod error_view;
pub mod layout;
pub mod not_found;
pub mod stage_badges;
pub mod status_badge;
