//! The sign-in page: a plain form post, so it works before (and without) the wasm.

pub mod demo_accounts;
pub mod page;
