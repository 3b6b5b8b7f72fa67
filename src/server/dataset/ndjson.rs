//! The run model of the generated data and its lines in the exchange format: written by hand,
//! field by field, because scale data writes millions of them. The engine simulator reports its
//! runs with the same model and writers, so its records are the demo's records.
//!
//! Its `Run` is not the domain's: it holds what the generator draws (whole numbers, the stage an
//! unfinished run stopped at, whether unfinished stages are written as `null` or left out) and
//! goes straight into a line, while the domain's `Run` is what a line parses into. The status and
//! trigger are the domain's enums.

use std::fmt::Write as _;

use super::{DAY, HOUR, MINUTE};
use crate::domain::run::{RunStatus, TriggerType};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Completed,
    Failed(usize),
    Cancelled(usize),
    Paused(usize),
    Running(usize),
}

impl Outcome {
    pub(crate) fn status(self) -> RunStatus {
        match self {
            Outcome::Completed => RunStatus::Completed,
            Outcome::Failed(_) => RunStatus::Failed,
            Outcome::Cancelled(_) => RunStatus::Cancelled,
            Outcome::Paused(_) => RunStatus::Paused,
            Outcome::Running(_) => RunStatus::Running,
        }
    }

    pub(crate) fn current_stage(self) -> usize {
        match self {
            Outcome::Completed => 7,
            Outcome::Failed(s) | Outcome::Cancelled(s) | Outcome::Paused(s) | Outcome::Running(s) => s,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StageResult {
    pub(crate) input: u32,
    pub(crate) output: u32,
    /// Stage 1: batches; stage 4: total_words; otherwise unused.
    pub(crate) extra: u32,
    /// An engine field this app does not know (stage 2 only).
    pub(crate) model: Option<String>,
    pub(crate) credits: u32,
    pub(crate) secs: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub(crate) site_id: i64,
    pub(crate) run_id: String,
    pub(crate) outcome: Outcome,
    pub(crate) trigger: TriggerType,
    pub(crate) started: i64,
    pub(crate) completed: Option<i64>,
    pub(crate) paused: Option<i64>,
    pub(crate) cancelled: Option<i64>,
    pub(crate) error: Option<&'static str>,
    pub(crate) snapshot: [u32; 7],
    pub(crate) results: [Option<StageResult>; 7],
    /// Write unfinished stages as absent keys instead of `null`.
    pub(crate) omit_missing: bool,
}

impl Run {
    pub(crate) fn total_credits(&self) -> u32 {
        self.results.iter().flatten().map(|r| r.credits).sum()
    }

    /// When the run stopped (or `None` while it runs).
    pub(crate) fn ended(&self) -> Option<i64> {
        self.completed.or(self.cancelled).or(self.paused)
    }
}

/// What a run that failed at stage N says went wrong.
pub(crate) const ERRORS: [&str; 7] = [
    "Keyword clustering failed: clustering service returned 500 after 3 retries",
    "Idea generation failed: rate limit exceeded (429) after 3 retries",
    "Task creation failed: database deadlock detected, transaction rolled back",
    "Content generation failed: upstream model returned 503 after 3 retries",
    "Image prompt generation failed: upstream model returned 503 after 3 retries",
    "Image generation failed: image provider timed out after 120 s",
    "Review hand-off failed: review queue unavailable",
];

/// `run_YYYYMMDD_HHMMSS_{trigger}` from the start (UTC), with `_s{site_id}` for every site but
/// the plan's 123, so that ids are unique across sites.
pub(crate) fn run_id(site_id: i64, started: i64, trigger: TriggerType) -> String {
    let (y, mo, d, h, mi, s) = civil(started);
    let mut id = String::with_capacity(40);
    let _ = write!(id, "run_{y:04}{mo:02}{d:02}_{h:02}{mi:02}{s:02}_{}", trigger.as_str());
    if site_id != 123 {
        let _ = write!(id, "_s{site_id}");
    }
    id
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Log {
    pub(crate) stage: Option<u8>,
    pub(crate) at: i64,
    pub(crate) level: &'static str,
    pub(crate) message: String,
}

pub(crate) fn log(stage: Option<u8>, at: i64, level: &'static str, message: String) -> Log {
    Log { stage, at, level, message }
}

/// (year, month, day, hour, minute, second) of a Unix time, UTC (proleptic Gregorian).
pub(super) fn civil(t: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = t.div_euclid(DAY);
    let sod = t.rem_euclid(DAY);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, (sod / HOUR) as u32, (sod % HOUR / MINUTE) as u32, (sod % MINUTE) as u32)
}

pub(super) fn push_ts(out: &mut String, t: i64) {
    let (y, mo, d, h, mi, s) = civil(t);
    let _ = write!(out, "\"{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z\"");
}

pub(super) fn push_opt_ts(out: &mut String, t: Option<i64>) {
    match t {
        Some(t) => push_ts(out, t),
        None => out.push_str("null"),
    }
}

pub(super) fn push_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

pub(super) fn push_num(out: &mut String, n: impl std::fmt::Display) {
    let _ = write!(out, "{n}");
}

pub(super) fn push_hms(out: &mut String, secs: u32) {
    let _ = write!(out, "\"{:02}:{:02}:{:02}\"", secs / 3600, secs % 3600 / 60, secs % 60);
}

pub(super) fn account_line(id: u32, name: &str, balance: i64) -> String {
    let mut out = String::with_capacity(80);
    out.push_str("{\"kind\":\"account\",\"id\":");
    push_num(&mut out, id);
    out.push_str(",\"name\":");
    push_str(&mut out, name);
    out.push_str(",\"credit_balance\":");
    push_num(&mut out, balance);
    out.push('}');
    out
}

pub(super) fn site_line(id: u32, account: u32, name: &str, domain: &str) -> String {
    let mut out = String::with_capacity(100);
    out.push_str("{\"kind\":\"site\",\"id\":");
    push_num(&mut out, id);
    out.push_str(",\"account_id\":");
    push_num(&mut out, account);
    out.push_str(",\"name\":");
    push_str(&mut out, name);
    out.push_str(",\"domain\":");
    push_str(&mut out, domain);
    out.push('}');
    out
}

const STAGE_KEYS: [(&str, &str); 7] = [
    ("keywords_processed", "clusters_created"),
    ("clusters_processed", "ideas_created"),
    ("ideas_processed", "tasks_created"),
    ("tasks_processed", "content_created"),
    ("content_processed", "prompts_created"),
    ("images_processed", "images_generated"),
    ("ready_for_review", ""),
];

pub(super) fn push_result(out: &mut String, stage: usize, r: &StageResult) {
    let (input_key, output_key) = STAGE_KEYS[stage - 1];
    let _ = write!(out, "{{\"{input_key}\":{}", r.input);
    if !output_key.is_empty() {
        let _ = write!(out, ",\"{output_key}\":{}", r.output);
    }
    match stage {
        1 => {
            let _ = write!(out, ",\"batches\":{}", r.extra);
        }
        4 => {
            let _ = write!(out, ",\"total_words\":{}", r.extra);
        }
        _ => {}
    }
    let _ = write!(out, ",\"credits_used\":{},\"time_elapsed\":", r.credits);
    push_hms(out, r.secs);
    if let Some(model) = &r.model {
        out.push_str(",\"model\":");
        push_str(out, model);
    }
    out.push('}');
}

pub(crate) fn run_line(r: &Run) -> String {
    let mut out = String::with_capacity(1_100);
    out.push_str("{\"kind\":\"run\",\"site_id\":");
    push_num(&mut out, r.site_id);
    out.push_str(",\"run_id\":");
    push_str(&mut out, &r.run_id);
    out.push_str(",\"status\":\"");
    out.push_str(r.outcome.status().as_str());
    out.push_str("\",\"trigger_type\":\"");
    out.push_str(r.trigger.as_str());
    out.push_str("\",\"current_stage\":");
    push_num(&mut out, r.outcome.current_stage());
    out.push_str(",\"started_at\":");
    push_ts(&mut out, r.started);
    out.push_str(",\"completed_at\":");
    push_opt_ts(&mut out, r.completed);
    out.push_str(",\"paused_at\":");
    push_opt_ts(&mut out, r.paused);
    out.push_str(",\"resumed_at\":null,\"cancelled_at\":");
    push_opt_ts(&mut out, r.cancelled);
    out.push_str(",\"total_credits_used\":");
    push_num(&mut out, r.total_credits());
    out.push_str(",\"error_message\":");
    match r.error {
        Some(e) => push_str(&mut out, e),
        None => out.push_str("null"),
    }
    out.push_str(",\"initial_snapshot\":{");
    for (s, n) in r.snapshot.iter().enumerate() {
        let _ = write!(out, "\"stage_{}_initial\":{n},", s + 1);
    }
    let _ = write!(out, "\"total_initial_items\":{}}}", r.snapshot.iter().sum::<u32>());
    for (i, res) in r.results.iter().enumerate() {
        match res {
            Some(res) => {
                let _ = write!(out, ",\"stage_{}_result\":", i + 1);
                push_result(&mut out, i + 1, res);
            }
            None if r.omit_missing => {}
            None => {
                let _ = write!(out, ",\"stage_{}_result\":null", i + 1);
            }
        }
    }
    out.push('}');
    out
}

pub(crate) fn log_line(run_id: &str, l: &Log) -> String {
    let mut out = String::with_capacity(160);
    out.push_str("{\"kind\":\"log\",\"run_id\":");
    push_str(&mut out, run_id);
    out.push_str(",\"stage\":");
    match l.stage {
        Some(s) => push_num(&mut out, s),
        None => out.push_str("null"),
    }
    out.push_str(",\"at\":");
    push_ts(&mut out, l.at);
    out.push_str(",\"level\":\"");
    out.push_str(l.level);
    out.push_str("\",\"message\":");
    push_str(&mut out, &l.message);
    out.push('}');
    out
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pipeline {
    pub(crate) site_id: u32,
    pub(crate) as_of: i64,
    /// new, mapped, skipped
    pub(crate) keywords: [u32; 3],
    /// new, mapped, skipped
    pub(crate) clusters: [u32; 3],
    /// new, queued, done, skipped
    pub(crate) ideas: [u32; 4],
    /// queued, done
    pub(crate) tasks: [u32; 2],
    /// draft, review, published, failed
    pub(crate) content: [u32; 4],
    /// pending, done
    pub(crate) image_prompts: [u32; 2],
    /// pending, generated, failed
    pub(crate) images: [u32; 3],
}

pub(crate) fn pipeline_line(p: &Pipeline) -> String {
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
