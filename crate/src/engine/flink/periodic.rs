//! Flink's periodic watermark emission (`pipeline.auto-watermark-interval`, 200 ms by
//! default) on the simulated processing-time grid of the elements' arrivals.
//!
//! Rule: `TimestampsAndWatermarksOperator` calls `onPeriodicEmit` every `interval` of
//! processing time; here the ticks are exactly `k · interval`, k = 1, 2, … (real Flink
//! re-registers `now + interval` after each callback, so its ticks drift by the callback
//! latency). A tick at T sees every element that arrived before T; an element arriving
//! exactly at T comes after the tick. Only the first tick between two elements can emit
//! anything new (nothing changes between ticks), so the watermark is emitted right after
//! element i iff a tick lies in `(arrival_i, arrival_{i+1}]`; after the last element iff a
//! tick lies in `(arrival_last, end]` for the input's end `end` (none when the source ends
//! right after its last element). An interval of 0 disables periodic emission.
//!
//! Source: Flink's `TimestampsAndWatermarksOperator` (`onProcessingTime`), and the
//! conformance oracle's `ArrivalDrivenWatermarks` (tests/conformance/flink/).

/// The grid of periodic ticks, in ms of simulated processing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodicTicks {
    pub interval_ms: i64,
}

impl PeriodicTicks {
    /// Whether some tick `k · interval` (k ≥ 1) lies in `(after, until]` (ms).
    pub fn tick_between(&self, after: i64, until: i64) -> bool {
        if self.interval_ms <= 0 || until <= after {
            return false;
        }
        let first = (after.div_euclid(self.interval_ms) + 1).max(1);
        first <= until.div_euclid(self.interval_ms)
    }

    /// Every tick `k · interval` (k ≥ 1) in `(after, until]` (ms), ascending. Needed when
    /// more than the first tick between two elements can change something (idleness counts
    /// ticks).
    pub fn ticks_in(&self, after: i64, until: i64) -> impl Iterator<Item = i64> + use<> {
        let i = self.interval_ms;
        let (first, last) = if i <= 0 || until <= after {
            (1, 0)
        } else {
            ((after.div_euclid(i) + 1).max(1), until.div_euclid(i))
        };
        (first..=last).map(move |k| k * i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_element_at_a_tick_comes_after_it() {
        let t = PeriodicTicks { interval_ms: 200 };
        assert!(!t.tick_between(0, 199));
        assert!(t.tick_between(0, 200));
        assert!(t.tick_between(199, 200));
        assert!(!t.tick_between(200, 399));
        assert!(t.tick_between(200, 400));
        assert!(t.tick_between(50, 1000));
        assert!(!t.tick_between(300, 300));
        // No tick at 0: k starts at 1.
        assert!(!t.tick_between(-1, 0));
        assert!(!PeriodicTicks { interval_ms: 0 }.tick_between(0, 10_000));
    }

    #[test]
    fn every_tick_in_a_half_open_range() {
        let t = PeriodicTicks { interval_ms: 200 };
        assert_eq!(t.ticks_in(0, 650).collect::<Vec<_>>(), vec![200, 400, 600]);
        assert_eq!(t.ticks_in(200, 400).collect::<Vec<_>>(), vec![400]);
        assert_eq!(t.ticks_in(-50, 199).count(), 0);
        assert_eq!(t.ticks_in(300, 300).count(), 0);
        assert_eq!(PeriodicTicks { interval_ms: 0 }.ticks_in(0, 1000).count(), 0);
        for (a, b) in [(0, 650), (199, 200), (200, 399), (1, 5000)] {
            assert_eq!(t.ticks_in(a, b).next().is_some(), t.tick_between(a, b));
        }
    }
}
