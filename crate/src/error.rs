//! The one validation error type. Every bad input ends here, with the field it is about
//! and a sentence a person can act on; nothing in the core panics on user input.

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

/// Checks that a number is finite and strictly positive.
pub(crate) fn positive(field: &str, v: f64) -> Result<f64, InputError> {
    if !v.is_finite() {
        return Err(InputError::new(
            field,
            format!("must be a finite number, got {v}"),
        ));
    }
    if v <= 0.0 {
        return Err(InputError::new(field, format!("must be greater than 0, got {v}")));
    }
    Ok(v)
}

/// Checks that a number is finite and not negative.
pub(crate) fn non_negative(field: &str, v: f64) -> Result<f64, InputError> {
    if !v.is_finite() {
        return Err(InputError::new(
            field,
            format!("must be a finite number, got {v}"),
        ));
    }
    if v < 0.0 {
        return Err(InputError::new(field, format!("must be 0 or more, got {v}")));
    }
    Ok(v)
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
    }
}
