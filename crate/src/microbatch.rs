//! One streaming query across micro-batches: the operator, the watermark, and the Spark
//! settings that decide which watermark a batch uses and whether a no-data batch follows.
//! Shared by the scenario engine (batches cut by a trigger on a virtual clock) and the
//! conformance runner (batches given explicitly).

use crate::operator::{BatchOutcome, BatchWatermarks, Operator, Row, RowSpan, evicts_on_watermark};
use crate::query::{EngineConf, Query};
use crate::time::Micros;
use crate::watermark::WatermarkTracker;

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

    /// [`MicroBatchQuery::run_batch`] with the rows' span known (`RowSpan::of(rows)`).
    pub fn run_batch_with(&mut self, rows: &[Row], span: Option<RowSpan>) -> BatchRun {
        let evict = self.watermark();
        let late = if self.conf.allow_multiple {
            self.prev_evict
        } else {
            evict
        };
        let outcome = self.op.process(rows, BatchWatermarks { late, evict }, span);
        // Every input row counts toward the watermark, late ones included
        // (EventTimeWatermarkExec sits before the stateful operator).
        debug_assert_eq!(span, RowSpan::of(rows));
        let max_event_time = span.map(|s| s.max_event_time);
        let moved = self
            .watermark
            .as_mut()
            .is_some_and(|w| w.observe_batch(max_event_time));
        self.prev_evict = evict;
        self.pending_no_data = moved && self.evicts && self.conf.no_data_micro_batches;
        BatchRun {
            watermark: evict,
            late_watermark: late,
            outcome,
        }
    }
}
