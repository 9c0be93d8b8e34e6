//! The one validation error type. Every bad input ends here, with the field it is about
//! and a sentence a person can act on; nothing in the core panics on user input.

use crate::base::number::{display, exp};
use std::fmt;

/// A scenario (or other input) that cannot be simulated, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// Dotted path of the offending field, e.g. `trigger.interval_s`; empty when the
    /// problem is the document as a whole (say, malformed JSON).
    pub field: String,
    /// What is wrong and what would be accepted.
    pub message: String,
}

impl InputError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for InputError {}

/// Largest number any numeric field takes (prices, sizes, rates): far beyond any real
/// value, and small enough that sums and products of a few of them stay exact enough and
/// never reach infinity.
pub const MAX_NUMBER: f64 = 1e12;

/// Longest duration any field may give, s: 20 years of 365.25 days. Simulated horizons
/// are hours to months; past this, sums of µs would approach `i64`'s range.
pub const MAX_DURATION_S: f64 = 20.0 * 365.25 * 86_400.0;

/// A user's number as a message shows it: plain, or in e-notation when tiny or huge.
pub fn show(v: f64) -> String {
    if v != 0.0 && (v.abs() < 1e-4 || v.abs() >= 1e15) {
        exp(v)
    } else {
        display(v)
    }
}

fn finite(field: &str, v: f64) -> Result<f64, InputError> {
    if !v.is_finite() {
        return Err(InputError::new(
            field,
            format!("must be a finite number, got {}", display(v)),
        ));
    }
    if v.abs() > MAX_NUMBER {
        return Err(InputError::new(
            field,
            format!("must be at most {} in size, got {}", exp(MAX_NUMBER), exp(v)),
        ));
    }
    Ok(v)
}

/// Checks that a number is finite, not huge and strictly positive.
pub(crate) fn positive(field: &str, v: f64) -> Result<f64, InputError> {
    let v = finite(field, v)?;
    if v <= 0.0 {
        return Err(InputError::new(
            field,
            format!("must be greater than 0, got {}", show(v)),
        ));
    }
    Ok(v)
}

/// Checks that a number is finite, not huge and not negative.
pub(crate) fn non_negative(field: &str, v: f64) -> Result<f64, InputError> {
    let v = finite(field, v)?;
    if v < 0.0 {
        return Err(InputError::new(
            field,
            format!("must be 0 or more, got {}", show(v)),
        ));
    }
    Ok(v)
}

/// The unit a duration field is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

impl Unit {
    fn seconds(self) -> f64 {
        match self {
            Unit::Seconds => 1.0,
            Unit::Minutes => 60.0,
            Unit::Hours => 3600.0,
            Unit::Days => 86_400.0,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Unit::Seconds => "s",
            Unit::Minutes => "min",
            Unit::Hours => "h",
            Unit::Days => "d",
        }
    }
}

/// A duration field (`v` in `unit`) to whole µs, rounded: finite, at most
/// [`MAX_DURATION_S`], and greater than 0 unless `zero_ok`. The one seconds→µs conversion
/// of user numbers: nothing after it can overflow `i64` by a duration alone.
pub(crate) fn duration(
    field: &str,
    v: f64,
    unit: Unit,
    zero_ok: bool,
) -> Result<crate::base::time::Micros, InputError> {
    let max = MAX_DURATION_S / unit.seconds();
    if v.is_finite() && v > max {
        return Err(InputError::new(
            field,
            format!(
                "must be at most {} {} (20 years), got {}",
                display(max),
                unit.symbol(),
                show(v)
            ),
        ));
    }
    let v = if zero_ok {
        non_negative(field, v)?
    } else {
        positive(field, v)?
    };
    Ok(crate::base::time::secs_to_micros(v * unit.seconds()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_field() {
        let e = positive("trigger.interval_s", 0.0).unwrap_err();
        assert_eq!(e.field, "trigger.interval_s");
        assert_eq!(e.to_string(), "trigger.interval_s: must be greater than 0, got 0");
        assert!(positive("x", f64::NAN).unwrap_err().message.contains("finite"));
        assert!(non_negative("x", -1.0).is_err());
        assert_eq!(non_negative("x", 0.0), Ok(0.0));
        assert!(positive("x", 1e308).unwrap_err().message.contains("at most"));
    }

    #[test]
    fn durations_are_bounded_and_exact() {
        assert_eq!(duration("a", 1.5, Unit::Seconds, false), Ok(1_500_000));
        assert_eq!(duration("a", 2.0, Unit::Hours, false), Ok(7_200_000_000));
        assert_eq!(duration("a", 0.0, Unit::Minutes, true), Ok(0));
        assert_eq!(duration("a", 0.0, Unit::Minutes, false).unwrap_err().field, "a");
        for v in [1e308, 3e10, f64::INFINITY, f64::NAN, -1.0] {
            let e = duration("w.s", v, Unit::Seconds, true).unwrap_err();
            assert_eq!(e.field, "w.s", "{v}");
        }
        let e = duration("d", 1e7, Unit::Days, false).unwrap_err();
        assert!(e.message.contains("at most 7305 d"), "{e}");
    }
}
