//! Components and pages.

pub mod components;
pub mod pages;
