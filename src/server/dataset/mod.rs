//! Deterministic datasets in the NDJSON exchange format (`shared/spec/import-format.md`):
//! the demo that the product's pages and tests use, and scale data for load tests.
//!
//! Pure: no clock reads, no I/O, no hash-map iteration, no `rand`. A small SplitMix64 generator
//! with fixed seeds drives every choice, and every time is computed from `anchor` (truncated to
//! whole seconds), so the same `anchor` always gives byte-identical lines and a different
//! `anchor` gives the same dataset shifted in time (same runs, statuses and figures).
//!
//! # The demo ([`demo_lines`])
//! `D` below is midnight UTC of `anchor`'s date; "day k" is `D − k days`.
//!
//! Accounts and sites:
//! - account 1 "Acme Media", credit_balance 1250: site 123 "TechBlog" (`techblog.com`) and
//!   site 124 "Recipes Daily" (`recipesdaily.com`); the predictions of both are sufficient.
//! - account 2 "Northwind Publishing", credit_balance 180: site 201 "GardenGuide"
//!   (`gardenguide.io`), whose prediction is NOT sufficient, and site 202 "TravelNotes"
//!   (`travelnotes.net`).
//!
//! Runs (435 in all), run_id `run_YYYYMMDD_HHMMSS_{manual|scheduled}` from `started_at` (UTC),
//! with the suffix `_s{site_id}` for every site but 123, so ids are unique globally:
//! - **123 techblog.com: 200 runs** — a scheduled run at 02:00:00 on each of days 1..=182,
//!   14 manual runs at daytime hours on days 5..=182, and these four:
//!   - the plan's example run, completed, manual, started day 2 at 14:05:23, completed 2301 s
//!     later, 569 credits, exactly the figures of import-format.md; its id is
//!     [`demo_example_run_id`] (`run_{YYYYMMDD of day 2}_140523_manual`). It is written LAST
//!     among techblog's run lines (out-of-order import); its 22 log lines are fixed.
//!   - a failed manual run started day 4 at 10:30:00: current_stage 5, results for stages 1-4,
//!     error_message "Image prompt generation failed: upstream model returned 503 after 3
//!     retries", completed_at = the failure time.
//!   - a cancelled manual run started day 9 at 11:47:05: current_stage 4, results for stages
//!     1-3, cancelled_at set, completed_at null, the keys `stage_4_result`..`stage_7_result`
//!     absent (other unfinished stages are written as `null`).
//!   - the only running run, its latest: manual, started `anchor − 20 min`, current_stage 4,
//!     results for stages 1-3, completed_at null.
//!
//!   Every run of days 1..=14 other than those is completed, so W7 and P7 both hold completed
//!   runs; older runs are sometimes failed or cancelled.
//! - **124 recipesdaily.com: 130 runs** — scheduled on days 1..=120, 9 manual runs on days
//!   4..=120, and the only paused run: manual, started day 2 at 17:42:10, current_stage 4,
//!   results for stages 1-3, paused_at set. It is the site's latest run but one (the latest is
//!   the completed scheduled run of day 1). Its pipeline has no attention items.
//! - **201 gardenguide.io: 100 runs** — scheduled on the even days 2..=182, 9 manual runs.
//! - **202 travelnotes.net: 5 runs, only 2 completed** ("not enough history"): day 18
//!   scheduled failed at stage 1, day 15 manual completed, day 11 scheduled cancelled at
//!   stage 2, day 6 scheduled failed at stage 4, day 3 manual completed.
//!
//! Status counts (asserted in the test `demo_status_counts`):
//!
//! | site | runs | completed | failed | cancelled | running | paused |
//! |------|------|-----------|--------|-----------|---------|--------|
//! | 123  | 200  | 182       | 9      | 8         | 1       | 0      |
//! | 124  | 130  | 124       | 3      | 2         | 0       | 1      |
//! | 201  | 100  | 91        | 2      | 7         | 0       | 0      |
//! | 202  | 5    | 2         | 2      | 1         | 0       | 0      |
//!
//! Figures vary around the plan's example run (stage 1 ≈ 0.3 credits a keyword and a cluster
//! per ~12 keywords, stage 2 ≈ 12 credits and ~8.7 ideas a cluster, stage 3 free, stage 4
//! ≈ 12.4 credits a task, stage 5 ≈ 1.5 credits and 3 prompts a content item, stage 6 ≈ 9
//! credits and 3 images a prompt, stage 7 free). Stage inputs never exceed the snapshot and
//! are sometimes below it; a stage with nothing queued has a zero result or none (skipped).
//! Some stage 2 results carry the unknown field `"model"`. total_credits_used is the sum of
//! the stage credits; a completed run's duration is the sum of its stage times plus 0-4 s.
//!
//! Pipelines: one per site, `as_of = anchor − 1 h`; techblog.com's is exactly the plan's.
//! Predictions over the last 10 completed runs (metrics.md), the same for every anchor:
//! 123 estimates 617 credits (buffer 741 ≤ 1250, sufficient), 124 estimates 296 (buffer 356,
//! sufficient), 201 estimates 789 (buffer 947 > 180, NOT sufficient), 202 has none (2 runs).
//!
//! Logs: 5-30 lines for each techblog.com run started on day 13 or later, the running run
//! included (17 runs, 370 lines), every `at` within the run's span (up to `anchor` for the
//! running run), unique per (run_id, at, stage, message); an error line for the failed run.
//!
//! Line order: accounts, sites, runs (site by site, in started_at order, but the example run
//! last of techblog's), pipelines, logs.
//!
//! # Scale data ([`generate_lines`])
//! Site `i` (1-based) belongs to account `(i − 1) / 10 + 1`. Each site's runs sit in 4-hour
//! slots ending 4 h before `anchor` (floored to the hour): scheduled runs start at their slot,
//! manual ones 1 min-2 h into it, so `started_at` is strictly increasing per site. About 90 %
//! completed, 7 % failed, 3 % cancelled; no running or paused runs and no log lines.

mod demo;
pub(crate) mod logs;
pub(crate) mod ndjson;
pub(crate) mod rng;
mod runs;
mod scale;
#[cfg(test)]
mod tests;

pub use demo::{demo_example_run_id, demo_lines, demo_users};
pub use scale::generate_lines;

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;
const MINUTE: i64 = 60;
