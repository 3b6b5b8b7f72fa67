//! Human formatting of figures, shared by the pages and the server so both say the same.

/// "38m 21s", "1h 02m", "12s"; "—" for none.
pub fn duration_short(seconds: Option<i64>) -> String {
    let Some(s) = seconds else { return "—".into() };
    let sign = if s < 0 { "-" } else { "" };
    let s = s.unsigned_abs();
    let (h, m, sec) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{sign}{h}h {m:02}m")
    } else if m > 0 {
        format!("{sign}{m}m {sec:02}s")
    } else {
        format!("{sign}{sec}s")
    }
}

/// "in about 8m 12s" to a projected finish `left_seconds` away, or "due now" once it is reached.
pub fn time_left(left_seconds: i64) -> String {
    if left_seconds > 0 {
        format!("in about {}", duration_short(Some(left_seconds)))
    } else {
        "due now".to_string()
    }
}

/// "1,250".
pub fn thousands(n: i128) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An optional number with `decimals` places, "—" for none.
pub fn decimal(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "—".into(), |v| format!("{v:.decimals$}"))
}

/// "54.5%", "—" for none.
pub fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".into(), |v| format!("{v:.1}%"))
}

/// "+12.5%" / "−3.0%", with the sign always written.
pub fn signed_percent(value: f64) -> String {
    if value < 0.0 {
        format!("−{:.1}%", -value)
    } else {
        format!("+{value:.1}%")
    }
}

/// Quotes a field when it holds a comma, quote or line break (RFC 4180).
pub fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_left_counts_down_to_due() {
        assert_eq!(time_left(492), "in about 8m 12s");
        assert_eq!(time_left(480), "in about 8m 00s");
        assert_eq!(time_left(0), "due now");
        assert_eq!(time_left(-5), "due now");
    }

    #[test]
    fn durations_read_like_the_plan() {
        assert_eq!(duration_short(Some(2301)), "38m 21s");
        assert_eq!(duration_short(Some(204)), "3m 24s");
        assert_eq!(duration_short(Some(12)), "12s");
        assert_eq!(duration_short(Some(3720)), "1h 02m");
        assert_eq!(duration_short(None), "—");
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(1250), "1,250");
        assert_eq!(thousands(-1_000_000), "-1,000,000");
        assert_eq!(thousands(12), "12");
    }
}
