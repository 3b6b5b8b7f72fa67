//! Settings of the signed-in user's account: the monthly budget and the alerts' webhook, with
//! the delivery log. Plain form posts, so they work before (and without) the wasm.

pub mod budget_form;
pub mod delivery_log;
pub mod page;
pub mod webhook_form;
