//! Flink's source idleness (`WatermarkStrategy.withIdleness`, class `WatermarksWithIdleness`
//! with its `IdlenessTimer`), on the simulated processing time of the periodic ticks.
//!
//! Rule: idleness is evaluated only at a periodic emission (`onPeriodicEmit`), never on an
//! element. Each element counts as activity (`IdlenessTimer.activity`). At a tick:
//! - activity since the previous tick: the countdown is cleared, not idle;
//! - no activity and no countdown: the countdown starts now, not idle;
//! - no activity, countdown running: idle iff `now − start > timeout` (strictly).
//!
//! So a split whose last element came just before tick T₁ is marked idle at the first tick T
//! with `T − T₂ > timeout`, T₂ being the tick after T₁; a split that never had an element
//! starts its countdown at the first tick. When not idle the wrapped generator emits as
//! usual; when idle it emits nothing and the split's output is marked idle (once; an
//! element clears that, and the next tick emits again, which makes the output active).
//!
//! What is ours: Flink reads the clock it is given — in the source operator a per-split
//! `PausableRelativeClock` of wall-clock time (paused while the split is blocked) — at each
//! periodic emission, every `pipeline.auto-watermark-interval` of wall-clock time. Here
//! `now` is the simulated tick `k · interval` ms ([`crate::engine::flink::periodic`]), as
//! in the conformance oracle, which hands `WatermarksWithIdleness` a clock reading the
//! simulated tick. Flink's "no countdown" sentinel is a start time of 0; simulated ticks
//! are > 0, so an `Option` is the same.
//!
//! Invariants (checked by tests): never idle at a tick that saw activity since the last
//! one, nor before `timeout` has passed since the last activity.

use crate::base::time::{MICROS_PER_MS, Micros};

/// `WatermarksWithIdleness.IdlenessTimer` on simulated ms.
#[derive(Debug, Clone)]
pub struct IdlenessTimer {
    timeout_ms: i64,
    counter: u64,
    last_counter: u64,
    /// When the countdown started (Flink's `startOfInactivityNanos`; None: no countdown).
    start_ms: Option<i64>,
}

impl IdlenessTimer {
    /// `timeout` > 0 (µs, whole ms; Flink rejects a zero or negative timeout).
    pub fn new(timeout: Micros) -> Self {
        Self {
            timeout_ms: timeout.div_euclid(MICROS_PER_MS),
            counter: 0,
            last_counter: 0,
            start_ms: None,
        }
    }

    /// An element of this split (`onEvent`).
    pub fn activity(&mut self) {
        self.counter = self.counter.wrapping_add(1);
    }

    /// `checkIfIdle` at the periodic tick `now_ms`.
    pub fn check_if_idle(&mut self, now_ms: i64) -> bool {
        if self.counter != self.last_counter {
            self.last_counter = self.counter;
            self.start_ms = None;
            return false;
        }
        match self.start_ms {
            None => {
                self.start_ms = Some(now_ms);
                false
            }
            Some(start) => now_ms - start > self.timeout_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_strictly_after_the_timeout_counted_from_the_first_quiet_tick() {
        // 1 s timeout, ticks every 200 ms, the split's element at 100 ms.
        let mut t = IdlenessTimer::new(1_000_000);
        t.activity();
        assert!(!t.check_if_idle(200)); // saw the activity: countdown cleared
        for now in [400, 600, 800, 1000, 1200, 1400] {
            assert!(!t.check_if_idle(now), "{now}"); // 1400 − 400 = 1000, not more
        }
        assert!(t.check_if_idle(1600));
        assert!(t.check_if_idle(1800));
        // An element: the next tick is active again and the countdown restarts after it.
        t.activity();
        assert!(!t.check_if_idle(2000));
        assert!(!t.check_if_idle(2200));
        assert!(!t.check_if_idle(3200));
        assert!(t.check_if_idle(3400));
    }

    #[test]
    fn a_split_without_elements_counts_from_the_first_tick() {
        let mut t = IdlenessTimer::new(1_000_000);
        assert!(!t.check_if_idle(200));
        assert!(!t.check_if_idle(1200));
        assert!(t.check_if_idle(1400));
    }
}
