//! State memory: the bytes a stateful operator's state takes on an executor, and the line
//! past which it no longer fits (issue #17; docs/model.md §7, "State memory and the
//! executor-memory line").
//!
//! **Rule.**
//! - Bytes per state row ([`bytes_per_row`]), by operator and state store provider, from
//!   the state key's mean length k in bytes ([`key_bytes`]):
//!   - HDFS-backed provider (Spark's default): one version of the state, JVM objects on the
//!     executor heap: `m + b·(k − 36)`, m the bytes per row of one version measured at 1 M
//!     rows with 36-byte keys, b the key-size slope of the 1k–100k-row fit;
//!   - RocksDB: the state's SST files on the executor's local disk: `a + b·k`.
//! - The state is hashed into `spark.sql.shuffle.partitions` partitions (P) spread evenly
//!   over the executors, E = max(nodes − 1, 1) (one executor per worker node,
//!   `cluster.rs`); the busiest holds ⌈P / E⌉ of them, a share ⌈P / E⌉ / P of the state.
//! - HDFS: an executor's state no longer fits when one version passes
//!   [`OOM_SHARE`] × (heap − [`RESERVED_BYTES`]). The batch that carries the state past it
//!   fails with `java.lang.OutOfMemoryError` and the query stops.
//! - RocksDB: no failure. Its memory is native and bounded: per state store instance (one
//!   per partition) a block cache of [`ROCKSDB_BLOCK_CACHE_BYTES`] plus memtables of about
//!   [`ROCKSDB_MEMTABLE_BYTES`]. The line is the executor's block cache: past it, reads go to
//!   the local disk.
//! - The line for the whole state is the busiest executor's budget ÷ its share; in rows, ÷
//!   the bytes per row. The state crosses it when its rows pass that many.
//!
//! **Invariants** (tests): bytes per row > 0 and grow with k; line rows × bytes per row ×
//! share ≤ the executor's budget < (line rows + 1) × bytes per row × share; the first
//! crossing is kept and never moves; a query without state has no line.
//!
//! **Sources.** Measured: `tests/conformance/state_memory/README.md` and `results.json`
//! (Spark 4.3.0, `local[2]`, 4 shuffle partitions): one-version bytes per row at 1 M rows
//! (`memory_1m`), the slopes and the RocksDB fits (`memory`), the OOM of an unbounded
//! `dropDuplicates` with a 1 GiB heap (`oom`: 3.0 M rows committed, the batch to 3.2 M
//! failed, one version ≈ 0.78–0.81 × (heap − 300 MiB); one point, at one heap size, in local
//! mode), RocksDB's defaults and native memory (`executor`, `memory_1m`). Spark's
//! `UnifiedMemoryManager`: 300 MiB reserved, a heap of at least 1.5 × that. The default
//! heap is an estimate ([`DEFAULT_EXECUTOR_MEMORY_GIB`]).

use crate::cost::cluster::{CORES_PER_NODE, executor_cores};
use crate::operators::query::{Operator, StateStore};
use crate::operators::window::WindowKind;
use serde::Serialize;

const MIB: f64 = 1_048_576.0;
const GIB: f64 = 1_073_741_824.0;

/// `UnifiedMemoryManager.RESERVED_SYSTEM_MEMORY_BYTES`: 300 MiB of the heap Spark keeps for
/// itself (Spark 4.3.0, measured in `results.json` `executor`; the Spark documentation's
/// "Tuning Spark", Memory Management Overview).
pub const RESERVED_BYTES: f64 = 300.0 * MIB;
/// The smallest executor heap Spark starts: 1.5 × [`RESERVED_BYTES`] = 450 MiB
/// (`UnifiedMemoryManager.getMaxMemory`, error `INVALID_EXECUTOR_MEMORY`).
pub const MIN_EXECUTOR_MEMORY_GIB: f64 = 450.0 / 1024.0;
/// Default executor heap of an m6i.xlarge worker, GiB: an **estimate**. EMR gives YARN
/// 12 288 MiB of a 16 GiB m5.xlarge (`yarn.nodemanager.resource.memory-mb`, Amazon EMR
/// Release Guide, "Task configuration", m5 instances, read 2026-11; m6i.xlarge has the
/// same 4 vCPU and 16 GiB and is taken as the same); one executor per node (what
/// `maximizeResourceAllocation` configures) whose container is its heap plus Spark's
/// overhead of 0.1 × heap (`spark.executor.memoryOverheadFactor`): 12 288 MiB ÷ 1.1 ≈
/// 10.9 GiB. No Databricks or EMR page found states the heap itself;
/// `cost.compute.executor_memory_gib` overrides it.
pub const DEFAULT_EXECUTOR_MEMORY_GIB: f64 = 10.9;
/// Share of (heap − 300 MiB) one version of the HDFS provider's state reached when the
/// measured query died: 0.78–0.81 (`results.json` `oom`, 1 GiB heap, local mode).
pub const OOM_SHARE: f64 = 0.8;
/// RocksDB's block cache per state store instance: `blockCacheSizeMB` = 8 (Spark 4.3.0's
/// `RocksDBConf` default, `results.json` `executor`).
pub const ROCKSDB_BLOCK_CACHE_BYTES: f64 = 8.0 * MIB;
/// RocksDB's memtables (and index) per state store instance, bytes: an **estimate**, the
/// native memory a `dropDuplicates` without watermark (its block cache about empty) kept at
/// 1 M rows over 4 instances: 1.93 MB ÷ 4 (`memory_1m`).
pub const ROCKSDB_MEMTABLE_BYTES: f64 = 500_000.0;

/// Bytes a string key's length is measured against: the 1 M-row measurements used 36.
const KEY_AT: f64 = 36.0;

/// The state key's mean data bytes: a window's grouping key (its window is in the
/// per-row constant), or a deduplication's columns (the key string, 8 bytes for `id`, 8
/// for `event_time`). None for a query without state.
pub fn key_bytes(op: &Operator, key_len: f64) -> Option<f64> {
    match op {
        Operator::WindowCount(_) => Some(key_len),
        Operator::Dedup(c) | Operator::DedupWithinWatermark(c) => Some(
            f64::from(u8::from(c.key)) * key_len
                + 8.0 * f64::from(u8::from(c.id))
                + 8.0 * f64::from(u8::from(c.event_time)),
        ),
        Operator::Select => None,
    }
}

/// Bytes per state row for a state key of `k` bytes: one version on the heap (HDFS) or
/// the SST files on local disk (RocksDB). None for a query without state. At least 1.
pub fn bytes_per_row(op: &Operator, store: StateStore, k: f64) -> Option<f64> {
    let session = matches!(op, Operator::WindowCount(WindowKind::Session { .. }));
    // (one version at 1 M rows and 36 B keys, slope) and (SST a, slope): the measured table.
    let ((m, b), (a, s)) = match op {
        Operator::Select => return None,
        Operator::WindowCount(_) if session => ((726.0, 4.386), (14.4, 0.88)),
        Operator::WindowCount(_) => ((265.9, 1.043), (8.7, 0.775)),
        Operator::Dedup(_) => ((201.7, 0.813), (8.5, 0.765)),
        Operator::DedupWithinWatermark(_) => ((201.7, 0.813), (8.5, 0.766)),
    };
    let v = match store {
        StateStore::Hdfs => m + b * (k - KEY_AT),
        StateStore::Rocksdb => a + s * k,
    };
    // To the thousandth: the report shows the model's figure, not its float noise.
    Some((v.max(1.0) * 1000.0).round() / 1000.0)
}

/// The first batch whose state passed the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Crossing {
    pub batch: u64,
    /// The batch's end on the virtual clock, µs.
    pub at_us: i64,
    /// Rows in state after it (real rows in a scaled run).
    pub state_rows: u64,
}

/// A query's state memory on its cluster, and where its line is (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    pub store: StateStore,
    pub key_bytes: f64,
    pub bytes_per_row: f64,
    pub heap_bytes: u64,
    pub executors: u32,
    /// Shuffle partitions (state store instances) on the busiest executor.
    pub partitions_per_executor: u32,
    /// The busiest executor's share of the state.
    pub share: f64,
    /// Bytes the busiest executor may hold: HDFS [`OOM_SHARE`] × (heap − 300 MiB); RocksDB
    /// its block cache.
    pub budget_bytes: f64,
    /// RocksDB's native memory on the busiest executor (block cache + memtables); 0 for HDFS.
    pub native_bytes: f64,
    /// The whole state's rows at the line.
    pub rows: u64,
}

impl Line {
    /// The line of `op` with `store`, keys of `key_len` bytes on average, on `nodes` nodes
    /// with `partitions` shuffle partitions and a heap of `heap_bytes` per executor; None
    /// for a query without state.
    pub fn new(
        op: &Operator,
        store: StateStore,
        key_len: f64,
        nodes: u32,
        partitions: u32,
        heap_bytes: u64,
    ) -> Option<Line> {
        let k = key_bytes(op, key_len)?;
        let bpr = bytes_per_row(op, store, k)?;
        let executors = (executor_cores(nodes) / CORES_PER_NODE).max(1);
        let p = partitions.max(1);
        let per = p.div_ceil(executors);
        let share = f64::from(per) / f64::from(p);
        let (budget, native) = match store {
            StateStore::Hdfs => (OOM_SHARE * (heap_bytes as f64 - RESERVED_BYTES).max(0.0), 0.0),
            StateStore::Rocksdb => (
                f64::from(per) * ROCKSDB_BLOCK_CACHE_BYTES,
                f64::from(per) * (ROCKSDB_BLOCK_CACHE_BYTES + ROCKSDB_MEMTABLE_BYTES),
            ),
        };
        Some(Line {
            store,
            key_bytes: k,
            bytes_per_row: bpr,
            heap_bytes,
            executors,
            partitions_per_executor: per,
            share,
            budget_bytes: budget,
            native_bytes: native,
            rows: (budget / share / bpr).floor() as u64,
        })
    }

    /// The whole state's bytes at the line.
    pub fn bytes(&self) -> f64 {
        self.budget_bytes / self.share
    }
}

/// What the report says of the state's memory (`state_memory`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateMemoryReport {
    /// `"hdfs"` or `"rocksdb"`.
    pub provider: StateStore,
    /// The state key's mean bytes the figure below is for.
    pub key_bytes: f64,
    /// One version on the heap (HDFS) or on local disk (RocksDB), per state row.
    pub bytes_per_row: f64,
    pub executor_heap_bytes: u64,
    pub executors: u32,
    /// Shuffle partitions (state store instances) on the busiest executor.
    pub partitions_per_executor: u32,
    /// What the busiest executor may hold: HDFS 0.8 × (heap − 300 MiB), RocksDB its block
    /// cache.
    pub executor_budget_bytes: u64,
    /// RocksDB's native memory on the busiest executor (block cache + memtables); 0 for HDFS.
    pub native_bytes_per_executor: u64,
    /// The line for the whole state, in bytes and in rows.
    pub line_bytes: u64,
    pub line_rows: u64,
    /// The whole state's largest size in the run (the batches' `state_memory_bytes`).
    pub peak_bytes: u64,
    /// HDFS: the batch that passed the line and failed with `java.lang.OutOfMemoryError`;
    /// the query stopped there.
    pub out_of_memory: Option<Crossing>,
    /// RocksDB: the first batch whose state on disk passed the block cache (reads go to disk).
    pub block_cache_exceeded: Option<Crossing>,
}

/// A run's state memory, batch by batch: the line, the peak and the first crossing.
#[derive(Debug, Clone, Default)]
pub struct StateMemory {
    line: Option<Line>,
    /// Real rows per simulated state row (k, or the group weight, in a scaled run).
    weight: f64,
    peak_bytes: f64,
    crossing: Option<Crossing>,
}

impl StateMemory {
    /// Tracks `line` (None: a query without state) for state rows weighing `weight` real rows.
    pub fn new(line: Option<Line>, weight: f64) -> Self {
        Self {
            line,
            weight,
            ..Self::default()
        }
    }

    /// Folds in the state after batch `batch`, ending at `at_us`, of `rows` simulated rows;
    /// returns the whole state's bytes.
    pub fn observe(&mut self, batch: u64, at_us: i64, rows: u64) -> u64 {
        let Some(line) = self.line else {
            return 0;
        };
        let real = (rows as f64 * self.weight).round();
        let bytes = real * line.bytes_per_row;
        self.peak_bytes = self.peak_bytes.max(bytes);
        if self.crossing.is_none() && real > line.rows as f64 {
            self.crossing = Some(Crossing {
                batch,
                at_us,
                state_rows: real as u64,
            });
        }
        bytes.round() as u64
    }

    /// Whether the query died of its state: HDFS, past the line.
    pub fn out_of_memory(&self) -> bool {
        self.crossing.is_some() && self.line.is_some_and(|l| l.store == StateStore::Hdfs)
    }

    /// The report's section; None for a query without state.
    pub fn report(&self) -> Option<StateMemoryReport> {
        let l = self.line?;
        let hdfs = l.store == StateStore::Hdfs;
        Some(StateMemoryReport {
            provider: l.store,
            key_bytes: l.key_bytes,
            bytes_per_row: l.bytes_per_row,
            executor_heap_bytes: l.heap_bytes,
            executors: l.executors,
            partitions_per_executor: l.partitions_per_executor,
            executor_budget_bytes: l.budget_bytes.round() as u64,
            native_bytes_per_executor: l.native_bytes.round() as u64,
            line_bytes: l.bytes().round() as u64,
            line_rows: l.rows,
            peak_bytes: self.peak_bytes.round() as u64,
            out_of_memory: self.crossing.filter(|_| hdfs),
            block_cache_exceeded: self.crossing.filter(|_| !hdfs),
        })
    }
}

/// Bytes of an executor heap of `gib` GiB.
pub fn heap_bytes(gib: f64) -> u64 {
    (gib * GIB).round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::dedup::DedupColumns;
    use crate::operators::window::Windowing;

    const KEY_ONLY: DedupColumns = DedupColumns {
        id: false,
        key: true,
        event_time: false,
    };

    fn tumbling() -> Operator {
        Operator::WindowCount(WindowKind::Fixed(Windowing {
            size: 60_000_000,
            slide: 60_000_000,
        }))
    }

    fn ops() -> [(&'static str, Operator); 4] {
        [
            ("window_count", tumbling()),
            ("dedup", Operator::Dedup(KEY_ONLY)),
            ("dedup_within_watermark", Operator::DedupWithinWatermark(KEY_ONLY)),
            (
                "session_count",
                Operator::WindowCount(WindowKind::Session { gap: 600_000_000 }),
            ),
        ]
    }

    #[test]
    fn bytes_per_row_match_the_measured_table() {
        // One version at 1 M rows, 36 B keys (memory_1m: stateOnCurrentVersionSizeBytes / rows).
        let at_1m = [265.906904, 201.654152, 201.654152, 725.959904];
        // The 1k–100k fit a + b·k (README, "memory: fits", stateOnCurrentVersionSizeBytes):
        // the model is within the ±15 % the README gives SizeEstimator's figures.
        let fit = [(209.6, 1.043), (193.2, 0.813), (193.2, 0.813), (493.6, 4.386)];
        // SST bytes per row: the per-key-size slopes at 8 / 36 / 100 B and the fit's rmse.
        let sst = [
            ([11.0, 42.3, 84.5], 4.1),
            ([10.7, 41.7, 83.3], 4.1),
            ([10.8, 41.7, 83.4], 4.1),
            ([16.3, 53.4, 100.2], 5.3),
        ];
        for (i, (name, op)) in ops().iter().enumerate() {
            let hdfs = |k| bytes_per_row(op, StateStore::Hdfs, k).expect("stateful");
            assert!((hdfs(36.0) - at_1m[i]).abs() < 0.1, "{name}: {}", hdfs(36.0));
            for (j, k) in [8.0, 36.0, 100.0].into_iter().enumerate() {
                let (a, b) = fit[i];
                let f = a + b * k;
                assert!(
                    (hdfs(k) / f - 1.0).abs() <= 0.15,
                    "{name} at {k} B: {} vs {f}",
                    hdfs(k)
                );
                let (v, rmse) = sst[i];
                let r = bytes_per_row(op, StateStore::Rocksdb, k).expect("stateful");
                // Three points, two parameters: a residual may reach 1.5 × the rmse.
                assert!(
                    (r - v[j]).abs() <= 1.5 * rmse,
                    "{name} at {k} B on disk: {r} vs {}",
                    v[j]
                );
            }
            assert!(hdfs(100.0) > hdfs(8.0) && hdfs(0.0) >= 1.0, "{name}");
        }
        assert_eq!(bytes_per_row(&Operator::Select, StateStore::Hdfs, 36.0), None);
        assert_eq!(key_bytes(&Operator::Select, 36.0), None);
        // A deduplication's key: its columns.
        let all = DedupColumns {
            id: true,
            key: true,
            event_time: true,
        };
        assert_eq!(key_bytes(&Operator::Dedup(all), 3.0), Some(19.0));
    }

    #[test]
    fn a_1_gib_heap_reproduces_the_measured_out_of_memory() {
        // results.json `oom`: dropDuplicates(["key"]), 36 B keys, 200 000 new keys a batch,
        // local[2] (one JVM: driver = executor), 4 shuffle partitions, 1 GiB heap. Batch 14
        // committed 3.0 M rows; batch 15 (→ 3.2 M) died of OutOfMemoryError.
        let dedup = Operator::Dedup(KEY_ONLY);
        let l = Line::new(&dedup, StateStore::Hdfs, 36.0, 1, 4, heap_bytes(1.0)).expect("a line");
        assert_eq!((l.executors, l.partitions_per_executor, l.share), (1, 4, 1.0));
        assert!((3_000_000..3_200_000).contains(&l.rows), "{}", l.rows);
        // The budget: 0.8 × (1024 − 300) MiB.
        assert!((l.budget_bytes - 0.8 * 724.0 * MIB).abs() < 1.0);
        let mut m = StateMemory::new(Some(l), 1.0);
        let failed = (0..40u64)
            .find(|&b| {
                m.observe(b, b as i64, (b + 1) * 200_000);
                m.out_of_memory()
            })
            .expect("it fails");
        assert_eq!(failed, 15);
        let r = m.report().expect("a report");
        assert_eq!(
            r.out_of_memory,
            Some(Crossing {
                batch: 15,
                at_us: 15,
                state_rows: 3_200_000
            })
        );
        assert_eq!(r.block_cache_exceeded, None);
        // The crossing stays the first one.
        m.observe(16, 16, 3_400_000);
        assert_eq!(m.report().expect("a report").out_of_memory, r.out_of_memory);
    }

    #[test]
    fn the_line_is_the_busiest_executors_budget() {
        let op = tumbling();
        for (nodes, p) in [(1, 200), (2, 200), (3, 200), (7, 200), (5, 2), (11, 4)] {
            for store in [StateStore::Hdfs, StateStore::Rocksdb] {
                let l = Line::new(&op, store, 3.0, nodes, p, heap_bytes(DEFAULT_EXECUTOR_MEMORY_GIB))
                    .expect("a line");
                let e = nodes.saturating_sub(1).max(1);
                assert_eq!(l.executors, e);
                assert_eq!(l.partitions_per_executor, p.div_ceil(e));
                let at = |rows: u64| rows as f64 * l.bytes_per_row * l.share;
                assert!(
                    at(l.rows) <= l.budget_bytes && l.budget_bytes < at(l.rows + 1),
                    "{l:?}"
                );
            }
        }
        // RocksDB: 8 MiB of block cache and ~0.5 MB of memtables per instance: 4 instances
        // make the ~35 MB measured at 1 M rows.
        let l = Line::new(&op, StateStore::Rocksdb, 36.0, 1, 4, heap_bytes(1.0)).expect("a line");
        assert!((l.native_bytes / 1e6 - 35.5).abs() < 0.5, "{}", l.native_bytes);
        assert!((l.bytes() - 4.0 * 8.0 * MIB).abs() < 1.0);
        assert_eq!(
            Line::new(&Operator::Select, StateStore::Hdfs, 3.0, 2, 200, 1),
            None
        );
        // No line, no bytes, no failure.
        let mut none = StateMemory::new(None, 1.0);
        assert_eq!(none.observe(0, 0, 1_000_000_000), 0);
        assert!(!none.out_of_memory() && none.report().is_none());
    }

    #[test]
    fn rocksdb_passes_its_block_cache_without_failing() {
        let op = Operator::Dedup(KEY_ONLY);
        let l = Line::new(&op, StateStore::Rocksdb, 36.0, 1, 4, heap_bytes(1.0)).expect("a line");
        let mut m = StateMemory::new(Some(l), 1.0);
        let bytes = m.observe(0, 5, l.rows + 1);
        assert!(bytes as f64 > l.bytes() && !m.out_of_memory());
        let r = m.report().expect("a report");
        assert_eq!(r.out_of_memory, None);
        assert_eq!(r.block_cache_exceeded.map(|c| c.batch), Some(0));
        assert_eq!(r.peak_bytes, bytes);
        // A scaled run's rows weigh k real rows each.
        let mut k = StateMemory::new(Some(l), 10.0);
        assert_eq!(k.observe(0, 0, 100), (1000.0 * l.bytes_per_row).round() as u64);
    }
}
