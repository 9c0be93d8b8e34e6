//! One streaming query across micro-batches: the operator, the watermark, and the Spark
//! settings that decide which watermark a batch uses and whether a no-data batch follows.
//! Shared by the scenario engine (batches cut by a trigger on a virtual clock) and the
//! conformance runner (batches given explicitly).

use crate::base::time::Micros;
use crate::engine::spark::watermark::WatermarkTracker;
use crate::operators::operator::{
    BatchOutcome, BatchWatermarks, Fate, Operator, Row, RowSpan, evicts_on_watermark,
};
use crate::operators::partitions::InputPartitions;
use crate::operators::query::{EngineConf, Query};
use crate::operators::visible_list::VisibleList;
use crate::workload::shared_stream::Chunk;

#[derive(Debug, Clone)]
pub struct MicroBatchQuery {
    op: Operator,
    watermark: Option<WatermarkTracker>,
    conf: EngineConf,
    evicts: bool,
    /// The watermark the previous batch evicted with; with `allowMultiple` this batch
    /// filters late rows against it. Before any batch: the initial watermark.
    prev_evict: Option<Micros>,
    pending_no_data: bool,
}

/// What one batch did, with the watermark it ran under (None: no watermark).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRun {
    pub watermark: Option<Micros>,
    /// The watermark late rows were tested against.
    pub late_watermark: Option<Micros>,
    pub outcome: BatchOutcome,
}

impl MicroBatchQuery {
    pub fn new(q: &Query, conf: EngineConf) -> Self {
        let watermark = q.watermark_delay.map(WatermarkTracker::new);
        Self {
            op: Operator::new(q),
            prev_evict: watermark.as_ref().map(WatermarkTracker::current),
            watermark,
            conf,
            evicts: evicts_on_watermark(q),
            pending_no_data: false,
        }
    }

    /// The watermark the next batch will run under.
    pub fn watermark(&self) -> Option<Micros> {
        self.watermark.as_ref().map(WatermarkTracker::current)
    }

    pub fn state_rows(&self) -> u64 {
        self.op.state_rows()
    }

    /// Spark's `shouldRunAnotherBatch`: the last batch moved the watermark past the one it
    /// evicted with, the operator evicts on it, and no-data batches are enabled.
    pub fn wants_no_data_batch(&self) -> bool {
        self.pending_no_data
    }

    /// Runs one micro-batch (a no-data batch when `rows` is empty).
    pub fn run_batch(&mut self, rows: &[Row]) -> BatchRun {
        self.run_batch_with(rows, RowSpan::of(rows))
    }

    /// [`MicroBatchQuery::run_batch`] with the rows' span known (one that [`RowSpan::covers`] them).
    pub fn run_batch_with(&mut self, rows: &[Row], span: Option<RowSpan>) -> BatchRun {
        self.run_batch_in(rows, InputPartitions::ONE, span)
    }

    /// Runs one micro-batch read in several input partitions: `rows` in the shuffle's order
    /// (`operators::partitions::shuffle_order`), `parts` their partitions, `span` their
    /// `RowSpan`. With [`InputPartitions::ONE`] this is [`MicroBatchQuery::run_batch_with`].
    pub fn run_batch_in(&mut self, rows: &[Row], parts: InputPartitions, span: Option<RowSpan>) -> BatchRun {
        debug_assert!(RowSpan::covers(span, rows), "{span:?}");
        let wm = self.batch_watermarks();
        let outcome = self.op.process_in(rows, parts, wm, span);
        self.close(wm, span.map(|s| s.max_event_time), outcome)
    }

    /// Keeps the ids of visible events only for `id & mask == 0` (the report's per-event
    /// sample); 0, the default, keeps every id.
    pub fn set_sample_mask(&mut self, mask: u64) {
        self.op.set_sample_mask(mask);
    }

    /// Whether a batch may be fed in chunks ([`MicroBatchQuery::feed`]): the fixed-window
    /// aggregation (a session merges a key's rows of the whole batch; the others keep
    /// every row's output).
    pub fn chunkable(&self) -> bool {
        matches!(self.op, Operator::Window(_))
    }

    /// The watermarks the next batch runs under: with `allowMultiple` late rows are
    /// filtered against the previous batch's eviction watermark, else against this one's.
    pub fn batch_watermarks(&self) -> BatchWatermarks {
        let evict = self.watermark();
        let late = if self.conf.allow_multiple {
            self.prev_evict
        } else {
            evict
        };
        BatchWatermarks { late, evict }
    }

    /// Feeds one chunk of the batch in progress (`wm` from
    /// [`MicroBatchQuery::batch_watermarks`], unchanged for the whole batch); each row's
    /// fate goes to `fates`, rows visible at the batch's commit to `visible`. `whole`: the
    /// shared chunk `rows` are, when they are all of it (`WindowCount::feed`).
    pub fn feed(
        &mut self,
        wm: BatchWatermarks,
        rows: &[Row],
        span: Option<RowSpan>,
        whole: Option<&Chunk>,
        fates: &mut Vec<Fate>,
        visible: &mut VisibleList,
    ) {
        match &mut self.op {
            Operator::Window(op) => op.feed(rows, wm, span, whole, fates, visible),
            _ => unreachable!("only a chunkable query is fed in chunks"),
        }
    }

    /// Ends the batch fed in chunks; `max_event_time` is the latest of all its rows.
    pub fn finish(&mut self, wm: BatchWatermarks, max_event_time: Option<Micros>) -> BatchRun {
        let outcome = match &mut self.op {
            Operator::Window(op) => op.finish(wm),
            _ => unreachable!("only a chunkable query is fed in chunks"),
        };
        self.close(wm, max_event_time, outcome)
    }

    fn close(
        &mut self,
        wm: BatchWatermarks,
        max_event_time: Option<Micros>,
        outcome: BatchOutcome,
    ) -> BatchRun {
        // Every input row counts toward the watermark, late ones included
        // (EventTimeWatermarkExec sits before the stateful operator).
        let moved = self
            .watermark
            .as_mut()
            .is_some_and(|w| w.observe_batch(max_event_time));
        self.prev_evict = wm.evict;
        self.pending_no_data = moved && self.evicts && self.conf.no_data_micro_batches;
        BatchRun {
            watermark: wm.evict,
            late_watermark: wm.late,
            outcome,
        }
    }
}
