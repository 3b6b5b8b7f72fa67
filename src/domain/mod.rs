//! The pipeline's domain: stages, runs and every figure of `shared/spec/metrics.md`.
//! Pure Rust, no I/O; compiled for the server and the browser alike.

pub mod alerts;
pub mod api_reference;
pub mod auth;
pub mod averages;
pub mod budget;
pub mod compare;
pub mod detail;
pub mod events;
pub mod forecast;
pub mod format;
pub mod history;
pub mod host_name;
pub mod insights;
pub mod live;
pub mod logs;
pub mod numbers;
pub mod overview;
pub mod params;
pub mod pipeline;
pub mod prediction;
pub mod proxy;
pub mod records;
pub mod report;
pub mod requests;
pub mod run;
pub mod run_detail;
pub mod scope;
pub mod stage;
pub mod stage_status;
pub mod stage_terms;
pub mod stats;
pub mod team;
pub mod timeline;
pub mod trends;
pub mod view;

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod layering;
#[cfg(test)]
mod proptests;
