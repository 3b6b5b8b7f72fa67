//! NDJSON lines of the exchange format (import-format.md), built from plain test values.

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Map, Value};

/// The fixed "now" of most tests.
pub fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 2, 1, 12, 0, 0).unwrap()
}

pub fn ts(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Input and output fields by stage (metrics.md, "Stages").
pub const STAGE_FIELDS: [(&str, &str); 7] = [
    ("keywords_processed", "clusters_created"),
    ("clusters_processed", "ideas_created"),
    ("ideas_processed", "tasks_created"),
    ("tasks_processed", "content_created"),
    ("content_processed", "prompts_created"),
    ("images_processed", "images_generated"),
    ("ready_for_review", "ready_for_review"),
];

pub fn account(id: i64, name: &str, balance: i64) -> String {
    json!({"kind":"account","id":id,"name":name,"credit_balance":balance}).to_string()
}

pub fn site(id: i64, account_id: i64, name: &str, domain: &str) -> String {
    json!({"kind":"site","id":id,"account_id":account_id,"name":name,"domain":domain}).to_string()
}

/// One stage's result in a test run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stage {
    pub input: u64,
    pub output: u64,
    pub credits: u64,
    pub secs: u64,
}

pub const fn st(input: u64, output: u64, credits: u64, secs: u64) -> Stage {
    Stage { input, output, credits, secs }
}

pub fn hms(secs: u64) -> String {
    format!("{:02}:{:02}:{:02}", secs / 3600, (secs / 60) % 60, secs % 60)
}

#[derive(Debug, Clone)]
pub struct TestRun {
    pub site_id: i64,
    pub run_id: String,
    pub status: &'static str,
    pub trigger: &'static str,
    pub current_stage: u8,
    pub started: DateTime<Utc>,
    pub completed: Option<DateTime<Utc>>,
    pub paused: Option<DateTime<Utc>>,
    pub cancelled: Option<DateTime<Utc>>,
    /// Written as `total_credits_used`; Σ stage credits unless set otherwise.
    pub total_credits: u64,
    pub error: Option<String>,
    pub stages: [Option<Stage>; 7],
}

impl TestRun {
    /// A completed run whose seven stages are `stages`, lasting `secs` seconds.
    pub fn completed(
        site_id: i64,
        run_id: &str,
        started: DateTime<Utc>,
        secs: i64,
        stages: [Option<Stage>; 7],
    ) -> TestRun {
        let total = stages.iter().flatten().map(|s| s.credits).sum();
        TestRun {
            site_id,
            run_id: run_id.to_string(),
            status: "completed",
            trigger: "scheduled",
            current_stage: 7,
            started,
            completed: Some(started + Duration::seconds(secs)),
            paused: None,
            cancelled: None,
            total_credits: total,
            error: None,
            stages,
        }
    }

    /// A run with `status` at `current_stage`, with results for the stages before it.
    pub fn unfinished(
        site_id: i64,
        run_id: &str,
        status: &'static str,
        current_stage: u8,
        started: DateTime<Utc>,
    ) -> TestRun {
        let mut stages: [Option<Stage>; 7] = [None; 7];
        for s in stages.iter_mut().take(usize::from(current_stage) - 1) {
            *s = Some(st(10, 10, 5, 60));
        }
        let total = stages.iter().flatten().map(|s| s.credits).sum();
        TestRun {
            site_id,
            run_id: run_id.to_string(),
            status,
            trigger: "manual",
            current_stage,
            started,
            completed: None,
            paused: None,
            cancelled: None,
            total_credits: total,
            error: None,
            stages,
        }
    }

    pub fn duration_secs(&self) -> Option<i64> {
        self.completed.map(|c| (c - self.started).num_seconds())
    }

    pub fn line(&self) -> String {
        let mut o = Map::new();
        o.insert("kind".into(), json!("run"));
        o.insert("site_id".into(), json!(self.site_id));
        o.insert("run_id".into(), json!(self.run_id));
        o.insert("status".into(), json!(self.status));
        o.insert("trigger_type".into(), json!(self.trigger));
        o.insert("current_stage".into(), json!(self.current_stage));
        o.insert("started_at".into(), json!(self.started.to_rfc3339()));
        o.insert("completed_at".into(), json!(self.completed.map(|t| t.to_rfc3339())));
        o.insert("paused_at".into(), json!(self.paused.map(|t| t.to_rfc3339())));
        o.insert("resumed_at".into(), Value::Null);
        o.insert("cancelled_at".into(), json!(self.cancelled.map(|t| t.to_rfc3339())));
        o.insert("total_credits_used".into(), json!(self.total_credits));
        o.insert("error_message".into(), json!(self.error));
        let inputs: Vec<u64> = self.stages.iter().map(|s| s.map_or(0, |s| s.input)).collect();
        let mut snapshot = Map::new();
        for (i, n) in inputs.iter().enumerate() {
            snapshot.insert(format!("stage_{}_initial", i + 1), json!(n));
        }
        snapshot.insert("total_initial_items".into(), json!(inputs.iter().sum::<u64>()));
        o.insert("initial_snapshot".into(), Value::Object(snapshot));
        for (i, stage) in self.stages.iter().enumerate() {
            let value = stage.map_or(Value::Null, |s| {
                let (input, output) = STAGE_FIELDS[i];
                let mut r = Map::new();
                r.insert(input.into(), json!(s.input));
                if output != input {
                    r.insert(output.into(), json!(s.output));
                }
                r.insert("credits_used".into(), json!(s.credits));
                r.insert("time_elapsed".into(), json!(hms(s.secs)));
                Value::Object(r)
            });
            o.insert(format!("stage_{}_result", i + 1), value);
        }
        Value::Object(o).to_string()
    }
}

/// A pipeline line: `pending` per stage (import-format.md's mapping), and the three attention
/// counts (skipped ideas, failed content, failed images).
pub fn pipeline(site_id: i64, as_of: DateTime<Utc>, pending: [u64; 7], attention: [u64; 3]) -> String {
    json!({"kind":"pipeline","site_id":site_id,"as_of":as_of.to_rfc3339(),
        "keywords":{"new":pending[0],"mapped":7,"skipped":1},
        "clusters":{"new":pending[1],"mapped":3,"skipped":0},
        "ideas":{"new":pending[2],"queued":4,"done":5,"skipped":attention[0]},
        "tasks":{"queued":pending[3],"done":6},
        "content":{"draft":pending[4],"review":pending[6],"published":9,"failed":attention[1]},
        "image_prompts":{"pending":pending[5],"done":11},
        "images":{"pending":13,"generated":14,"failed":attention[2]}})
    .to_string()
}

pub fn log(run_id: &str, stage: Option<u8>, at: DateTime<Utc>, level: &str, message: &str) -> String {
    json!({"kind":"log","run_id":run_id,"stage":stage,"at":at.to_rfc3339(),"level":level,"message":message}).to_string()
}

// ---------------------------------------------------------------------------------------------
// The plan's example (import-format.md), verbatim
// ---------------------------------------------------------------------------------------------

pub const PLAN_RUN_ID: &str = "run_20260117_140523_manual";

pub const PLAN_ACCOUNT: &str = r#"{"kind":"account","id":1,"name":"Acme Media","credit_balance":1250}"#;
pub const PLAN_SITE: &str = r#"{"kind":"site","id":123,"account_id":1,"name":"TechBlog","domain":"techblog.com"}"#;
pub const PLAN_RUN: &str = r#"{"kind":"run","site_id":123,"run_id":"run_20260117_140523_manual","status":"completed",
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
 "stage_7_result":{"ready_for_review":5,"credits_used":0,"time_elapsed":"00:00:03"}}"#;
pub const PLAN_PIPELINE: &str = r#"{"kind":"pipeline","site_id":123,"as_of":"2026-01-17T15:00:00Z",
 "keywords":{"new":120,"mapped":30,"skipped":0},
 "clusters":{"new":8,"mapped":15,"skipped":0},
 "ideas":{"new":32,"queued":20,"done":35,"skipped":3},
 "tasks":{"queued":20,"done":22},
 "content":{"draft":15,"review":12,"published":15,"failed":2},
 "image_prompts":{"pending":24,"done":132},
 "images":{"pending":24,"generated":132,"failed":5}}"#;
pub const PLAN_LOG: &str = r#"{"kind":"log","run_id":"run_20260117_140523_manual","stage":4,"at":"2026-01-17T14:20:01Z",
 "level":"warn","message":"Task 17: model timeout, retried (attempt 2 of 3)"}"#;

/// The spec's multi-line examples as one NDJSON line each.
pub fn one_line(example: &str) -> String {
    let v: Value = serde_json::from_str(example).expect("example is JSON");
    v.to_string()
}

/// The plan's account, site, run, pipeline and log line, in that order.
pub fn plan_lines() -> Vec<String> {
    [PLAN_ACCOUNT, PLAN_SITE, PLAN_RUN, PLAN_PIPELINE, PLAN_LOG].iter().map(|e| one_line(e)).collect()
}
