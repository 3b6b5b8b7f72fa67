//! The pure part of the simulator: from a site's recent history and what to run, the records the
//! engine reports and when. No I/O and no clock: the time comes in as an argument, and every
//! draw comes from a generator seeded by the run (its site and start), so the same run always
//! gets the same figures, also when a restarted simulator plans its rest again.
//!
//! Figures are those of a run at the engine's real pace (`time_elapsed` included); only the wall
//! clock between two reports is divided by the speed. So a simulated run's figures look like the
//! history they were drawn from, and the next run, drawn from them in turn, does not shrink.

use crate::domain::detail::RunDetail;

use crate::domain::run::{RunStatus, TriggerType};
use crate::domain::run_detail::StageResultView;
use crate::domain::stage::STAGE_COUNT;
use crate::server::dataset::logs::{run_completed, run_failed, run_started, stage_skipped, stage_started, stage_work};
use crate::server::dataset::ndjson::{log, log_line, run_id, run_line, Log, Outcome, Run, StageResult, ERRORS};
use crate::server::dataset::rng::{mix, Rng};

/// Never more than this share of runs fails, however often the site's history did.
const MAX_FAIL_RATE: f64 = 0.25;
/// Salts of the run's independent draws (stages use 1 to 7).
const SNAPSHOT_SALT: u64 = 0;
const FAILURE_SALT: u64 = 8;
const LOG_SALT: u64 = 16;
/// What a run id ends with when the run answers a request: `…_req{id}`.
const REQUEST_MARK: &str = "_req";

/// How many times faster than the engine's real pace the wall clock runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Speed(f64);

impl Speed {
    /// A positive, finite factor.
    pub fn new(factor: f64) -> Option<Speed> {
        (factor.is_finite() && factor > 0.0).then_some(Speed(factor))
    }

    /// Wall milliseconds for `secs` seconds of the engine's work.
    fn wall_ms(self, secs: u32) -> i64 {
        (f64::from(secs) * 1000.0 / self.0).round() as i64
    }
}

impl std::fmt::Display for Speed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}×", self.0)
    }
}

impl std::str::FromStr for Speed {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim().parse::<f64>().ok().and_then(Speed::new).ok_or_else(|| format!("{s:?} is not a positive number"))
    }
}

/// What a finished run of the site did: the simulator draws its figures from these.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub snapshot: [u32; STAGE_COUNT],
    pub results: [Option<StageResult>; STAGE_COUNT],
}

fn count(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn stage_result(stage: usize, view: &StageResultView) -> StageResult {
    let field = |name: &str| view.fields.get(name).and_then(|v| v.as_u64()).map_or(0, count);
    StageResult {
        input: count(view.input_count),
        output: count(view.output_count),
        extra: match stage {
            1 => field("batches"),
            4 => field("total_words"),
            _ => 0,
        },
        model: view.fields.get("model").and_then(|v| v.as_str()).map(str::to_string),
        credits: count(view.credits_used),
        secs: count(view.time_elapsed_seconds),
    }
}

impl Sample {
    pub fn of(detail: &RunDetail) -> Sample {
        let mut results: [Option<StageResult>; STAGE_COUNT] = Default::default();
        for stage in &detail.stages {
            let n = usize::from(stage.number);
            if let (Some(view), Some(slot)) = (&stage.result, n.checked_sub(1).and_then(|i| results.get_mut(i))) {
                *slot = Some(stage_result(n, view));
            }
        }
        Sample { snapshot: detail.initial_snapshot.per_stage().map(count), results }
    }

    /// Items queued at each stage: the snapshot's, or what the stage took when the snapshot is
    /// missing (older exports have none).
    pub fn queued(&self) -> [u32; STAGE_COUNT] {
        std::array::from_fn(|i| self.snapshot[i].max(self.results[i].as_ref().map_or(0, |r| r.input)))
    }
}

/// The site as the simulator sees it before a run.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// Its last completed runs.
    pub samples: Vec<Sample>,
    /// The share of its recent runs that failed.
    pub fail_rate: f64,
}

/// What the run works through.
#[derive(Debug, Clone, PartialEq)]
pub enum Work {
    /// The site's queue, sized like one of its recent runs.
    Fresh,
    /// A finished run's snapshot again, every stage (a re-run).
    Again { snapshot: [u32; STAGE_COUNT] },
    /// A failed run's snapshot from its failed stage on (a stage retry).
    From { snapshot: [u32; STAGE_COUNT], stage: usize },
}

/// A run to start.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRun {
    pub site_id: i64,
    pub trigger: TriggerType,
    /// The run request it answers.
    pub request: Option<i64>,
    pub work: Work,
    /// A line for its log saying where it came from.
    pub origin: Option<String>,
}

/// A running run as the server has it, to carry on with.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub run_id: String,
    pub site_id: i64,
    pub trigger: TriggerType,
    /// Unix seconds.
    pub started: i64,
    pub current_stage: usize,
    /// Its snapshot and the results of the stages it has finished.
    pub done: Sample,
}

impl Progress {
    pub fn of(detail: &RunDetail) -> Result<Progress, PlanError> {
        let run = &detail.run;
        if run.status != RunStatus::Running {
            return Err(PlanError::NotRunning(run.run_id.clone(), run.status.as_str()));
        }
        Ok(Progress {
            run_id: run.run_id.clone(),
            site_id: run.site_id,
            trigger: match run.trigger_type {
                TriggerType::Manual => TriggerType::Manual,
                TriggerType::Scheduled => TriggerType::Scheduled,
            },
            started: run.started_at.timestamp(),
            current_stage: usize::from(run.current_stage).clamp(1, STAGE_COUNT),
            done: Sample::of(detail),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("site {0} has no completed run to draw figures from: the simulator takes every count, credit and time from the site's own history")]
    NoHistory(i64),
    #[error("run {0} is {1}, not running: only a running run is carried on")]
    NotRunning(String, &'static str),
}

/// One report: the run record as it now stands, then its new log lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// When to send it (Unix milliseconds).
    pub at_ms: i64,
    /// NDJSON for `POST /api/v1/ingest`.
    pub body: String,
    pub status: &'static str,
    pub current_stage: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub run_id: String,
    /// The run request it answers (read back from the run id after a restart).
    pub request: Option<i64>,
    /// In time order; never empty, and the last one finishes the run.
    pub steps: Vec<Step>,
}

/// The request a run id says its run answers.
pub fn request_of(run_id: &str) -> Option<i64> {
    let (_, id) = run_id.rsplit_once(REQUEST_MARK)?;
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then(|| id.parse().ok()).flatten()
}

/// The run's own seed: what it draws does not depend on when, or how often, it was planned.
fn seed_of(site_id: i64, started: i64) -> u64 {
    mix(started as u64, site_id as u64)
}

fn draw_snapshot(history: &History, seed: u64) -> [u32; STAGE_COUNT] {
    let mut rng = Rng::new(mix(seed, SNAPSHOT_SALT));
    let template = &history.samples[rng.below(history.samples.len() as u64) as usize];
    template.queued().map(|n| (f64::from(n) * rng.jitter(0.15)).round() as u32)
}

/// Stage `stage` working through `queued` items, at the rates of one of the site's runs that
/// ran it; `None` (skipped) with nothing queued or when the site never ran the stage.
fn draw_stage(history: &History, seed: u64, stage: usize, queued: u32) -> Option<StageResult> {
    if queued == 0 {
        return None;
    }
    let templates: Vec<&StageResult> =
        history.samples.iter().filter_map(|s| s.results[stage - 1].as_ref()).filter(|r| r.input > 0).collect();
    let mut rng = Rng::new(mix(seed, stage as u64));
    let template = *templates.get(rng.below(templates.len().max(1) as u64) as usize)?;
    let mut per_item = |of: u32, spread: f64| {
        (f64::from(queued) * f64::from(of) / f64::from(template.input) * rng.jitter(spread)).round() as u32
    };
    let output = per_item(template.output, 0.1);
    let extra = if template.extra > 0 { per_item(template.extra, 0.05).max(1) } else { 0 };
    let credits = per_item(template.credits, 0.12);
    let secs = per_item(template.secs, 0.18).max(1);
    Some(StageResult { input: queued, output, extra, model: template.model.clone(), credits, secs })
}

/// The stage the run fails at, if it does: drawn once per run, so a resumed run fails where the
/// first plan said (or not at all, when that stage is already behind it).
fn draw_failure(history: &History, seed: u64, draws: &[Option<StageResult>; STAGE_COUNT]) -> Option<usize> {
    let mut rng = Rng::new(mix(seed, FAILURE_SALT));
    if !rng.chance(history.fail_rate.clamp(0.0, MAX_FAIL_RATE)) {
        return None;
    }
    let stage = rng.range(1, STAGE_COUNT as i64) as usize;
    draws[stage - 1].is_some().then_some(stage)
}

/// Plans a new run starting at `now_ms`.
pub fn start(history: &History, new: &NewRun, now_ms: i64, speed: Speed) -> Result<Plan, PlanError> {
    if history.samples.is_empty() {
        return Err(PlanError::NoHistory(new.site_id));
    }
    let started = now_ms.div_euclid(1000);
    let seed = seed_of(new.site_id, started);
    let (snapshot, from) = match &new.work {
        Work::Fresh => (draw_snapshot(history, seed), 1),
        Work::Again { snapshot } => (*snapshot, 1),
        Work::From { snapshot, stage } => (*snapshot, (*stage).clamp(1, STAGE_COUNT)),
    };
    let mut id = run_id(new.site_id, started, new.trigger);
    if let Some(request) = new.request {
        id.push_str(&format!("{REQUEST_MARK}{request}"));
    }
    let run = Run {
        site_id: new.site_id,
        run_id: id,
        outcome: Outcome::Running(from),
        trigger: new.trigger,
        started,
        completed: None,
        paused: None,
        cancelled: None,
        error: None,
        snapshot,
        results: Default::default(),
        omit_missing: false,
    };
    let mut opening = run_started(&run).to_vec();
    opening.extend(new.origin.iter().map(|origin| log(None, started, "info", origin.clone())));
    Ok(course(history, run, from, seed, now_ms, speed, opening))
}

/// Plans the rest of a running run from its current stage, which starts again at `now_ms`.
pub fn resume(history: &History, progress: &Progress, now_ms: i64, speed: Speed) -> Result<Plan, PlanError> {
    if history.samples.is_empty() {
        return Err(PlanError::NoHistory(progress.site_id));
    }
    let from = progress.current_stage;
    let mut results = progress.done.results.clone();
    for result in &mut results[from - 1..] {
        *result = None;
    }
    let run = Run {
        site_id: progress.site_id,
        run_id: progress.run_id.clone(),
        outcome: Outcome::Running(from),
        trigger: progress.trigger,
        started: progress.started,
        completed: None,
        paused: None,
        cancelled: None,
        error: None,
        snapshot: progress.done.snapshot,
        results,
        omit_missing: false,
    };
    let at = now_ms.div_euclid(1000).max(progress.started);
    let opening = vec![log(Some(from as u8), at, "warn", format!("Engine restarted: stage {from} starts again"))];
    let seed = seed_of(progress.site_id, progress.started);
    Ok(course(history, run, from, seed, now_ms.max(progress.started * 1000), speed, opening))
}

/// The reports of `run` from stage `from` on: one as each stage starts (with the results so
/// far), and one when the run ends.
fn course(
    history: &History,
    mut run: Run,
    from: usize,
    seed: u64,
    now_ms: i64,
    speed: Speed,
    opening: Vec<Log>,
) -> Plan {
    let draws: [Option<StageResult>; STAGE_COUNT] =
        std::array::from_fn(|i| if i + 1 < from { None } else { draw_stage(history, seed, i + 1, run.snapshot[i]) });
    let fails_at = draw_failure(history, seed, &draws).filter(|&stage| stage >= from);
    let mut steps = Vec::new();
    let mut lines = opening;
    let mut t = now_ms;
    for stage in from..=STAGE_COUNT {
        let secs = t.div_euclid(1000);
        let Some(result) = draws[stage - 1].clone() else {
            lines.push(stage_skipped(stage, secs));
            continue;
        };
        run.outcome = Outcome::Running(stage);
        lines.push(stage_started(stage, result.input, run.snapshot[stage - 1], secs));
        steps.push(report(&run, t, &mut lines));
        let span = speed.wall_ms(result.secs);
        let mut rng = Rng::new(mix(seed, LOG_SALT + stage as u64));
        if fails_at == Some(stage) {
            t += (span as f64 * (0.1 + 0.8 * rng.unit())).round() as i64;
            let end = t.div_euclid(1000);
            run.outcome = Outcome::Failed(stage);
            run.completed = Some(end);
            run.error = Some(ERRORS[stage - 1]);
            lines.extend(run_failed(&run, stage, end));
            steps.push(report(&run, t, &mut lines));
            return plan_of(run, steps);
        }
        t += span;
        lines.extend(stage_work(&mut rng, stage, &result, secs, t.div_euclid(1000) - secs));
        run.results[stage - 1] = Some(result);
    }
    let end = t.div_euclid(1000);
    run.outcome = Outcome::Completed;
    run.completed = Some(end);
    lines.push(run_completed(&run, end));
    steps.push(report(&run, t, &mut lines));
    plan_of(run, steps)
}

fn plan_of(run: Run, steps: Vec<Step>) -> Plan {
    Plan { request: request_of(&run.run_id), run_id: run.run_id, steps }
}

fn report(run: &Run, at_ms: i64, lines: &mut Vec<Log>) -> Step {
    let mut body = run_line(run);
    for line in lines.drain(..) {
        body.push('\n');
        body.push_str(&log_line(&run.run_id, &line));
    }
    Step { at_ms, body, status: run.outcome.status().as_str(), current_stage: run.outcome.current_stage() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::{parse_line, Record};
    use proptest::prelude::*;

    const NOW_MS: i64 = 1_796_300_000_123;

    fn real_time() -> Speed {
        Speed::new(1.0).unwrap()
    }

    fn result(input: u32, output: u32, credits: u32, secs: u32) -> Option<StageResult> {
        Some(StageResult { input, output, extra: 0, model: None, credits, secs })
    }

    /// The plan's example run, as a sample.
    fn example() -> Sample {
        Sample {
            snapshot: [150, 10, 50, 25, 15, 8, 5],
            results: [
                Some(StageResult { extra: 3, ..result(150, 12, 45, 204).unwrap() }),
                Some(StageResult { model: Some("gpt-4o".into()), ..result(10, 87, 120, 495).unwrap() }),
                result(50, 50, 0, 12),
                Some(StageResult { extra: 15450, ..result(25, 25, 310, 1122).unwrap() }),
                result(15, 45, 22, 135),
                result(8, 24, 72, 330),
                result(5, 5, 0, 3),
            ],
        }
    }

    fn history(fail_rate: f64) -> History {
        History { samples: vec![example()], fail_rate }
    }

    fn new_run(work: Work) -> NewRun {
        NewRun { site_id: 123, trigger: TriggerType::Manual, request: Some(17), work, origin: Some("Re-run".into()) }
    }

    /// Every line of every body is a valid record of import-format.md; the runs, in order.
    fn records(plan: &Plan) -> Vec<crate::domain::run::Run> {
        let mut runs = Vec::new();
        for step in &plan.steps {
            let mut lines = step.body.lines();
            let Ok(Record::Run(run)) = parse_line(lines.next().unwrap()) else { panic!("not a run: {}", step.body) };
            assert_eq!(run.run_id, plan.run_id);
            for line in lines {
                let Ok(Record::Log(l)) = parse_line(line) else { panic!("not a log line: {line}") };
                assert_eq!(l.run_id, plan.run_id);
                assert!(l.line.at >= run.started_at, "{line}");
            }
            runs.push(*run);
        }
        runs
    }

    fn progress_of(run: &crate::domain::run::Run) -> Progress {
        let stage = |i: usize| {
            run.stages[i].as_ref().map(|r| StageResult {
                input: count(r.input),
                output: count(r.output),
                extra: match i {
                    0 => r.fields().get("batches").and_then(|v| v.as_u64()).map_or(0, count),
                    3 => r.fields().get("total_words").and_then(|v| v.as_u64()).map_or(0, count),
                    _ => 0,
                },
                model: r.fields().get("model").and_then(|m| m.as_str()).map(str::to_string),
                credits: count(r.credits),
                secs: count(r.seconds),
            })
        };
        Progress {
            run_id: run.run_id.clone(),
            site_id: run.site_id,
            trigger: TriggerType::Manual,
            started: run.started_at.timestamp(),
            current_stage: usize::from(run.current_stage.get()),
            done: Sample { snapshot: run.initial_snapshot.per_stage().map(count), results: std::array::from_fn(stage) },
        }
    }

    #[test]
    fn a_fresh_run_reports_each_stage_then_completes() {
        let plan = start(&history(0.0), &new_run(Work::Fresh), NOW_MS, real_time()).unwrap();
        assert!(plan.run_id.ends_with("_manual_req17"), "{}", plan.run_id);
        assert_eq!(plan.request, Some(17));
        let runs = records(&plan);
        assert_eq!(runs.len(), 8, "one report as each stage starts, one at the end");
        for (i, run) in runs[..7].iter().enumerate() {
            assert_eq!(run.status, RunStatus::Running);
            assert_eq!(usize::from(run.current_stage.get()), i + 1);
            assert_eq!(run.stages.iter().flatten().count(), i, "the results of the stages done");
            assert_eq!(run.total_credits_used, run.stages.iter().flatten().map(|r| r.credits).sum::<u64>());
        }
        let last = &runs[7];
        assert_eq!(last.status, RunStatus::Completed);
        assert!(last.stages.iter().all(Option::is_some));
        assert_eq!(last.started_at.timestamp(), NOW_MS / 1000);
        let secs: u64 = last.stages.iter().flatten().map(|r| r.seconds).sum();
        assert_eq!(last.completed_at.unwrap().timestamp(), (NOW_MS + secs as i64 * 1000) / 1000);
        assert!(plan.steps[0].body.contains("Run started (trigger: manual"));
        assert!(plan.steps[0].body.contains("\"message\":\"Re-run\""));
        assert!(plan.steps[7].body.contains("Run completed: 7 of 7 stages"));
    }

    #[test]
    fn figures_follow_the_history_with_noise() {
        let plan = start(&history(0.0), &new_run(Work::Fresh), NOW_MS, real_time()).unwrap();
        let last = records(&plan).pop().unwrap();
        let ex = example();
        for (i, r) in last.stages.iter().enumerate() {
            let r = r.as_ref().unwrap();
            let t = ex.results[i].as_ref().unwrap();
            let queued = last.initial_snapshot.per_stage()[i] as f64;
            assert!((queued - f64::from(ex.snapshot[i])).abs() <= f64::from(ex.snapshot[i]) * 0.15 + 1.0);
            let rate = |of: u32| queued * f64::from(of) / f64::from(t.input);
            assert!((r.credits as f64 - rate(t.credits)).abs() <= rate(t.credits) * 0.12 + 1.0, "stage {}", i + 1);
            assert!((r.seconds as f64 - rate(t.secs)).abs() <= rate(t.secs) * 0.18 + 1.0, "stage {}", i + 1);
        }
        assert_eq!(last.stages[1].as_ref().unwrap().fields()["model"], "gpt-4o", "the engine's own fields carry over");
    }

    #[test]
    fn the_wall_clock_runs_faster_by_the_speed_and_the_figures_do_not() {
        let slow = start(&history(0.0), &new_run(Work::Fresh), NOW_MS, real_time()).unwrap();
        let fast = start(&history(0.0), &new_run(Work::Fresh), NOW_MS, Speed::new(100.0).unwrap()).unwrap();
        let (a, b) = (records(&slow).pop().unwrap(), records(&fast).pop().unwrap());
        assert_eq!(a.stages, b.stages);
        let wall = |p: &Plan| p.steps.last().unwrap().at_ms - NOW_MS;
        assert!((wall(&slow) as f64 / 100.0 - wall(&fast) as f64).abs() <= 7.0, "{} {}", wall(&slow), wall(&fast));
    }

    #[test]
    fn a_rerun_repeats_the_snapshot_and_a_retry_starts_at_its_stage() {
        let snapshot = [40, 3, 20, 10, 6, 4, 2];
        let rerun = start(&history(0.0), &new_run(Work::Again { snapshot }), NOW_MS, real_time()).unwrap();
        let last = records(&rerun).pop().unwrap();
        assert_eq!(last.initial_snapshot.per_stage(), snapshot.map(u64::from));
        assert_eq!(last.stages.iter().flatten().map(|r| r.input).collect::<Vec<_>>(), snapshot.map(u64::from));

        let retry = start(&history(0.0), &new_run(Work::From { snapshot, stage: 5 }), NOW_MS, real_time()).unwrap();
        let runs = records(&retry);
        assert_eq!(runs[0].current_stage.get(), 5);
        assert_eq!(runs.len(), 4, "stages 5, 6, 7, then the end");
        let last = runs.last().unwrap();
        assert!(last.stages[..4].iter().all(Option::is_none), "the stages before the retried one did not run");
        assert!(last.stages[4..].iter().all(Option::is_some));
    }

    #[test]
    fn nothing_queued_skips_the_stage_and_an_unknown_stage_is_skipped_too() {
        let mut sample = example();
        sample.results[5] = None;
        sample.snapshot[5] = 0;
        let h = History { samples: vec![sample], fail_rate: 0.0 };
        let plan = start(&h, &new_run(Work::Again { snapshot: [10, 0, 5, 5, 5, 5, 5] }), NOW_MS, real_time()).unwrap();
        let last = records(&plan).pop().unwrap();
        assert!(last.stages[1].is_none() && last.stages[5].is_none());
        assert!(plan.steps.iter().any(|s| s.body.contains("Stage 2 skipped: nothing queued")));
        assert_eq!(plan.steps.len(), 6, "five stages ran");
    }

    #[test]
    fn a_run_without_a_snapshot_counts_what_its_stages_took() {
        let mut sample = example();
        sample.snapshot = [0, 0, 0, 40, 0, 0, 0];
        assert_eq!(sample.queued(), [150, 10, 50, 40, 15, 8, 5]);
    }

    #[test]
    fn a_site_without_history_is_refused() {
        let h = History { samples: vec![], fail_rate: 0.0 };
        assert_eq!(start(&h, &new_run(Work::Fresh), NOW_MS, real_time()), Err(PlanError::NoHistory(123)));
    }

    #[test]
    fn a_run_that_fails_stops_at_its_stage_with_the_error() {
        let plan = (0..200)
            .map(|k| start(&history(1.0), &new_run(Work::Fresh), NOW_MS + k * 1000, real_time()).unwrap())
            .find(|p| p.steps.last().unwrap().status == "failed")
            .expect("some runs fail when the history always did");
        let last = records(&plan).pop().unwrap();
        let stage = usize::from(last.current_stage.get());
        assert_eq!(last.error_message.as_deref(), Some(ERRORS[stage - 1]));
        assert_eq!(last.stages.iter().flatten().count(), stage - 1);
        assert!(last.completed_at.is_some());
    }

    #[test]
    fn request_ids_read_back_from_run_ids() {
        assert_eq!(request_of("run_20260117_140523_manual_s124_req17"), Some(17));
        assert_eq!(request_of("run_20260117_140523_manual"), None);
        assert_eq!(request_of("run_x_req"), None);
        assert_eq!(request_of("run_x_req1a"), None);
    }

    #[test]
    fn speeds_are_positive_numbers() {
        assert_eq!("20".parse::<Speed>(), Ok(Speed(20.0)));
        assert_eq!("0.5".parse::<Speed>(), Ok(Speed(0.5)));
        for bad in ["0", "-1", "inf", "NaN", "fast"] {
            assert!(bad.parse::<Speed>().is_err(), "{bad}");
        }
    }

    fn arb_result() -> impl Strategy<Value = Option<StageResult>> {
        prop::option::weighted(0.9, (1u32..300, 0u32..900, 0u32..500, 1u32..3000)).prop_map(|r| {
            r.map(|(input, output, credits, secs)| StageResult {
                input,
                output,
                extra: input.div_ceil(50),
                model: None,
                credits,
                secs,
            })
        })
    }

    fn arb_sample() -> impl Strategy<Value = Sample> {
        (prop::array::uniform7(0u32..300), prop::array::uniform7(arb_result()))
            .prop_map(|(snapshot, results)| Sample { snapshot, results })
    }

    fn arb_work() -> impl Strategy<Value = Work> {
        prop_oneof![
            Just(Work::Fresh),
            prop::array::uniform7(0u32..300).prop_map(|snapshot| Work::Again { snapshot }),
            (prop::array::uniform7(0u32..300), 1usize..=7).prop_map(|(snapshot, stage)| Work::From { snapshot, stage }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn every_report_is_a_valid_record_and_the_run_only_moves_forward(
            samples in prop::collection::vec(arb_sample(), 1..4),
            fail_rate in 0.0f64..1.0,
            work in arb_work(),
            speed in 0.5f64..500.0,
            offset in 0i64..10_000_000,
        ) {
            let h = History { samples, fail_rate };
            let plan = start(&h, &new_run(work), NOW_MS + offset, Speed::new(speed).unwrap()).unwrap();
            prop_assert!(!plan.steps.is_empty());
            let runs = records(&plan);
            for (a, b) in runs.iter().zip(&runs[1..]) {
                prop_assert!(a.current_stage.get() <= b.current_stage.get());
                prop_assert!(a.total_credits_used <= b.total_credits_used);
                prop_assert_eq!(a.status, RunStatus::Running);
            }
            for (a, b) in plan.steps.iter().zip(&plan.steps[1..]) {
                prop_assert!(a.at_ms <= b.at_ms);
            }
            let last = runs.last().unwrap();
            prop_assert!(matches!(last.status, RunStatus::Completed | RunStatus::Failed));
            prop_assert_eq!(last.total_credits_used, last.stages.iter().flatten().map(|r| r.credits).sum::<u64>());
        }

        #[test]
        fn a_resumed_run_keeps_what_it_did_and_draws_the_rest_as_first_planned(
            samples in prop::collection::vec(arb_sample(), 1..4),
            fail_rate in 0.0f64..1.0,
            cut in 0usize..8,
            pause_ms in 0i64..100_000_000,
        ) {
            let h = History { samples, fail_rate };
            let speed = Speed::new(10.0).unwrap();
            let first = start(&h, &new_run(Work::Fresh), NOW_MS, speed).unwrap();
            let runs = records(&first);
            let cut = cut.min(runs.len() - 1);
            prop_assume!(runs[cut].status == RunStatus::Running);
            let progress = progress_of(&runs[cut]);
            let rest = resume(&h, &progress, first.steps[cut].at_ms + pause_ms, speed).unwrap();
            prop_assert_eq!(&rest.run_id, &first.run_id);
            prop_assert_eq!(rest.request, Some(17));
            let resumed = records(&rest);
            let (a, b) = (runs.last().unwrap(), resumed.last().unwrap());
            prop_assert_eq!(&a.stages, &b.stages);
            prop_assert_eq!(a.status, b.status);
            prop_assert_eq!(a.started_at, b.started_at);
            prop_assert!(rest.steps[0].body.contains("Engine restarted"));
        }
    }
}
