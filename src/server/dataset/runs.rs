//! Runs with drawn figures, around the plan's example run: what the demo's sites and the scale
//! data have in common.

use super::ndjson::{run_id, Outcome, Run, StageResult, ERRORS};
use super::rng::Rng;
use crate::domain::run::TriggerType;

/// Base credits per input item, by stage.
pub(super) const CREDIT_RATE: [f64; 7] = [0.3, 12.0, 0.0, 12.4, 1.5, 9.0, 0.0];
/// Base seconds per input item, by stage (the plan's example run).
pub(super) const SECS_PER_ITEM: [f64; 7] = [1.36, 49.5, 0.24, 44.9, 9.0, 41.25, 0.6];

/// How a site's runs look.
#[derive(Debug, Clone)]
pub(super) struct Profile {
    pub(super) snap_lo: [u32; 7],
    pub(super) snap_hi: [u32; 7],
    pub(super) credit_mult: f64,
    pub(super) words_per_article: f64,
    /// Chance that a stage processes less than its snapshot.
    pub(super) partial_p: f64,
    /// Chance that a stage 2 result carries `"model"`.
    pub(super) model_p: f64,
}

impl Profile {
    pub(super) fn techblog() -> Self {
        Profile {
            snap_lo: [100, 6, 30, 15, 8, 4, 2],
            snap_hi: [200, 14, 70, 35, 22, 12, 9],
            credit_mult: 1.0,
            words_per_article: 618.0,
            partial_p: 0.3,
            model_p: 0.3,
        }
    }

    pub(super) fn recipes() -> Self {
        Profile {
            snap_lo: [60, 4, 20, 10, 6, 3, 1],
            snap_hi: [140, 10, 45, 24, 16, 10, 7],
            credit_mult: 0.9,
            words_per_article: 540.0,
            partial_p: 0.25,
            model_p: 0.2,
        }
    }

    pub(super) fn garden() -> Self {
        Profile {
            snap_lo: [80, 5, 25, 12, 6, 3, 1],
            snap_hi: [180, 12, 60, 30, 20, 12, 8],
            credit_mult: 1.1,
            words_per_article: 700.0,
            partial_p: 0.35,
            model_p: 0.5,
        }
    }

    pub(super) fn scaled(rng: &mut Rng) -> Self {
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
pub(super) fn gen_stage(rng: &mut Rng, stage: usize, queued: u32, p: &Profile) -> Option<StageResult> {
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
pub(super) fn gen_run(
    rng: &mut Rng,
    site_id: u32,
    p: &Profile,
    started: i64,
    trigger: TriggerType,
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
pub(super) fn random_outcome(rng: &mut Rng, fail_p: f64, cancel_p: f64) -> Outcome {
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
