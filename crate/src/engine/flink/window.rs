//! Flink's event-time windows and their assigners: `TimeWindow`,
//! `TumblingEventTimeWindows`, `SlidingEventTimeWindows`, `EventTimeSessionWindows`.
//!
//! Rules:
//! - a window is `[start, end)`; its `maxTimestamp` is `end − 1 ms` (the last instant in
//!   it, Flink counting ms), the time its `EventTimeTrigger` timer fires at;
//! - tumbling (size s) and sliding (size s, slide d) windows start at
//!   `TimeWindow.getWindowStartWithOffset(t, 0, ·)` = `t − (t mod ·)` with a floored
//!   modulo; a sliding element is in the windows starting at that start for the slide and
//!   every `slide` earlier while `start > t − size`, assigned in that (descending) order;
//! - a session element is in `[t, t + gap)`; sessions merge when they intersect, and
//!   `TimeWindow.intersects` is `start <= other.end && end >= other.start`, so touching
//!   sessions merge; `TimeWindow.mergeWindows` sorts by start and sweeps.
//!
//! Invariants (checked by tests): every assigned window contains its element; the windows
//! reported by [`merge_windows`] are the groups of more than one window, each with its cover.

use crate::base::time::{MICROS_PER_MS, Micros};
use std::collections::BTreeSet;

/// Flink's `TimeWindow`, µs. Ordered by start, then end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeWindow {
    pub start: Micros,
    pub end: Micros,
}

impl TimeWindow {
    pub fn new(start: Micros, end: Micros) -> Self {
        Self { start, end }
    }

    /// `maxTimestamp()`: `end − 1` in Flink's ms.
    pub fn max_timestamp(&self) -> Micros {
        self.end - MICROS_PER_MS
    }

    /// `intersects`: touching windows intersect.
    pub fn intersects(&self, other: &TimeWindow) -> bool {
        self.start <= other.end && self.end >= other.start
    }

    /// `cover`: the smallest window holding both.
    pub fn cover(&self, other: &TimeWindow) -> TimeWindow {
        TimeWindow::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// `TimeWindow.getWindowStartWithOffset(timestamp, offset, windowSize)`.
pub fn window_start_with_offset(timestamp: Micros, offset: Micros, size: Micros) -> Micros {
    timestamp - (timestamp - offset).rem_euclid(size)
}

/// A window assigner (all event time, offset 0). Durations µs, whole ms, positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assigner {
    Tumbling { size: Micros },
    Sliding { size: Micros, slide: Micros },
    Session { gap: Micros },
}

impl Assigner {
    /// Whether windows merge (`MergingWindowAssigner`).
    pub fn is_merging(&self) -> bool {
        matches!(self, Assigner::Session { .. })
    }

    /// `assignWindows`: the element's windows, in Flink's order.
    pub fn assign(&self, timestamp: Micros) -> Vec<TimeWindow> {
        let mut out = Vec::new();
        self.assign_into(timestamp, &mut out);
        out
    }

    /// [`Assigner::assign`] into `out` (cleared first): no allocation per element once
    /// `out` has grown.
    pub fn assign_into(&self, timestamp: Micros, out: &mut Vec<TimeWindow>) {
        out.clear();
        match *self {
            Assigner::Tumbling { size } => {
                let start = window_start_with_offset(timestamp, 0, size);
                out.push(TimeWindow::new(start, start + size));
            }
            Assigner::Sliding { size, slide } => {
                let mut start = window_start_with_offset(timestamp, 0, slide);
                while start > timestamp - size {
                    out.push(TimeWindow::new(start, start + size));
                    start -= slide;
                }
            }
            Assigner::Session { gap } => out.push(TimeWindow::new(timestamp, timestamp + gap)),
        }
    }
}

/// `TimeWindow.mergeWindows`: sorts by start, sweeps, and reports each group of more than
/// one (distinct) window as `(its windows, their cover)`.
pub fn merge_windows(windows: &[TimeWindow]) -> Vec<(BTreeSet<TimeWindow>, TimeWindow)> {
    let mut sorted = windows.to_vec();
    sorted.sort_by_key(|w| w.start);
    let mut merged: Vec<(BTreeSet<TimeWindow>, TimeWindow)> = Vec::new();
    for w in sorted {
        match merged.last_mut() {
            Some((set, cover)) if cover.intersects(&w) => {
                *cover = cover.cover(&w);
                set.insert(w);
            }
            _ => merged.push((BTreeSet::from([w]), w)),
        }
    }
    merged.retain(|(set, _)| set.len() > 1);
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Micros = 1_000_000;

    #[test]
    fn tumbling_and_sliding_starts_floor() {
        let t = Assigner::Tumbling { size: 10 * S };
        assert_eq!(t.assign(9_999_000), vec![TimeWindow::new(0, 10 * S)]);
        assert_eq!(t.assign(10 * S), vec![TimeWindow::new(10 * S, 20 * S)]);
        assert_eq!(t.assign(-1_000), vec![TimeWindow::new(-10 * S, 0)]);
        let s = Assigner::Sliding {
            size: 10 * S,
            slide: 5 * S,
        };
        assert_eq!(
            s.assign(3 * S),
            vec![TimeWindow::new(0, 10 * S), TimeWindow::new(-5 * S, 5 * S)]
        );
        assert_eq!(
            s.assign(5 * S),
            vec![TimeWindow::new(5 * S, 15 * S), TimeWindow::new(0, 10 * S)]
        );
        for w in s.assign(7 * S) {
            assert!(w.start <= 7 * S && 7 * S < w.end);
        }
    }

    #[test]
    fn max_timestamp_is_end_minus_one_ms() {
        assert_eq!(TimeWindow::new(0, 10 * S).max_timestamp(), 9_999_000);
    }

    #[test]
    fn touching_sessions_merge() {
        let a = TimeWindow::new(S, 6 * S);
        let b = TimeWindow::new(6 * S, 11 * S);
        let c = TimeWindow::new(12 * S, 17 * S);
        assert!(a.intersects(&b));
        let m = merge_windows(&[c, b, a]);
        assert_eq!(m, vec![(BTreeSet::from([a, b]), TimeWindow::new(S, 11 * S))]);
        assert!(merge_windows(&[a, c]).is_empty());
        assert!(merge_windows(&[a, a]).is_empty());
    }
}
