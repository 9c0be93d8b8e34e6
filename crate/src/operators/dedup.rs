//! Streaming deduplication: `dropDuplicates(cols)` and
//! `dropDuplicatesWithinWatermark(cols)`, as Spark's `StreamingDeduplicateExec` and
//! `StreamingDeduplicateWithinWatermarkExec` run them per micro-batch.

use crate::base::time::Micros;
use crate::operators::rows::{BatchOutcome, BatchWatermarks, Fate, OutRow, Row, counted};
use crate::operators::state::StateStore;
use crate::operators::visible_list::Visible;

/// Which of the row's columns form the deduplication key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DedupColumns {
    pub id: bool,
    pub key: bool,
    pub event_time: bool,
}

impl DedupColumns {
    /// The state key of a row: unused columns are zeroed.
    fn of(&self, r: &Row) -> (u64, u32, Micros) {
        (
            if self.id { r.id } else { 0 },
            if self.key { r.key } else { 0 },
            if self.event_time { r.event_time } else { 0 },
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DedupKind {
    /// `dropDuplicates`: state keeps the key; with a watermark and the event-time column
    /// among the keys it expires when its event time ≤ watermark; otherwise never.
    DropDuplicates,
    /// `dropDuplicatesWithinWatermark`: state keeps the key with an expiry of the first
    /// occurrence's event time + delay, and drops it once expiry ≤ watermark.
    WithinWatermark { delay: Micros },
}

#[derive(Debug, Clone)]
pub struct Dedup {
    cols: DedupColumns,
    kind: DedupKind,
    /// key → expiry instant (µs): the event time for `DropDuplicates`, event time + delay
    /// for `WithinWatermark`.
    state: StateStore<(u64, u32, Micros), Micros>,
    /// Ids kept in `visible` for `id & sample_mask == 0` (0: all).
    pub sample_mask: u64,
}

impl Dedup {
    pub fn new(cols: DedupColumns, kind: DedupKind) -> Self {
        Self {
            cols,
            kind,
            state: StateStore::default(),
            sample_mask: 0,
        }
    }

    pub fn state_rows(&self) -> u64 {
        self.state.len()
    }

    /// Runs one micro-batch; rows are taken in the given order (the first occurrence of a
    /// key inside a batch is the one kept): with several input partitions, the shuffle's
    /// (input partition, position) order (`partitions.rs`).
    pub fn process(&mut self, rows: &[Row], wm: BatchWatermarks) -> BatchOutcome {
        let mut out = BatchOutcome {
            fates: Vec::with_capacity(rows.len()),
            ..BatchOutcome::default()
        };
        for r in rows {
            if wm.late.is_some_and(|w| r.event_time <= w) {
                out.dropped_late += 1;
                out.fates.push(Fate::DroppedLate);
                continue;
            }
            let k = self.cols.of(r);
            if self.state.get(&k).is_some() {
                out.fates.push(Fate::Duplicate);
                continue;
            }
            out.fates.push(counted(r, wm.late));
            out.visible.push(Visible::of(r), r.id & self.sample_mask == 0);
            let expiry = match self.kind {
                DedupKind::DropDuplicates => r.event_time,
                DedupKind::WithinWatermark { delay } => r.event_time + delay,
            };
            self.state.put(k, expiry);
            out.output.push(OutRow::Dedup(*r));
        }
        if let Some(w) = wm.evict {
            let evicts = match self.kind {
                DedupKind::DropDuplicates => self.cols.event_time,
                DedupKind::WithinWatermark { .. } => true,
            };
            if evicts {
                self.state.remove_where(|_, expiry| *expiry <= w);
            }
        }
        out.state = self.state.commit();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000;

    fn r(id: u64, t: Micros) -> Row {
        Row {
            id,
            key: 0,
            event_time: t,
            arrival: t,
            value: crate::operators::operator::NULL_VALUE,
        }
    }

    #[test]
    fn drop_duplicates_with_event_time_expires() {
        let cols = DedupColumns {
            id: true,
            event_time: true,
            ..Default::default()
        };
        let mut d = Dedup::new(cols, DedupKind::DropDuplicates);
        let w0 = BatchWatermarks {
            late: Some(0),
            evict: Some(0),
        };
        let o = d.process(&[r(1, 5 * S), r(1, 5 * S), r(2, 6 * S)], w0);
        assert_eq!(o.output.len(), 2);
        assert_eq!(o.fates, vec![Fate::OnTime, Fate::Duplicate, Fate::OnTime]);
        assert_eq!(o.state.total, 2);
        let w = BatchWatermarks {
            late: Some(5 * S),
            evict: Some(5 * S),
        };
        let o = d.process(&[r(3, 5 * S), r(2, 6 * S)], w);
        assert_eq!(o.dropped_late, 1, "event time equal to the watermark is late");
        assert!(o.output.is_empty(), "id 2 is still in state");
        assert_eq!(o.state.removed, 1);
    }

    #[test]
    fn without_watermark_state_grows() {
        let cols = DedupColumns {
            id: true,
            ..Default::default()
        };
        let mut d = Dedup::new(cols, DedupKind::DropDuplicates);
        let none = BatchWatermarks {
            late: None,
            evict: None,
        };
        for i in 0..5 {
            d.process(&[r(i, 0), r(i, 0)], none);
        }
        assert_eq!(d.state_rows(), 5);
    }
}
