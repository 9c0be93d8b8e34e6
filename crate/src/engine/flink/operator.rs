//! Flink's event-time `WindowOperator` with an `EventTimeTrigger`, counting the elements of
//! each (key, window) (the ids are kept, so a firing tells what it counted).
//!
//! Rules (Flink 2.3, `WindowOperator`, `EventTimeTrigger`, `InternalTimerServiceImpl`):
//! - element: each of its windows (for sessions: the window it merged into,
//!   `MergingWindowSet.addWindow`) is skipped if late — `isWindowLate`:
//!   `cleanupTime = maxTimestamp + allowedLateness <= watermark` (the operator's watermark,
//!   not the key's); otherwise the element is added, and the trigger either fires the window
//!   at once with everything accumulated (`maxTimestamp <= watermark`: a re-firing within
//!   allowed lateness) or registers a timer at `maxTimestamp`; then the cleanup timer at
//!   `cleanupTime` is registered. An element added to **none** of its windows and itself
//!   late (`timestamp + allowedLateness <= watermark`) goes to the late side output, or,
//!   without one, counts in `numLateRecordsDropped`. A sliding element late for one window
//!   but not another is silently left out of the late one.
//! - sessions: on a merge the trigger registers a timer at the merged window's
//!   `maxTimestamp` if it is after the watermark (`onMerge`), the merged windows' trigger
//!   and cleanup timers are deleted and their states merged. A merge result is never late
//!   (every in-flight window's cleanup time is after the watermark, and a cover ends no
//!   earlier), so Flink's `UnsupportedOperationException` for that case cannot arise here.
//! - watermark: timers with timestamp <= watermark fire in timestamp order; a timer at the
//!   window's `maxTimestamp` fires it (if it has state); a timer at its `cleanupTime` clears
//!   its state, trigger timer and session entry without firing (with no allowed lateness the
//!   two are one timer: it fires, then cleans up). Timers are a set of
//!   (timestamp, key, window), so registering one twice keeps one.
//! - ties: Flink's timer heap orders equal timestamps in no documented order (not by key, not
//!   by arrival); this operator fires them by key index, then window start. Compare the
//!   firings of one timestamp as a multiset.
//!
//! Invariants (checked by tests): a window fires from a timer only once the watermark
//! reaches its `maxTimestamp`; a firing's count is its window's accumulated elements; an
//! element is either counted in some window or, if late, reported exactly once.

use crate::base::time::Micros;
use crate::engine::flink::session::MergingWindowSet;
use crate::engine::flink::watermark::MIN_WATERMARK;
use crate::engine::flink::window::{Assigner, TimeWindow};
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};

/// One input element: its payload (`P`, by default an id: what a firing lists), a key
/// index and its event time (µs, whole ms). A simulation's payload carries the arrival too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Element<P = u64> {
    pub id: P,
    pub key: u32,
    pub timestamp: Micros,
}

/// What made a window fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FiredBy {
    /// A watermark reached its `maxTimestamp` (an event-time timer).
    Watermark,
    /// An element added to an already-fired window within allowed lateness.
    Element,
}

/// One call of the window function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Firing<P = u64> {
    pub by: FiredBy,
    pub key: u32,
    pub window: TimeWindow,
    /// The payloads (ids) counted, ascending.
    pub ids: Vec<P>,
    /// `Context.currentWatermark()` at the firing.
    pub watermark: Micros,
}

/// What became of a late element that no window took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Late {
    /// Emitted to the late side output (`sideOutputLateData`).
    SideOutput,
    /// Counted by `numLateRecordsDropped`.
    Dropped,
}

/// The operator's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowSpec {
    pub assigner: Assigner,
    /// `allowedLateness`, µs (whole ms, ≥ 0).
    pub allowed_lateness: Micros,
    /// Whether late elements go to a side output (else they are dropped and counted).
    pub late_side_output: bool,
}

/// An event timer: (timestamp, key, window). The set's order is the firing order.
type Timer = (Micros, u32, TimeWindow);

#[derive(Debug, Clone)]
pub struct WindowOperator<P = u64> {
    spec: WindowSpec,
    watermark: Micros,
    /// (key, state window) → the payloads (ids) added. A hash map: it is looked up per
    /// element and never iterated (firing order comes from the timers).
    state: FxHashMap<(u32, TimeWindow), Vec<P>>,
    /// The element's windows (reused).
    scratch: Vec<TimeWindow>,
    timers: BTreeSet<Timer>,
    sessions: BTreeMap<u32, MergingWindowSet>,
}

impl<P: Copy + Ord> WindowOperator<P> {
    pub fn new(spec: WindowSpec) -> Self {
        Self {
            spec,
            watermark: MIN_WATERMARK,
            state: FxHashMap::default(),
            scratch: Vec::new(),
            timers: BTreeSet::new(),
            sessions: BTreeMap::new(),
        }
    }

    /// The operator's current watermark.
    pub fn watermark(&self) -> Micros {
        self.watermark
    }

    /// (key, window) states held: what a checkpoint snapshots.
    pub fn state_windows(&self) -> usize {
        self.state.len()
    }

    /// Event timers registered (trigger and cleanup timers; part of the snapshot too).
    pub fn timers(&self) -> usize {
        self.timers.len()
    }

    /// `cleanupTime`: `maxTimestamp + allowedLateness`, `Long.MAX_VALUE` on overflow.
    fn cleanup_time(&self, w: &TimeWindow) -> Micros {
        w.max_timestamp().saturating_add(self.spec.allowed_lateness)
    }

    fn is_window_late(&self, w: &TimeWindow) -> bool {
        self.cleanup_time(w) <= self.watermark
    }

    fn register_cleanup_timer(&mut self, key: u32, w: TimeWindow) {
        let t = self.cleanup_time(&w);
        if t != i64::MAX {
            self.timers.insert((t, key, w));
        }
    }

    fn delete_cleanup_timer(&mut self, key: u32, w: TimeWindow) {
        let t = self.cleanup_time(&w);
        self.timers.remove(&(t, key, w));
    }

    /// `EventTimeTrigger.onElement`: whether to fire now; otherwise a timer at `maxTimestamp`.
    fn trigger_on_element(&mut self, key: u32, w: TimeWindow) -> bool {
        if w.max_timestamp() <= self.watermark {
            true
        } else {
            self.timers.insert((w.max_timestamp(), key, w));
            false
        }
    }

    /// `EventTimeTrigger.clear`: deletes the window's `maxTimestamp` timer.
    fn trigger_clear(&mut self, key: u32, w: TimeWindow) {
        self.timers.remove(&(w.max_timestamp(), key, w));
    }

    fn firing(
        &self,
        by: FiredBy,
        key: u32,
        window: TimeWindow,
        state_window: TimeWindow,
    ) -> Option<Firing<P>> {
        let ids = self.state.get(&(key, state_window)).filter(|v| !v.is_empty())?;
        let mut ids = ids.clone();
        ids.sort_unstable();
        Some(Firing {
            by,
            key,
            window,
            ids,
            watermark: self.watermark,
        })
    }

    /// `processElement`: the firings it caused (re-firings within allowed lateness), and
    /// what became of it if it was late for all its windows.
    pub fn process_element(&mut self, e: &Element<P>) -> (Vec<Firing<P>>, Option<Late>) {
        let mut windows = std::mem::take(&mut self.scratch);
        self.spec.assigner.assign_into(e.timestamp, &mut windows);
        let mut skipped = true;
        let mut firings = Vec::new();
        let key = e.key;
        for &window in &windows {
            let (actual, state_window) = if self.spec.assigner.is_merging() {
                let mut set = self.sessions.remove(&key).unwrap_or_default();
                let (actual, merges) = set.add_window(window);
                for m in merges {
                    debug_assert!(!self.is_window_late(&m.result), "a merge result is never late");
                    // EventTimeTrigger.onMerge
                    if m.result.max_timestamp() > self.watermark {
                        self.timers.insert((m.result.max_timestamp(), key, m.result));
                    }
                    for w in &m.merged {
                        self.trigger_clear(key, *w);
                        self.delete_cleanup_timer(key, *w);
                    }
                    for s in &m.merged_state {
                        if let Some(ids) = self.state.remove(&(key, *s)) {
                            self.state.entry((key, m.state_result)).or_default().extend(ids);
                        }
                    }
                }
                let late = self.is_window_late(&actual);
                if late {
                    set.retire_window(&actual);
                }
                let state_window = set.state_window(&actual);
                if !set.is_empty() {
                    self.sessions.insert(key, set);
                }
                match (late, state_window) {
                    (false, Some(s)) => (actual, s),
                    _ => continue,
                }
            } else {
                if self.is_window_late(&window) {
                    continue;
                }
                (window, window)
            };
            skipped = false;
            let ids = self.state.entry((key, state_window)).or_default();
            // A fixed window that already held state has its timers: registering them
            // again changes nothing (the timer set keeps one of each), so only the firing
            // check is left. (A merged session's timers move with merges: always register.)
            let known = !ids.is_empty() && !self.spec.assigner.is_merging();
            ids.push(e.id);
            if known {
                if actual.max_timestamp() <= self.watermark {
                    firings.extend(self.firing(FiredBy::Element, key, actual, state_window));
                }
                continue;
            }
            if self.trigger_on_element(key, actual) {
                firings.extend(self.firing(FiredBy::Element, key, actual, state_window));
            }
            self.register_cleanup_timer(key, actual);
        }
        self.scratch = windows;
        let late = (skipped && e.timestamp.saturating_add(self.spec.allowed_lateness) <= self.watermark)
            .then_some(if self.spec.late_side_output {
                Late::SideOutput
            } else {
                Late::Dropped
            });
        (firings, late)
    }

    /// `processWatermark`: advances the watermark and fires the timers it passed, in order.
    pub fn process_watermark(&mut self, watermark: Micros) -> Vec<Firing<P>> {
        self.watermark = self.watermark.max(watermark);
        let mut firings = Vec::new();
        while let Some(&timer) = self.timers.first() {
            if timer.0 > self.watermark {
                break;
            }
            self.timers.pop_first();
            firings.extend(self.on_event_time(timer));
        }
        firings
    }

    /// `onEventTime` for one timer.
    fn on_event_time(&mut self, (time, key, window): Timer) -> Option<Firing<P>> {
        let state_window = if self.spec.assigner.is_merging() {
            // A timer of a window merged away since: nothing.
            self.sessions.get(&key)?.state_window(&window)?
        } else {
            window
        };
        let fired = if time == window.max_timestamp() {
            self.firing(FiredBy::Watermark, key, window, state_window)
        } else {
            None
        };
        if time == self.cleanup_time(&window) {
            // clearAllState
            self.state.remove(&(key, state_window));
            self.trigger_clear(key, window);
            if let Some(set) = self.sessions.get_mut(&key) {
                set.retire_window(&window);
                if set.is_empty() {
                    self.sessions.remove(&key);
                }
            }
        }
        fired
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Micros = 1_000_000;
    const MS: Micros = 1_000;

    fn el(id: u64, key: u32, ms: i64) -> Element {
        Element {
            id,
            key,
            timestamp: ms * MS,
        }
    }

    fn op(assigner: Assigner, lateness_s: i64, side: bool) -> WindowOperator {
        WindowOperator::new(WindowSpec {
            assigner,
            allowed_lateness: lateness_s * S,
            late_side_output: side,
        })
    }

    #[test]
    fn fires_when_the_watermark_reaches_max_timestamp() {
        let mut o = op(Assigner::Tumbling { size: 10 * S }, 0, true);
        assert_eq!(o.process_element(&el(1, 0, 9_999)), (vec![], None));
        assert!(o.process_watermark(9_998 * MS).is_empty());
        // Still on time at watermark 9.998: end − 1 ms.
        assert_eq!(o.process_element(&el(2, 0, 9_999)), (vec![], None));
        let f = o.process_watermark(9_999 * MS);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].ids, vec![1, 2]);
        assert_eq!(f[0].watermark, 9_999 * MS);
        // Now late, for this key and for a key that never had the window.
        assert_eq!(o.process_element(&el(3, 0, 9_999)).1, Some(Late::SideOutput));
        assert_eq!(o.process_element(&el(4, 1, 9_999)).1, Some(Late::SideOutput));
    }

    #[test]
    fn allowed_lateness_refires_then_cleans_up_silently() {
        let mut o = op(Assigner::Tumbling { size: 10 * S }, 5, false);
        o.process_element(&el(1, 0, 2_000));
        assert_eq!(o.process_watermark(10_999 * MS).len(), 1);
        let (f, late) = o.process_element(&el(2, 0, 5_000));
        assert_eq!(late, None);
        assert_eq!((f[0].by, f[0].ids.clone()), (FiredBy::Element, vec![1, 2]));
        // The cleanup timer at 14.999 fires nothing.
        assert!(o.process_watermark(14_999 * MS).is_empty());
        assert_eq!(o.process_element(&el(3, 0, 8_000)), (vec![], Some(Late::Dropped)));
    }

    #[test]
    fn a_late_session_is_rescued_by_a_merge() {
        let mut o = op(Assigner::Session { gap: 5 * S }, 0, true);
        o.process_element(&el(1, 0, 10_000)); // [10,15)
        o.process_element(&el(2, 0, 14_000)); // [10,19)
        assert!(o.process_watermark(16_999 * MS).is_empty());
        // [6,11) alone is late (10.999 <= 16.999) but merges into [10,19) first.
        assert_eq!(o.process_element(&el(4, 0, 6_000)), (vec![], None));
        // [0.5,5.5) merges with nothing: late.
        assert_eq!(o.process_element(&el(5, 0, 500)).1, Some(Late::SideOutput));
        let f = o.process_watermark(i64::MAX);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].window, TimeWindow::new(6 * S, 19 * S));
        assert_eq!(f[0].ids, vec![1, 2, 4]);
    }

    #[test]
    fn sliding_element_late_for_one_window_only_is_not_reported() {
        let mut o = op(
            Assigner::Sliding {
                size: 10 * S,
                slide: 5 * S,
            },
            0,
            true,
        );
        o.process_element(&el(1, 0, 1_000));
        o.process_watermark(5_000 * MS); // fires [-5,5)
        let (f, late) = o.process_element(&el(2, 0, 3_000));
        assert!(f.is_empty());
        assert_eq!(late, None);
        let f = o.process_watermark(i64::MAX);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].ids, vec![1, 2]);
    }

    /// Seeded random inputs for every assigner: each element is counted by some firing or
    /// reported late, never both; a watermark firing never precedes its `maxTimestamp`.
    #[test]
    fn every_element_is_counted_or_reported_late() {
        let assigners = [
            Assigner::Tumbling { size: 5 * S },
            Assigner::Sliding {
                size: 6 * S,
                slide: 2 * S,
            },
            Assigner::Session { gap: 2 * S },
        ];
        for seed in 1..=30u64 {
            let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            let mut next = |n: u64| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % n
            };
            for a in assigners {
                let mut o = op(a, (seed % 3) as i64, seed % 2 == 0);
                let mut counted = std::collections::BTreeSet::new();
                let mut late = std::collections::BTreeSet::new();
                let mut max = 0;
                let check = |f: &[Firing], counted: &mut std::collections::BTreeSet<u64>| {
                    for f in f {
                        assert!(f.by == FiredBy::Element || f.window.max_timestamp() <= f.watermark);
                        counted.extend(f.ids.iter().copied());
                    }
                };
                for id in 0..40u64 {
                    let t = next(30_000) as i64 * MS;
                    let (f, l) = o.process_element(&el(id, next(3) as u32, t / MS));
                    check(&f, &mut counted);
                    if l.is_some() {
                        late.insert(id);
                    }
                    max = max.max(t);
                    if next(3) == 0 {
                        let f = o.process_watermark(max - 2 * S - MS);
                        check(&f, &mut counted);
                    }
                }
                let f = o.process_watermark(i64::MAX);
                check(&f, &mut counted);
                assert!(counted.is_disjoint(&late), "seed {seed} {a:?}");
                assert_eq!(counted.len() + late.len(), 40, "seed {seed} {a:?}");
            }
        }
    }
}
