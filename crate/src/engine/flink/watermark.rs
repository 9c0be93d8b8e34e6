//! Flink's bounded-out-of-orderness watermark (`WatermarkStrategy.forBoundedOutOfOrderness`,
//! class `BoundedOutOfOrdernessWatermarks`) and the emitter that forwards it
//! (`TimestampsAndWatermarksOperator.WatermarkEmitter`).
//!
//! Rule: the generator tracks the maximum event time seen, starting at
//! `Long.MIN_VALUE + delay + 1`, and its watermark is `max − delay − 1 ms`; so before any
//! element it is `Long.MIN_VALUE`. Flink does this in `long` ms; here the same arithmetic
//! is done in ms and the result turned into µs (`Long.MIN_VALUE` / `Long.MAX_VALUE` map to
//! [`MIN_WATERMARK`] / [`MAX_WATERMARK`]). The emitter forwards a watermark only when it is
//! greater than the last one it forwarded (it starts at `Long.MIN_VALUE`).
//!
//! Invariants (checked by tests): emitted watermarks strictly increase; the generator's
//! watermark never decreases; it is a whole number of ms.

use crate::base::time::{MICROS_PER_MS, Micros};

/// Flink's `Long.MIN_VALUE` watermark (no watermark yet), in this crate's µs.
pub const MIN_WATERMARK: Micros = i64::MIN;
/// Flink's `Watermark.MAX_WATERMARK` (`Long.MAX_VALUE`), sent when a bounded input ends.
pub const MAX_WATERMARK: Micros = i64::MAX;

/// Flink ms to µs, keeping `Long.MIN_VALUE` / `Long.MAX_VALUE` as the sentinels.
pub fn ms_to_micros(ms: i64) -> Micros {
    match ms {
        i64::MIN => MIN_WATERMARK,
        i64::MAX => MAX_WATERMARK,
        _ => ms.saturating_mul(MICROS_PER_MS),
    }
}

/// `BoundedOutOfOrdernessWatermarks`: `max event time − delay − 1 ms`.
#[derive(Debug, Clone)]
pub struct BoundedOutOfOrderness {
    delay_ms: i64,
    /// Largest event time seen, ms (Flink's `maxTimestamp`).
    max_ms: i64,
}

impl BoundedOutOfOrderness {
    /// `delay` is the out-of-orderness bound (µs; Flink takes a `Duration` and uses its ms).
    pub fn new(delay: Micros) -> Self {
        let delay_ms = delay.div_euclid(MICROS_PER_MS).max(0);
        Self {
            delay_ms,
            max_ms: i64::MIN.saturating_add(delay_ms).saturating_add(1),
        }
    }

    /// `onEvent`: folds in an element's event time (µs, truncated to ms as Flink's are).
    pub fn on_event(&mut self, event_time: Micros) {
        self.max_ms = self.max_ms.max(event_time.div_euclid(MICROS_PER_MS));
    }

    /// The watermark `onPeriodicEmit` would emit now, µs.
    pub fn current(&self) -> Micros {
        ms_to_micros(self.max_ms - self.delay_ms - 1)
    }
}

/// `WatermarkEmitter`: forwards a watermark only if it advances.
#[derive(Debug, Clone)]
pub struct WatermarkEmitter {
    last: Micros,
}

impl Default for WatermarkEmitter {
    fn default() -> Self {
        Self { last: MIN_WATERMARK }
    }
}

impl WatermarkEmitter {
    /// The watermark to forward downstream, if `w` advances past the last one forwarded.
    pub fn emit(&mut self, w: Micros) -> Option<Micros> {
        if w > self.last {
            self.last = w;
            Some(w)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_minus_delay_minus_one_ms_from_long_min() {
        let mut g = BoundedOutOfOrderness::new(5_000_000);
        assert_eq!(g.current(), MIN_WATERMARK);
        g.on_event(16_000_000);
        assert_eq!(g.current(), 10_999_000);
        g.on_event(9_000_000);
        assert_eq!(g.current(), 10_999_000);
        // A zero delay: max − 1 ms.
        let mut z = BoundedOutOfOrderness::new(0);
        assert_eq!(z.current(), MIN_WATERMARK);
        z.on_event(1_000);
        assert_eq!(z.current(), 0);
    }

    #[test]
    fn emitter_forwards_only_advances() {
        let mut e = WatermarkEmitter::default();
        assert_eq!(e.emit(MIN_WATERMARK), None);
        assert_eq!(e.emit(5_000), Some(5_000));
        assert_eq!(e.emit(5_000), None);
        assert_eq!(e.emit(4_000), None);
        assert_eq!(e.emit(MAX_WATERMARK), Some(MAX_WATERMARK));
    }
}
