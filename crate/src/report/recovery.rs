//! What a run with an injected driver failure tells about it (`engine/spark/recovery.rs`,
//! `storage/rerun.rs`): the outage, the re-run batch, the catch-up, and what the sink was
//! left with. Counts of rows and files are real ones (× k in a scaled run).

use serde::Serialize;

/// Where the failure found the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FailedDuring {
    /// A batch was running: it is re-run with the same offsets after the restart.
    #[default]
    Batch,
    /// Between batches: nothing to re-run; the first batch after the restart reads the
    /// backlog.
    Idle,
    /// After the last batch (the stream had ended): nothing changes.
    AfterEnd,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Recovery {
    pub during: FailedDuring,
    /// The failure, µs on the virtual clock.
    pub failed_at_us: i64,
    /// The batch in flight (re-run after the restart); None between batches.
    pub failed_batch: Option<u64>,
    /// The failed attempt's time, from its start to the failure, s (compute lost).
    pub lost_s: f64,
    /// The restart delay (the scenario's), and the state store's restore after it, s.
    pub restart_s: f64,
    pub restore_s: f64,
    /// State deltas each partition replayed on top of its snapshot.
    pub restore_deltas: u64,
    /// When the restarted query ran its first batch (failure + restart + restore).
    pub resumed_at_us: i64,
    /// The last commit before the failure and the first after it, µs; the gap between is
    /// the time no new result became visible.
    pub last_commit_before_us: Option<i64>,
    pub first_commit_after_us: Option<i64>,
    pub no_commit_s: Option<f64>,
    /// Rows that arrived while the query was down and were waiting at its first new batch.
    pub backlog_rows: u64,
    /// Batches after the restart until the query caught up (the re-run included).
    pub catch_up_batches: u64,
    /// The end of the first batch after the restart that took everything waiting (no rate
    /// limit cut it) within its trigger interval; None if the run ended first.
    pub caught_up_at_us: Option<i64>,
    /// From the failure to caught up, s.
    pub recovery_s: Option<f64>,
    /// End-to-end latency of the events made visible from the restart until caught up.
    pub latency_p95_s: Option<f64>,
    pub latency_max_s: Option<f64>,
    /// Rows committed twice (a plain `foreachBatch` append re-run).
    pub duplicate_rows: u64,
    /// Files the failed attempt left outside the table, and their bytes.
    pub orphan_files: u64,
    pub orphan_bytes: u64,
    /// Whether the re-run's write was skipped because the sink had committed the batch.
    pub write_skipped: bool,
}
