#![recursion_limit = "256"]
//! automation-runs: analytics for the runs of a 7-stage content-automation pipeline.

pub mod app;
pub mod domain;
pub mod error;
pub mod paths;
pub mod server_fns;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The pages are server-rendered HTML: only the islands (the theme switch and the live
    // updates) hydrate, and the small behaviours of the static parts are wired by `enhance`.
    ui::live::remember_regions();
    leptos::mount::hydrate_islands();
    ui::enhance::install();
}
