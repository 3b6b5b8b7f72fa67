//! The invitation page (`/join/<token>`): the invitee sets a password and joins the account.

pub mod join_form;
pub mod page;
