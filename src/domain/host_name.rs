//! Host names, the only thing a site's `domain` may hold.

/// Longest host name (RFC 1035: 255 octets on the wire, 253 written out).
pub const MAX_HOST_NAME_LEN: usize = 253;
/// Longest label, the part between two dots.
pub const MAX_LABEL_LEN: usize = 63;

/// Checks that `value` is a host name: 1 to 253 characters, labels of 1 to 63 ASCII letters,
/// digits and hyphens separated by dots, no label starting or ending with a hyphen. No port,
/// no trailing dot, no whitespace. Letters of either case. The error says what is wrong,
/// without repeating the value.
pub fn check_host_name(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("must not be empty".into());
    }
    if let Some(c) = value.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))) {
        return Err(format!("must be a host name (ASCII letters, digits, hyphens and dots); {c:?} is not allowed"));
    }
    if value.len() > MAX_HOST_NAME_LEN {
        return Err(format!("is longer than {MAX_HOST_NAME_LEN} characters"));
    }
    for (index, label) in value.split('.').enumerate() {
        let n = index + 1;
        if label.is_empty() {
            return Err(format!("must be a host name; its label {n} is empty (no leading, trailing or double dots)"));
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(format!("must be a host name; its label {n} is longer than {MAX_LABEL_LEN} characters"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!("must be a host name; its label {n} starts or ends with a hyphen"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_host_names() {
        let longest = ["a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61)].join(".");
        assert_eq!(longest.len(), 253);
        let label_63 = format!("{}.com", "x".repeat(63));
        for ok in [
            "techblog.com",
            "localhost",
            "a",
            "WWW.Example.ORG",
            "own-two.example",
            "xn--bcher-kva.example",
            "123.example",
            "192.168.0.1",
            "a-b-c.d-e",
            &longest,
            &label_63,
        ] {
            assert_eq!(check_host_name(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn refuses_anything_else_with_a_reason() {
        let too_long = ["a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(62)].join(".");
        let long_label = format!("{}.com", "x".repeat(64));
        let cases = [
            ("", "must not be empty"),
            ("o.example</title><b>x</b><title>", "'<' is not allowed"),
            ("techblog.com:8080", "':' is not allowed"),
            ("tech blog.com", "' ' is not allowed"),
            (" techblog.com", "' ' is not allowed"),
            ("techblog.com\n", "'\\n' is not allowed"),
            ("https://techblog.com", "':' is not allowed"),
            ("techblog.com/path", "'/' is not allowed"),
            ("bücher.example", "'ü' is not allowed"),
            ("a_b.example", "'_' is not allowed"),
            ("\"quoted\"", "'\"' is not allowed"),
            ("techblog.com.", "label 3 is empty"),
            (".techblog.com", "label 1 is empty"),
            ("techblog..com", "label 2 is empty"),
            (".", "label 1 is empty"),
            ("-techblog.com", "label 1 starts or ends with a hyphen"),
            ("techblog-.com", "label 1 starts or ends with a hyphen"),
            ("techblog.-", "label 2 starts or ends with a hyphen"),
            (&long_label, "label 1 is longer than 63"),
            (&too_long, "longer than 253"),
        ];
        for (bad, reason) in cases {
            let e = check_host_name(bad).expect_err(bad);
            assert!(e.contains(reason), "{bad:?}: {e} should mention {reason}");
            assert!(!e.contains("<b>"), "the reason does not repeat the value: {e}");
        }
    }
}
