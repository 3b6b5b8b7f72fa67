pub mod api_reference;
pub mod compare;
pub mod join;
pub mod overview;
pub mod run_detail;
pub mod settings;
pub mod sign_in;
pub mod trends;
