//! Session windows: `groupBy(session_window(event_time, gap), key).count()`, as Spark's
//! `SessionWindowStateStoreRestoreExec` → `MergingSessionsExec` →
//! `SessionWindowStateStoreSaveExec` run it per micro-batch.
//!
//! Each row opens the session [t, t + gap). Rows and stored sessions of one key merge,
//! in start order, while the next start ≤ the current session's end (inclusive, as in
//! Spark's `MergingSessionsIterator`). A row is late when its own session's end ≤ the
//! watermark, in every output mode (rows are not merged inside a partition first:
//! `spark.sql.streaming.sessionWindow.merge.sessions.in.local.partition` is false by default).
//! Late rows are counted after the partial aggregation: once per distinct (input partition,
//! key, event time) (`partitions.rs`).

use crate::base::time::Micros;
use crate::operators::partitions::InputPartitions;
use crate::operators::query::OutputMode;
use crate::operators::rows::{Agg, BatchOutcome, BatchWatermarks, Fate, OutRow, Row, counted};
use crate::operators::state::StateStore;
use crate::operators::visible_list::Visible;
use crate::operators::visible_list::VisibleList;

#[derive(Debug, Clone)]
pub struct SessionCount {
    gap: Micros,
    mode: OutputMode,
    /// (key, session start) → session.
    state: StateStore<(u32, Micros), Session>,
    /// Ids kept in `visible` for `id & sample_mask == 0` (0: all).
    pub sample_mask: u64,
}

/// A session's state: its end, count, and in append mode the events waiting for it to be
/// emitted (for their latency).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Session {
    end: Micros,
    agg: Agg,
    pending: VisibleList,
}

impl SessionCount {
    pub fn new(gap: Micros, mode: OutputMode) -> Self {
        Self {
            gap,
            mode,
            state: StateStore::default(),
            sample_mask: 0,
        }
    }

    pub fn state_rows(&self) -> u64 {
        self.state.len()
    }

    /// Runs one micro-batch, every row in one input partition.
    pub fn process(&mut self, rows: &[Row], wm: BatchWatermarks) -> BatchOutcome {
        self.process_in(rows, InputPartitions::ONE, wm)
    }

    /// Runs one micro-batch whose rows came in the input partitions `parts`.
    pub fn process_in(&mut self, rows: &[Row], parts: InputPartitions, wm: BatchWatermarks) -> BatchOutcome {
        let mut out = BatchOutcome {
            fates: Vec::with_capacity(rows.len()),
            ..BatchOutcome::default()
        };
        // Unlike fixed windows, session windows drop late rows in complete mode too (their
        // restore operator always filters; conformance case session_complete).
        let append = self.mode == OutputMode::Append;
        let mut fresh: Vec<(u32, Micros, Visible, i64)> = Vec::with_capacity(rows.len());
        // Late (key, t) groups of the input partition being read; the rows come partition
        // by partition (`shuffle_order`), so each partition's groups are counted when it ends.
        let mut late_groups: Vec<(u32, Micros)> = Vec::new();
        let mut late_part = 0;
        let mut distinct_late = 0u64;
        let mut count = |groups: &mut Vec<(u32, Micros)>| {
            groups.sort_unstable();
            groups.dedup();
            distinct_late += groups.len() as u64;
            groups.clear();
        };
        for (i, r) in rows.iter().enumerate() {
            if wm.late.is_some_and(|w| r.event_time + self.gap <= w) {
                if parts.get(i) != late_part {
                    count(&mut late_groups);
                    late_part = parts.get(i);
                }
                late_groups.push((r.key, r.event_time));
                out.fates.push(Fate::DroppedLate);
            } else {
                out.fates.push(counted(r, wm.late));
                let v = Visible::of(r);
                if !append {
                    out.visible.push(v, r.id & self.sample_mask == 0);
                }
                fresh.push((r.key, r.event_time, v, r.value));
            }
        }
        // Rows are partially aggregated on (key, their own session [t, t + gap)) per input
        // partition before the state store, so late rows count as distinct (partition, key, t)
        // groups (conformance cases random_s3_session_append: two identical late rows report
        // 1; parts_session_late_rows_P3in: the same late row in three partitions reports 3).
        count(&mut late_groups);
        out.dropped_late = distinct_late;
        fresh.sort_unstable_by_key(|&(k, t, v, _)| (k, t, v.id));

        let mut i = 0;
        while i < fresh.len() {
            let key = fresh[i].0;
            let mut j = i;
            while j < fresh.len() && fresh[j].0 == key {
                j += 1;
            }
            self.merge_key(key, &fresh[i..j], append);
            i = j;
        }

        let row = |key: u32, start: Micros, s: &Session| -> OutRow { s.agg.row(start, s.end, key) };
        match self.mode {
            OutputMode::Complete => {
                out.output
                    .extend(self.state.iter().map(|(&(key, start), s)| row(key, start, s)));
            }
            OutputMode::Append | OutputMode::Update => {
                if let Some(w) = wm.evict {
                    for ((key, start), s) in self.state.remove_where(|_, s| s.end <= w) {
                        if append {
                            out.output.push(row(key, start, &s));
                            out.visible.append(s.pending);
                        }
                    }
                }
            }
        }
        out.state = self.state.commit();
        out
    }

    /// Merges one key's new rows (sorted by event time) with its stored sessions.
    fn merge_key(&mut self, key: u32, rows: &[(u32, Micros, Visible, i64)], append: bool) {
        // Spark keys session state by (key, start): it writes every session of a key that
        // had input (numRowsUpdated) and deletes the stored starts that no longer begin a
        // session (numRowsRemoved; conformance case session_merge_across_batches_append).
        let stored = self.state.take_where(|(k, _), _| *k == key);
        let old_starts: Vec<Micros> = stored.iter().map(|((_, s), _)| *s).collect();
        let mut items: Vec<(Micros, Session)> = stored.into_iter().map(|((_, s), sess)| (s, sess)).collect();
        items.extend(rows.iter().map(|&(_, t, v, value)| {
            let mut pending = VisibleList::default();
            if append {
                pending.push(v, v.id & self.sample_mask == 0);
            }
            let mut agg = Agg::default();
            agg.add(value);
            (
                t,
                Session {
                    end: t + self.gap,
                    agg,
                    pending,
                },
            )
        }));
        items.sort_by_key(|(s, sess)| (*s, sess.end));
        let mut merged: Vec<(Micros, Session)> = Vec::new();
        for (s, sess) in items {
            match merged.last_mut() {
                Some((_, cur)) if s <= cur.end => {
                    cur.end = cur.end.max(sess.end);
                    cur.agg.merge(&sess.agg);
                    cur.pending.append(sess.pending);
                }
                _ => merged.push((s, sess)),
            }
        }
        let gone = old_starts
            .iter()
            .filter(|s| !merged.iter().any(|(m, _)| m == *s))
            .count();
        self.state.count_removed(gone as u64);
        for (s, sess) in merged {
            self.state.put((key, s), sess);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::operator::WindowRow;

    const S: i64 = 1_000_000;

    fn r(id: u64, key: u32, t: Micros) -> Row {
        Row {
            id,
            key,
            event_time: t,
            arrival: t,
            value: crate::operators::operator::NULL_VALUE,
        }
    }

    #[test]
    fn merged_sessions_add_their_sums() {
        let mut op = SessionCount::new(5 * S, OutputMode::Complete);
        let none = BatchWatermarks {
            late: None,
            evict: None,
        };
        let v = |id, t, value| Row {
            id,
            key: 0,
            event_time: t,
            arrival: t,
            value,
        };
        op.process(&[v(1, 0, 10), v(2, 20 * S, 5)], none);
        // 4 s joins [0,5) into [0,9); 12 s opens [12,17); then 8 s, [8,13), bridges both
        op.process(&[v(3, 4 * S, 1), v(4, 12 * S, 100)], none);
        let out = op.process(&[v(5, 8 * S, crate::operators::operator::NULL_VALUE)], none);
        let sums: Vec<(i64, u64, i64, u64)> = out
            .output
            .iter()
            .map(|o| match o {
                OutRow::Window(w) => ((w.start / S), w.count, w.sum, w.nonnull),
                OutRow::Dedup(_) => unreachable!(),
            })
            .collect();
        // [0,17) holds 0, 4, 8 (null), 12 → count 4, sum 111, 3 non-null; [20,25) holds 5
        assert_eq!(sums, vec![(0, 4, 111, 3), (20, 1, 5, 1)]);
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
                count: 2,
                sum: 0,
                nonnull: 0
            })]
        );
        // a row whose own session ends at the watermark is late
        let out = op.process(&[r(4, 0, 5 * S)], w(10 * S));
        assert_eq!(out.dropped_late, 1);
    }

    #[test]
    fn late_rows_count_once_per_input_partition() {
        let late = BatchWatermarks {
            late: Some(100 * S),
            evict: Some(100 * S),
        };
        // the same late (key, t) twice in partition 0 and once in 1; another t in 1
        let rows = [r(1, 0, S), r(2, 0, S), r(3, 0, S), r(4, 0, 2 * S)];
        let mut op = SessionCount::new(5 * S, OutputMode::Append);
        assert_eq!(
            op.process(&rows, late).dropped_late,
            2,
            "one partition: (0, 1 s), (0, 2 s)"
        );
        let out = op.process_in(&rows, InputPartitions::of(&[0, 0, 1, 1]), late);
        assert_eq!(out.dropped_late, 3);
    }
}
