//! Live events (live-api.md, "GET /api/v1/automation/events" and "More than one instance").
//!
//! Every write that a page may follow adds rows to the `events` outbox in its own transaction.
//! The [`EventHub`] of each server process learns of them at commit and fans them out to the
//! site streams of that process:
//! - on PostgreSQL, a trigger on the outbox NOTIFYs from the writing transaction and the hub
//!   LISTENs, so every instance on the database hears every commit, whoever wrote it;
//! - on SQLite, the hub reads the outbox in id order: at once when this process wrote, and every
//!   second for writers in other processes (a command-line import).
//!
//! The outbox also lets a stream that reconnects with `Last-Event-ID` be replayed what it
//! missed, on any instance; when that is no longer possible it is told to `resync`.

mod hub;
pub mod stream;

pub use hub::{EventHub, HubMessage};
pub use stream::events;
