//! Instants and durations. Spark's `TimestampType` counts microseconds since the Unix
//! epoch, so every instant here, event time and processing time alike, is `i64` µs.

/// Microseconds since 1970-01-01T00:00:00Z.
pub type Micros = i64;

pub const MICROS_PER_MS: i64 = 1_000;
pub const MICROS_PER_S: i64 = 1_000_000;

/// Seconds (as users type them) to whole microseconds, rounded to nearest.
pub fn secs_to_micros(s: f64) -> Micros {
    (s * MICROS_PER_S as f64).round() as Micros
}

/// Formats an instant as RFC 3339 UTC with `digits` fractional digits (3 or 6),
/// truncating, e.g. `2024-01-01T00:00:09.999999Z`.
pub fn format_rfc3339(t: Micros, digits: u32) -> String {
    let secs = t.div_euclid(MICROS_PER_S);
    let frac = t.rem_euclid(MICROS_PER_S);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let frac_str = match digits {
        3 => format!(".{:03}", frac / 1_000),
        6 => format!(".{frac:06}"),
        _ => String::new(),
    };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{frac_str}Z",
        sod / 3600,
        (sod / 60) % 60,
        sod % 60
    )
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)` to microseconds (sub-µs digits truncated).
pub fn parse_rfc3339(s: &str) -> Option<Micros> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        if t.bytes().all(|c| c.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if b[13] != b':' || b[16] != b':' || !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    if h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut i = 19;
    let mut frac: i64 = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let digits = &s[start..i];
        if digits.is_empty() || digits.len() > 9 {
            return None;
        }
        let mut padded = digits.to_string();
        while padded.len() < 6 {
            padded.push('0');
        }
        frac = padded[..6].parse().ok()?;
    }
    let offset_s = match &s[i..] {
        "Z" | "z" => 0,
        rest if rest.len() == 6 && (rest.starts_with('+') || rest.starts_with('-')) => {
            let oh: i64 = rest.get(1..3)?.parse().ok()?;
            let om: i64 = rest.get(4..6)?.parse().ok()?;
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            sign * (oh * 3600 + om * 60)
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo, d);
    let secs = days * 86_400 + h * 3600 + mi * 60 + se - offset_s;
    Some(secs * MICROS_PER_S + frac)
}

/// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let t = parse_rfc3339("2024-01-01T00:00:09.999999Z").unwrap();
        assert_eq!(t, 1_704_067_209_999_999);
        assert_eq!(format_rfc3339(t, 6), "2024-01-01T00:00:09.999999Z");
        assert_eq!(format_rfc3339(t, 3), "2024-01-01T00:00:09.999Z");
        assert_eq!(format_rfc3339(0, 3), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            parse_rfc3339("2023-12-31T23:59:56.000Z"),
            Some(1_704_067_196_000_000)
        );
        assert_eq!(
            parse_rfc3339("2024-01-01T09:00:00+09:00"),
            parse_rfc3339("2024-01-01T00:00:00Z")
        );
        assert_eq!(format_rfc3339(-1, 6), "1969-12-31T23:59:59.999999Z");
    }

    #[test]
    fn rejects_garbage() {
        for s in [
            "",
            "2024-13-01T00:00:00Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00.Z",
            "x024-01-01T00:00:00Z",
        ] {
            assert_eq!(parse_rfc3339(s), None, "{s}");
        }
    }
}
