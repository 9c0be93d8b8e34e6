//! Session windows: `groupBy(session_window(event_time, gap), key).count()`, as Spark's
//! `SessionWindowStateStoreRestoreExec` → `MergingSessionsExec` →
//! `SessionWindowStateStoreSaveExec` run it per micro-batch.
//!
//! Each row opens the session [t, t + gap). Rows and stored sessions of one key merge,
//! in start order, while the next start ≤ the current session's end (inclusive, as in
//! Spark's `MergingSessionsIterator`). A row is late when its own session's end ≤ the
//! watermark (rows are not merged inside a partition first:
//! `spark.sql.streaming.sessionWindow.merge.sessions.in.local.partition` is false by default).

use crate::operator::{BatchOutcome, BatchWatermarks, OutRow, Row, WindowRow};
use crate::query::OutputMode;
use crate::state::StateStore;
use crate::time::Micros;

#[derive(Debug, Clone)]
pub struct SessionCount {
    gap: Micros,
    mode: OutputMode,
    /// (key, session start) → (session end, count).
    state: StateStore<(u32, Micros), (Micros, u64)>,
}

impl SessionCount {
    pub fn new(gap: Micros, mode: OutputMode) -> Self {
        Self {
            gap,
            mode,
            state: StateStore::default(),
        }
    }

    pub fn state_rows(&self) -> u64 {
        self.state.len()
    }

    pub fn process(&mut self, rows: &[Row], wm: BatchWatermarks) -> BatchOutcome {
        let mut out = BatchOutcome::default();
        let drop_late = self.mode != OutputMode::Complete;
        let mut fresh: Vec<(u32, Micros)> = Vec::with_capacity(rows.len());
        for r in rows {
            if drop_late && wm.late.is_some_and(|w| r.event_time + self.gap <= w) {
                out.dropped_late += 1;
            } else {
                fresh.push((r.key, r.event_time));
            }
        }
        fresh.sort_unstable();

        let mut i = 0;
        while i < fresh.len() {
            let key = fresh[i].0;
            let mut j = i;
            while j < fresh.len() && fresh[j].0 == key {
                j += 1;
            }
            self.merge_key(key, &fresh[i..j]);
            i = j;
        }

        let gap_rows = |gone: Vec<((u32, Micros), (Micros, u64))>| {
            gone.into_iter().map(|((key, start), (end, count))| {
                OutRow::Window(WindowRow {
                    start,
                    end,
                    key,
                    count,
                })
            })
        };
        match self.mode {
            OutputMode::Complete => {
                out.output
                    .extend(self.state.iter().map(|(&(key, start), &(end, count))| {
                        OutRow::Window(WindowRow {
                            start,
                            end,
                            key,
                            count,
                        })
                    }));
            }
            OutputMode::Append | OutputMode::Update => {
                if let Some(w) = wm.evict {
                    let gone = self.state.remove_where(|_, (end, _)| *end <= w);
                    if self.mode == OutputMode::Append {
                        out.output.extend(gap_rows(gone));
                    }
                }
            }
        }
        out.state = self.state.commit();
        out
    }

    /// Merges one key's new rows (sorted by event time) with its stored sessions.
    fn merge_key(&mut self, key: u32, rows: &[(u32, Micros)]) {
        let stored = self.state.remove_where(|(k, _), _| *k == key);
        let mut items: Vec<(Micros, Micros, u64)> =
            stored.iter().map(|&((_, s), (e, c))| (s, e, c)).collect();
        items.extend(rows.iter().map(|&(_, t)| (t, t + self.gap, 1)));
        items.sort_unstable();
        let mut merged: Vec<(Micros, Micros, u64)> = Vec::new();
        for (s, e, c) in items {
            match merged.last_mut() {
                Some(cur) if s <= cur.1 => {
                    cur.1 = cur.1.max(e);
                    cur.2 += c;
                }
                _ => merged.push((s, e, c)),
            }
        }
        for (s, e, c) in merged {
            self.state.put((key, s), (e, c));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000;

    fn r(id: u64, key: u32, t: Micros) -> Row {
        Row {
            id,
            key,
            event_time: t,
        }
    }

    #[test]
    fn sessions_merge_across_batches_and_close_at_the_watermark() {
        let mut op = SessionCount::new(5 * S, OutputMode::Append);
        let w = |x: i64| BatchWatermarks {
            late: Some(x),
            evict: Some(x),
        };
        op.process(&[r(1, 0, 0), r(2, 0, 20 * S)], w(0));
        assert_eq!(op.state_rows(), 2);
        // 10 s bridges neither; 5 s touches [0,5) at its end (inclusive) and merges
        let out = op.process(&[r(3, 0, 5 * S)], w(0));
        assert!(out.output.is_empty());
        assert_eq!(op.state_rows(), 2);
        let out = op.process(&[], w(10 * S));
        assert_eq!(
            out.output,
            vec![OutRow::Window(WindowRow {
                start: 0,
                end: 10 * S,
                key: 0,
                count: 2
            })]
        );
        // a row whose own session ends at the watermark is late
        let out = op.process(&[r(4, 0, 5 * S)], w(10 * S));
        assert_eq!(out.dropped_late, 1);
    }
}
