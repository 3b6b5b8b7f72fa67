//! Run requests on the pages (live-api.md, "Run requests"): the forms that ask the engine for a
//! run, and the state of the site's newest request, which the pages refetch on `request`
//! events.

pub mod request_form;
pub mod request_outcome;
pub mod request_panel;
pub mod request_status;
pub mod started_from_request;
