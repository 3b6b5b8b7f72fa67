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

pub(crate) mod logs;
pub(crate) mod records;
pub(crate) mod rng;

use chrono::{DateTime, Utc};
use std::fmt::Write as _;

use logs::{example_logs, run_logs};
use records::{
    account_line, log_line, push_num, push_ts, run_id, run_line, site_line, Outcome, Run, StageResult, Trigger, ERRORS,
};
use rng::{mix, Rng};

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;
const MINUTE: i64 = 60;

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/// An owner, a member and a viewer per demo account, with published passwords, so each role
/// can be tried: `serve --demo` creates them and the sign-in page lists them, in demo mode only.
pub fn demo_users() -> Vec<crate::server::auth::DemoUser> {
    use crate::domain::team::Role;
    use crate::server::auth::DemoUser;
    let user =
        |account_id, account_name, email, password, role| DemoUser { account_id, account_name, email, password, role };
    vec![
        user(1, "Acme Media", "owner@acme-media.example", "acme-demo-password", Role::Owner),
        user(1, "Acme Media", "member@acme-media.example", "acme-member-password", Role::Member),
        user(1, "Acme Media", "viewer@acme-media.example", "acme-viewer-password", Role::Viewer),
        user(2, "Northwind Publishing", "owner@northwind.example", "northwind-demo-password", Role::Owner),
        user(2, "Northwind Publishing", "member@northwind.example", "northwind-member-password", Role::Member),
        user(2, "Northwind Publishing", "viewer@northwind.example", "northwind-viewer-password", Role::Viewer),
    ]
}

/// The demo: 2 accounts, 4 sites, six months of runs ending at `anchor` (see the module doc).
pub fn demo_lines(anchor: DateTime<Utc>) -> Vec<String> {
    let now = anchor.timestamp();
    let day0 = now.div_euclid(DAY) * DAY;
    let mut lines = Vec::with_capacity(1_000);

    for (id, name, balance) in DEMO_ACCOUNTS {
        lines.push(account_line(id, name, balance));
    }
    for (id, account, name, domain) in DEMO_SITES {
        lines.push(site_line(id, account, name, domain));
    }

    let techblog = techblog_runs(now, day0);
    let example_id = demo_example_run_id(anchor);
    let (example, others): (Vec<&Run>, Vec<&Run>) = techblog.iter().partition(|r| r.run_id == example_id);
    for run in others.iter().chain(example.iter()) {
        lines.push(run_line(run));
    }
    for run in recipes_runs(day0).iter().chain(&garden_runs(day0)).chain(&travel_runs(day0)) {
        lines.push(run_line(run));
    }

    for p in demo_pipelines(now - HOUR) {
        lines.push(pipeline_line(&p));
    }

    let mut rng = Rng::new(0x106_5EED);
    for run in techblog.iter().filter(|r| r.started >= day0 - 13 * DAY) {
        let logs = if run.run_id == example_id { example_logs(run) } else { run_logs(&mut rng, run, now) };
        for l in &logs {
            lines.push(log_line(&run.run_id, l));
        }
    }
    lines
}

/// The run id of the plan's example run in [`demo_lines`]: techblog.com, manual, started two
/// days before `anchor`'s date at 14:05:23 UTC, e.g. `run_20260117_140523_manual`.
pub fn demo_example_run_id(anchor: DateTime<Utc>) -> String {
    let day0 = anchor.timestamp().div_euclid(DAY) * DAY;
    run_id(123, day0 - 2 * DAY + example_start_offset(), Trigger::Manual)
}

/// Scale data: `sites` sites (spread over ceil(sites/10) accounts, ids from 1), `runs_per_site`
/// runs each, deterministic for `seed` and `anchor`.
///
/// Order: all accounts, then all sites, then for each site its runs in started_at order, then
/// one pipeline line per site (`as_of = anchor − 1 h`). No log lines. The iterator builds one
/// line at a time and reports its exact length through `size_hint`.
pub fn generate_lines(
    sites: u32,
    runs_per_site: u32,
    seed: u64,
    anchor: DateTime<Utc>,
) -> impl Iterator<Item = String> {
    let now = anchor.timestamp();
    let accounts = sites.div_ceil(10);
    let total = accounts as u64 + 2 * sites as u64 + sites as u64 * runs_per_site as u64;
    ScaleLines {
        sites,
        runs_per_site,
        accounts,
        seed,
        now,
        base: now.div_euclid(HOUR) * HOUR,
        phase: Phase::Accounts,
        i: 1,
        j: 0,
        rng: Rng::new(seed),
        profile: Profile::techblog(),
        remaining: total,
    }
}

// ---------------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------------

/// Base credits per input item, by stage.
const CREDIT_RATE: [f64; 7] = [0.3, 12.0, 0.0, 12.4, 1.5, 9.0, 0.0];
/// Base seconds per input item, by stage (the plan's example run).
const SECS_PER_ITEM: [f64; 7] = [1.36, 49.5, 0.24, 44.9, 9.0, 41.25, 0.6];

/// How a site's runs look.
#[derive(Debug, Clone)]
struct Profile {
    snap_lo: [u32; 7],
    snap_hi: [u32; 7],
    credit_mult: f64,
    words_per_article: f64,
    /// Chance that a stage processes less than its snapshot.
    partial_p: f64,
    /// Chance that a stage 2 result carries `"model"`.
    model_p: f64,
}

impl Profile {
    fn techblog() -> Self {
        Profile {
            snap_lo: [100, 6, 30, 15, 8, 4, 2],
            snap_hi: [200, 14, 70, 35, 22, 12, 9],
            credit_mult: 1.0,
            words_per_article: 618.0,
            partial_p: 0.3,
            model_p: 0.3,
        }
    }

    fn recipes() -> Self {
        Profile {
            snap_lo: [60, 4, 20, 10, 6, 3, 1],
            snap_hi: [140, 10, 45, 24, 16, 10, 7],
            credit_mult: 0.9,
            words_per_article: 540.0,
            partial_p: 0.25,
            model_p: 0.2,
        }
    }

    fn garden() -> Self {
        Profile {
            snap_lo: [80, 5, 25, 12, 6, 3, 1],
            snap_hi: [180, 12, 60, 30, 20, 12, 8],
            credit_mult: 1.1,
            words_per_article: 700.0,
            partial_p: 0.35,
            model_p: 0.5,
        }
    }

    fn scaled(rng: &mut Rng) -> Self {
        let mut p = Profile::techblog();
        let size = 0.4 + rng.unit() * 1.2;
        for s in 0..7 {
            p.snap_lo[s] = ((p.snap_lo[s] as f64) * size).round() as u32;
            p.snap_hi[s] = ((p.snap_hi[s] as f64) * size).round().max(p.snap_lo[s] as f64) as u32;
        }
        p.credit_mult = rng.jitter(0.15);
        p.words_per_article = 450.0 + rng.unit() * 400.0;
        p
    }

    fn snapshot(&self, rng: &mut Rng) -> [u32; 7] {
        let mut snap: [u32; 7] =
            std::array::from_fn(|s| rng.range(self.snap_lo[s] as i64, self.snap_hi[s] as i64) as u32);
        if rng.chance(0.04) {
            snap[6] = 0;
        }
        if rng.chance(0.03) {
            snap[5] = 0;
        }
        snap
    }
}

/// One stage's result for `queued` items in the snapshot (`None`: skipped, nothing queued).
fn gen_stage(rng: &mut Rng, stage: usize, queued: u32, p: &Profile) -> Option<StageResult> {
    if queued == 0 {
        if rng.chance(0.5) {
            return None;
        }
        return Some(StageResult { input: 0, output: 0, extra: 0, model: None, credits: 0, secs: rng.below(2) as u32 });
    }
    let input = if rng.chance(p.partial_p) {
        (((queued as f64) * (0.5 + 0.45 * rng.unit())).floor() as u32).max(1)
    } else {
        queued
    };
    let n = input as f64;
    let (output, extra) = match stage {
        1 => (((n / 12.0) * rng.jitter(0.2)).round().max(1.0) as u32, input.div_ceil(50)),
        2 => ((n * 8.7 * rng.jitter(0.12)).round().max(1.0) as u32, 0),
        4 => (input, (n * p.words_per_article * rng.jitter(0.15)).round() as u32),
        5 => (input * 3, 0),
        6 => (input * 3 - u32::from(rng.chance(0.15)), 0),
        _ => (input, 0),
    };
    let credits = (n * CREDIT_RATE[stage - 1] * p.credit_mult * rng.jitter(0.12)).round() as u32;
    let secs = ((n * SECS_PER_ITEM[stage - 1] * rng.jitter(0.18)).round() as u32).max(1);
    let model = if stage == 2 && rng.chance(p.model_p) {
        Some(if rng.chance(0.8) { "gpt-4o-mini" } else { "gpt-4o" }.to_string())
    } else {
        None
    };
    Some(StageResult { input, output, extra, model, credits, secs })
}

/// A run with generated figures. `snapshot` overrides the profile's.
fn gen_run(
    rng: &mut Rng,
    site_id: u32,
    p: &Profile,
    started: i64,
    trigger: Trigger,
    outcome: Outcome,
    snapshot: Option<[u32; 7]>,
) -> Run {
    let snapshot = snapshot.unwrap_or_else(|| p.snapshot(rng));
    let done = match outcome {
        Outcome::Completed => 7,
        other => other.current_stage() - 1,
    };
    let mut results: [Option<StageResult>; 7] = Default::default();
    let mut t = started;
    for s in 1..=done {
        results[s - 1] = gen_stage(rng, s, snapshot[s - 1], p);
        t += results[s - 1].as_ref().map_or(0, |r| r.secs as i64);
    }
    // Time spent in the stage where the run stopped.
    let partial = |rng: &mut Rng, s: usize| -> i64 {
        let full = snapshot[s - 1] as f64 * SECS_PER_ITEM[s - 1];
        ((full * (0.1 + 0.8 * rng.unit())).round() as i64).max(2)
    };
    let mut run = Run {
        site_id: site_id.into(),
        run_id: run_id(site_id.into(), started, trigger),
        outcome,
        trigger,
        started,
        completed: None,
        paused: None,
        cancelled: None,
        error: None,
        snapshot,
        results,
        omit_missing: false,
    };
    match outcome {
        Outcome::Completed => run.completed = Some(t + rng.below(5) as i64),
        Outcome::Failed(s) => {
            run.completed = Some(t + partial(rng, s));
            run.error = Some(ERRORS[s - 1]);
        }
        Outcome::Cancelled(s) => {
            run.cancelled = Some(t + partial(rng, s));
            run.omit_missing = true;
        }
        Outcome::Paused(s) => run.paused = Some(t + partial(rng, s)),
        Outcome::Running(_) => {}
    }
    run
}

/// Mostly completed; sometimes failed (mostly in the costly stages) or cancelled.
fn random_outcome(rng: &mut Rng, fail_p: f64, cancel_p: f64) -> Outcome {
    let x = rng.unit();
    if x < fail_p {
        const STAGES: [usize; 10] = [1, 2, 2, 4, 4, 4, 5, 5, 6, 6];
        Outcome::Failed(STAGES[rng.below(STAGES.len() as u64) as usize])
    } else if x < fail_p + cancel_p {
        Outcome::Cancelled(rng.range(2, 7) as usize)
    } else {
        Outcome::Completed
    }
}

// ---------------------------------------------------------------------------------------------
// The demo's runs
// ---------------------------------------------------------------------------------------------

const DEMO_ACCOUNTS: [(u32, &str, i64); 2] = [(1, "Acme Media", 1250), (2, "Northwind Publishing", 180)];

const DEMO_SITES: [(u32, u32, &str, &str); 4] = [
    (123, 1, "TechBlog", "techblog.com"),
    (124, 1, "Recipes Daily", "recipesdaily.com"),
    (201, 2, "GardenGuide", "gardenguide.io"),
    (202, 2, "TravelNotes", "travelnotes.net"),
];

fn example_start_offset() -> i64 {
    14 * HOUR + 5 * MINUTE + 23
}

/// A run planned before its figures are drawn.
struct Plan {
    started: i64,
    trigger: Trigger,
    outcome: Outcome,
    snapshot: Option<[u32; 7]>,
}

/// `count` distinct days in `lo..=hi` (not in `except`), each with a daytime start, as plans.
fn manual_plans(rng: &mut Rng, day0: i64, count: usize, lo: i64, hi: i64, except: &[i64]) -> Vec<(i64, i64)> {
    let mut days: Vec<i64> = Vec::with_capacity(count);
    while days.len() < count {
        let k = rng.range(lo, hi);
        if !days.contains(&k) && !except.contains(&k) {
            days.push(k);
        }
    }
    days.sort_unstable();
    days.into_iter()
        .map(|k| {
            let at = rng.range(8, 19) * HOUR + rng.range(0, 59) * MINUTE + rng.range(0, 59);
            (k, day0 - k * DAY + at)
        })
        .collect()
}

/// Draws figures for the plans in started_at order.
fn realize(rng: &mut Rng, site_id: u32, p: &Profile, mut plans: Vec<Plan>) -> Vec<Run> {
    plans.sort_by_key(|pl| pl.started);
    plans.into_iter().map(|pl| gen_run(rng, site_id, p, pl.started, pl.trigger, pl.outcome, pl.snapshot)).collect()
}

fn techblog_runs(now: i64, day0: i64) -> Vec<Run> {
    let mut rng = Rng::new(123);
    let p = Profile::techblog();
    let mut plans = Vec::with_capacity(200);
    for k in 1..=182 {
        let outcome = if k <= 14 { Outcome::Completed } else { random_outcome(&mut rng, 0.05, 0.03) };
        plans.push(Plan { started: day0 - k * DAY + 2 * HOUR, trigger: Trigger::Scheduled, outcome, snapshot: None });
    }
    for (k, started) in manual_plans(&mut rng, day0, 14, 5, 182, &[9]) {
        let outcome = if k <= 14 { Outcome::Completed } else { random_outcome(&mut rng, 0.05, 0.03) };
        plans.push(Plan { started, trigger: Trigger::Manual, outcome, snapshot: None });
    }
    plans.push(Plan {
        started: day0 - 4 * DAY + 10 * HOUR + 30 * MINUTE,
        trigger: Trigger::Manual,
        outcome: Outcome::Failed(5),
        snapshot: None,
    });
    plans.push(Plan {
        started: day0 - 9 * DAY + 11 * HOUR + 47 * MINUTE + 5,
        trigger: Trigger::Manual,
        outcome: Outcome::Cancelled(4),
        snapshot: None,
    });
    // Small enough that stages 1-3 finish well within its 20 minutes.
    plans.push(Plan {
        started: now - 20 * MINUTE,
        trigger: Trigger::Manual,
        outcome: Outcome::Running(4),
        snapshot: Some([120, 8, 40, 24, 12, 6, 4]),
    });
    let mut runs = realize(&mut rng, 123, &p, plans);
    let example = example_run(day0 - 2 * DAY + example_start_offset());
    let at = runs.partition_point(|r| r.started < example.started);
    runs.insert(at, example);
    runs
}

/// The plan's example run, figure for figure.
fn example_run(started: i64) -> Run {
    let r =
        |input, output, extra, credits, secs| Some(StageResult { input, output, extra, model: None, credits, secs });
    Run {
        site_id: 123,
        run_id: run_id(123, started, Trigger::Manual),
        outcome: Outcome::Completed,
        trigger: Trigger::Manual,
        started,
        completed: Some(started + 2301),
        paused: None,
        cancelled: None,
        error: None,
        snapshot: [150, 10, 50, 25, 15, 8, 5],
        results: [
            r(150, 12, 3, 45, 204),
            r(10, 87, 0, 120, 495),
            r(50, 50, 0, 0, 12),
            r(25, 25, 15450, 310, 1122),
            r(15, 45, 0, 22, 135),
            r(8, 24, 0, 72, 330),
            r(5, 5, 0, 0, 3),
        ],
        omit_missing: false,
    }
}

fn recipes_runs(day0: i64) -> Vec<Run> {
    let mut rng = Rng::new(124);
    let p = Profile::recipes();
    let mut plans = Vec::with_capacity(130);
    for k in 1..=120 {
        let outcome = if k <= 7 { Outcome::Completed } else { random_outcome(&mut rng, 0.04, 0.02) };
        plans.push(Plan { started: day0 - k * DAY + 2 * HOUR, trigger: Trigger::Scheduled, outcome, snapshot: None });
    }
    for (k, started) in manual_plans(&mut rng, day0, 9, 4, 120, &[]) {
        let outcome = if k <= 7 { Outcome::Completed } else { random_outcome(&mut rng, 0.04, 0.02) };
        plans.push(Plan { started, trigger: Trigger::Manual, outcome, snapshot: None });
    }
    plans.push(Plan {
        started: day0 - 2 * DAY + 17 * HOUR + 42 * MINUTE + 10,
        trigger: Trigger::Manual,
        outcome: Outcome::Paused(4),
        snapshot: None,
    });
    realize(&mut rng, 124, &p, plans)
}

fn garden_runs(day0: i64) -> Vec<Run> {
    let mut rng = Rng::new(201);
    let p = Profile::garden();
    let mut plans = Vec::with_capacity(100);
    for k in (2..=182).step_by(2) {
        let outcome = if k <= 14 { Outcome::Completed } else { random_outcome(&mut rng, 0.07, 0.03) };
        plans.push(Plan { started: day0 - k * DAY + 2 * HOUR, trigger: Trigger::Scheduled, outcome, snapshot: None });
    }
    for (k, started) in manual_plans(&mut rng, day0, 9, 3, 182, &[]) {
        let outcome = if k <= 14 { Outcome::Completed } else { random_outcome(&mut rng, 0.07, 0.03) };
        plans.push(Plan { started, trigger: Trigger::Manual, outcome, snapshot: None });
    }
    realize(&mut rng, 201, &p, plans)
}

fn travel_runs(day0: i64) -> Vec<Run> {
    let mut rng = Rng::new(202);
    let p = Profile::garden();
    let at = |k: i64, h: i64, m: i64, s: i64| day0 - k * DAY + h * HOUR + m * MINUTE + s;
    let plan = |started, trigger, outcome| Plan { started, trigger, outcome, snapshot: None };
    let plans = vec![
        plan(at(18, 2, 0, 0), Trigger::Scheduled, Outcome::Failed(1)),
        plan(at(15, 9, 12, 44), Trigger::Manual, Outcome::Completed),
        plan(at(11, 2, 0, 0), Trigger::Scheduled, Outcome::Cancelled(2)),
        plan(at(6, 2, 0, 0), Trigger::Scheduled, Outcome::Failed(4)),
        plan(at(3, 16, 20, 9), Trigger::Manual, Outcome::Completed),
    ];
    realize(&mut rng, 202, &p, plans)
}

// ---------------------------------------------------------------------------------------------
// Pipelines
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
struct Pipeline {
    site_id: u32,
    as_of: i64,
    /// new, mapped, skipped
    keywords: [u32; 3],
    /// new, mapped, skipped
    clusters: [u32; 3],
    /// new, queued, done, skipped
    ideas: [u32; 4],
    /// queued, done
    tasks: [u32; 2],
    /// draft, review, published, failed
    content: [u32; 4],
    /// pending, done
    image_prompts: [u32; 2],
    /// pending, generated, failed
    images: [u32; 3],
}

#[rustfmt::skip]
fn demo_pipelines(as_of: i64) -> [Pipeline; 4] {
    [
        Pipeline {
            site_id: 123,
            as_of,
            keywords: [120, 30, 0],
            clusters: [8, 15, 0],
            ideas: [32, 20, 35, 3],
            tasks: [20, 22],
            content: [15, 12, 15, 2],
            image_prompts: [24, 132],
            images: [24, 132, 5],
        },
        Pipeline {
            site_id: 124,
            as_of,
            keywords: [64, 212, 0],
            clusters: [5, 31, 0],
            ideas: [18, 11, 96, 0],
            tasks: [12, 84],
            content: [9, 6, 78, 0],
            image_prompts: [10, 240],
            images: [10, 236, 0],
        },
        Pipeline {
            site_id: 201,
            as_of,
            keywords: [240, 410, 12],
            clusters: [14, 38, 1],
            ideas: [45, 18, 160, 6],
            tasks: [22, 140],
            content: [12, 9, 118, 3],
            image_prompts: [20, 300],
            images: [20, 290, 4],
        },
        Pipeline {
            site_id: 202,
            as_of,
            keywords: [85, 40, 4],
            clusters: [6, 3, 0],
            ideas: [22, 5, 12, 1],
            tasks: [7, 9],
            content: [4, 3, 6, 1],
            image_prompts: [6, 18],
            images: [6, 16, 2],
        },
    ]
}

fn random_pipeline(rng: &mut Rng, site_id: u32, as_of: i64) -> Pipeline {
    let mut r = |lo: i64, hi: i64| rng.range(lo, hi) as u32;
    Pipeline {
        site_id,
        as_of,
        keywords: [r(0, 300), r(0, 2000), r(0, 20)],
        clusters: [r(0, 20), r(0, 150), r(0, 3)],
        ideas: [r(0, 80), r(0, 40), r(0, 800), r(0, 8)],
        tasks: [r(0, 40), r(0, 700)],
        content: [r(0, 30), r(0, 25), r(0, 600), r(0, 4)],
        image_prompts: [r(0, 40), r(0, 1500)],
        images: [r(0, 40), r(0, 1500), r(0, 8)],
    }
}

fn pipeline_line(p: &Pipeline) -> String {
    let mut out = String::with_capacity(420);
    out.push_str("{\"kind\":\"pipeline\",\"site_id\":");
    push_num(&mut out, p.site_id);
    out.push_str(",\"as_of\":");
    push_ts(&mut out, p.as_of);
    let groups: [(&str, &[&str], &[u32]); 7] = [
        ("keywords", &["new", "mapped", "skipped"], &p.keywords),
        ("clusters", &["new", "mapped", "skipped"], &p.clusters),
        ("ideas", &["new", "queued", "done", "skipped"], &p.ideas),
        ("tasks", &["queued", "done"], &p.tasks),
        ("content", &["draft", "review", "published", "failed"], &p.content),
        ("image_prompts", &["pending", "done"], &p.image_prompts),
        ("images", &["pending", "generated", "failed"], &p.images),
    ];
    for (group, keys, values) in groups {
        let _ = write!(out, ",\"{group}\":{{");
        for (i, (k, v)) in keys.iter().zip(values).enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "\"{k}\":{v}");
        }
        out.push('}');
    }
    out.push('}');
    out
}

// ---------------------------------------------------------------------------------------------
// Logs
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Scale data
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Accounts,
    Sites,
    Runs,
    Pipelines,
    Done,
}

struct ScaleLines {
    sites: u32,
    runs_per_site: u32,
    accounts: u32,
    seed: u64,
    now: i64,
    /// `anchor` floored to the hour; the last slot starts 4 h before it.
    base: i64,
    phase: Phase,
    /// Current account or site id (1-based).
    i: u32,
    /// Next run of site `i`.
    j: u32,
    rng: Rng,
    profile: Profile,
    remaining: u64,
}

const SLOT: i64 = 4 * HOUR;

impl ScaleLines {
    fn next_line(&mut self) -> Option<String> {
        loop {
            match self.phase {
                Phase::Accounts => {
                    if self.i > self.accounts {
                        self.phase = Phase::Sites;
                        self.i = 1;
                        continue;
                    }
                    let id = self.i;
                    self.i += 1;
                    let balance = Rng::new(mix(self.seed, 0xACC0_0000 + id as u64)).range(0, 5000);
                    return Some(account_line(id, &format!("Account {id}"), balance));
                }
                Phase::Sites => {
                    if self.i > self.sites {
                        self.phase = Phase::Runs;
                        self.i = 1;
                        self.j = 0;
                        continue;
                    }
                    let id = self.i;
                    self.i += 1;
                    return Some(site_line(
                        id,
                        (id - 1) / 10 + 1,
                        &format!("Site {id}"),
                        &format!("site{id}.example.com"),
                    ));
                }
                Phase::Runs => {
                    if self.i > self.sites || self.runs_per_site == 0 {
                        self.phase = Phase::Pipelines;
                        self.i = 1;
                        continue;
                    }
                    if self.j == 0 {
                        self.rng = Rng::new(mix(self.seed, self.i as u64));
                        self.profile = Profile::scaled(&mut self.rng);
                    }
                    let slot = self.base - (self.runs_per_site - self.j) as i64 * SLOT;
                    let rng = &mut self.rng;
                    let (trigger, started) = if rng.chance(0.75) {
                        (Trigger::Scheduled, slot)
                    } else {
                        (Trigger::Manual, slot + rng.range(MINUTE, 2 * HOUR - 1))
                    };
                    let outcome = random_outcome(rng, 0.07, 0.03);
                    let run = gen_run(rng, self.i, &self.profile, started, trigger, outcome, None);
                    self.j += 1;
                    if self.j == self.runs_per_site {
                        self.j = 0;
                        self.i += 1;
                    }
                    return Some(run_line(&run));
                }
                Phase::Pipelines => {
                    if self.i > self.sites {
                        self.phase = Phase::Done;
                        continue;
                    }
                    let id = self.i;
                    self.i += 1;
                    let mut rng = Rng::new(mix(self.seed, 0x919E_0000_0000 + id as u64));
                    return Some(pipeline_line(&random_pipeline(&mut rng, id, self.now - HOUR)));
                }
                Phase::Done => return None,
            }
        }
    }
}

impl Iterator for ScaleLines {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        let line = self.next_line();
        if line.is_some() {
            self.remaining -= 1;
        }
        line
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match usize::try_from(self.remaining) {
            Ok(n) => (n, Some(n)),
            Err(_) => (usize::MAX, None),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};
    use std::collections::{BTreeMap, BTreeSet};

    fn anchor() -> DateTime<Utc> {
        "2026-01-19T15:30:00Z".parse().unwrap()
    }

    fn ts(v: &Value) -> Option<DateTime<Utc>> {
        v.as_str().map(|s| s.parse().unwrap())
    }

    fn parsed(lines: &[String]) -> Vec<Value> {
        lines.iter().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}"))).collect()
    }

    fn of_kind<'a>(values: &'a [Value], kind: &str) -> Vec<&'a Value> {
        values.iter().filter(|v| v["kind"] == kind).collect()
    }

    fn site_runs(values: &[Value], site: i64) -> Vec<&Value> {
        let mut runs: Vec<&Value> = of_kind(values, "run").into_iter().filter(|r| r["site_id"] == site).collect();
        runs.sort_by_key(|r| (ts(&r["started_at"]).unwrap(), r["run_id"].as_str().unwrap().to_string()));
        runs
    }

    const INPUTS: [&str; 7] = [
        "keywords_processed",
        "clusters_processed",
        "ideas_processed",
        "tasks_processed",
        "content_processed",
        "images_processed",
        "ready_for_review",
    ];
    const OUTPUTS: [&str; 7] = [
        "clusters_created",
        "ideas_created",
        "tasks_created",
        "content_created",
        "prompts_created",
        "images_generated",
        "ready_for_review",
    ];

    fn hms(v: &Value) -> i64 {
        let s = v.as_str().unwrap();
        let p: Vec<i64> = s.split(':').map(|x| x.parse().unwrap()).collect();
        assert_eq!(p.len(), 3, "{s}");
        assert!(p[1] < 60 && p[2] < 60, "{s}");
        p[0] * 3600 + p[1] * 60 + p[2]
    }

    fn result(run: &Value, s: usize) -> Option<&Value> {
        run.get(format!("stage_{s}_result")).filter(|v| !v.is_null())
    }

    #[test]
    fn timestamps_match_chrono() {
        let mut t = -100 * 365 * DAY;
        while t < 400 * 365 * DAY {
            let mut s = String::new();
            push_ts(&mut s, t);
            let expected = DateTime::from_timestamp(t, 0).unwrap().format("\"%Y-%m-%dT%H:%M:%SZ\"").to_string();
            assert_eq!(s, expected);
            t += 86_399 * 7 + 12_345;
        }
    }

    #[test]
    fn demo_is_deterministic_and_shifts_with_the_anchor() {
        assert_eq!(demo_lines(anchor()), demo_lines(anchor()));
        let a = demo_lines(anchor());
        let b = demo_lines(anchor() + chrono::Duration::seconds(3 * DAY + 7 * HOUR + 17));
        assert_eq!(a.len(), b.len());
        // Same runs and figures, only the times differ.
        let strip = |lines: &[String]| -> Vec<Value> {
            parsed(lines)
                .into_iter()
                .filter(|v| v["kind"] == "run")
                .map(|mut v| {
                    for k in ["run_id", "started_at", "completed_at", "paused_at", "cancelled_at"] {
                        v[k] = Value::Null;
                    }
                    v
                })
                .collect()
        };
        assert_eq!(strip(&a), strip(&b));
    }

    #[test]
    fn every_line_is_a_valid_object_in_the_required_order() {
        let values = parsed(&demo_lines(anchor()));
        let order = ["account", "site", "run", "pipeline", "log"];
        let mut last = 0;
        for v in &values {
            let kind = v["kind"].as_str().expect("kind");
            let pos = order.iter().position(|k| *k == kind).expect("known kind");
            assert!(pos >= last, "{kind} after {}", order[last]);
            last = pos;
        }
        assert_eq!(of_kind(&values, "account").len(), 2);
        assert_eq!(of_kind(&values, "site").len(), 4);
        assert_eq!(of_kind(&values, "pipeline").len(), 4);
        let allowed: BTreeSet<&str> = [
            "kind",
            "site_id",
            "run_id",
            "status",
            "trigger_type",
            "current_stage",
            "started_at",
            "completed_at",
            "paused_at",
            "resumed_at",
            "cancelled_at",
            "total_credits_used",
            "error_message",
            "initial_snapshot",
        ]
        .into_iter()
        .collect();
        for r in of_kind(&values, "run") {
            for k in r.as_object().unwrap().keys() {
                assert!(allowed.contains(k.as_str()) || (k.starts_with("stage_") && k.ends_with("_result")), "{k}");
            }
        }
    }

    #[test]
    fn run_ids_are_unique_and_follow_the_format() {
        let values = parsed(&demo_lines(anchor()));
        let mut ids = BTreeSet::new();
        for r in of_kind(&values, "run") {
            let id = r["run_id"].as_str().unwrap();
            assert!(ids.insert(id.to_string()), "duplicate {id}");
            let started = ts(&r["started_at"]).unwrap();
            let mut expected =
                format!("run_{}_{}", started.format("%Y%m%d_%H%M%S"), r["trigger_type"].as_str().unwrap());
            if r["site_id"] != 123 {
                expected += &format!("_s{}", r["site_id"]);
            }
            assert_eq!(id, expected);
        }
        assert_eq!(ids.len(), 435);
    }

    #[test]
    fn the_example_run_is_exact_and_last_of_techblog() {
        let lines = demo_lines(anchor());
        let id = demo_example_run_id(anchor());
        assert_eq!(id, "run_20260117_140523_manual");
        let values = parsed(&lines);
        let tech: Vec<&Value> = values.iter().filter(|v| v["kind"] == "run" && v["site_id"] == 123).collect();
        let example = *tech.last().unwrap();
        assert_eq!(example["run_id"], id.as_str());
        let expected = json!({"kind":"run","site_id":123,"run_id":"run_20260117_140523_manual","status":"completed",
         "trigger_type":"manual","current_stage":7,
         "started_at":"2026-01-17T14:05:23Z","completed_at":"2026-01-17T14:43:44Z",
         "paused_at":null,"resumed_at":null,"cancelled_at":null,
         "total_credits_used":569,"error_message":null,
         "initial_snapshot":{"stage_1_initial":150,"stage_2_initial":10,"stage_3_initial":50,
           "stage_4_initial":25,"stage_5_initial":15,"stage_6_initial":8,"stage_7_initial":5,
           "total_initial_items":263},
         "stage_1_result":{"keywords_processed":150,"clusters_created":12,"batches":3,"credits_used":45,"time_elapsed":"00:03:24"},
         "stage_2_result":{"clusters_processed":10,"ideas_created":87,"credits_used":120,"time_elapsed":"00:08:15"},
         "stage_3_result":{"ideas_processed":50,"tasks_created":50,"credits_used":0,"time_elapsed":"00:00:12"},
         "stage_4_result":{"tasks_processed":25,"content_created":25,"total_words":15450,"credits_used":310,"time_elapsed":"00:18:42"},
         "stage_5_result":{"content_processed":15,"prompts_created":45,"credits_used":22,"time_elapsed":"00:02:15"},
         "stage_6_result":{"images_processed":8,"images_generated":24,"credits_used":72,"time_elapsed":"00:05:30"},
         "stage_7_result":{"ready_for_review":5,"credits_used":0,"time_elapsed":"00:00:03"}});
        // Same text as the spec, key order included.
        assert_eq!(
            lines.iter().find(|l| l.contains(&id) && l.contains("\"kind\":\"run\"")).unwrap(),
            &expected.to_string()
        );
        assert_eq!(example, &expected);
        let logs: Vec<&Value> = values.iter().filter(|v| v["kind"] == "log" && v["run_id"] == id.as_str()).collect();
        assert_eq!(logs.len(), 22);
        assert!(logs.iter().any(|l| l["level"] == "warn" && l["at"] == "2026-01-17T14:20:01Z"));
        assert!(logs.iter().all(|l| l["level"] != "error"));
        assert_eq!(logs.last().unwrap()["at"], "2026-01-17T14:43:44Z");
        // Another anchor on the same day gives the same id.
        assert_eq!(demo_example_run_id("2026-01-19T00:00:00Z".parse().unwrap()), id);
        assert_eq!(demo_example_run_id("2026-01-19T23:59:59.9Z".parse().unwrap()), id);
    }

    fn status_counts(runs: &[&Value]) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for r in runs {
            *m.entry(r["status"].as_str().unwrap().to_string()).or_insert(0) += 1;
        }
        m
    }

    #[test]
    fn demo_status_counts() {
        let values = parsed(&demo_lines(anchor()));
        let counts: Vec<(i64, usize, BTreeMap<String, usize>)> = [123, 124, 201, 202]
            .into_iter()
            .map(|s| {
                let runs = site_runs(&values, s);
                (s, runs.len(), status_counts(&runs))
            })
            .collect();
        for (site, n, c) in &counts {
            eprintln!("site {site}: {n} runs {c:?}");
        }
        assert_eq!(counts.iter().map(|c| c.1).collect::<Vec<_>>(), [200, 130, 100, 5]);
        let all = status_counts(&of_kind(&values, "run"));
        assert_eq!(all.get("running"), Some(&1));
        assert_eq!(all.get("paused"), Some(&1));
        assert!(all["cancelled"] >= 2 && all["failed"] >= 3);
        // The table of the module doc: update both together.
        let table = |i: usize| -> [usize; 6] {
            let c = |status: &str| counts[i].2.get(status).copied().unwrap_or(0);
            [counts[i].1, c("completed"), c("failed"), c("cancelled"), c("running"), c("paused")]
        };
        assert_eq!(table(0), [200, 182, 9, 8, 1, 0]);
        assert_eq!(table(1), [130, 124, 3, 2, 0, 1]);
        assert_eq!(table(2), [100, 91, 2, 7, 0, 0]);
        assert_eq!(table(3), [5, 2, 2, 1, 0, 0]);
    }

    #[test]
    fn required_statuses_are_where_the_tests_expect_them() {
        let values = parsed(&demo_lines(anchor()));
        let now = anchor();
        let tech = site_runs(&values, 123);
        // The running run: techblog's latest.
        let running = tech.last().unwrap();
        assert_eq!(running["status"], "running");
        assert_eq!(ts(&running["started_at"]).unwrap(), now - chrono::Duration::minutes(20));
        assert_eq!(running["current_stage"], 4);
        assert!(running["completed_at"].is_null());
        assert!((1..=3).all(|s| result(running, s).is_some()) && (4..=7).all(|s| result(running, s).is_none()));
        let stages_secs: i64 = (1..=3).map(|s| hms(&result(running, s).unwrap()["time_elapsed"])).sum();
        assert!(stages_secs < 20 * 60);
        // The paused run: site 124's latest but one.
        let recipes = site_runs(&values, 124);
        let paused = recipes[recipes.len() - 2];
        assert_eq!(paused["status"], "paused");
        assert_eq!(paused["current_stage"], 4);
        assert!(ts(&paused["paused_at"]).is_some() && paused["completed_at"].is_null());
        assert!((1..=3).all(|s| result(paused, s).is_some()) && (4..=7).all(|s| result(paused, s).is_none()));
        assert_eq!(recipes.last().unwrap()["status"], "completed");
        // A failed run at stage 5 in the last 30 days.
        let failed = tech
            .iter()
            .find(|r| {
                r["status"] == "failed"
                    && r["current_stage"] == 5
                    && ts(&r["started_at"]).unwrap() > now - chrono::Duration::days(30)
            })
            .expect("failed at stage 5");
        assert!((1..=4).all(|s| result(failed, s).is_some()) && (5..=7).all(|s| result(failed, s).is_none()));
        assert_eq!(
            failed["error_message"],
            "Image prompt generation failed: upstream model returned 503 after 3 retries"
        );
        assert!(ts(&failed["completed_at"]).is_some());
        // A cancelled run on techblog with earlier results and absent later keys.
        let cancelled = tech.iter().find(|r| r["status"] == "cancelled" && r["current_stage"] == 4).expect("cancelled");
        assert!(ts(&cancelled["cancelled_at"]).is_some() && cancelled["completed_at"].is_null());
        assert!((1..=3).all(|s| result(cancelled, s).is_some()));
        assert!(cancelled.get("stage_4_result").is_none());
        // Trends: completed runs in W7 and P7.
        let completed_in = |from: i64, to: i64| {
            tech.iter()
                .filter(|r| r["status"] == "completed")
                .filter(|r| {
                    let t = ts(&r["started_at"]).unwrap();
                    t >= now - chrono::Duration::days(from) && t < now - chrono::Duration::days(to)
                })
                .count()
        };
        assert!(completed_in(7, 0) >= 3 && completed_in(14, 7) >= 3);
        // Enough history everywhere but 202.
        for site in [123, 124, 201] {
            assert!(site_runs(&values, site).iter().filter(|r| r["status"] == "completed").count() >= 3);
        }
        assert_eq!(site_runs(&values, 202).iter().filter(|r| r["status"] == "completed").count(), 2);
        assert!(values.iter().any(|v| v["kind"] == "run" && v["stage_2_result"].get("model").is_some()));
    }

    fn check_run(r: &Value, now: DateTime<Utc>) {
        let id = r["run_id"].as_str().unwrap();
        let started = ts(&r["started_at"]).unwrap();
        let snap = &r["initial_snapshot"];
        let total: i64 = (1..=7).map(|s| snap[format!("stage_{s}_initial")].as_i64().unwrap()).sum();
        assert_eq!(snap["total_initial_items"].as_i64().unwrap(), total, "{id}");
        let mut credits = 0;
        let mut secs = 0;
        for s in 1..=7 {
            if let Some(res) = result(r, s) {
                let input = res[INPUTS[s - 1]].as_i64().unwrap();
                let output = res[OUTPUTS[s - 1]].as_i64().unwrap();
                assert!(input <= snap[format!("stage_{s}_initial")].as_i64().unwrap(), "{id} stage {s}");
                assert!(output >= 0);
                credits += res["credits_used"].as_i64().unwrap();
                secs += hms(&res["time_elapsed"]);
                if s == 1 {
                    assert!(res["batches"].is_u64());
                }
                if s == 4 {
                    assert!(res["total_words"].is_u64());
                }
                if s == 3 || s == 7 {
                    assert_eq!(res["credits_used"], 0);
                }
            }
        }
        assert_eq!(r["total_credits_used"].as_i64().unwrap(), credits, "{id}");
        let end = match r["status"].as_str().unwrap() {
            "completed" => {
                assert_eq!(r["current_stage"], 7);
                let end = ts(&r["completed_at"]).unwrap();
                let d = (end - started).num_seconds() - secs;
                assert!((0..=4).contains(&d), "{id}: {d}");
                assert!(r["cancelled_at"].is_null() && r["paused_at"].is_null() && r["error_message"].is_null());
                end
            }
            "failed" => {
                assert!(r["error_message"].is_string());
                ts(&r["completed_at"]).unwrap()
            }
            "cancelled" => {
                assert!(r["completed_at"].is_null());
                ts(&r["cancelled_at"]).unwrap()
            }
            "paused" => ts(&r["paused_at"]).unwrap(),
            "running" => now,
            other => panic!("{other}"),
        };
        assert!(end >= started && end <= now, "{id}");
        if r["status"] != "completed" {
            let cur = r["current_stage"].as_u64().unwrap() as usize;
            assert!((cur..=7).all(|s| result(r, s).is_none()), "{id}");
        }
    }

    #[test]
    fn runs_are_consistent() {
        let values = parsed(&demo_lines(anchor()));
        for r in of_kind(&values, "run") {
            check_run(r, anchor());
        }
    }

    #[test]
    fn logs_fit_their_runs() {
        let values = parsed(&demo_lines(anchor()));
        let runs: BTreeMap<&str, &Value> =
            of_kind(&values, "run").into_iter().map(|r| (r["run_id"].as_str().unwrap(), r)).collect();
        let mut per_run: BTreeMap<&str, usize> = BTreeMap::new();
        let mut keys = BTreeSet::new();
        for l in of_kind(&values, "log") {
            let id = l["run_id"].as_str().unwrap();
            let r = runs[id];
            assert_eq!(r["site_id"], 123);
            *per_run.entry(id).or_default() += 1;
            let at = ts(&l["at"]).unwrap();
            let start = ts(&r["started_at"]).unwrap();
            let end = ts(&r["completed_at"]).or(ts(&r["cancelled_at"])).or(ts(&r["paused_at"])).unwrap_or(anchor());
            assert!(at >= start && at <= end, "{l}");
            assert!(["debug", "info", "warn", "error"].contains(&l["level"].as_str().unwrap()));
            assert!(l["stage"].is_null() || (1..=7).contains(&l["stage"].as_i64().unwrap()));
            assert!(
                keys.insert((id.to_string(), l["at"].to_string(), l["stage"].to_string(), l["message"].to_string())),
                "dup {l}"
            );
        }
        assert!(per_run.len() >= 14, "{}", per_run.len());
        for (id, n) in &per_run {
            assert!((5..=30).contains(n), "{id}: {n}");
        }
        let failed = of_kind(&values, "run")
            .into_iter()
            .find(|r| {
                r["status"] == "failed" && r["site_id"] == 123 && per_run.contains_key(r["run_id"].as_str().unwrap())
            })
            .unwrap();
        assert!(of_kind(&values, "log").iter().any(|l| l["run_id"] == failed["run_id"] && l["level"] == "error"));
        let running = of_kind(&values, "run").into_iter().find(|r| r["status"] == "running").unwrap();
        assert!(per_run.contains_key(running["run_id"].as_str().unwrap()));
        assert!(of_kind(&values, "log")
            .iter()
            .any(|l| l["message"].as_str().unwrap().starts_with("Task 17: model timeout")));
    }

    /// ceil(pending × Σcredits / Σinputs) over the last 10 completed runs (metrics.md).
    fn estimated_total(values: &[Value], site: i64) -> u64 {
        let done: Vec<&Value> = site_runs(values, site).into_iter().filter(|r| r["status"] == "completed").collect();
        let last10 = &done[done.len().saturating_sub(10)..];
        let p = of_kind(values, "pipeline").into_iter().find(|p| p["site_id"] == site).unwrap();
        let pending = [
            &p["keywords"]["new"],
            &p["clusters"]["new"],
            &p["ideas"]["new"],
            &p["tasks"]["queued"],
            &p["content"]["draft"],
            &p["image_prompts"]["pending"],
            &p["content"]["review"],
        ];
        (1..=7)
            .map(|s| {
                let (mut c, mut i) = (0u64, 0u64);
                for r in last10 {
                    if let Some(res) = result(r, s) {
                        let input = res[INPUTS[s - 1]].as_u64().unwrap();
                        if input > 0 {
                            i += input;
                            c += res["credits_used"].as_u64().unwrap();
                        }
                    }
                }
                let n = pending[s - 1].as_u64().unwrap();
                if i == 0 {
                    0
                } else {
                    (n * c).div_ceil(i)
                }
            })
            .sum()
    }

    #[test]
    fn pipelines_and_predictions() {
        let values = parsed(&demo_lines(anchor()));
        let pipes = of_kind(&values, "pipeline");
        for p in &pipes {
            assert_eq!(p["as_of"], "2026-01-19T14:30:00Z");
        }
        assert_eq!(
            pipes[0],
            &json!({"kind":"pipeline","site_id":123,"as_of":"2026-01-19T14:30:00Z",
             "keywords":{"new":120,"mapped":30,"skipped":0},
             "clusters":{"new":8,"mapped":15,"skipped":0},
             "ideas":{"new":32,"queued":20,"done":35,"skipped":3},
             "tasks":{"queued":20,"done":22},
             "content":{"draft":15,"review":12,"published":15,"failed":2},
             "image_prompts":{"pending":24,"done":132},
             "images":{"pending":24,"generated":132,"failed":5}})
        );
        let p124 = pipes[1];
        assert_eq!(p124["site_id"], 124);
        assert_eq!(
            (p124["ideas"]["skipped"].as_u64(), p124["content"]["failed"].as_u64(), p124["images"]["failed"].as_u64()),
            (Some(0), Some(0), Some(0))
        );
        let buffer = |site| (estimated_total(&values, site) * 12).div_ceil(10);
        eprintln!("buffers: 123 {} 124 {} 201 {}", buffer(123), buffer(124), buffer(201));
        assert!(buffer(123) <= 1250 && buffer(124) <= 1250);
        assert!(buffer(201) > 180);
    }

    #[test]
    fn generate_lines_counts_order_and_determinism() {
        let a: Vec<String> = generate_lines(23, 40, 7, anchor()).collect();
        let b: Vec<String> = generate_lines(23, 40, 7, anchor()).collect();
        assert_eq!(a, b);
        assert_ne!(a, generate_lines(23, 40, 8, anchor()).collect::<Vec<_>>());
        assert_eq!(generate_lines(23, 40, 7, anchor()).size_hint(), (a.len(), Some(a.len())));
        let values = parsed(&a);
        assert_eq!(of_kind(&values, "account").len(), 3);
        assert_eq!(of_kind(&values, "site").len(), 23);
        assert_eq!(of_kind(&values, "run").len(), 23 * 40);
        assert_eq!(of_kind(&values, "pipeline").len(), 23);
        assert_eq!(of_kind(&values, "log").len(), 0);
        let order = ["account", "site", "run", "pipeline"];
        let kinds: Vec<usize> = values.iter().map(|v| order.iter().position(|k| v["kind"] == *k).unwrap()).collect();
        assert!(kinds.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(of_kind(&values, "site")[22]["account_id"], 3);
        let mut ids = BTreeSet::new();
        let mut last: Option<(i64, DateTime<Utc>)> = None;
        for r in of_kind(&values, "run") {
            check_run(r, anchor());
            assert!(ids.insert(r["run_id"].as_str().unwrap().to_string()));
            let site = r["site_id"].as_i64().unwrap();
            let t = ts(&r["started_at"]).unwrap();
            if let Some((ls, lt)) = last {
                assert!(site > ls || (site == ls && t > lt), "order");
            }
            last = Some((site, t));
            assert!(["running", "paused"].iter().all(|s| r["status"] != *s));
        }
        assert_eq!(generate_lines(0, 10, 1, anchor()).count(), 0);
        assert_eq!(generate_lines(5, 0, 1, anchor()).count(), 1 + 5 + 5);
    }
}
