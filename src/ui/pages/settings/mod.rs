//! Settings of the signed-in user's account: their password, the team and API tokens (owners),
//! the monthly budget and the alerts' webhook with the delivery log, and the audit log
//! (owners). Plain form posts, so they work before (and without) the wasm.

pub mod audit_log;
pub mod budget_form;
pub mod delivery_log;
pub mod invite_form;
pub mod page;
pub mod password_form;
pub mod role_select;
pub mod team_members;
pub mod team_section;
pub mod token_row;
pub mod token_section;
pub mod webhook_form;
