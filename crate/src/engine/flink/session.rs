//! Flink's `MergingWindowSet`: one key's in-flight session windows, each mapped to the
//! window its state is kept under (the "state window").
//!
//! Rule (`MergingWindowSet.addWindow`): the new window is merged with the in-flight ones
//! by `TimeWindow.mergeWindows`; for each group of more than one window, the group's cover
//! replaces its windows, its state window is the state window of one of the pre-existing
//! windows, and the others' states are merged into it. The caller (the window operator)
//! is told of each merge ([`Merge`]) so that it can move triggers and timers, except when a
//! pre-existing window merely swallows the new one without growing. Without a merge the
//! new window is in flight on its own, as its own state window. The window the element
//! belongs to afterwards is returned; if the operator finds it late it retires it again.
//!
//! Invariants (checked by tests): in-flight windows never intersect one another; every
//! in-flight window has a state window.

use crate::engine::flink::window::{TimeWindow, merge_windows};
use std::collections::{BTreeMap, BTreeSet};

/// One merge `addWindow` performed (the arguments of Flink's `MergeFunction.merge`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    /// The cover of the merged windows.
    pub result: TimeWindow,
    /// The windows merged into `result` (the new window excluded).
    pub merged: BTreeSet<TimeWindow>,
    /// The state window `result` keeps its state under.
    pub state_result: TimeWindow,
    /// The other merged windows' state windows, to be merged into `state_result`.
    pub merged_state: Vec<TimeWindow>,
}

/// One key's in-flight windows → their state windows.
#[derive(Debug, Clone, Default)]
pub struct MergingWindowSet {
    mapping: BTreeMap<TimeWindow, TimeWindow>,
}

impl MergingWindowSet {
    /// The state window of an in-flight window (`getStateWindow`).
    pub fn state_window(&self, w: &TimeWindow) -> Option<TimeWindow> {
        self.mapping.get(w).copied()
    }

    /// `retireWindow`: the window is no longer in flight.
    pub fn retire_window(&mut self, w: &TimeWindow) {
        self.mapping.remove(w);
    }

    pub fn is_empty(&self) -> bool {
        self.mapping.is_empty()
    }

    /// `addWindow`: the window the new one ended up in, and the merges to carry out.
    pub fn add_window(&mut self, new: TimeWindow) -> (TimeWindow, Vec<Merge>) {
        let mut all: Vec<TimeWindow> = self.mapping.keys().copied().collect();
        all.push(new);
        let groups = merge_windows(&all);
        let mut result = new;
        let mut merged_new = false;
        let mut merges = Vec::new();
        for (mut merged, cover) in groups.iter().cloned() {
            if merged.remove(&new) {
                merged_new = true;
                result = cover;
            }
            // Any pre-existing window's state window becomes the cover's.
            let Some(state_result) = merged.iter().find_map(|w| self.mapping.get(w).copied()) else {
                continue;
            };
            let mut merged_state: Vec<TimeWindow> =
                merged.iter().filter_map(|w| self.mapping.remove(w)).collect();
            self.mapping.insert(cover, state_result);
            merged_state.retain(|s| *s != state_result);
            if !(merged.contains(&cover) && merged.len() == 1) {
                merges.push(Merge {
                    result: cover,
                    merged,
                    state_result,
                    merged_state,
                });
            }
        }
        if groups.is_empty() || (result == new && !merged_new) {
            self.mapping.insert(result, result);
        }
        (result, merges)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000;
    fn w(a: i64, b: i64) -> TimeWindow {
        TimeWindow::new(a * S, b * S)
    }

    #[test]
    fn a_bridging_window_merges_two_sessions() {
        let mut m = MergingWindowSet::default();
        assert_eq!(m.add_window(w(24, 29)), (w(24, 29), vec![]));
        assert_eq!(m.add_window(w(30, 35)), (w(30, 35), vec![]));
        let (r, merges) = m.add_window(w(27, 32));
        assert_eq!(r, w(24, 35));
        assert_eq!(merges.len(), 1);
        assert_eq!(merges[0].merged, BTreeSet::from([w(24, 29), w(30, 35)]));
        assert_eq!(merges[0].merged_state.len(), 1);
        assert_eq!(m.state_window(&w(24, 35)), Some(merges[0].state_result));
        assert_eq!(m.state_window(&w(24, 29)), None);
    }

    #[test]
    fn a_swallowed_window_is_no_merge() {
        let mut m = MergingWindowSet::default();
        m.add_window(w(1, 6));
        m.add_window(w(6, 11));
        assert_eq!(m.state_window(&w(1, 11)), Some(w(1, 6)));
        let (r, merges) = m.add_window(w(3, 8));
        assert_eq!(r, w(1, 11));
        assert!(merges.is_empty());
        assert_eq!(m.state_window(&w(1, 11)), Some(w(1, 6)));
    }
}
