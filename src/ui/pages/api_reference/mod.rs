//! /api: the JSON API's reference, rendered on the server from its OpenAPI document.

pub mod body_content;
pub mod calling_the_api;
pub mod contents;
pub mod endpoint_card;
pub mod page;
pub mod parameter_table;
pub mod response_table;
pub mod rich_text;
pub mod schema_table;
pub mod type_label;
