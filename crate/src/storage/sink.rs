//! The file sink, file by file as Spark writes it, and the size of each file.
//!
//! A stateful query's output leaves the stateful operator in `spark.sql.shuffle.partitions`
//! tasks, a row in the task of its group: `pmod(Murmur3Hash(grouping columns, 42), P)`
//! (Spark's `HashPartitioning`), each task writing its rows. A stateless query writes from
//! its read tasks: one per Kafka topic partition with new offsets, or one per packed file
//! split (see [`file_splits`]).
//!
//! - Flat layout: one part file per task that has rows, and task 0 writes one empty file
//!   when it has none (so every batch adds at least one file).
//! - `partitionBy(key)`: one file per (task, key value) in a directory per key value;
//!   nothing at all for a batch without rows.
//! - `maxRecordsPerFile` (`spark.sql.files.maxRecordsPerFile`, default 0 = no limit)
//!   splits a file of n rows into ⌈n / max⌉ files.
//! - `_spark_metadata`: one log file per batch, `N`, or `N.compact` every 10th batch
//!   (`spark.sql.streaming.fileSink.log.compactInterval`, default 10).

use crate::base::error::{InputError, non_negative, positive};
use crate::base::murmur3::{SEED, hash_bytes, hash_long, pmod};
use crate::operators::dedup::DedupColumns;
use crate::operators::operator::OutRow;
use crate::storage::rerun::Writer;
use crate::storage::table_format::{DeltaSpec, IcebergSpec, TableFormat};
use serde::Serialize;
use std::collections::BTreeMap;

/// The sink a scenario writes to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SinkSpec {
    /// `parquet` (Spark's file sink with its `_spark_metadata` log), `delta` or `iceberg`.
    /// The data files are parquet in all three.
    pub format: TableFormat,
    /// `[]` or `["key"]` (`partitionBy("key")`).
    pub partition_by: Vec<String>,
    /// `maxRecordsPerFile`; 0 = no limit (Spark's default).
    pub max_records_per_file: u64,
    pub file_size: FileSizeSpec,
    /// Files below this size count as small in the report, MiB. Default 128 (an often-used
    /// threshold: Spark's `spark.sql.files.maxPartitionBytes` default, 128 MiB).
    pub small_file_mib: f64,
    /// Delta-only settings (ignored by other formats).
    pub delta: DeltaSpec,
    /// Iceberg-only settings (ignored by other formats).
    pub iceberg: IcebergSpec,
    /// How the query writes: `sink` (the format's streaming sink, default),
    /// `foreach_batch_append` or `foreach_batch_idempotent` (`rerun.rs`: what a re-run
    /// batch does to the table).
    pub writer: Writer,
}

impl Default for SinkSpec {
    fn default() -> Self {
        Self {
            format: TableFormat::Parquet,
            partition_by: Vec::new(),
            max_records_per_file: 0,
            file_size: FileSizeSpec::default(),
            small_file_mib: 128.0,
            delta: DeltaSpec::default(),
            iceberg: IcebergSpec::default(),
            writer: Writer::Sink,
        }
    }
}

/// A parquet file's size: `footer_bytes + rows × row_bytes × compression_ratio`.
///
/// A linear model of a non-linear fact: dictionary and run-length encoding make rows
/// cheaper the more a file holds. Measured on Spark 4.3.0's streaming file sink (snappy,
/// parquet-mr 1.17.0, this project's oracle, 2026-11-22; docs/model.md has the table):
/// window-count files of 0 / 100 / 1 000 / 10 000 rows are 692 / 1 878 / 5 462 / 28 110 B;
/// dedup rows (id, key, event_time) 468 / 2 522 / 16 865 / 127 754 B. The defaults fit
/// the 100-row files (a streaming sink's usual file) and overstate big ones.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct FileSizeSpec {
    /// Uncompressed bytes per output row; `null` = from the output schema (window: 16 for
    /// the window struct, 4 + key length, 8 per aggregate; dedup and select: the
    /// workload's `row_bytes`).
    pub row_bytes: Option<f64>,
    /// Encoded size ÷ uncompressed size; `null` = by schema: 0.37 for window rows,
    /// 0.79 for event rows (fits at 100 rows: (1 878 − 692) / 100 / 32 and
    /// (2 522 − 468) / 100 / 26).
    pub compression_ratio: Option<f64>,
    /// Size of a file with no rows (schema, footer, magic), bytes; `null` = by schema:
    /// 692 for window rows, 468 for event rows (measured).
    pub footer_bytes: Option<f64>,
}

/// Measured defaults by output schema: (compression ratio, footer bytes).
pub const WINDOW_FILE: (f64, f64) = (0.37, 692.0);
pub const EVENT_FILE: (f64, f64) = (0.79, 468.0);

/// A validated sink.
#[derive(Debug, Clone, PartialEq)]
pub struct Sink {
    pub format: TableFormat,
    pub partition_by_key: bool,
    /// 0 = no limit.
    pub max_records_per_file: u64,
    /// Uncompressed bytes per row, compression ratio, empty-file bytes; None = by schema.
    pub row_bytes: Option<f64>,
    pub compression_ratio: Option<f64>,
    pub footer_bytes: Option<f64>,
    /// Bytes.
    pub small_file_bytes: u64,
    pub delta: DeltaSpec,
    pub iceberg: IcebergSpec,
    pub writer: Writer,
}

impl Sink {
    /// The table's scheduled maintenance jobs: (field, period in hours), for the budget.
    pub fn maintenance_periods_h(&self) -> Vec<(String, f64)> {
        [
            ("sink.delta.optimize_every_h", self.delta.optimize_every_h),
            ("sink.delta.vacuum_every_h", self.delta.vacuum_every_h),
            ("sink.iceberg.rewrite_every_h", self.iceberg.rewrite_every_h),
            ("sink.iceberg.expire_every_h", self.iceberg.expire_every_h),
        ]
        .into_iter()
        .filter_map(|(f, h)| h.map(|h| (f.to_string(), h)))
        .collect()
    }
}

impl SinkSpec {
    pub fn validate(&self, field: &str) -> Result<Sink, InputError> {
        let partition_by_key = match self.partition_by.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            [] => false,
            ["key"] => true,
            _ => {
                return Err(InputError::new(
                    format!("{field}.partition_by"),
                    "[] or [\"key\"] are modelled",
                ));
            }
        };
        let fs = &self.file_size;
        let row_bytes = fs
            .row_bytes
            .map(|b| positive(&format!("{field}.file_size.row_bytes"), b))
            .transpose()?;
        Ok(Sink {
            format: self.format,
            partition_by_key,
            max_records_per_file: self.max_records_per_file,
            row_bytes,
            compression_ratio: fs
                .compression_ratio
                .map(|v| positive(&format!("{field}.file_size.compression_ratio"), v))
                .transpose()?,
            footer_bytes: fs
                .footer_bytes
                .map(|v| non_negative(&format!("{field}.file_size.footer_bytes"), v))
                .transpose()?,
            small_file_bytes: (positive(&format!("{field}.small_file_mib"), self.small_file_mib)? * MIB)
                as u64,
            delta: self.delta.validate(&format!("{field}.delta"))?,
            iceberg: self.iceberg.validate(&format!("{field}.iceberg"))?,
            writer: self.writer,
        })
    }
}

/// Mean length in bytes of the workload's key names (its own, or `k0` … `k{n−1}`).
///
/// ```
/// # use pipeline_sim::ScenarioSpec;
/// let sc = ScenarioSpec::from_json(r#"{"seed": 1, "workload": {"keys": 100}}"#).unwrap();
/// // k0…k9: 2 bytes, k10…k99: 3 bytes.
/// assert_eq!(pipeline_sim::storage::sink::mean_key_len(&sc.workload), 2.9);
/// ```
pub fn mean_key_len(w: &crate::workload::spec::Workload) -> f64 {
    match &w.key_names {
        Some(n) if !n.is_empty() => n.iter().map(|k| k.len() as f64).sum::<f64>() / n.len() as f64,
        _ => {
            // "k0".."k{n-1}": 1 + digits. (Until stop 27 the sum also counted "k{n}".)
            let n = u64::from(w.keys.max(1));
            let (mut total, mut lo, mut next, mut digits) = (0u64, 0u64, 10u64, 1u64);
            while lo < n {
                let hi = next.min(n);
                total += (hi - lo) * (1 + digits);
                lo = next;
                next = next.saturating_mul(10);
                digits += 1;
            }
            total as f64 / n as f64
        }
    }
}

/// The file-size model's inputs for a query's output rows (see [`FileSizeSpec`]): bytes per
/// row, compression ratio and empty-file bytes, the sink's own or by schema — a window row
/// is its struct (2 × 8), key (4 + length), count (8) and a sum or avg (8); any other row
/// the workload's `row_bytes`.
pub fn file_model(
    sink: &Sink,
    q: &crate::operators::query::Query,
    key_len: f64,
    event_row_bytes: f64,
) -> (f64, f64, f64) {
    let window = matches!(q.operator, crate::operators::query::Operator::WindowCount(_));
    let row_bytes = sink.row_bytes.unwrap_or(if window {
        16.0 + 4.0
            + key_len
            + 8.0
            + if q.aggregate == crate::operators::query::Aggregate::Count {
                0.0
            } else {
                8.0
            }
    } else {
        event_row_bytes
    });
    let (ratio, footer) = if window { WINDOW_FILE } else { EVENT_FILE };
    (
        row_bytes,
        sink.compression_ratio.unwrap_or(ratio),
        sink.footer_bytes.unwrap_or(footer),
    )
}

// Defined with the table formats' logs (`table_format.rs`), named here too.
pub use crate::storage::table_format::{LOG_COMPACT_INTERVAL, MIB};

/// Where a batch's rows went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchFiles {
    /// Part files added, empty ones included.
    pub data_files: u64,
    /// Of which hold no row.
    pub empty_files: u64,
    /// Distinct partition directories written (0 when flat).
    pub partition_dirs: u64,
    /// Rows of each file, in (task, partition value) order.
    pub file_rows: Vec<u64>,
}

/// How rows reach the sink's write tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// `groupBy(window(...), key)`: by the window struct (start, end), then the key.
    WindowAndKey,
    /// `groupBy(session_window(...), key)`: by the key alone, since a key's sessions must
    /// meet in one task to merge (conformance case sink_session_partitioned_P3).
    Key,
    /// Deduplication: by the dedup columns, in the input's column order (id, key,
    /// event_time); all three when none are named.
    Dedup(DedupColumns),
    /// A stateless query: the read task of the row (not a hash); see [`source_task`].
    Source,
}

/// The grouping of a query's stateful operator.
pub fn grouping(q: &crate::operators::query::Query) -> Grouping {
    use crate::operators::query::Operator;
    match q.operator {
        Operator::WindowCount(crate::operators::window::WindowKind::Session { .. }) => Grouping::Key,
        Operator::WindowCount(_) => Grouping::WindowAndKey,
        Operator::Dedup(c) | Operator::DedupWithinWatermark(c) => Grouping::Dedup(c),
        Operator::Select => Grouping::Source,
    }
}

/// The shuffle task of an output row: the hash of its grouping columns, a key hashed as
/// UTF-8 as Spark hashes a `StringType`, a timestamp as its microseconds. `key_name` gives
/// a key's string. None for [`Grouping::Source`] (not a hash).
pub fn task_of(
    row: &OutRow,
    grouping: Grouping,
    key_name: &dyn Fn(u32) -> String,
    partitions: u32,
) -> Option<u32> {
    let h = match (row, grouping) {
        (OutRow::Window(w), Grouping::WindowAndKey) => hash_bytes(
            key_name(w.key).as_bytes(),
            hash_long(w.end, hash_long(w.start, SEED)),
        ),
        (OutRow::Window(w), Grouping::Key) => hash_bytes(key_name(w.key).as_bytes(), SEED),
        (OutRow::Dedup(r), Grouping::Dedup(c)) => {
            let all = !c.id && !c.key && !c.event_time;
            let mut h = SEED;
            if all || c.id {
                h = hash_long(r.id as i64, h);
            }
            if all || c.key {
                h = hash_bytes(key_name(r.key).as_bytes(), h);
            }
            if all || c.event_time {
                h = hash_long(r.event_time, h);
            }
            h
        }
        _ => return None,
    };
    Some(pmod(h, partitions))
}

/// Kafka's default partitioner for a keyed record: `toPositive(murmur2(key)) % n`
/// (Kafka `Utils.murmur2`, seed 0x9747b28c; `BuiltInPartitioner.partitionForKey`).
pub fn kafka_partition(key: &[u8], partitions: u32) -> u32 {
    const M: u32 = 0x5bd1_e995;
    let len = key.len();
    let mut h: u32 = 0x9747_b28c ^ len as u32;
    let mut chunks = key.chunks_exact(4);
    for c in &mut chunks {
        let mut k = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> 24;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    let rest = chunks.remainder();
    if rest.len() >= 3 {
        h ^= u32::from(rest[2]) << 16;
    }
    if rest.len() >= 2 {
        h ^= u32::from(rest[1]) << 8;
    }
    if !rest.is_empty() {
        h ^= u32::from(rest[0]);
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    (h & 0x7fff_ffff) % partitions
}

/// The files one batch adds: rows, as (write task, key) or None when a row's task is not
/// modelled, grouped by (task, partition value), each group one file (split by
/// `max_records_per_file`), task 0 writing an empty file in a flat layout when it has no
/// rows.
pub fn files_by_task(
    rows: impl Iterator<Item = Option<(u32, u32)>>,
    partition_by_key: bool,
    max_records_per_file: u64,
) -> Option<BatchFiles> {
    files_by_task_weighted(
        rows.map(|r| r.map(|(t, k)| (t, k, 1))),
        partition_by_key,
        max_records_per_file,
    )
}

/// [`files_by_task`] where each row (task, key, weight) stands for `weight` rows (a scaled
/// run, `scale.rs`): files are split, and their rows counted, in real rows.
pub fn files_by_task_weighted(
    rows: impl Iterator<Item = Option<(u32, u32, u64)>>,
    partition_by_key: bool,
    max_records_per_file: u64,
) -> Option<BatchFiles> {
    // (task, partition value) → rows; BTreeMap for a deterministic file order.
    let mut groups: BTreeMap<(u32, u32), u64> = BTreeMap::new();
    let mut dirs = std::collections::BTreeSet::new();
    for r in rows {
        let (t, key, weight) = r?;
        let part = if partition_by_key { key } else { 0 };
        *groups.entry((t, part)).or_default() += weight;
        if partition_by_key {
            dirs.insert(key);
        }
    }
    let mut files = BatchFiles {
        partition_dirs: dirs.len() as u64,
        ..BatchFiles::default()
    };
    if !partition_by_key && !groups.keys().any(|&(t, _)| t == 0) {
        files.empty_files = 1;
        files.file_rows.push(0);
    }
    for n in groups.into_values() {
        split_file(n, max_records_per_file, &mut files.file_rows);
    }
    files.data_files = files.file_rows.len() as u64;
    Some(files)
}

/// The key column of an output row.
pub fn key_of(r: &OutRow) -> u32 {
    match r {
        OutRow::Window(w) => w.key,
        OutRow::Dedup(d) => d.key,
    }
}

/// Pushes the files a task writes for `n` rows under `maxRecordsPerFile = max` (0: none).
fn split_file(n: u64, max: u64, out: &mut Vec<u64>) {
    if max == 0 || n <= max {
        out.push(n);
        return;
    }
    out.extend(std::iter::repeat_n(max, (n / max) as usize));
    if n % max != 0 {
        out.push(n % max);
    }
}

/// The files one batch of a shuffled (stateful) query adds to a parquet sink; None when a
/// row's task is not modelled.
pub fn batch_files(
    rows: &[OutRow],
    grouping: Grouping,
    key_name: &dyn Fn(u32) -> String,
    partitions: u32,
    partition_by_key: bool,
) -> Option<BatchFiles> {
    files_by_task(
        rows.iter()
            .map(|r| task_of(r, grouping, key_name, partitions).map(|t| (t, key_of(r)))),
        partition_by_key,
        0,
    )
}

/// Spark's `FilePartition` packing of a file source's input into read tasks, the tasks of
/// a stateless query (`FilePartition.maxSplitBytes` and `getFilePartitions`, Spark 4.x):
/// `maxSplitBytes = min(maxPartitionBytes, max(openCostInBytes, bytesPerCore))` with
/// `bytesPerCore = Σ(file + openCost) / cores`; files (split at `maxSplitBytes`) sorted by
/// size, largest first, fill a task until the next one would pass `maxSplitBytes`, each
/// file counting its size plus `openCostInBytes`. Returns the bytes of each task.
pub fn file_splits(file_bytes: &[u64], max_partition_bytes: u64, open_cost: u64, cores: u32) -> Vec<u64> {
    let total: u64 = file_bytes.iter().map(|b| b + open_cost).sum();
    let per_core = total / u64::from(cores.max(1));
    let max_split = max_partition_bytes.min(open_cost.max(per_core)).max(1);
    let mut splits: Vec<u64> = Vec::new();
    for &b in file_bytes {
        let mut left = b;
        loop {
            splits.push(left.min(max_split));
            if left <= max_split {
                break;
            }
            left -= max_split;
        }
    }
    splits.sort_unstable_by(|a, b| b.cmp(a));
    let mut tasks = Vec::new();
    let (mut current, mut current_bytes) = (0u64, 0u64);
    let mut open = false;
    for s in splits {
        if open && current + s > max_split {
            tasks.push(current_bytes);
            current = 0;
            current_bytes = 0;
        }
        current += s + open_cost;
        current_bytes += s;
        open = true;
    }
    if open {
        tasks.push(current_bytes);
    }
    tasks
}

/// The size of a parquet file of `rows` rows, bytes.
pub fn file_bytes(rows: u64, row_bytes: f64, compression_ratio: f64, footer_bytes: f64) -> u64 {
    (footer_bytes + rows as f64 * row_bytes * compression_ratio).round() as u64
}

/// The `_spark_metadata` file batch `batch_id` writes.
pub fn log_file(batch_id: u64) -> String {
    if (batch_id + 1) % LOG_COMPACT_INTERVAL == 0 {
        format!("{batch_id}.compact")
    } else {
        batch_id.to_string()
    }
}

crate::read_defaults!(SinkSpec {
    format,
    partition_by,
    max_records_per_file,
    file_size,
    small_file_mib,
    delta,
    iceberg,
    writer,
});
crate::read_defaults!(FileSizeSpec {
    row_bytes,
    compression_ratio,
    footer_bytes
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::operator::WindowRow;

    fn counts(f: &BatchFiles) -> (u64, u64, u64) {
        (f.data_files, f.empty_files, f.partition_dirs)
    }

    #[test]
    fn task_zero_writes_an_empty_file_when_it_has_no_rows() {
        let name = |_: u32| "a".to_string();
        let empty = batch_files(&[], Grouping::WindowAndKey, &name, 8, false).unwrap();
        assert_eq!((counts(&empty), empty.file_rows), ((1, 1, 0), vec![0]));
        let none = batch_files(&[], Grouping::WindowAndKey, &name, 8, true).unwrap();
        assert_eq!(none, BatchFiles::default());
        // window [2024-01-01 00:00:00, +10 s), key 'a' → task 1 of 8 (checked in murmur3.rs)
        let w = OutRow::Window(WindowRow {
            start: 1_704_067_200_000_000,
            end: 1_704_067_210_000_000,
            key: 0,
            count: 1,
            sum: 0,
            nonnull: 0,
        });
        assert_eq!(task_of(&w, Grouping::WindowAndKey, &name, 8), Some(1));
        let flat = batch_files(&[w], Grouping::WindowAndKey, &name, 8, false).unwrap();
        assert_eq!((counts(&flat), flat.file_rows), ((2, 1, 0), vec![0, 1]));
        let by_key = batch_files(&[w], Grouping::WindowAndKey, &name, 8, true).unwrap();
        assert_eq!(counts(&by_key), (1, 0, 1));
        assert_eq!(log_file(8), "8");
        assert_eq!(log_file(9), "9.compact");
        assert_eq!(log_file(19), "19.compact");
    }

    #[test]
    fn max_records_per_file_splits_files() {
        // Task 0: 25 rows, task 3: 10 rows; at most 10 a file.
        let rows = std::iter::repeat_n(Some((0, 0)), 25).chain(std::iter::repeat_n(Some((3, 1)), 10));
        let f = files_by_task(rows, false, 10).unwrap();
        assert_eq!(f.file_rows, vec![10, 10, 5, 10]);
        assert_eq!(f.data_files, 4);
        // Partitioned: (task, key) groups.
        let rows = [Some((1, 7)), Some((1, 8)), Some((2, 7)), Some((1, 7))];
        let f = files_by_task(rows.into_iter(), true, 0).unwrap();
        assert_eq!((counts(&f), f.file_rows), ((3, 0, 2), vec![2, 1, 1]));
        assert!(files_by_task([None].into_iter(), false, 0).is_none());
    }

    #[test]
    fn kafka_partitioner_matches_kafka() {
        // Kafka's Utils.murmur2 test vectors (clients/src/test/.../UtilsTest.java):
        // "21" → -973932308, "foobar" → -790332482, "a-little-bit-long-string" → -985981536.
        for (key, h) in [
            ("21", -973_932_308i32),
            ("foobar", -790_332_482),
            ("a-little-bit-long-string", -985_981_536),
        ] {
            let want = ((h as u32) & 0x7fff_ffff) % 1_000_003;
            assert_eq!(kafka_partition(key.as_bytes(), 1_000_003), want, "{key}");
        }
    }

    #[test]
    fn file_source_packing_by_hand() {
        let mib = 1u64 << 20;
        // 20 files of 1 KiB, 2 cores: total (1 KiB + 4 MiB) × 20 / 2 = 40 MiB a core →
        // maxSplitBytes = min(128 MiB, max(4 MiB, 40 MiB + 10 KiB)); each file counts 4 MiB
        // + 1 KiB, 10 fit a split: 2 tasks.
        assert_eq!(file_splits(&[1024; 20], 128 * mib, 4 * mib, 2).len(), 2);
        // One 300 MiB file, 4 cores: per core 76 MiB → split at 76 MiB: 4 splits.
        assert_eq!(file_splits(&[300 * mib], 128 * mib, 4 * mib, 4).len(), 4);
        // One small file: one task.
        assert_eq!(file_splits(&[1000], 128 * mib, 4 * mib, 4), vec![1000]);
    }

    #[test]
    fn file_size_model_by_hand() {
        // 100 rows × 32 B × 0.5 + 639 B footer.
        assert_eq!(file_bytes(100, 32.0, 0.5, 639.0), 2239);
        assert_eq!(file_bytes(0, 32.0, 0.5, 639.0), 639);
    }
}
