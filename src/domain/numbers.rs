//! Rounding and ratio helpers shared by every figure: divisors of 0 give `None`, never NaN.

/// `num / den`, or `None` when the divisor is 0.
pub fn ratio(num: f64, den: f64) -> Option<f64> {
    if den == 0.0 {
        return None;
    }
    let r = num / den;
    r.is_finite().then_some(r)
}

/// `num / den × 100` with one decimal, or `None` when the divisor is 0.
pub fn percent(num: f64, den: f64) -> Option<f64> {
    ratio(num, den).map(|r| round1(r * 100.0))
}

/// One decimal, half away from zero.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// `ceil(a × b / d)` in integers, for non-negative values; `None` when `d` is 0.
pub fn mul_div_ceil(a: u64, b: u64, d: u64) -> Option<u64> {
    if d == 0 {
        return None;
    }
    let n = u128::from(a) * u128::from(b);
    u64::try_from(n.div_ceil(u128::from(d))).ok()
}

/// `round(a × b / d)`, half away from zero, in integers; `None` when `d` is 0.
pub fn mul_div_round(a: u64, b: u64, d: u64) -> Option<u64> {
    if d == 0 {
        return None;
    }
    let n = 2 * u128::from(a) * u128::from(b) + u128::from(d);
    u64::try_from(n / (2 * u128::from(d))).ok()
}

/// Mean of the values, or `None` for none.
pub fn mean(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.into_iter().fold((0.0, 0u64), |(s, n), v| (s + v, n + 1));
    ratio(sum, n as f64)
}

/// The middle value, the mean of the middle two for an even count; `None` for none. Sorts
/// `values` in place, so hot loops can pass a reused or stack buffer.
pub fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let mid = n / 2;
    match n {
        0 => None,
        _ if n.is_multiple_of(2) => Some((values[mid - 1] + values[mid]) / 2.0),
        _ => Some(values[mid]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_ceiling_avoids_float_error() {
        // 27 pending at 7/3 credits an item: exactly 63, where 27.0 * (7.0 / 3.0) is 63.00000000000001.
        assert_eq!(mul_div_ceil(27, 7, 3), Some(63));
        assert_eq!(mul_div_ceil(28, 7, 3), Some(66));
        assert_eq!(mul_div_ceil(5, 1, 0), None);
        assert_eq!(mul_div_ceil(0, 9, 4), Some(0));
    }

    #[test]
    fn integer_rounding_is_half_away_from_zero() {
        assert_eq!(mul_div_round(1, 1, 2), Some(1));
        assert_eq!(mul_div_round(1, 1, 3), Some(0));
        assert_eq!(mul_div_round(120, 12, 150), Some(10));
        assert_eq!(mul_div_round(5, 3, 2), Some(8));
        assert_eq!(mul_div_round(1, 1, 0), None);
    }

    #[test]
    fn percent_has_one_decimal_and_null_divisor() {
        assert_eq!(percent(310.0, 569.0), Some(54.5));
        assert_eq!(percent(1.0, 0.0), None);
        assert_eq!(mean([]), None);
        assert_eq!(mean([1.0, 2.0]), Some(1.5));
    }

    #[test]
    fn median_of_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [7.0]), Some(7.0));
        assert_eq!(median(&mut [9.0, 1.0, 4.0]), Some(4.0));
        assert_eq!(median(&mut [9.0, 1.0, 4.0, 2.0]), Some(3.0));
        assert_eq!(median(&mut [5.0, 5.0, 5.0, 1.0]), Some(5.0));
    }
}
