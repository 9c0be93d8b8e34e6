//! The simulation's result: per-micro-batch columns (one `Vec` per field, ready to be
//! viewed as typed arrays) and a summary.

use serde::Serialize;

/// One entry per micro-batch, in batch order. All times are µs on the virtual clock.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BatchColumns {
    pub id: Vec<u64>,
    pub start_us: Vec<i64>,
    pub end_us: Vec<i64>,
    pub input_rows: Vec<u64>,
    /// Watermark in effect for the batch; `i64::MIN` when the query has none.
    pub watermark_us: Vec<i64>,
    pub dropped_late: Vec<u64>,
    pub state_rows_total: Vec<u64>,
    pub state_rows_updated: Vec<u64>,
    pub state_rows_removed: Vec<u64>,
    pub output_rows: Vec<u64>,
    /// Rows that had arrived by the batch's end and wait for a later batch.
    pub backlog_rows: Vec<u64>,
}

impl BatchColumns {
    pub fn len(&self) -> usize {
        self.id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Events processed by some batch.
    pub events: u64,
    /// Events generated but never taken by a batch (a run-and-stop trigger that ran
    /// before they arrived).
    pub unprocessed_events: u64,
    pub batches: u64,
    pub no_data_batches: u64,
    /// Batches that ran longer than the trigger interval.
    pub falling_behind_batches: u64,
    /// (row, window) pairs dropped as late.
    pub dropped_late: u64,
    pub output_rows: u64,
    pub peak_state_rows: u64,
    pub final_state_rows: u64,
    pub max_backlog_rows: u64,
    /// Query runs of a run-and-stop trigger (`once`, `available_now`, scheduled); 0 for
    /// long-running queries.
    pub runs: u64,
    /// Scheduled runs that were still going when the next one was due.
    pub overlapping_runs: u64,
    /// From the first event's arrival to the last batch's end, s.
    pub processing_span_s: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub summary: Summary,
    pub batches: BatchColumns,
}
