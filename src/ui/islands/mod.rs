//! The only parts of the pages that run as WebAssembly (Leptos islands): everything else is
//! server-rendered HTML, with `ui::enhance` wiring its small behaviours.

pub mod live_updates;
pub mod theme_toggle;
