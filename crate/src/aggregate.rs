//! The stateful windowed count: `groupBy(window(event_time, ...), key).count()` as
//! Spark's `StateStoreRestoreExec` / `StateStoreSaveExec` run it per micro-batch.

use crate::operator::{Agg, BatchOutcome, BatchWatermarks, Fate, Row, Visible, counted};
use crate::query::OutputMode;
use crate::state::StateStore;
use crate::time::Micros;
use crate::window::Windowing;
use rustc_hash::FxHashMap;

/// A group's state: its count and, in append mode, the events waiting for the window to
/// be emitted (for their latency).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Group {
    agg: Agg,
    pending: Vec<Visible>,
}

#[derive(Debug, Clone)]
pub struct WindowCount {
    windowing: Windowing,
    mode: OutputMode,
    /// (window start, key) → group.
    state: StateStore<(Micros, u32), Group>,
    /// Scratch: this batch's partial aggregates.
    partial: FxHashMap<(Micros, u32), Group>,
}

impl WindowCount {
    pub fn new(windowing: Windowing, mode: OutputMode) -> Self {
        Self {
            windowing,
            mode,
            state: StateStore::default(),
            partial: FxHashMap::default(),
        }
    }

    pub fn state_rows(&self) -> u64 {
        self.state.len()
    }

    /// Runs one micro-batch over `rows` (any order).
    pub fn process(&mut self, rows: &[Row], wm: BatchWatermarks) -> BatchOutcome {
        let size = self.windowing.size;
        let drop_late = self.mode != OutputMode::Complete;
        let append = self.mode == OutputMode::Append;
        let mut out = BatchOutcome {
            fates: Vec::with_capacity(rows.len()),
            ..BatchOutcome::default()
        };
        // Partial aggregation first, as Spark's partial HashAggregate does before the state
        // store: each (window, key) is written once per batch. The hash map's order never
        // reaches a result: its groups are sorted before they touch the state.
        let partial = &mut self.partial;
        partial.clear();
        let mut late_groups: Vec<(Micros, u32)> = Vec::new();
        for r in rows {
            let mut first = true;
            for start in self.windowing.starts(r.event_time) {
                if drop_late && wm.late.is_some_and(|w| start + size <= w) {
                    late_groups.push((start, r.key));
                    continue;
                }
                let g = partial.entry((start, r.key)).or_default();
                g.agg.add(r.value);
                if first {
                    // An event's latency is that of its first counted window.
                    let v = Visible {
                        id: r.id,
                        arrival: r.arrival,
                    };
                    if append {
                        g.pending.push(v)
                    } else {
                        out.visible.push(v)
                    }
                }
                first = false;
            }
            out.fates.push(if first {
                Fate::DroppedLate
            } else {
                counted(r, wm.late)
            });
        }
        // Spark drops late rows after its partial aggregation, so numRowsDroppedByWatermark
        // counts distinct late (window, key) groups, not rows (conformance case
        // tumbling_late_same_window_append: 7 late rows in 3 groups report 3). With one
        // input partition per batch, as here, a group is partially aggregated once.
        late_groups.sort_unstable();
        late_groups.dedup();
        out.dropped_late = late_groups.len() as u64;

        let mut updated: Vec<((Micros, u32), Group)> = partial.drain().collect();
        updated.sort_unstable_by_key(|(k, _)| *k);
        for (k, g) in &mut updated {
            let pending = std::mem::take(&mut g.pending);
            let partial = g.agg;
            self.state.upsert(*k, Group::default, |s| {
                s.agg.merge(&partial);
                if s.pending.is_empty() {
                    s.pending = pending; // a new group: take the batch's list, no copy
                } else {
                    s.pending.extend(pending);
                }
            });
        }

        let row = |(start, key): (Micros, u32), a: &Agg| a.row(start, start + size, key);
        match self.mode {
            OutputMode::Complete => {
                out.output.extend(self.state.iter().map(|(k, g)| row(*k, &g.agg)));
            }
            OutputMode::Update => {
                for (k, _) in &updated {
                    if let Some(g) = self.state.get(k) {
                        out.output.push(row(*k, &g.agg));
                    }
                }
                if let Some(w) = wm.evict {
                    self.state.remove_where(|(s, _), _| s + size <= w);
                }
            }
            OutputMode::Append => {
                if let Some(w) = wm.evict {
                    for (k, g) in self.state.remove_where(|(s, _), _| s + size <= w) {
                        out.output.push(row(k, &g.agg));
                        out.visible.extend(g.pending);
                    }
                }
            }
        }
        out.state = self.state.commit();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operator::{OutRow, WindowRow};
    use crate::state::StateMetrics;
    use crate::window::{WindowKind, WindowSpec};

    const S: i64 = 1_000_000;

    fn op(mode: OutputMode) -> WindowCount {
        match (WindowSpec::Tumbling { size_s: 10.0 }).validate("w").unwrap() {
            WindowKind::Fixed(w) => WindowCount::new(w, mode),
            WindowKind::Session { .. } => unreachable!(),
        }
    }

    fn r(id: u64, key: u32, t: Micros) -> Row {
        Row {
            id,
            key,
            event_time: t,
            arrival: t + S,
            value: crate::operator::NULL_VALUE,
        }
    }

    fn wm(late: i64, evict: i64) -> BatchWatermarks {
        BatchWatermarks {
            late: Some(late),
            evict: Some(evict),
        }
    }

    fn window(start: i64, count: u64) -> OutRow {
        OutRow::Window(WindowRow {
            start,
            end: start + 10 * S,
            key: 0,
            count,
            sum: 0,
            nonnull: 0,
        })
    }

    #[test]
    fn append_emits_once_when_watermark_passes_end() {
        let mut q = op(OutputMode::Append);
        let out = q.process(&[r(1, 0, 5 * S), r(2, 0, 12 * S)], wm(0, 0));
        assert_eq!(
            out.state,
            StateMetrics {
                total: 2,
                updated: 2,
                removed: 0
            }
        );
        assert!(out.output.is_empty() && out.visible.is_empty());
        assert_eq!(out.fates, vec![Fate::OnTime, Fate::OnTime]);
        // window [0,10) closes at watermark 10 s exactly (end ≤ watermark)
        let out = q.process(&[], wm(0, 10 * S));
        assert_eq!(out.output, vec![window(0, 1)]);
        assert_eq!(
            out.visible,
            vec![Visible {
                id: 1,
                arrival: 6 * S
            }]
        );
        let out = q.process(&[], wm(10 * S, 10 * S));
        assert!(out.output.is_empty());
    }

    #[test]
    fn late_filter_uses_its_own_watermark() {
        let mut q = op(OutputMode::Append);
        q.process(&[r(1, 0, 5 * S)], wm(0, 0));
        // late-row watermark 2 s keeps the row of [0,10); eviction at 15 s emits it
        let out = q.process(&[r(2, 0, 9 * S)], wm(2 * S, 15 * S));
        assert_eq!(out.dropped_late, 0);
        assert_eq!(out.output, vec![window(0, 2)]);
        assert_eq!(out.visible.len(), 2);
        let out = q.process(
            &[r(3, 0, 9 * S), r(4, 0, 14 * S), r(5, 0, 16 * S)],
            wm(15 * S, 15 * S),
        );
        assert_eq!(out.dropped_late, 1);
        assert_eq!(
            out.fates,
            vec![Fate::DroppedLate, Fate::LateCounted, Fate::OnTime]
        );
    }

    #[test]
    fn update_mode_makes_rows_visible_at_once() {
        let mut q = op(OutputMode::Update);
        let out = q.process(&[r(1, 0, 5 * S), r(2, 0, 6 * S)], wm(0, 0));
        assert_eq!(out.output, vec![window(0, 2)]);
        assert_eq!(out.visible.len(), 2);
    }

    #[test]
    fn complete_keeps_everything() {
        let mut q = op(OutputMode::Complete);
        q.process(&[r(1, 0, 5 * S)], wm(0, 0));
        let out = q.process(&[r(2, 1, S)], wm(100 * S, 100 * S));
        assert_eq!(out.dropped_late, 0);
        assert_eq!(out.output.len(), 2);
        assert_eq!(out.state.total, 2);
    }
}
