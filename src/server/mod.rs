//! Everything that runs only on the server.

pub mod alerts;
pub mod assets;
pub mod auth;
pub mod budget;
pub mod charts;
pub mod cli;
pub mod config;
pub mod dataset;
pub mod db;
pub mod events;
pub mod forwarded;
pub mod import;
pub mod request_id;
pub mod requests;
pub mod rest;
pub mod reveal;
pub mod security_headers;
pub mod service;
pub mod simulate;
pub mod startup;
pub mod state;
pub mod team;
