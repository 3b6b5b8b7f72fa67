//! The events of a site's live stream (live-api.md, "GET /api/v1/automation/events"): what the
//! server sends and what the pages read, one type on both sides.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::run::RunStatus;

/// A run of the site was written (ingest or import).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunChanged {
    pub site_id: i64,
    pub run_id: String,
    pub run_number: i64,
    pub status: RunStatus,
    pub current_stage: u8,
    pub total_credits_used: u64,
}

/// The site's pipeline counts were written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineChanged {
    pub site_id: i64,
    pub as_of: DateTime<Utc>,
}

/// The account's credit balance was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountChanged {
    pub credit_balance: i64,
}

/// A run request of the site changed state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestChanged {
    pub id: i64,
    pub site_id: i64,
    pub state: String,
}

/// One event; `name()` is its SSE `event:` field and the JSON of the inner value its `data:`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", content = "data", rename_all = "snake_case")]
pub enum LiveEvent {
    Run(RunChanged),
    Pipeline(PipelineChanged),
    Account(AccountChanged),
    Request(RequestChanged),
    /// Events were missed and cannot be replayed: fetch everything again.
    Resync,
}

impl LiveEvent {
    pub const RUN: &'static str = "run";
    pub const PIPELINE: &'static str = "pipeline";
    pub const ACCOUNT: &'static str = "account";
    pub const REQUEST: &'static str = "request";
    pub const RESYNC: &'static str = "resync";

    pub fn name(&self) -> &'static str {
        match self {
            LiveEvent::Run(_) => Self::RUN,
            LiveEvent::Pipeline(_) => Self::PIPELINE,
            LiveEvent::Account(_) => Self::ACCOUNT,
            LiveEvent::Request(_) => Self::REQUEST,
            LiveEvent::Resync => Self::RESYNC,
        }
    }

    /// The `data:` line: the inner value's JSON (`{}` for resync).
    pub fn data_json(&self) -> String {
        let json = match self {
            LiveEvent::Run(e) => serde_json::to_string(e),
            LiveEvent::Pipeline(e) => serde_json::to_string(e),
            LiveEvent::Account(e) => serde_json::to_string(e),
            LiveEvent::Request(e) => serde_json::to_string(e),
            LiveEvent::Resync => Ok("{}".to_string()),
        };
        json.expect("plain structs serialise")
    }

    /// Reads an event back from its name and data, as an API client does: the tests check that
    /// every event survives the trip.
    #[cfg(test)]
    pub fn parse(name: &str, data: &str) -> Option<LiveEvent> {
        match name {
            Self::RUN => serde_json::from_str(data).ok().map(LiveEvent::Run),
            Self::PIPELINE => serde_json::from_str(data).ok().map(LiveEvent::Pipeline),
            Self::ACCOUNT => serde_json::from_str(data).ok().map(LiveEvent::Account),
            Self::REQUEST => serde_json::from_str(data).ok().map(LiveEvent::Request),
            Self::RESYNC => Some(LiveEvent::Resync),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_read_back_from_their_name_and_data() {
        let events = [
            LiveEvent::Run(RunChanged {
                site_id: 4,
                run_id: "run_1".into(),
                run_number: 12,
                status: RunStatus::Running,
                current_stage: 3,
                total_credits_used: 165,
            }),
            LiveEvent::Pipeline(PipelineChanged {
                site_id: 4,
                as_of: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            }),
            LiveEvent::Account(AccountChanged { credit_balance: -5 }),
            LiveEvent::Request(RequestChanged { id: 9, site_id: 4, state: "claimed".into() }),
            LiveEvent::Resync,
        ];
        for e in events {
            assert_eq!(LiveEvent::parse(e.name(), &e.data_json()), Some(e));
        }
    }

    #[test]
    fn the_run_event_carries_the_specs_fields() {
        let e = LiveEvent::Run(RunChanged {
            site_id: 4,
            run_id: "run_1".into(),
            run_number: 12,
            status: RunStatus::Completed,
            current_stage: 7,
            total_credits_used: 569,
        });
        let v: serde_json::Value = serde_json::from_str(&e.data_json()).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["site_id", "run_id", "run_number", "status", "current_stage", "total_credits_used"]);
        assert_eq!(v["status"], "completed");
    }

    #[test]
    fn unknown_or_malformed_events_are_ignored() {
        assert_eq!(LiveEvent::parse("run", "{"), None);
        assert_eq!(LiveEvent::parse("weather", "{}"), None);
    }
}
