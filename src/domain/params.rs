//! Request parameters as types that cannot hold a bad value, parsed once at the edge.

use serde::{Deserialize, Serialize};

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
