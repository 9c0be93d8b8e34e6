//! Event-time windows: which window(s) an event time falls in, as Spark's `window()`
//! assigns them (start inclusive, end exclusive, aligned to the epoch, no offset).

use crate::base::error::{InputError, Unit, duration};
use crate::base::time::Micros;
use serde::Serialize;

/// A window as users write it (seconds).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum WindowSpec {
    /// `window(col, size)`.
    Tumbling { size_s: f64 },
    /// `window(col, size, slide)`; `slide_s` ≤ `size_s`.
    Sliding { size_s: f64, slide_s: f64 },
    /// `session_window(col, gap)`.
    Session { gap_s: f64 },
}

/// A validated window: fixed (tumbling or sliding) or session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowKind {
    Fixed(Windowing),
    /// Gap in µs, > 0.
    Session {
        gap: Micros,
    },
}

impl Default for WindowSpec {
    fn default() -> Self {
        WindowSpec::Tumbling { size_s: 60.0 }
    }
}

/// A validated window, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Windowing {
    /// Window length, µs, > 0.
    pub size: Micros,
    /// Distance between window starts, µs, 0 < slide ≤ size.
    pub slide: Micros,
}

impl WindowSpec {
    pub fn validate(&self, field: &str) -> Result<WindowKind, InputError> {
        let (size_s, slide_s) = match *self {
            WindowSpec::Tumbling { size_s } => (size_s, size_s),
            WindowSpec::Sliding { size_s, slide_s } => (size_s, slide_s),
            WindowSpec::Session { gap_s } => {
                let gap = duration(&format!("{field}.gap_s"), gap_s, Unit::Seconds, false)?;
                if gap < 1 {
                    return Err(InputError::new(
                        format!("{field}.gap_s"),
                        "gaps shorter than 1 µs are not supported",
                    ));
                }
                return Ok(WindowKind::Session { gap });
            }
        };
        let size = duration(&format!("{field}.size_s"), size_s, Unit::Seconds, false)?;
        let slide = duration(&format!("{field}.slide_s"), slide_s, Unit::Seconds, false)?;
        if size < 1 || slide < 1 {
            return Err(InputError::new(
                field,
                "windows shorter than 1 µs are not supported",
            ));
        }
        if slide > size {
            return Err(InputError::new(
                format!("{field}.slide_s"),
                format!(
                    "slide ({} s) must not exceed the window size ({} s)",
                    crate::base::number::display(slide_s),
                    crate::base::number::display(size_s)
                ),
            ));
        }
        Ok(WindowKind::Fixed(Windowing { size, slide }))
    }
}

impl Windowing {
    /// Starts of the windows containing `t`, earliest first. Spark's rule: the last window
    /// starting at or before `t` starts at `t - (t mod slide)`; it and the earlier ones
    /// whose end is after `t` contain it.
    pub fn starts(&self, t: Micros) -> impl Iterator<Item = Micros> + use<> {
        let last = t - t.rem_euclid(self.slide);
        let size = self.size;
        let slide = self.slide;
        let n = (size + slide - 1) / slide;
        (0..n)
            .rev()
            .map(move |i| last - i * slide)
            .filter(move |s| s + size > t)
    }
}

crate::read_tagged!(WindowSpec {
    "tumbling" => Tumbling { size_s: req },
    "sliding" => Sliding { size_s: req, slide_s: req },
    "session" => Session { gap_s: req },
});

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(spec: WindowSpec) -> Windowing {
        match spec.validate("w").unwrap() {
            WindowKind::Fixed(w) => w,
            WindowKind::Session { .. } => panic!("not a fixed window"),
        }
    }

    #[test]
    fn tumbling_is_half_open() {
        let w = fixed(WindowSpec::Tumbling { size_s: 10.0 });
        assert_eq!(w.starts(9_999_999).collect::<Vec<_>>(), vec![0]);
        assert_eq!(w.starts(10_000_000).collect::<Vec<_>>(), vec![10_000_000]);
        assert_eq!(w.starts(-1).collect::<Vec<_>>(), vec![-10_000_000]);
    }

    #[test]
    fn sliding_covers_size_over_slide_windows() {
        let w = fixed(WindowSpec::Sliding {
            size_s: 20.0,
            slide_s: 10.0,
        });
        assert_eq!(
            w.starts(25_000_000).collect::<Vec<_>>(),
            vec![10_000_000, 20_000_000]
        );
        let w = fixed(WindowSpec::Sliding {
            size_s: 10.0,
            slide_s: 3.0,
        });
        // windows of 10 s every 3 s containing t = 10 s: [3,13) [6,16) [9,19)
        assert_eq!(
            w.starts(10_000_000).collect::<Vec<_>>(),
            vec![3_000_000, 6_000_000, 9_000_000]
        );
    }

    #[test]
    fn bad_windows_name_the_field() {
        let e = WindowSpec::Sliding {
            size_s: 10.0,
            slide_s: 20.0,
        }
        .validate("query.window")
        .unwrap_err();
        assert_eq!(e.field, "query.window.slide_s");
        let e = WindowSpec::Tumbling { size_s: f64::NAN }
            .validate("query.window")
            .unwrap_err();
        assert_eq!(e.field, "query.window.size_s");
    }
}
