//! Integration tests of the store, the importer, the JSON API and the pages, on SQLite and on
//! PostgreSQL. One binary (`cargo test --release --features ssr --test integration`).
//!
//! Every store test runs twice, `<name>::sqlite` and `<name>::postgres`, with the same
//! assertions, each on a fresh database of its own (a file in a temp folder; a database with a
//! unique name on the PostgreSQL server at 127.0.0.1:5432, dropped at the end). Without a
//! PostgreSQL server the `postgres` variants print "skipped: PostgreSQL not reachable" and
//! pass, except when `CI` is set, where they fail.
//!
//! Expected figures are computed here from the imported data (see `oracle.rs`) or written out
//! by hand from metrics.md and import-format.md; they are never read from the crate's code.

#![cfg(feature = "ssr")]

#[macro_use]
mod harness;
mod data;
mod oracle;

mod alerts;
mod api_errors;
mod api_reference;
mod budget;
mod compare;
mod demo;
mod figures;
mod forecasts;
mod history;
mod import;
mod injection;
mod instances;
mod live;
mod numbering;
mod outage;
mod requests;
mod run_detail;
mod scoping;
mod sessions;
mod simulate;
mod sse;
mod team;
mod tenancy;
mod trends;
