//! Log lines of a run (import-format.md, "log").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    Debug,
    Info,
    Warn,
    Error,
}

impl LogLevel {
    pub const ALL: [LogLevel; 4] = [LogLevel::Debug, LogLevel::Info, LogLevel::Warn, LogLevel::Error];

    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Debug => "debug",
            LogLevel::Info => "info",
            LogLevel::Warn => "warn",
            LogLevel::Error => "error",
        }
    }
}

impl std::str::FromStr for LogLevel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LogLevel::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| format!("unknown level {s:?} (expected debug, info, warn or error)"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LogLine {
    /// 1 to 7, or null for a run-level line.
    pub stage: Option<u8>,
    pub at: DateTime<Utc>,
    pub level: LogLevel,
    pub message: String,
}

impl LogLine {
    /// A stable 64-bit identity of the line within its run (FNV-1a over at, stage, message),
    /// so a line loaded twice is stored once without indexing whole messages.
    pub fn identity_hash(&self) -> i64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |bytes: &[u8]| {
            for b in bytes {
                hash ^= u64::from(*b);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
            // A separator so ("ab","c") and ("a","bc") differ.
            hash ^= 0xff;
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        };
        feed(&self.at.timestamp_micros().to_le_bytes());
        feed(&[self.stage.unwrap_or(0)]);
        feed(self.message.as_bytes());
        hash as i64
    }
}

/// A page of a run's log, and how many lines pass its filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogPage {
    pub lines: Vec<LogLine>,
    pub total_count: u64,
    pub offset: u64,
}

/// Log lines a page shows.
pub const LOG_PAGE_SIZE: u64 = 100;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn identity_depends_on_time_stage_and_message_only() {
        let at = Utc.with_ymd_and_hms(2026, 1, 17, 14, 20, 1).unwrap();
        let line = |stage, level, msg: &str| LogLine { stage, at, level, message: msg.into() };
        let a = line(Some(4), LogLevel::Warn, "timeout");
        assert_eq!(a.identity_hash(), line(Some(4), LogLevel::Error, "timeout").identity_hash());
        assert_ne!(a.identity_hash(), line(None, LogLevel::Warn, "timeout").identity_hash());
        assert_ne!(a.identity_hash(), line(Some(4), LogLevel::Warn, "timeouts").identity_hash());
    }
}
