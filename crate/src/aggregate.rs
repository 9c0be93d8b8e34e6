//! The stateful windowed count: `groupBy(window(event_time, ...), key).count()` as
//! Spark's `StateStoreRestoreExec` / `StateStoreSaveExec` run it per micro-batch.

use crate::operator::{BatchOutcome, BatchWatermarks, OutRow, Row, WindowRow};
use crate::query::OutputMode;
use crate::state::StateStore;
use crate::time::Micros;
use crate::window::Windowing;

#[derive(Debug, Clone)]
pub struct WindowCount {
    windowing: Windowing,
    mode: OutputMode,
    /// (window start, key) → count.
    state: StateStore<(Micros, u32), u64>,
}

impl WindowCount {
    pub fn new(windowing: Windowing, mode: OutputMode) -> Self {
        Self {
            windowing,
            mode,
            state: StateStore::default(),
        }
    }

    pub fn state_rows(&self) -> u64 {
        self.state.len()
    }

    /// Runs one micro-batch over `rows` (any order).
    pub fn process(&mut self, rows: &[Row], wm: BatchWatermarks) -> BatchOutcome {
        let size = self.windowing.size;
        let drop_late = self.mode != OutputMode::Complete;
        let mut dropped_late = 0;
        // Partial aggregation first, as Spark's partial HashAggregate does before the
        // state store: each (window, key) is written once per batch.
        let mut partial: Vec<((Micros, u32), u64)> = Vec::new();
        for r in rows {
            for start in self.windowing.starts(r.event_time) {
                if drop_late && wm.late.is_some_and(|w| start + size <= w) {
                    dropped_late += 1;
                    continue;
                }
                partial.push(((start, r.key), 1));
            }
        }
        partial.sort_unstable_by_key(|(k, _)| *k);
        let mut updated: Vec<(Micros, u32)> = Vec::new();
        let mut i = 0;
        while i < partial.len() {
            let k = partial[i].0;
            let mut n = 0;
            while i < partial.len() && partial[i].0 == k {
                n += partial[i].1;
                i += 1;
            }
            let prev = self.state.get(&k).copied().unwrap_or(0);
            self.state.put(k, prev + n);
            updated.push(k);
        }

        let row = |(start, key): (Micros, u32), count: u64| WindowRow {
            start,
            end: start + size,
            key,
            count,
        };
        let mut output = Vec::new();
        match self.mode {
            OutputMode::Complete => {
                output.extend(self.state.iter().map(|(k, c)| OutRow::Window(row(*k, *c))));
            }
            OutputMode::Update => {
                for k in &updated {
                    if let Some(c) = self.state.get(k) {
                        output.push(OutRow::Window(row(*k, *c)));
                    }
                }
                if let Some(w) = wm.evict {
                    self.state.remove_where(|(s, _), _| s + size <= w);
                }
            }
            OutputMode::Append => {
                if let Some(w) = wm.evict {
                    let gone = self.state.remove_where(|(s, _), _| s + size <= w);
                    output.extend(gone.into_iter().map(|(k, c)| OutRow::Window(row(k, c))));
                }
            }
        }
        BatchOutcome {
            dropped_late,
            state: self.state.commit(),
            output,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::StateMetrics;
    use crate::window::WindowSpec;

    const S: i64 = 1_000_000;

    fn op(mode: OutputMode) -> WindowCount {
        match (WindowSpec::Tumbling { size_s: 10.0 }).validate("w").unwrap() {
            crate::window::WindowKind::Fixed(w) => WindowCount::new(w, mode),
            crate::window::WindowKind::Session { .. } => unreachable!(),
        }
    }

    fn r(id: u64, key: u32, t: Micros) -> Row {
        Row {
            id,
            key,
            event_time: t,
        }
    }

    #[test]
    fn append_emits_once_when_watermark_passes_end() {
        let mut q = op(OutputMode::Append);
        let out = q.process(
            &[r(1, 0, 5 * S), r(2, 0, 12 * S)],
            BatchWatermarks {
                late: Some(0),
                evict: Some(0),
            },
        );
        assert_eq!(
            out.state,
            StateMetrics {
                total: 2,
                updated: 2,
                removed: 0
            }
        );
        assert!(out.output.is_empty());
        // window [0,10) closes at watermark 10 s exactly (end ≤ watermark)
        let out = q.process(
            &[],
            BatchWatermarks {
                late: Some(0),
                evict: Some(10 * S),
            },
        );
        assert_eq!(
            out.output,
            vec![OutRow::Window(WindowRow {
                start: 0,
                end: 10 * S,
                key: 0,
                count: 1
            })]
        );
        let out = q.process(
            &[],
            BatchWatermarks {
                late: Some(10 * S),
                evict: Some(10 * S),
            },
        );
        assert!(out.output.is_empty());
    }

    #[test]
    fn late_filter_uses_its_own_watermark() {
        let mut q = op(OutputMode::Append);
        q.process(
            &[r(1, 0, 5 * S)],
            BatchWatermarks {
                late: Some(0),
                evict: Some(0),
            },
        );
        // late-row watermark 2 s keeps the row of [0,10); eviction at 15 s emits it
        let out = q.process(
            &[r(2, 0, 9 * S)],
            BatchWatermarks {
                late: Some(2 * S),
                evict: Some(15 * S),
            },
        );
        assert_eq!(out.dropped_late, 0);
        assert_eq!(
            out.output[0],
            OutRow::Window(WindowRow {
                start: 0,
                end: 10 * S,
                key: 0,
                count: 2
            })
        );
        let out = q.process(
            &[r(3, 0, 9 * S)],
            BatchWatermarks {
                late: Some(15 * S),
                evict: Some(15 * S),
            },
        );
        assert_eq!(out.dropped_late, 1);
    }

    #[test]
    fn complete_keeps_everything() {
        let mut q = op(OutputMode::Complete);
        q.process(
            &[r(1, 0, 5 * S)],
            BatchWatermarks {
                late: Some(0),
                evict: Some(0),
            },
        );
        let out = q.process(
            &[r(2, 1, S)],
            BatchWatermarks {
                late: Some(100 * S),
                evict: Some(100 * S),
            },
        );
        assert_eq!(out.dropped_late, 0);
        assert_eq!(out.output.len(), 2);
        assert_eq!(out.state.total, 2);
    }
}
