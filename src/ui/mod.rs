//! Components and pages.

pub mod components;
#[cfg(feature = "hydrate")]
pub mod enhance;
pub mod islands;
pub mod live;
pub mod pages;
pub mod query;
