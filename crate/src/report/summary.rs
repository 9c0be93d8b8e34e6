//! The simulation's result: per-micro-batch columns (one `Vec` per field, ready to be
//! viewed as typed arrays) and a summary.

use crate::operators::operator::BatchOutcome;
use crate::report::latency::LatencySummary;
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
    /// With a file sink: part files the batch added (empty ones included), and of them empty.
    pub data_files: Vec<u64>,
    pub empty_files: Vec<u64>,
    /// Bytes of the batch's data files (the file-size model).
    pub data_bytes: Vec<u64>,
    /// Arrival of the newest event visible after the batch's commit; `i64::MIN`: none yet.
    pub newest_visible_us: Vec<i64>,
    /// Bytes of the whole state after the batch: one version on the executors' heaps (HDFS
    /// provider) or on their local disks (RocksDB); 0 without state (`Report::state_memory`).
    pub state_memory_bytes: Vec<u64>,
}

impl BatchColumns {
    /// Appends one batch (its backlog is filled in later, when known).
    pub fn push(
        &mut self,
        start: i64,
        end: i64,
        input_rows: u64,
        watermark: Option<i64>,
        out: &BatchOutcome,
    ) {
        self.id.push(self.id.len() as u64);
        self.start_us.push(start);
        self.end_us.push(end);
        self.input_rows.push(input_rows);
        self.watermark_us.push(watermark.unwrap_or(i64::MIN));
        self.dropped_late.push(out.dropped_late);
        self.state_rows_total.push(out.state.total);
        self.state_rows_updated.push(out.state.updated);
        self.state_rows_removed.push(out.state.removed);
        self.output_rows.push(out.output.len() as u64);
        self.backlog_rows.push(0);
        self.data_files.push(0);
        self.empty_files.push(0);
        self.data_bytes.push(0);
        self.newest_visible_us.push(i64::MIN);
        self.state_memory_bytes.push(0);
    }

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
    /// With a file sink: the part files Spark's writer produced (before a table format's
    /// optimized write). Log, checkpoint and state files are counted in `cost.storage`.
    pub files: FileCounts,
    /// Events by fate (each processed event in exactly one).
    pub fates: FateCounts,
    /// Arrival → the commit that made the event's result visible, over every event that
    /// became visible.
    pub latency: LatencySummary,
}

/// Part files the writer produced (all zero without a sink).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileCounts {
    pub data_files: u64,
    pub empty_data_files: u64,
    /// Most partition directories one batch wrote into.
    pub partition_dirs_max: u64,
}

/// Processed events by what happened to them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FateCounts {
    /// Counted, event time not behind the watermark, result visible.
    pub on_time: u64,
    /// Counted although behind the watermark (its window was still open), result visible.
    pub late_counted: u64,
    /// Dropped by the watermark.
    pub dropped_late: u64,
    /// Dropped as duplicates.
    pub duplicate: u64,
    /// Counted but never made visible: its window was still open when the input ended.
    pub in_state_at_end: u64,
}

/// Per-event detail for a systematic sample: the events whose id is a multiple of
/// `stride` (every event when `stride` is 1). Index i describes event id `i × stride`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EventColumns {
    pub stride: u64,
    pub id: Vec<u64>,
    pub event_time_us: Vec<i64>,
    pub arrival_us: Vec<i64>,
    /// The micro-batch that took it; -1 if none did.
    pub batch: Vec<i64>,
    /// 0 on time, 1 late but counted, 2 dropped late, 3 duplicate, 4 still in state at the
    /// end, 5 never processed.
    pub fate: Vec<u8>,
    /// The watermark its batch tested late rows against (`i64::MIN`: none).
    pub late_watermark_us: Vec<i64>,
    /// When its result became visible (the commit's end); -1 if never.
    pub visible_us: Vec<i64>,
}

/// Fate code of an event counted but never made visible (see [`EventColumns::fate`]).
pub const FATE_IN_STATE: u8 = 4;
/// Fate code of an event no batch took.
pub const FATE_UNPROCESSED: u8 = 5;

impl EventColumns {
    /// The sample's stride for about `detail_events` rows of `expected_events`: a power of
    /// two, so that "is this id sampled" is a mask, not a division.
    pub fn stride_for(expected_events: f64, detail_events: u64) -> u64 {
        ((expected_events / detail_events.max(1) as f64).ceil().max(1.0) as u64).next_power_of_two()
    }

    /// The sample row of event `id`, created on first use (unprocessed, not visible);
    /// None when `id` is not sampled. `stride` is a power of two.
    pub fn slot(&mut self, id: u64, event_time: i64, arrival: i64) -> Option<usize> {
        let stride = self.stride;
        if id & (stride - 1) != 0 {
            return None;
        }
        let i = (id >> stride.trailing_zeros()) as usize;
        if self.id.len() <= i {
            let n = i + 1;
            self.id.resize(n, 0);
            self.event_time_us.resize(n, 0);
            self.arrival_us.resize(n, 0);
            self.batch.resize(n, -1);
            self.fate.resize(n, FATE_UNPROCESSED);
            self.late_watermark_us.resize(n, i64::MIN);
            self.visible_us.resize(n, -1);
        }
        self.id[i] = id;
        self.event_time_us[i] = event_time;
        self.arrival_us[i] = arrival;
        Some(i)
    }
}

/// A Flink run's own figures (`simulation/flink`): its checkpoints, watermarks and window
/// firings. Counts of events are real events (× k in a scaled run).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FlinkSummary {
    pub checkpoint_interval_s: f64,
    pub checkpoint_duration_s: f64,
    pub watermark_interval_ms: f64,
    pub parallelism: u32,
    /// Completed checkpoints (each commits the part files rolled at its barrier).
    pub checkpoints: u64,
    /// Watermarks the source forwarded (only advancing ones).
    pub watermarks: u64,
    /// Window firings by a watermark (an event-time timer), and re-firings by a late
    /// element within allowed lateness.
    pub watermark_firings: u64,
    pub element_firings: u64,
    /// Late elements no window took: to the side output, or dropped and counted by
    /// `numLateRecordsDropped`.
    pub late_side_output: u64,
    pub late_dropped: u64,
    /// Most part files one checkpoint committed.
    pub max_files_per_checkpoint: u64,
}

/// Non-empty buckets of the latency histogram, [low, high) µs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct HistogramColumns {
    pub low_us: Vec<i64>,
    pub high_us: Vec<i64>,
    pub count: Vec<u64>,
}

impl HistogramColumns {
    /// The histogram's non-empty buckets as columns.
    pub fn of(h: &crate::report::latency::Histogram) -> Self {
        let mut c = Self::default();
        for (lo, hi, n) in h.buckets() {
            c.low_us.push(lo);
            c.high_us.push(hi);
            c.count.push(n);
        }
        c
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub summary: Summary,
    /// Storage, compute and reader costs; freshness.
    pub cost: crate::cost::bill::CostReport,
    /// A stateful Spark query's state memory and the line where it no longer fits
    /// (`cost/state_memory.rs`); None (absent) without state and for Flink.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_memory: Option<crate::cost::state_memory::StateMemoryReport>,
    pub batches: BatchColumns,
    pub events: EventColumns,
    pub latency_histogram: HistogramColumns,
    /// With `workload.data`: what the load read, dropped and made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<crate::workload::loader::LoadStats>,
    /// A scaled run (`scale.rs`): its factor and which figures are estimates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scaled: Option<Scaled>,
    /// A Flink run's own figures (None for Spark; a build without the Flink engine has
    /// no such field).
    #[cfg(feature = "flink")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flink: Option<FlinkSummary>,
    /// A Flink run's watermark steps and window firings, bounded and thinned, for the
    /// timeline (`flink_trace.rs`); None for Spark. Not in the JSON, so not in the digest.
    #[cfg(feature = "flink")]
    #[serde(skip)]
    pub flink_trace: Option<crate::report::flink_trace::FlinkTrace>,
    /// An injected driver failure and the recovery (`recovery.rs`); None without one (a
    /// build without failure injection has no such field).
    #[cfg(feature = "recovery")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery: Option<crate::report::recovery::Recovery>,
}

impl Report {
    /// A 64-bit hash of the report's JSON: equal digests ⇔ byte-identical reports (with
    /// overwhelming probability). Used to check that native and wasm runs of one scenario
    /// agree. The JSON is hashed 8 bytes at a time (a multiply-rotate step per word, then
    /// murmur3's 64-bit finalizer): a byte-at-a-time FNV took 5 ms of a 42 ms re-run at
    /// 1 M events in Chromium. Integer arithmetic only: the same value native and in wasm.
    pub fn digest(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_else(|_| unreachable!("a report always serializes"));
        format!("{:016x}", hash_bytes(&json))
    }
}

/// The digest's hash of `bytes`.
fn hash_bytes(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ (bytes.len() as u64).wrapping_mul(K);
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let mut word = [0u8; 8];
        word.copy_from_slice(w);
        let w = u64::from_le_bytes(word);
        h = (h ^ w).wrapping_mul(K).rotate_left(29);
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    h = (h ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    // murmur3's fmix64.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod digest_tests {
    /// Any change of a byte, of the length or of the order changes the hash.
    #[test]
    fn every_byte_counts() {
        let base: Vec<u8> = (0..100u8).collect();
        let h = super::hash_bytes(&base);
        for i in 0..base.len() {
            let mut b = base.clone();
            b[i] ^= 1;
            assert_ne!(super::hash_bytes(&b), h, "byte {i}");
        }
        assert_ne!(super::hash_bytes(&base[..99]), h);
        assert_ne!(super::hash_bytes(&[base.as_slice(), &[0]].concat()), h);
        let mut swapped = base.clone();
        swapped.swap(3, 11);
        assert_ne!(super::hash_bytes(&swapped), h);
        assert_eq!(super::hash_bytes(&base), h);
    }
}

/// A scaled run, as the report says it.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Scaled {
    /// k: real events per simulated event.
    pub factor: u64,
    /// Events the thinned stream held.
    pub simulated_events: u64,
    /// Expected share of the real stream's (key, window) groups that hold a thinned event
    /// (1 without groups): how exact the group figures are.
    pub group_coverage: f64,
    /// The report's figures that are estimates, by their paths.
    pub estimates: Vec<&'static str>,
    /// The timeline's events: an exact run of the workload's first this many seconds.
    pub timeline_slice_s: f64,
}
