//! `workload.scale`, the scaled mode's knob as the scenario states it: `"auto"` (the
//! simulator chooses) or a whole number k ≥ 1 of real events per simulated one (1 =
//! exact). What k does, and how `auto` chooses it, is `scenario/scale.rs`.

use serde::Serialize;

/// Largest factor (a month at 10 M events/s is 2.6·10¹³ events; ÷ 10⁷ leaves 2.6 M).
pub const MAX_FACTOR: u64 = 10_000_000;

/// `workload.scale`: `"auto"` (default) or a whole number k ≥ 1 (1 = exact).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScaleSpec {
    #[default]
    Auto,
    Factor(u64),
}

impl ScaleSpec {
    pub fn is_auto(&self) -> bool {
        *self == ScaleSpec::Auto
    }
}

impl Serialize for ScaleSpec {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ScaleSpec::Auto => s.serialize_str("auto"),
            ScaleSpec::Factor(k) => s.serialize_u64(*k),
        }
    }
}

/// `"auto"` or a whole number from 1 to [`MAX_FACTOR`].
impl crate::base::spec_reader::Read for ScaleSpec {
    fn read(at: crate::base::spec_reader::At) -> Result<Self, crate::base::error::InputError> {
        match at.value {
            serde_json::Value::String(t) if t == "auto" => Ok(ScaleSpec::Auto),
            serde_json::Value::Number(n) => match n.as_f64() {
                Some(k) if k.fract() == 0.0 && (1.0..=MAX_FACTOR as f64).contains(&k) => {
                    Ok(ScaleSpec::Factor(k as u64))
                }
                _ => Err(bad_scale(at.path)),
            },
            _ => Err(bad_scale(at.path)),
        }
    }
}

fn bad_scale(path: &str) -> crate::base::error::InputError {
    crate::base::error::InputError::new(
        path,
        format!("workload.scale must be \"auto\" or a whole number from 1 to {MAX_FACTOR} (1 = exact)"),
    )
}
