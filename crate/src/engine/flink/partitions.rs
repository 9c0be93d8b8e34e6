//! A source with several partitions (splits) read by one reader: one watermark generator per
//! split, their watermarks combined by min (Flink's FLIP-27 `SourceOperator` with
//! `ProgressiveTimestampsAndWatermarks`, its `SplitLocalOutputs`, `WatermarkOutputMultiplexer`
//! and `CombinedWatermarkStatus`).
//!
//! Rules:
//! - every split has its own generator (here [`BoundedOutOfOrderness`], optionally wrapped in
//!   [`IdlenessTimer`] idleness) and its own partial watermark, starting at `Long.MIN_VALUE`.
//!   The reader registers all its splits before any element, so a split that never gets an
//!   element holds the combined watermark at `Long.MIN_VALUE` — the stall.
//! - an element feeds only its split's generator (`onEvent`; the bounded-out-of-orderness
//!   generator emits nothing from it).
//! - at a periodic tick every split's generator runs `onPeriodicEmit` into its *deferred*
//!   output: with idleness and the split idle, the partial output is marked idle; otherwise
//!   its watermark `max − delay − 1` is set (`PartialWatermark.setWatermark`: a partial
//!   watermark never decreases, and setting one clears the idle flag). Then the multiplexer
//!   combines (`onPeriodicEmit` → `CombinedWatermarkStatus.updateCombinedWatermark`): the
//!   min over the non-idle splits — or, when **every** split is idle, the **max** over all
//!   the splits' watermarks (Flink 2.3; earlier versions emitted nothing then) — emitted iff
//!   it is above the last combined watermark. The combined watermark never goes back, so a
//!   split that wakes up behind it holds it where it is (its late elements are late
//!   downstream) until it catches up. All splits idle: after that watermark Flink also
//!   marks the source idle (`WatermarkStatus.IDLE`), which the window operator ignores.
//!
//! Invariants (checked by tests): the combined watermark strictly increases; it is never
//! above the partial watermark of a split that was non-idle at the tick it was emitted.

use crate::base::time::Micros;
use crate::engine::flink::idleness::IdlenessTimer;
use crate::engine::flink::watermark::{BoundedOutOfOrderness, MIN_WATERMARK};

/// One split's generator and partial watermark.
#[derive(Debug, Clone)]
struct Split {
    generator: BoundedOutOfOrderness,
    idleness: Option<IdlenessTimer>,
    watermark: Micros,
    idle: bool,
}

/// The per-split watermarks of one source reader and their combination.
#[derive(Debug, Clone)]
pub struct PartitionedWatermarks {
    splits: Vec<Split>,
    combined: Micros,
}

impl PartitionedWatermarks {
    /// `partitions` ≥ 1 splits, each `forBoundedOutOfOrderness(delay)`, with
    /// `withIdleness(timeout)` if `idleness` is given.
    pub fn new(partitions: usize, delay: Micros, idleness: Option<Micros>) -> Self {
        let split = Split {
            generator: BoundedOutOfOrderness::new(delay),
            idleness: idleness.map(IdlenessTimer::new),
            watermark: MIN_WATERMARK,
            idle: false,
        };
        Self {
            splits: vec![split; partitions.max(1)],
            combined: MIN_WATERMARK,
        }
    }

    pub fn partitions(&self) -> usize {
        self.splits.len()
    }

    /// An element of split `partition` with this event time.
    pub fn on_event(&mut self, partition: usize, event_time: Micros) {
        let s = &mut self.splits[partition];
        s.generator.on_event(event_time);
        if let Some(t) = &mut s.idleness {
            t.activity();
        }
    }

    /// The periodic tick at simulated `now_ms`: the combined watermark, if it advanced.
    pub fn on_tick(&mut self, now_ms: i64) -> Option<Micros> {
        for s in &mut self.splits {
            if s.idleness.as_mut().is_some_and(|t| t.check_if_idle(now_ms)) {
                s.idle = true;
            } else {
                s.idle = false;
                s.watermark = s.watermark.max(s.generator.current());
            }
        }
        let all = self.splits.iter().map(|s| s.watermark);
        let combined = match self.splits.iter().filter(|s| !s.idle).map(|s| s.watermark).min() {
            Some(min) => min,
            None => all.max()?,
        };
        (combined > self.combined).then(|| {
            self.combined = combined;
            combined
        })
    }

    /// Whether every split is idle (Flink then marks the whole source idle).
    pub fn all_idle(&self) -> bool {
        self.splits.iter().all(|s| s.idle)
    }

    /// The last combined watermark emitted (`Long.MIN_VALUE` before any).
    pub fn combined(&self) -> Micros {
        self.combined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000;

    #[test]
    fn the_slowest_split_holds_the_watermark() {
        let mut w = PartitionedWatermarks::new(2, 0, None);
        w.on_event(0, 30 * S);
        assert_eq!(w.on_tick(200), None); // split 1 still at MIN
        w.on_event(1, 5 * S);
        assert_eq!(w.on_tick(400), Some(5 * S - 1_000));
        w.on_event(1, 40 * S);
        assert_eq!(w.on_tick(600), Some(30 * S - 1_000));
        assert_eq!(w.on_tick(800), None);
    }

    #[test]
    fn an_idle_split_is_left_out_and_a_late_waker_holds_the_watermark() {
        let mut w = PartitionedWatermarks::new(2, 0, Some(S));
        w.on_event(1, 2 * S);
        w.on_event(0, 3 * S);
        assert_eq!(w.on_tick(200), Some(2 * S - 1_000));
        w.on_event(0, 10 * S);
        assert_eq!(w.on_tick(400), None); // split 1's countdown starts
        assert_eq!(w.on_tick(1400), None); // 1000 ms, not more
        assert_eq!(w.on_tick(1600), Some(10 * S - 1_000)); // split 1 idle
        assert!(!w.all_idle());
        w.on_event(1, 4 * S); // wakes up behind the combined watermark
        w.on_event(0, 20 * S);
        assert_eq!(w.on_tick(1800), None); // min 3.999 s < 9.999 s: no change
        w.on_event(1, 15 * S);
        assert_eq!(w.on_tick(2000), Some(15 * S - 1_000));
        assert_eq!(w.combined(), 15 * S - 1_000);
    }

    #[test]
    fn seeded_invariants() {
        // A small LCG: elements on random splits at random event times, ticks between them.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |m: u64| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (x >> 33) % m
        };
        for round in 0..50 {
            let n = 1 + (round % 4) as usize;
            let idle = (round % 3 != 0).then_some(200_000 * (1 + round as i64 % 5));
            let mut w = PartitionedWatermarks::new(n, 1_000_000, idle);
            let mut last = MIN_WATERMARK;
            let mut now = 0;
            for _ in 0..100 {
                if next(3) == 0 {
                    now += 200;
                    if let Some(c) = w.on_tick(now) {
                        assert!(c > last, "strictly increasing");
                        last = c;
                        if !w.all_idle() {
                            for s in w.splits.iter().filter(|s| !s.idle) {
                                assert!(c <= s.watermark, "never above an active split");
                            }
                        }
                    }
                    assert_eq!(w.combined(), last);
                } else {
                    w.on_event(next(n as u64) as usize, next(60) as i64 * S);
                }
            }
        }
    }

    #[test]
    fn all_idle_advances_to_the_max() {
        let mut w = PartitionedWatermarks::new(2, 0, Some(400_000));
        w.on_event(0, 5 * S);
        w.on_event(1, 2 * S);
        assert_eq!(w.on_tick(200), Some(2 * S - 1_000));
        for now in [400, 600, 800] {
            assert_eq!(w.on_tick(now), None);
        }
        assert!(!w.all_idle());
        assert_eq!(w.on_tick(1000), Some(5 * S - 1_000)); // both idle: the max of the two
        assert!(w.all_idle());
        assert_eq!(w.on_tick(1200), None);
        w.on_event(0, 20 * S);
        assert_eq!(w.on_tick(1400), Some(20 * S - 1_000)); // only split 0 is active
    }
}
