//! Whose data a read may see. The store filters every read by it and the service takes it on
//! every call, so it lives below both; the API, the server functions and the command line say it
//! without reaching into the store.

/// The whole installation (command line, before sign-in exists) or one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Installation,
    Account(i64),
}
