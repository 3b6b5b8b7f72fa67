//! Request parameters as types that cannot hold a bad value, parsed once at the edge.

use serde::{Deserialize, Serialize};

use super::logs::{LogLevel, LOG_PAGE_SIZE};
use super::records::MAX_ID_LEN;
use super::run::{RunStatus, TriggerType};

pub const DEFAULT_PAGE_SIZE: u32 = 20;
pub const MAX_PAGE_SIZE: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParamError(pub String);

/// A positive id.
pub fn parse_id(name: &str, raw: &str) -> Result<i64, ParamError> {
    match raw.trim().parse::<i64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(ParamError(format!("{name} must be a positive integer, got {raw:?}"))),
    }
}

/// A page of a list: page ≥ 1, 1 ≤ page_size ≤ 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    page: u32,
    page_size: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest { page: 1, page_size: DEFAULT_PAGE_SIZE }
    }
}

impl PageRequest {
    pub fn new(page: Option<&str>, page_size: Option<&str>) -> Result<Self, ParamError> {
        let parse = |name: &str, raw: Option<&str>, default: u32, max: u32| -> Result<u32, ParamError> {
            let Some(raw) = raw else { return Ok(default) };
            match raw.trim().parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(ParamError(format!("{name} must be an integer from 1 to {max}, got {raw:?}"))),
            }
        };
        Ok(PageRequest {
            page: parse("page", page, 1, 1_000_000)?,
            page_size: parse("page_size", page_size, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)?,
        })
    }

    pub fn page(self) -> u32 {
        self.page
    }
    pub fn page_size(self) -> u32 {
        self.page_size
    }

    /// Run numbers `(first, last)` shown on this page of a history of `total` runs, newest
    /// first; `None` past the end.
    pub fn number_range(self, total: i64) -> Option<(i64, i64)> {
        let last = total - i64::from(self.page - 1) * i64::from(self.page_size);
        (last >= 1).then(|| ((last - i64::from(self.page_size) + 1).max(1), last))
    }

    pub fn total_pages(self, total: u64) -> u32 {
        u32::try_from(total.div_ceil(u64::from(self.page_size))).unwrap_or(u32::MAX)
    }
}

/// Which runs a history page lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryFilter {
    pub status: Option<RunStatus>,
    pub trigger: Option<TriggerType>,
}

impl HistoryFilter {
    /// From query parameters; an empty value means "any".
    pub fn parse(status: Option<&str>, trigger: Option<&str>) -> Result<Self, ParamError> {
        fn one<T: std::str::FromStr<Err = String>>(value: Option<&str>) -> Result<Option<T>, ParamError> {
            value.filter(|v| !v.is_empty()).map(str::parse).transpose().map_err(ParamError)
        }
        Ok(HistoryFilter { status: one(status)?, trigger: one(trigger)? })
    }

    pub fn is_empty(&self) -> bool {
        self.status.is_none() && self.trigger.is_none()
    }
}

/// The range of a trends request, in days: 1 to 3650, 90 when not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendDays(u32);

impl TrendDays {
    pub const DEFAULT: TrendDays = TrendDays(90);
    /// The range whose anomalies the overview lists as attention items.
    pub const ATTENTION: TrendDays = TrendDays(super::trends::ATTENTION_DAYS);
    pub const MAX: u32 = 3650;

    pub fn new(days: u32) -> Result<Self, ParamError> {
        if (1..=Self::MAX).contains(&days) {
            Ok(TrendDays(days))
        } else {
            Err(ParamError(format!("days must be an integer from 1 to {}, got {days}", Self::MAX)))
        }
    }

    /// From the query parameter; absent or empty means the default.
    pub fn parse(raw: Option<&str>) -> Result<Self, ParamError> {
        let Some(raw) = raw.filter(|r| !r.is_empty()) else { return Ok(Self::DEFAULT) };
        match raw.trim().parse::<u32>() {
            Ok(days) => Self::new(days),
            Err(_) => Err(ParamError(format!("days must be an integer from 1 to {}, got {raw:?}", Self::MAX))),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// A run id as the engine writes them: 1 to 200 visible ASCII characters.
pub fn parse_run_id(raw: &str) -> Result<String, ParamError> {
    let ok = !raw.is_empty() && raw.len() <= MAX_ID_LEN && raw.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(raw.to_string())
    } else {
        Err(ParamError(format!("run_id must be 1 to {MAX_ID_LEN} visible ASCII characters")))
    }
}

/// One of the two runs a comparison names (`a` or `b`); the error says which.
pub fn parse_compared_run_id(which: &str, raw: &str) -> Result<String, ParamError> {
    parse_run_id(raw).map_err(|e| ParamError(format!("{which}: {e}")))
}

/// The longest text a log search takes, in characters; the log viewer's field holds no more.
pub const MAX_LOG_SEARCH_CHARS: usize = 200;
/// The last stage a log filter names; 0 stands for the run-level lines.
pub const MAX_LOG_STAGE: u8 = 7;

/// A filtered, paged read of a run's log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogQuery {
    pub stage: Option<u8>,
    pub level: Option<LogLevel>,
    pub search: Option<String>,
    pub offset: u64,
    pub limit: u64,
}

impl LogQuery {
    /// A page of [`LOG_PAGE_SIZE`] lines from the log viewer's parameters: stage 0 (run-level
    /// lines) to 7, a level, a text of at most [`MAX_LOG_SEARCH_CHARS`] (blank means none), and a
    /// 1-based page (0 or none is the first).
    pub fn page(
        stage: Option<u8>,
        level: Option<&str>,
        search: Option<&str>,
        page: Option<u32>,
    ) -> Result<Self, ParamError> {
        if stage.is_some_and(|s| s > MAX_LOG_STAGE) {
            return Err(ParamError(format!("stage must be 0 (run-level) to {MAX_LOG_STAGE}")));
        }
        let level = level.filter(|l| !l.is_empty()).map(str::parse::<LogLevel>).transpose().map_err(ParamError)?;
        let search = search.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        if search.as_ref().is_some_and(|s| s.chars().count() > MAX_LOG_SEARCH_CHARS) {
            return Err(ParamError(format!("search text must be at most {MAX_LOG_SEARCH_CHARS} characters")));
        }
        let page = u64::from(page.unwrap_or(1).max(1));
        Ok(LogQuery { stage, level, search, offset: (page - 1) * LOG_PAGE_SIZE, limit: LOG_PAGE_SIZE })
    }

    /// The first `limit` lines of the whole log, unfiltered.
    pub fn whole(limit: u64) -> Self {
        LogQuery { limit, ..LogQuery::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_ranges_cover_history_newest_first() {
        let p = PageRequest::new(Some("1"), None).unwrap();
        assert_eq!(p.number_range(47), Some((28, 47)));
        let p3 = PageRequest::new(Some("3"), None).unwrap();
        assert_eq!(p3.number_range(47), Some((1, 7)));
        assert_eq!(PageRequest::new(Some("4"), None).unwrap().number_range(47), None);
        assert_eq!(p.total_pages(47), 3);
        assert_eq!(p.total_pages(0), 0);
    }

    #[test]
    fn bad_parameters_are_rejected() {
        assert!(PageRequest::new(Some("0"), None).is_err());
        assert!(PageRequest::new(None, Some("101")).is_err());
        assert!(PageRequest::new(Some("abc"), None).is_err());
        assert!(parse_id("site_id", "-3").is_err());
        assert!(parse_id("site_id", "x").is_err());
        assert_eq!(parse_id("site_id", "123"), Ok(123));
        assert!(parse_run_id("").is_err());
        assert!(parse_run_id("a b").is_err());
    }

    #[test]
    fn log_queries_are_checked_and_paged() {
        let q = LogQuery::page(Some(0), Some("warn"), Some("  timeout "), Some(3)).unwrap();
        assert_eq!(q.stage, Some(0));
        assert_eq!(q.level, Some(LogLevel::Warn));
        assert_eq!(q.search.as_deref(), Some("timeout"));
        assert_eq!((q.offset, q.limit), (2 * LOG_PAGE_SIZE, LOG_PAGE_SIZE));
        let blank = LogQuery::page(None, Some(""), Some("   "), Some(0)).unwrap();
        assert_eq!(blank, LogQuery { limit: LOG_PAGE_SIZE, ..LogQuery::default() });
        assert!(LogQuery::page(Some(8), None, None, None).is_err());
        assert!(LogQuery::page(None, Some("loud"), None, None).is_err());
        let longest = "é".repeat(MAX_LOG_SEARCH_CHARS);
        assert!(LogQuery::page(None, None, Some(&longest), None).is_ok());
        assert!(LogQuery::page(None, None, Some(&format!("{longest}x")), None).is_err());
    }

    #[test]
    fn a_compared_run_names_itself_in_its_error() {
        assert_eq!(parse_compared_run_id("b", "run_1"), Ok("run_1".to_string()));
        assert!(parse_compared_run_id("b", "a b").unwrap_err().0.starts_with("b: run_id must be"));
    }

    #[test]
    fn trend_days_are_one_to_3650_defaulting_to_90() {
        assert_eq!(TrendDays::parse(None).unwrap().get(), 90);
        assert_eq!(TrendDays::parse(Some("")).unwrap().get(), 90);
        assert_eq!(TrendDays::parse(Some("1")).unwrap().get(), 1);
        assert_eq!(TrendDays::parse(Some("3650")).unwrap().get(), 3650);
        for bad in ["0", "3651", "-1", "x", "1.5", "99999999999"] {
            assert!(TrendDays::parse(Some(bad)).is_err(), "{bad}");
        }
    }
}
