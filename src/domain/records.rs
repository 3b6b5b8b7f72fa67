//! One line of the exchange format (import-format.md), parsed and checked against its rules.
//! Pure: the importer adds what needs the store (references to accounts, sites and runs).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::host_name::check_host_name;
use super::logs::{LogLevel, LogLine};
use super::pipeline::PipelineCounts;
use super::run::{InitialSnapshot, Run, RunStatus, StageResult, TriggerType};
use super::stage::{StageNumber, STAGE_COUNT};

/// Longest run id and text field accepted, so one bad line cannot bloat the store.
pub const MAX_ID_LEN: usize = 200;
pub const MAX_TEXT_LEN: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountRecord {
    pub id: i64,
    pub name: String,
    pub credit_balance: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteRecord {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub domain: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineRecord {
    pub site_id: i64,
    pub as_of: DateTime<Utc>,
    pub counts: PipelineCounts,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogRecord {
    pub run_id: String,
    pub line: LogLine,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Account(AccountRecord),
    Site(SiteRecord),
    /// The run as recorded; its `run_number` is 0 until the store numbers it.
    Run(Box<Run>),
    Pipeline(PipelineRecord),
    Log(LogRecord),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LineError(pub String);

fn err<T>(msg: impl Into<String>) -> Result<T, LineError> {
    Err(LineError(msg.into()))
}

#[derive(Deserialize)]
struct RawRun {
    site_id: i64,
    run_id: String,
    status: String,
    trigger_type: String,
    current_stage: i64,
    started_at: DateTime<Utc>,
    #[serde(default)]
    completed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    paused_at: Option<DateTime<Utc>>,
    #[serde(default)]
    resumed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    cancelled_at: Option<DateTime<Utc>>,
    total_credits_used: u64,
    #[serde(default)]
    error_message: Option<String>,
    #[serde(default)]
    initial_snapshot: Option<InitialSnapshot>,
    // Named one by one: `#[serde(flatten)]` would buffer every line, and imports read millions.
    #[serde(default)]
    stage_1_result: Option<Value>,
    #[serde(default)]
    stage_2_result: Option<Value>,
    #[serde(default)]
    stage_3_result: Option<Value>,
    #[serde(default)]
    stage_4_result: Option<Value>,
    #[serde(default)]
    stage_5_result: Option<Value>,
    #[serde(default)]
    stage_6_result: Option<Value>,
    #[serde(default)]
    stage_7_result: Option<Value>,
}

/// The kind alone; the rest of the line is skipped without being built.
#[derive(Deserialize)]
struct KindOnly<'a> {
    #[serde(borrow, default)]
    kind: Option<std::borrow::Cow<'a, str>>,
}

#[derive(Deserialize)]
struct RawPipeline {
    site_id: i64,
    as_of: DateTime<Utc>,
    #[serde(flatten)]
    counts: PipelineCounts,
}

#[derive(Deserialize)]
struct RawLog {
    run_id: String,
    #[serde(default)]
    stage: Option<i64>,
    at: DateTime<Utc>,
    level: String,
    message: String,
}

fn from_line<'a, T: Deserialize<'a>>(kind: &str, line: &'a str) -> Result<T, LineError> {
    serde_json::from_str(line).map_err(|e| LineError(format!("{kind}: {e}")))
}

fn check_text(kind: &str, field: &str, value: &str, max: usize) -> Result<(), LineError> {
    if value.trim().is_empty() {
        return err(format!("{kind}: {field} must not be empty"));
    }
    if value.chars().count() > max {
        return err(format!("{kind}: {field} is longer than {max} characters"));
    }
    Ok(())
}

/// Parses one non-empty line.
pub fn parse_line(line: &str) -> Result<Record, LineError> {
    let kind = match serde_json::from_str::<KindOnly>(line) {
        Ok(KindOnly { kind: Some(kind) }) => kind,
        Ok(KindOnly { kind: None }) => return err("missing kind (expected account, site, run, pipeline or log)"),
        Err(e) if e.is_data() => return err("kind must be a string"),
        Err(e) => return err(format!("not valid JSON: {e}")),
    };
    match kind.as_ref() {
        "account" => {
            let a: AccountRecord = from_line("account", line)?;
            check_text("account", "name", &a.name, MAX_ID_LEN)?;
            Ok(Record::Account(a))
        }
        "site" => {
            let s: SiteRecord = from_line("site", line)?;
            check_text("site", "name", &s.name, MAX_ID_LEN)?;
            check_host_name(&s.domain).map_err(|e| LineError(format!("site {}: domain {e}", s.id)))?;
            Ok(Record::Site(s))
        }
        "run" => parse_run(from_line("run", line)?).map(|r| Record::Run(Box::new(r))),
        "pipeline" => {
            let p: RawPipeline = from_line("pipeline", line)?;
            Ok(Record::Pipeline(PipelineRecord { site_id: p.site_id, as_of: p.as_of, counts: p.counts }))
        }
        "log" => {
            let l: RawLog = from_line("log", line)?;
            check_text("log", "run_id", &l.run_id, MAX_ID_LEN)?;
            if l.message.chars().count() > MAX_TEXT_LEN {
                return err(format!("log: message is longer than {MAX_TEXT_LEN} characters"));
            }
            let stage = match l.stage {
                None => None,
                Some(n) => Some(StageNumber::try_from(n).map_err(|e| LineError(format!("log: {e}")))?.get()),
            };
            let level: LogLevel = l.level.parse().map_err(|e| LineError(format!("log: {e}")))?;
            Ok(Record::Log(LogRecord {
                run_id: l.run_id,
                line: LogLine { stage, at: l.at, level, message: l.message },
            }))
        }
        other => err(format!("unknown kind {other:?} (expected account, site, run, pipeline or log)")),
    }
}

fn parse_run(raw: RawRun) -> Result<Run, LineError> {
    let id = raw.run_id.clone();
    let fail = |msg: String| LineError(format!("run {id}: {msg}"));
    check_text("run", "run_id", &raw.run_id, MAX_ID_LEN)?;
    let status: RunStatus = raw.status.parse().map_err(fail)?;
    let trigger_type: TriggerType = raw.trigger_type.parse().map_err(fail)?;
    let current_stage = StageNumber::try_from(raw.current_stage).map_err(|e| fail(format!("current_stage: {e}")))?;
    for (name, at) in [
        ("completed_at", raw.completed_at),
        ("paused_at", raw.paused_at),
        ("resumed_at", raw.resumed_at),
        ("cancelled_at", raw.cancelled_at),
    ] {
        if at.is_some_and(|at| at < raw.started_at) {
            return Err(fail(format!("{name} is before started_at")));
        }
    }
    if raw.error_message.as_ref().is_some_and(|m| m.chars().count() > MAX_TEXT_LEN) {
        return Err(fail(format!("error_message is longer than {MAX_TEXT_LEN} characters")));
    }
    let raw_stages = [
        raw.stage_1_result,
        raw.stage_2_result,
        raw.stage_3_result,
        raw.stage_4_result,
        raw.stage_5_result,
        raw.stage_6_result,
        raw.stage_7_result,
    ];
    let mut stages: [Option<StageResult>; STAGE_COUNT] = Default::default();
    for (stage, value) in StageNumber::all().zip(raw_stages) {
        let key = || format!("stage_{stage}_result");
        stages[stage.index()] = match value {
            None | Some(Value::Null) => None,
            Some(Value::Object(fields)) => {
                Some(StageResult::from_fields(stage, fields).map_err(|e| fail(format!("{}.{e}", key())))?)
            }
            Some(_) => return Err(fail(format!("{} must be an object or null", key()))),
        };
    }
    Ok(Run {
        site_id: raw.site_id,
        run_number: 0,
        status,
        trigger_type,
        current_stage,
        started_at: raw.started_at,
        completed_at: raw.completed_at,
        paused_at: raw.paused_at,
        resumed_at: raw.resumed_at,
        cancelled_at: raw.cancelled_at,
        total_credits_used: raw.total_credits_used,
        error_message: raw.error_message,
        initial_snapshot: raw.initial_snapshot.unwrap_or_default(),
        stages,
        run_id: raw.run_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::domain::fixtures::PLAN_RUN;

    #[test]
    fn parses_the_plan_run() {
        let Record::Run(run) = parse_line(PLAN_RUN).unwrap() else { panic!("not a run") };
        assert_eq!(run.total_credits_used, 569);
        assert_eq!(run.stages.iter().flatten().map(|r| r.credits).sum::<u64>(), 569);
        assert_eq!(run.initial_snapshot.total_initial_items, 263);
    }

    #[test]
    fn rejects_bad_lines_with_reasons() {
        let cases = [
            ("{", "not valid JSON"),
            (r#"{"id":1}"#, "missing kind"),
            (r#"{"kind":"robot"}"#, "unknown kind"),
            (r#"{"kind":"account","id":1,"name":"","credit_balance":3}"#, "name must not be empty"),
            (
                r#"{"kind":"site","id":7,"account_id":1,"name":"O","domain":"o.example</title><b>x</b><title>"}"#,
                "site 7: domain must be a host name",
            ),
            (r#"{"kind":"site","id":7,"account_id":1,"name":"O","domain":""}"#, "site 7: domain must not be empty"),
            (r#"{"kind":"site","id":7,"account_id":1,"name":"O","domain":"o.example:80"}"#, "':' is not allowed"),
            (&PLAN_RUN.replace("\"completed\"", "\"done\""), "unknown status"),
            (&PLAN_RUN.replace("\"current_stage\":7", "\"current_stage\":8"), "current_stage"),
            (&PLAN_RUN.replace("\"00:03:24\"", "\"3m\""), "time_elapsed"),
            (&PLAN_RUN.replace("\"credits_used\":45", "\"credits_used\":-45"), "credits_used"),
            (&PLAN_RUN.replace("2026-01-17T14:43:44Z", "2026-01-17T13:00:00Z"), "before started_at"),
            (
                r#"{"kind":"log","run_id":"r","stage":9,"at":"2026-01-17T14:20:01Z","level":"warn","message":"x"}"#,
                "stage must be 1 to 7",
            ),
            (
                r#"{"kind":"log","run_id":"r","stage":null,"at":"2026-01-17T14:20:01Z","level":"loud","message":"x"}"#,
                "unknown level",
            ),
        ];
        for (line, reason) in cases {
            let e = parse_line(line).expect_err(line);
            assert!(e.0.contains(reason), "{line}: {e} should mention {reason}");
        }
    }

    #[test]
    fn pipeline_and_log_parse() {
        let p = r#"{"kind":"pipeline","site_id":123,"as_of":"2026-01-17T15:00:00Z","keywords":{"new":120,"mapped":30,"skipped":0},"content":{"draft":15,"review":12,"published":15,"failed":2}}"#;
        let Record::Pipeline(p) = parse_line(p).unwrap() else { panic!() };
        assert_eq!(p.counts.pending().0[0], 120);
        assert_eq!(p.counts.pending().0[6], 12);
        let l = r#"{"kind":"log","run_id":"r1","stage":null,"at":"2026-01-17T14:20:01Z","level":"info","message":"started"}"#;
        let Record::Log(l) = parse_line(l).unwrap() else { panic!() };
        assert_eq!(l.line.stage, None);
    }
}
