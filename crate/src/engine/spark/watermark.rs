//! The event-time watermark, as Spark's `WatermarkTracker` keeps it for one
//! `withWatermark` column.
//!
//! Invariants (checked by tests): the watermark never decreases; it is whole
//! milliseconds; for batch N it is `max(event time in batches < N) - delay`, with the
//! event times truncated to ms first (Spark's `EventTimeStats` adds `micros / 1000`);
//! before any data it is the epoch, 0.

use crate::base::time::{MICROS_PER_MS, Micros};

#[derive(Debug, Clone)]
pub struct WatermarkTracker {
    /// Delay in ms (Spark parses the delay to an interval and uses its ms).
    delay_ms: i64,
    /// Current watermark, ms since the epoch.
    current_ms: i64,
}

impl WatermarkTracker {
    pub fn new(delay: Micros) -> Self {
        Self {
            delay_ms: delay / MICROS_PER_MS,
            current_ms: 0,
        }
    }

    /// The watermark in effect now, in µs.
    pub fn current(&self) -> Micros {
        self.current_ms * MICROS_PER_MS
    }

    /// Folds in a finished batch's maximum event time (None when it had no rows); returns
    /// whether the watermark moved.
    pub fn observe_batch(&mut self, max_event_time: Option<Micros>) -> bool {
        let Some(max) = max_event_time else {
            return false;
        };
        // Integer division truncates toward zero, as the JVM's `/` does.
        let candidate = max / MICROS_PER_MS - self.delay_ms;
        if candidate > self.current_ms {
            self.current_ms = candidate;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_to_ms_and_never_goes_back() {
        let mut w = WatermarkTracker::new(10_000_000);
        assert_eq!(w.current(), 0);
        assert!(w.observe_batch(Some(39_999_999)));
        assert_eq!(w.current(), 29_999_000);
        assert!(!w.observe_batch(Some(12_000_000)));
        assert_eq!(w.current(), 29_999_000);
        assert!(!w.observe_batch(None));
    }
}
