pub mod overview;
pub mod run_detail;
