//! The log lines of generated runs: each stage's start, its batches and retries, its finish,
//! and how the run ended. The engine simulator logs its stages with the same lines.
//!
//! The nouns are the engine's log wording, not the domain's units (`StageDef::input_unit`): the
//! engine logs "content items" where the pages count articles, and the demo's logs, which tests
//! search, keep the engine's words.

use super::ndjson::{log, Log, Outcome, Run, StageResult, ERRORS};
use super::rng::Rng;
use super::runs::SECS_PER_ITEM;
use super::{HOUR, MINUTE};

const INPUT_NOUN: [&str; 7] = ["keywords", "clusters", "ideas", "tasks", "content items", "image prompts", "items"];
const OUTPUT_NOUN: [&str; 7] = ["clusters", "ideas", "tasks", "articles", "image prompts", "images", "approved"];

/// `n` distinct numbers in `1..=max` (fewer when `max < n`), ascending.
fn distinct(rng: &mut Rng, n: usize, max: u32) -> Vec<u32> {
    let mut v: Vec<u32> = Vec::new();
    let n = n.min(max as usize);
    while v.len() < n {
        let x = rng.range(1, max as i64) as u32;
        if !v.contains(&x) {
            v.push(x);
        }
    }
    v.sort_unstable();
    v
}

/// A time strictly inside `(start, start + secs)`, or `start` when the stage was too short.
fn inside(rng: &mut Rng, start: i64, secs: i64) -> i64 {
    if secs >= 3 {
        start + rng.range(1, secs - 1)
    } else {
        start
    }
}

fn duration_text(secs: i64) -> String {
    let (h, m, s) = (secs / HOUR, secs % HOUR / MINUTE, secs % MINUTE);
    if h > 0 {
        format!("{h}h {m:02}m {s:02}s")
    } else {
        format!("{m}m {s:02}s")
    }
}

/// The log of one run: 5 to 30 lines, all within its span (`now` for a running run).
pub(super) fn run_logs(rng: &mut Rng, run: &Run, now: i64) -> Vec<Log> {
    let mut out = run_started(run).to_vec();
    let current = run.outcome.current_stage();
    let done = if run.outcome == Outcome::Completed { 7 } else { current - 1 };
    let mut t = run.started;
    for s in 1..=done {
        let Some(r) = &run.results[s - 1] else {
            out.push(stage_skipped(s, t));
            continue;
        };
        let secs = r.secs as i64;
        out.push(stage_started(s, r.input, run.snapshot[s - 1], t));
        out.extend(stage_work(rng, s, r, t, secs));
        t += secs;
    }
    match run.outcome {
        Outcome::Completed => out.push(run_completed(run, run.completed.unwrap_or(t))),
        Outcome::Failed(s) => {
            let queued = run.snapshot[s - 1];
            out.push(stage_started(s, queued, queued, t));
            out.extend(run_failed(run, s, run.completed.unwrap_or(t)));
        }
        Outcome::Cancelled(s) | Outcome::Paused(s) => {
            let end = run.ended().unwrap_or(t);
            let what = if matches!(run.outcome, Outcome::Paused(_)) { "paused" } else { "cancelled" };
            let queued = run.snapshot[s - 1];
            out.push(stage_started(s, queued, queued, t));
            out.push(log(None, end, "warn", format!("Run {what} by user during stage {s}")));
        }
        Outcome::Running(s) => {
            let st = Some(s as u8);
            let queued = run.snapshot[s - 1];
            out.push(stage_started(s, queued, queued, t));
            let per = SECS_PER_ITEM[s - 1].round() as i64;
            let mut k = 1;
            while k <= 6 && (k as u32) < queued && t + per * k < now {
                out.push(log(st, t + per * k, "info", format!("Task {k} of {queued} written")));
                k += 1;
            }
        }
    }
    out.sort_by_key(|l| l.at);
    out
}

/// A run's first lines: how it was started and what was queued.
pub(crate) fn run_started(run: &Run) -> [Log; 2] {
    let total: u32 = run.snapshot.iter().sum();
    [
        log(None, run.started, "info", format!("Run started (trigger: {}, {total} items queued)", run.trigger.as_str())),
        log(
            None,
            run.started,
            "debug",
            format!(
                "Snapshot: {} keywords, {} clusters, {} ideas, {} tasks, {} content items, {} image prompts, {} for review",
                run.snapshot[0], run.snapshot[1], run.snapshot[2], run.snapshot[3], run.snapshot[4], run.snapshot[5], run.snapshot[6]
            ),
        ),
    ]
}

/// The line that opens stage `s`: how many of its `queued` items it takes.
pub(crate) fn stage_started(s: usize, input: u32, queued: u32, at: i64) -> Log {
    let what = if input < queued {
        format!("Stage {s} started: {input} of {queued} {} queued, the rest left for the next run", INPUT_NOUN[s - 1])
    } else {
        format!("Stage {s} started: {input} {} queued", INPUT_NOUN[s - 1])
    };
    log(Some(s as u8), at, "info", what)
}

pub(crate) fn stage_skipped(s: usize, at: i64) -> Log {
    log(Some(s as u8), at, "info", format!("Stage {s} skipped: nothing queued"))
}

/// What stage `s` logs while it works from `t` for `span` seconds (batches, retries), and the
/// line that closes it at `t + span`.
#[expect(clippy::too_many_lines, reason = "the log lines of one stage in the order the engine writes them")]
pub(crate) fn stage_work(rng: &mut Rng, s: usize, r: &StageResult, t: i64, span: i64) -> Vec<Log> {
    let st = Some(s as u8);
    let mut out = Vec::new();
    match s {
        1 => {
            for b in 1..r.extra {
                let at = t + span * b as i64 / r.extra as i64;
                let n = 50.min(r.input.saturating_sub(50 * (b - 1)));
                out.push(log(st, at, "info", format!("Batch {b} of {}: {n} keywords clustered", r.extra)));
            }
        }
        2 if r.input > 0 && rng.chance(0.3) => {
            let c = rng.range(1, r.input as i64);
            let at = inside(rng, t, span);
            out.push(log(
                st,
                at,
                "warn",
                format!("Cluster {c}: idea generation returned too few ideas, retried (attempt 2 of 3)"),
            ));
        }
        4 if r.input > 0 => {
            let n = rng_count(rng, 3);
            for task in distinct(rng, n, r.input) {
                let at = inside(rng, t, span);
                out.push(log(st, at, "warn", format!("Task {task}: model timeout, retried (attempt 2 of 3)")));
            }
            if rng.chance(0.5) {
                let at = inside(rng, t, span);
                out.push(log(
                    st,
                    at,
                    "debug",
                    format!("Average article length so far: {} words", r.extra / r.input.max(1)),
                ));
            }
        }
        6 if r.input > 0 => {
            let n = rng_count(rng, 2);
            for prompt in distinct(rng, n, r.input) {
                let at = inside(rng, t, span);
                out.push(log(
                    st,
                    at,
                    "warn",
                    format!("Image prompt {prompt}: rejected as too complex, simplified and retried"),
                ));
            }
        }
        _ => {}
    }
    let made = if s == 4 {
        format!("{} {} ({} words)", r.output, OUTPUT_NOUN[s - 1], r.extra)
    } else {
        format!("{} {}", r.output, OUTPUT_NOUN[s - 1])
    };
    out.push(log(
        st,
        t + span,
        "info",
        format!("Stage {s} completed: {} {} → {made}, {} credits", r.input, INPUT_NOUN[s - 1], r.credits),
    ));
    out
}

/// The last line of a completed run that ended at `end`.
pub(crate) fn run_completed(run: &Run, end: i64) -> Log {
    let ran = run.results.iter().flatten().count();
    let d = duration_text(end - run.started);
    log(None, end, "info", format!("Run completed: {ran} of 7 stages, {} credits, {d}", run.total_credits()))
}

/// The last lines of a run that failed at stage `s` at `end`.
pub(crate) fn run_failed(run: &Run, s: usize, end: i64) -> [Log; 2] {
    [
        log(Some(s as u8), end, "error", run.error.unwrap_or(ERRORS[s - 1]).to_string()),
        log(None, end, "error", format!("Run failed at stage {s} after {} credits", run.total_credits())),
    ]
}

fn rng_count(rng: &mut Rng, max: u64) -> usize {
    rng.below(max + 1) as usize
}

/// The plan's example run's log: 22 fixed lines (three warnings, a clean finish).
#[expect(clippy::too_many_lines, reason = "the fixed log of the plan's example run, line by line")]
#[rustfmt::skip]
pub(super) fn example_logs(run: &Run) -> Vec<Log> {
    let t0 = run.started;
    let lines: [(i64, Option<u8>, &'static str, &str); 22] = [
        (
            0,
            None,
            "info",
            "Run started (trigger: manual, 263 items queued)",
        ),
        (0, Some(1), "info", "Stage 1 started: 150 keywords queued"),
        (68, Some(1), "info", "Batch 1 of 3: 50 keywords clustered"),
        (136, Some(1), "info", "Batch 2 of 3: 50 keywords clustered"),
        (
            204,
            Some(1),
            "info",
            "Stage 1 completed: 150 keywords → 12 clusters, 45 credits",
        ),
        (204, Some(2), "info", "Stage 2 started: 10 clusters queued"),
        (
            452,
            Some(2),
            "warn",
            "Cluster 7: idea generation returned too few ideas, retried (attempt 2 of 3)",
        ),
        (
            699,
            Some(2),
            "info",
            "Stage 2 completed: 10 clusters → 87 ideas, 120 credits",
        ),
        (699, Some(3), "info", "Stage 3 started: 50 ideas queued"),
        (
            711,
            Some(3),
            "info",
            "Stage 3 completed: 50 ideas → 50 tasks, 0 credits",
        ),
        (711, Some(4), "info", "Stage 4 started: 25 tasks queued"),
        (
            878,
            Some(4),
            "warn",
            "Task 17: model timeout, retried (attempt 2 of 3)",
        ),
        (
            1290,
            Some(4),
            "debug",
            "Average article length so far: 618 words",
        ),
        (
            1833,
            Some(4),
            "info",
            "Stage 4 completed: 25 tasks → 25 articles (15450 words), 310 credits",
        ),
        (
            1833,
            Some(5),
            "info",
            "Stage 5 started: 15 content items queued",
        ),
        (
            1968,
            Some(5),
            "info",
            "Stage 5 completed: 15 content items → 45 image prompts, 22 credits",
        ),
        (
            1968,
            Some(6),
            "info",
            "Stage 6 started: 8 image prompts queued",
        ),
        (
            2150,
            Some(6),
            "warn",
            "Image prompt 5: rejected as too complex, simplified and retried",
        ),
        (
            2298,
            Some(6),
            "info",
            "Stage 6 completed: 8 image prompts → 24 images, 72 credits",
        ),
        (2298, Some(7), "info", "Stage 7 started: 5 items queued"),
        (
            2301,
            Some(7),
            "info",
            "Stage 7 completed: 5 items → 5 approved, 0 credits",
        ),
        (
            2301,
            None,
            "info",
            "Run completed: 7 of 7 stages, 569 credits, 38m 21s",
        ),
    ];
    lines
        .iter()
        .map(|&(off, stage, level, msg)| log(stage, t0 + off, level, msg.to_string()))
        .collect()
}
