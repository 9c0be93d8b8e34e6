//! The table on object storage: a plain Spark file sink, a Delta table or an Iceberg
//! table. Per commit (a micro-batch's data files) each writes its own log files, and the
//! lake formats rewrite small files (auto compaction, scheduled OPTIMIZE or
//! `rewrite_data_files`) and delete what is no longer referenced (VACUUM, snapshot
//! expiry). Every file goes through the storage [`Ledger`].
//!
//! Defaults (sources in docs/model.md): Delta `delta.checkpointInterval` 10,
//! `optimizeWrite.binSize` 512 MiB, `autoCompact.minNumFiles` 50 and `maxFileSize` 128 MiB,
//! OPTIMIZE `maxFileSize` 1 GiB, VACUUM retention 7 days, `logRetentionDuration` 30 days
//! (delta-io/delta `DeltaConfig.scala`, `DeltaSQLConf.scala`, master, read 2026-11);
//! Iceberg `commit.manifest.min-count-to-merge` 100, `write.target-file-size-bytes`
//! 512 MiB, `write.metadata.previous-versions-max` 100 (iceberg.apache.org configuration,
//! read 2026-11). Metadata file sizes are assumptions, listed on their constants.

use crate::base::error::{InputError, Unit, duration, positive};
use crate::base::time::{Micros, secs_to_micros};
use crate::storage::object_store::{CohortId, Component, Ledger, Ops};
use serde::Serialize;
use std::collections::VecDeque;

/// Bytes in a MiB.
pub const MIB: f64 = 1_048_576.0;

/// `spark.sql.streaming.fileSink.log.compactInterval`'s default: every tenth batch of
/// the Spark file sink's log is a compaction of the log (`N.compact`).
pub const LOG_COMPACT_INTERVAL: u64 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TableFormat {
    /// Spark's file sink: parquet files and a `_spark_metadata` log.
    #[default]
    Parquet,
    Delta,
    Iceberg,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeltaSpec {
    /// `delta.checkpointInterval`: a checkpoint every this many commits. Default 10.
    pub checkpoint_interval: u64,
    /// `delta.autoOptimize.optimizeWrite`: a batch's rows are rebinned before writing, one
    /// file per partition value per `optimize_write_bin_mib`. Default false.
    pub optimize_write: bool,
    /// `spark.databricks.delta.optimizeWrite.binSize`, MiB. Default 512.
    pub optimize_write_bin_mib: f64,
    /// `delta.autoOptimize.autoCompact`: after a commit, when ≥ `auto_compact_min_files`
    /// files under half of `auto_compact_max_file_mib` (`autoCompact.minFileSize`'s
    /// default) are live, rewrite them into files of `auto_compact_max_file_mib`. Default
    /// false.
    pub auto_compact: bool,
    /// `spark.databricks.delta.autoCompact.minNumFiles`. Default 50.
    pub auto_compact_min_files: u64,
    /// `spark.databricks.delta.autoCompact.maxFileSize`, MiB. Default 128.
    pub auto_compact_max_file_mib: f64,
    /// A scheduled `OPTIMIZE` every this many hours; `null` = never (default).
    pub optimize_every_h: Option<f64>,
    /// `spark.databricks.delta.optimize.maxFileSize`, MiB. Default 1024.
    pub optimize_max_file_mib: f64,
    /// A scheduled `VACUUM` every this many hours; `null` = never. Default 24.
    pub vacuum_every_h: Option<f64>,
    /// `delta.deletedFileRetentionDuration`, hours. Default 168 (7 days).
    pub vacuum_retention_h: f64,
    /// `delta.logRetentionDuration`, days. Default 30.
    pub log_retention_days: f64,
}

impl Default for DeltaSpec {
    fn default() -> Self {
        Self {
            checkpoint_interval: 10,
            optimize_write: false,
            optimize_write_bin_mib: 512.0,
            auto_compact: false,
            auto_compact_min_files: 50,
            auto_compact_max_file_mib: 128.0,
            optimize_every_h: None,
            optimize_max_file_mib: 1024.0,
            vacuum_every_h: Some(24.0),
            vacuum_retention_h: 168.0,
            log_retention_days: 30.0,
        }
    }
}

impl DeltaSpec {
    pub fn validate(&self, field: &str) -> Result<DeltaSpec, InputError> {
        let f = |n: &str| format!("{field}.{n}");
        if self.checkpoint_interval == 0 {
            return Err(InputError::new(f("checkpoint_interval"), "must be at least 1"));
        }
        if self.auto_compact_min_files < 2 {
            return Err(InputError::new(f("auto_compact_min_files"), "must be at least 2"));
        }
        positive(&f("optimize_write_bin_mib"), self.optimize_write_bin_mib)?;
        positive(&f("auto_compact_max_file_mib"), self.auto_compact_max_file_mib)?;
        positive(&f("optimize_max_file_mib"), self.optimize_max_file_mib)?;
        duration(
            &f("vacuum_retention_h"),
            self.vacuum_retention_h,
            Unit::Hours,
            false,
        )?;
        duration(
            &f("log_retention_days"),
            self.log_retention_days,
            Unit::Days,
            false,
        )?;
        if let Some(h) = self.optimize_every_h {
            duration(&f("optimize_every_h"), h, Unit::Hours, false)?;
        }
        if let Some(h) = self.vacuum_every_h {
            duration(&f("vacuum_every_h"), h, Unit::Hours, false)?;
        }
        Ok(*self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct IcebergSpec {
    /// Streaming appends use `newFastAppend` (a new manifest per commit, never merged) in
    /// Iceberg's Spark sink; false = merge appends. Default true.
    pub fast_append: bool,
    /// `commit.manifest.min-count-to-merge` (merge appends only). Default 100.
    pub manifest_min_merge_count: u64,
    /// A scheduled `rewrite_data_files` every this many hours; `null` = never (default).
    pub rewrite_every_h: Option<f64>,
    /// `write.target-file-size-bytes`, MiB. Default 512.
    pub target_file_mib: f64,
    /// A scheduled `expire_snapshots` every this many hours; `null` = never (default).
    pub expire_every_h: Option<f64>,
    /// `history.expire.max-snapshot-age-ms`, hours. Default 120 (5 days).
    pub max_snapshot_age_h: f64,
    /// `write.metadata.delete-after-commit.enabled`. Default false.
    pub delete_metadata_after_commit: bool,
    /// `write.metadata.previous-versions-max`. Default 100.
    pub previous_versions_max: u64,
}

impl Default for IcebergSpec {
    fn default() -> Self {
        Self {
            fast_append: true,
            manifest_min_merge_count: 100,
            rewrite_every_h: None,
            target_file_mib: 512.0,
            expire_every_h: None,
            max_snapshot_age_h: 120.0,
            delete_metadata_after_commit: false,
            previous_versions_max: 100,
        }
    }
}

impl IcebergSpec {
    pub fn validate(&self, field: &str) -> Result<IcebergSpec, InputError> {
        let f = |n: &str| format!("{field}.{n}");
        if self.manifest_min_merge_count < 2 {
            return Err(InputError::new(
                f("manifest_min_merge_count"),
                "must be at least 2",
            ));
        }
        positive(&f("target_file_mib"), self.target_file_mib)?;
        duration(
            &f("max_snapshot_age_h"),
            self.max_snapshot_age_h,
            Unit::Hours,
            false,
        )?;
        if let Some(h) = self.rewrite_every_h {
            duration(&f("rewrite_every_h"), h, Unit::Hours, false)?;
        }
        if let Some(h) = self.expire_every_h {
            duration(&f("expire_every_h"), h, Unit::Hours, false)?;
        }
        Ok(*self)
    }
}

/// Bytes of one file entry in a `_spark_metadata` log (a `SinkFileStatus` JSON line with
/// an object-store path). An assumption: about 250 B.
const SPARK_LOG_ENTRY_BYTES: u64 = 250;
/// A Delta commit's fixed part (commitInfo, txn) and one `add` or `remove` action, bytes.
/// Assumptions from the Delta protocol's JSON actions with stats.
const DELTA_COMMIT_BYTES: u64 = 1_000;
const DELTA_ACTION_BYTES: u64 = 400;
/// A Delta `.crc` file, bytes (an assumption).
const DELTA_CRC_BYTES: u64 = 800;
/// A Delta checkpoint: fixed part and per live file, bytes (parquet; an assumption).
const DELTA_CHECKPOINT_BYTES: u64 = 5_000;
const DELTA_CHECKPOINT_FILE_BYTES: u64 = 150;
/// Iceberg: a manifest (avro) fixed part and per data file; a manifest list fixed part and
/// per manifest; a metadata.json fixed part and per snapshot kept, bytes (assumptions).
const ICEBERG_MANIFEST_BYTES: u64 = 6_000;
const ICEBERG_MANIFEST_ENTRY_BYTES: u64 = 250;
const ICEBERG_LIST_BYTES: u64 = 4_000;
const ICEBERG_LIST_ENTRY_BYTES: u64 = 100;
const ICEBERG_METADATA_BYTES: u64 = 3_000;
const ICEBERG_SNAPSHOT_BYTES: u64 = 500;

/// Data files committed together, still referenced by the table.
#[derive(Debug, Clone, Copy)]
struct Live {
    at: Micros,
    id: CohortId,
    files: u64,
    bytes: u64,
    /// Files under the compaction size (all of a batch's files are, or none).
    small: bool,
}

/// A maintenance job's work, for the compute bill.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct MaintenanceWork {
    pub jobs: u64,
    pub files_read: u64,
    pub bytes_read: u64,
    pub files_written: u64,
    pub bytes_written: u64,
    pub files_deleted: u64,
}

/// The table and its history on storage.
#[derive(Debug, Clone)]
pub struct Table {
    format: TableFormat,
    delta: DeltaSpec,
    iceberg: IcebergSpec,
    partition_dirs: u64,
    live: VecDeque<Live>,
    /// Logically removed data, deleted physically by VACUUM / expiry: (removed at, id).
    removed: VecDeque<(Micros, CohortId)>,
    /// Log files with their write time, for retention.
    log: VecDeque<(Micros, CohortId)>,
    /// Version of the next commit.
    pub commits: u64,
    /// Entries a `_spark_metadata` compact file holds (all files so far).
    entries: u64,
    /// Iceberg manifests referenced by the current snapshot.
    manifests: u64,
    next_optimize: Option<Micros>,
    next_vacuum: Option<Micros>,
    pub log_files: u64,
    pub work: MaintenanceWork,
    pub live_files: u64,
    pub live_bytes: u64,
    /// Steps walked over the live commits: by readers' scans, and by compaction
    /// (the budget's meter: `budget::MAX_TABLE_STEPS`).
    pub scan_steps: std::cell::Cell<u64>,
    pub compact_steps: u64,
    /// Bytes removed from the table so far, and those of them not deleted yet (waiting
    /// for VACUUM / expiry): the steady month's at-rest figures (`month.rs`).
    pub removed_bytes: u64,
    pub removed_files: u64,
    pub pending_removed_bytes: u64,
    /// The same with every object counted as at least 128 KiB (S3 Standard-IA).
    pub pending_removed_bytes_min_object: u64,
    /// Scheduled jobs so far: OPTIMIZE / rewrite, and VACUUM / expiry.
    pub optimize: JobTally,
    pub vacuum: JobTally,
    /// Who writes the data files: Spark's file sink (the `_spark_metadata` log for
    /// `parquet`, one PUT a file) or Flink's `FileSink` (no log; each part file an S3
    /// multipart upload).
    pub writer: Writer,
}

/// The engine's file writer (`Table::writer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Writer {
    #[default]
    Spark,
    /// Flink's `FileSink` on S3 (`S3RecoverableWriter`, flink-s3-fs-hadoop): a part file is
    /// a multipart upload — CreateMultipartUpload, one UploadPart per started
    /// [`FLINK_PART_BYTES`] (the last may be smaller), CompleteMultipartUpload when the
    /// checkpoint commits it. All three are PUT-class requests on S3's price list. The
    /// plain `parquet` format has no log: a reader lists the bucket directories.
    Flink,
}

/// `s3.upload.min.part.size`: 5 MiB (Flink's S3 file systems; S3's own minimum part).
pub const FLINK_PART_BYTES: u64 = 5 << 20;

/// What a scheduled maintenance job has done so far.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct JobTally {
    pub runs: u64,
    /// Its maintenance requests (and bytes).
    pub ops: Ops,
    /// Bytes it read and wrote (its cluster time), files it wrote.
    pub bytes_read: u64,
    pub bytes_written: u64,
    pub files_written: u64,
}

impl Table {
    pub fn new(
        format: TableFormat,
        delta: DeltaSpec,
        iceberg: IcebergSpec,
        partition_dirs: u64,
        start: Micros,
    ) -> Self {
        let every = |h: Option<f64>| h.map(|h| start + secs_to_micros(h * 3600.0).max(1));
        let (opt, vac) = match format {
            TableFormat::Parquet => (None, None),
            TableFormat::Delta => (every(delta.optimize_every_h), every(delta.vacuum_every_h)),
            TableFormat::Iceberg => (every(iceberg.rewrite_every_h), every(iceberg.expire_every_h)),
        };
        Self {
            format,
            delta,
            iceberg,
            partition_dirs: partition_dirs.max(1),
            live: VecDeque::new(),
            scan_steps: std::cell::Cell::new(0),
            compact_steps: 0,
            removed: VecDeque::new(),
            log: VecDeque::new(),
            commits: 0,
            entries: 0,
            manifests: 0,
            next_optimize: opt,
            next_vacuum: vac,
            log_files: 0,
            work: MaintenanceWork::default(),
            live_files: 0,
            live_bytes: 0,
            removed_bytes: 0,
            removed_files: 0,
            pending_removed_bytes: 0,
            pending_removed_bytes_min_object: 0,
            optimize: JobTally::default(),
            vacuum: JobTally::default(),
            writer: Writer::Spark,
        }
    }

    /// The scheduled jobs' periods, µs: (OPTIMIZE / rewrite, VACUUM / expiry).
    pub fn job_periods(&self) -> (Option<Micros>, Option<Micros>) {
        let us = |h: Option<f64>| h.map(|h| secs_to_micros(h * 3600.0).max(1));
        match self.format {
            TableFormat::Parquet => (None, None),
            TableFormat::Delta => (us(self.delta.optimize_every_h), us(self.delta.vacuum_every_h)),
            TableFormat::Iceberg => (us(self.iceberg.rewrite_every_h), us(self.iceberg.expire_every_h)),
        }
    }

    /// How long removed files wait for VACUUM / expiry before they are deleted, µs.
    pub fn retention(&self) -> Micros {
        let h = match self.format {
            TableFormat::Delta => self.delta.vacuum_retention_h,
            _ => self.iceberg.max_snapshot_age_h,
        };
        secs_to_micros(h * 3600.0)
    }

    /// The rewrite target of the scheduled OPTIMIZE / rewrite, bytes.
    pub fn optimize_target(&self) -> u64 {
        match self.format {
            TableFormat::Delta => (self.delta.optimize_max_file_mib * MIB) as u64,
            _ => (self.iceberg.target_file_mib * MIB) as u64,
        }
    }

    fn write_log(&mut self, ledger: &mut Ledger, c: Component, t: Micros, sizes: &[u64]) {
        let id = ledger.write(c, t, sizes);
        self.log.push_back((t, id));
        self.log_files += sizes.len() as u64;
    }

    /// The files a batch writes, after Delta's optimized write rebins them. The first
    /// `empty` of `sizes` hold no row.
    pub fn data_files(&self, sizes: &[u64], empty: usize, dirs: u64) -> Vec<u64> {
        match self.format {
            TableFormat::Delta if self.delta.optimize_write => {
                let total: u64 = sizes.iter().sum();
                let bin = (self.delta.optimize_write_bin_mib * MIB) as u64;
                let n = total.div_ceil(bin.max(1)).max(dirs.max(1));
                if total == 0 {
                    sizes.to_vec()
                } else {
                    even_split(total, n)
                }
            }
            // Iceberg's writers open a file on the first row: no empty files.
            TableFormat::Iceberg => sizes.get(empty..).unwrap_or_default().to_vec(),
            _ => sizes.to_vec(),
        }
    }

    /// Commits one micro-batch's data files (`sizes`, bytes, the first `empty` of them
    /// without rows) at `t`.
    /// Returns the sizes of the data files written.
    pub fn commit(
        &mut self,
        ledger: &mut Ledger,
        t: Micros,
        sizes: &[u64],
        empty: usize,
        dirs: u64,
    ) -> Vec<u64> {
        self.maintain(ledger, t);
        let rows = sizes.len() > empty;
        let files = self.data_files(sizes, empty, dirs);
        if self.format == TableFormat::Iceberg && files.is_empty() {
            return files; // nothing to append: no snapshot
        }
        let compact_limit = match self.format {
            // autoCompact.minFileSize, unset: half of maxFileSize (DeltaSQLConf).
            TableFormat::Delta => (self.delta.auto_compact_max_file_mib * MIB / 2.0) as u64,
            TableFormat::Iceberg => (self.iceberg.target_file_mib * MIB * 0.75) as u64,
            TableFormat::Parquet => u64::MAX,
        };
        let bytes: u64 = files.iter().sum();
        if !files.is_empty() {
            let id = ledger.write(Component::Sink, t, &files);
            if self.writer == Writer::Flink {
                // Create + Complete, and the UploadParts beyond the one `write` counted.
                let parts: u64 = files.iter().map(|&b| b.div_ceil(FLINK_PART_BYTES).max(1)).sum();
                ledger.ops[Component::Sink as usize].put +=
                    2 * files.len() as u64 + parts - files.len() as u64;
            }
            self.live.push_back(Live {
                at: t,
                id,
                files: files.len() as u64,
                bytes,
                small: files.iter().all(|&s| s < compact_limit),
            });
            self.live_files += files.len() as u64;
            self.live_bytes += bytes;
        }
        let n = files.len() as u64;
        let v = self.commits;
        self.commits += 1;
        match self.format {
            TableFormat::Parquet if self.writer == Writer::Flink => {}
            TableFormat::Parquet => {
                self.entries += n;
                // HDFSMetadataLog: written by rename (temp + COPY + DELETE on S3).
                let size = if (v + 1) % LOG_COMPACT_INTERVAL == 0 {
                    // A compaction reads the previous compact file and the deltas since.
                    ledger.read_n(Component::Sink, LOG_COMPACT_INTERVAL, 1);
                    // ...and (after `cleanupDelay`, 10 min, taken as at once) deletes
                    // the files it replaced.
                    let old: Vec<CohortId> = self.log.drain(..).map(|(_, id)| id).collect();
                    for id in old {
                        ledger.delete(Component::Sink, t, id);
                    }
                    self.entries * SPARK_LOG_ENTRY_BYTES
                } else {
                    n * SPARK_LOG_ENTRY_BYTES
                };
                self.write_log(ledger, Component::Sink, t, &[size.max(1)]);
                ledger.copy_and_delete(Component::Sink, 1, size.max(1));
            }
            TableFormat::Delta => {
                // `update()` lists the log; the S3 log store checks the version is free.
                ledger.list(Component::Sink, 2 * self.delta.checkpoint_interval);
                ledger.read_n(Component::Sink, 1, 0);
                let json = DELTA_COMMIT_BYTES + n * DELTA_ACTION_BYTES;
                self.write_log(ledger, Component::Sink, t, &[json, DELTA_CRC_BYTES]);
                if (v + 1) % self.delta.checkpoint_interval == 0 {
                    self.delta_checkpoint(ledger, t);
                }
                if self.delta.auto_compact && rows {
                    self.compact_steps += self.live.len() as u64;
                    let small: u64 = self.live.iter().filter(|l| l.small).map(|l| l.files).sum();
                    if small >= self.delta.auto_compact_min_files {
                        self.compact(
                            ledger,
                            t,
                            compact_limit,
                            (self.delta.auto_compact_max_file_mib * MIB) as u64,
                        );
                    }
                }
            }
            TableFormat::Iceberg => self.iceberg_commit(ledger, t, n),
        }
        files
    }

    fn delta_checkpoint(&mut self, ledger: &mut Ledger, t: Micros) {
        let refs = self.live_files
            + self
                .removed
                .iter()
                .map(|&(_, id)| ledger.cohort(id).0)
                .sum::<u64>();
        let size = DELTA_CHECKPOINT_BYTES + refs * DELTA_CHECKPOINT_FILE_BYTES;
        self.write_log(ledger, Component::Sink, t, &[size, 100]);
        // Log files older than logRetentionDuration go at checkpoint time.
        let horizon = t - secs_to_micros(self.delta.log_retention_days * 86_400.0);
        while let Some(&(at, id)) = self.log.front() {
            if at >= horizon {
                break;
            }
            ledger.delete(Component::Sink, t, id);
            self.log.pop_front();
        }
    }

    fn iceberg_commit(&mut self, ledger: &mut Ledger, t: Micros, n: u64) {
        // Read the current metadata.json, write a manifest, a manifest list, a new
        // metadata.json (it lists every snapshot kept).
        ledger.read_n(Component::Sink, 1, ICEBERG_METADATA_BYTES);
        self.manifests += 1;
        let mut sizes = vec![ICEBERG_MANIFEST_BYTES + n * ICEBERG_MANIFEST_ENTRY_BYTES];
        if !self.iceberg.fast_append && self.manifests >= self.iceberg.manifest_min_merge_count {
            // Merge: read every manifest, write one.
            ledger.read_n(Component::Sink, self.manifests, ICEBERG_MANIFEST_BYTES);
            sizes[0] = ICEBERG_MANIFEST_BYTES + self.live_files * ICEBERG_MANIFEST_ENTRY_BYTES;
            self.manifests = 1;
        }
        sizes.push(ICEBERG_LIST_BYTES + self.manifests * ICEBERG_LIST_ENTRY_BYTES);
        let snapshots = self.commits.min(10_000);
        sizes.push(ICEBERG_METADATA_BYTES + snapshots * ICEBERG_SNAPSHOT_BYTES);
        self.write_log(ledger, Component::Sink, t, &sizes);
        if self.iceberg.delete_metadata_after_commit {
            // Keep the last previous_versions_max commits' metadata.
            while self.log.len() as u64 > self.iceberg.previous_versions_max {
                if let Some((_, id)) = self.log.pop_front() {
                    ledger.delete(Component::Sink, t, id);
                }
            }
        }
    }

    /// Rewrites every live file under `limit` bytes into files of `target` bytes: reads
    /// them, writes the new ones, commits, and marks the old ones removed.
    fn compact(&mut self, ledger: &mut Ledger, t: Micros, limit: u64, target: u64) {
        self.compact_steps += self.live.len() as u64;
        let (small, keep): (Vec<Live>, Vec<Live>) = self.live.drain(..).partition(|l| l.small);
        let files: u64 = small.iter().map(|l| l.files).sum();
        if files < 2 {
            self.live = small.into_iter().chain(keep).collect();
            return;
        }
        let bytes: u64 = small.iter().map(|l| l.bytes).sum();
        ledger.read_n(Component::Maintenance, files, bytes / files.max(1));
        let n_out = bytes
            .div_ceil(target.max(1))
            .max(self.partition_dirs.min(files))
            .max(1);
        let out = even_split(bytes, n_out);
        let id = ledger.write(Component::Maintenance, t, &out);
        for l in &small {
            self.removed.push_back((t, l.id));
            self.pending_removed_bytes_min_object += ledger.cohort_min_object_bytes(l.id);
        }
        self.removed_bytes += bytes;
        self.removed_files += files;
        self.pending_removed_bytes += bytes;
        self.live = keep.into_iter().collect();
        self.live.push_back(Live {
            at: t,
            id,
            files: n_out,
            bytes,
            small: out.iter().all(|&s| s < limit),
        });
        self.live_files = self.live_files - files + n_out;
        let w = &mut self.work;
        w.jobs += 1;
        w.files_read += files;
        w.bytes_read += bytes;
        w.files_written += n_out;
        w.bytes_written += bytes;
        // Its own commit.
        let v = self.commits;
        self.commits += 1;
        match self.format {
            TableFormat::Delta => {
                let json = DELTA_COMMIT_BYTES + (files + n_out) * DELTA_ACTION_BYTES;
                self.write_log(ledger, Component::Maintenance, t, &[json, DELTA_CRC_BYTES]);
                if (v + 1) % self.delta.checkpoint_interval == 0 {
                    self.delta_checkpoint(ledger, t);
                }
            }
            TableFormat::Iceberg => {
                self.manifests = 1;
                self.iceberg_commit(ledger, t, n_out);
            }
            TableFormat::Parquet => {}
        }
    }

    /// Runs the scheduled jobs due by `t`: OPTIMIZE / rewrite, VACUUM / expiry.
    pub fn maintain(&mut self, ledger: &mut Ledger, t: Micros) {
        while let Some(at) = self.next_optimize.filter(|&a| a <= t) {
            let (limit, target, every) = match self.format {
                TableFormat::Delta => {
                    let m = (self.delta.optimize_max_file_mib * MIB) as u64;
                    (m, m, self.delta.optimize_every_h)
                }
                _ => {
                    let m = self.iceberg.target_file_mib * MIB;
                    ((m * 0.75) as u64, m as u64, self.iceberg.rewrite_every_h)
                }
            };
            // Treat every live file under the limit as a candidate.
            for l in self.live.iter_mut() {
                l.small = l.bytes / l.files.max(1) < limit;
            }
            let (ops, work) = (ledger.ops[Component::Maintenance as usize], self.work);
            self.compact(ledger, at, limit, target);
            let o = &mut self.optimize;
            o.runs += 1;
            o.ops
                .add(&ledger.ops[Component::Maintenance as usize].since(&ops));
            o.bytes_read += self.work.bytes_read - work.bytes_read;
            o.bytes_written += self.work.bytes_written - work.bytes_written;
            o.files_written += self.work.files_written - work.files_written;
            self.next_optimize = every.map(|h| at + secs_to_micros(h * 3600.0).max(1));
        }
        while let Some(at) = self.next_vacuum.filter(|&a| a <= t) {
            let (retention, every) = match self.format {
                TableFormat::Delta => (self.delta.vacuum_retention_h, self.delta.vacuum_every_h),
                _ => (self.iceberg.max_snapshot_age_h, self.iceberg.expire_every_h),
            };
            let ops = ledger.ops[Component::Maintenance as usize];
            // VACUUM lists the whole table.
            ledger.list(Component::Maintenance, ledger.live_objects);
            let horizon = at - secs_to_micros(retention * 3600.0);
            self.work.jobs += 1;
            while let Some(&(removed_at, id)) = self.removed.front() {
                if removed_at > horizon {
                    break;
                }
                let (files, bytes) = ledger.cohort(id);
                self.work.files_deleted += files;
                self.pending_removed_bytes -= bytes;
                self.pending_removed_bytes_min_object -= ledger.cohort_min_object_bytes(id);
                ledger.delete(Component::Maintenance, at, id);
                self.removed.pop_front();
            }
            let v = &mut self.vacuum;
            v.runs += 1;
            v.ops
                .add(&ledger.ops[Component::Maintenance as usize].since(&ops));
            self.next_vacuum = every.map(|h| at + secs_to_micros(h * 3600.0).max(1));
        }
    }

    /// Live data files and bytes committed at or after `since` (a reader's window).
    pub fn files_since(&self, since: Micros) -> (u64, u64) {
        let (mut steps, mut files, mut bytes) = (0u64, 0u64, 0u64);
        for l in self.live.iter().rev().take_while(|l| l.at >= since) {
            steps += 1;
            files += l.files;
            bytes += l.bytes;
        }
        self.scan_steps.set(self.scan_steps.get() + steps);
        (files, bytes)
    }

    /// Requests a reader makes to learn the table's current files.
    pub fn read_metadata(&self, ledger: &mut Ledger) {
        let c = Component::Readers;
        match self.format {
            // No log: the reader lists the output path's part files.
            TableFormat::Parquet if self.writer == Writer::Flink => ledger.list(c, self.live_files),
            TableFormat::Parquet => {
                // The latest compact file and the deltas after it.
                ledger.list(c, (self.commits % LOG_COMPACT_INTERVAL) + 1);
                let n = self.commits % LOG_COMPACT_INTERVAL + 1;
                ledger.read_n(c, n, self.entries * SPARK_LOG_ENTRY_BYTES / n.max(1));
            }
            TableFormat::Delta => {
                ledger.list(c, 2 * self.delta.checkpoint_interval);
                let since_ckpt = self.commits % self.delta.checkpoint_interval;
                ledger.read_n(
                    c,
                    1,
                    DELTA_CHECKPOINT_BYTES + self.live_files * DELTA_CHECKPOINT_FILE_BYTES,
                );
                ledger.read_n(c, since_ckpt, DELTA_COMMIT_BYTES);
            }
            TableFormat::Iceberg => {
                ledger.read_n(c, 2, ICEBERG_METADATA_BYTES);
                ledger.read_n(c, self.manifests, ICEBERG_MANIFEST_BYTES);
            }
        }
    }
}

/// `total` bytes in `n` files as even as whole bytes allow.
fn even_split(total: u64, n: u64) -> Vec<u64> {
    let n = n.max(1);
    let base = total / n;
    let extra = total % n;
    (0..n).map(|i| base + u64::from(i < extra)).collect()
}

crate::read_names!(TableFormat { "parquet" => Parquet, "delta" => Delta, "iceberg" => Iceberg });
crate::read_defaults!(DeltaSpec {
    checkpoint_interval,
    optimize_write,
    optimize_write_bin_mib,
    auto_compact,
    auto_compact_min_files,
    auto_compact_max_file_mib,
    optimize_every_h,
    optimize_max_file_mib,
    vacuum_every_h,
    vacuum_retention_h,
    log_retention_days,
});
crate::read_defaults!(IcebergSpec {
    fast_append,
    manifest_min_merge_count,
    rewrite_every_h,
    target_file_mib,
    expire_every_h,
    max_snapshot_age_h,
    delete_metadata_after_commit,
    previous_versions_max,
});

#[cfg(test)]
mod tests {
    use super::*;

    fn table(format: TableFormat, delta: DeltaSpec) -> Table {
        Table::new(format, delta, IcebergSpec::default(), 1, 0)
    }

    #[test]
    fn spark_file_sink_log_compacts_every_tenth_batch() {
        let mut l = Ledger::default();
        let mut t = table(TableFormat::Parquet, DeltaSpec::default());
        for b in 0..20 {
            t.commit(&mut l, b, &[1000, 1000], 0, 1);
        }
        assert_eq!(t.log_files, 20);
        // After batch 19's compaction only 19.compact is live in the log.
        assert_eq!(t.log.len(), 1);
        // Its size: 40 entries so far.
        assert_eq!(t.entries, 40);
        assert_eq!(t.live_files, 40);
    }

    #[test]
    fn delta_commits_checkpoints_and_auto_compaction() {
        let mut l = Ledger::default();
        let d = DeltaSpec {
            auto_compact: true,
            ..DeltaSpec::default()
        };
        let mut t = table(TableFormat::Delta, d);
        // 10 commits of 5 small files: the 10th brings 50 small files → compaction.
        for b in 0..10 {
            t.commit(&mut l, b, &[1_000_000; 5], 0, 1);
        }
        assert_eq!(t.work.jobs, 1);
        assert_eq!(t.work.files_read, 50);
        assert_eq!(t.work.files_written, 1);
        assert_eq!(t.live_files, 1);
        // 10 batch commits + 1 compaction commit; json + crc each; 1 checkpoint (+ _last_checkpoint).
        assert_eq!(t.commits, 11);
        assert_eq!(t.log_files, 11 * 2 + 2);
        // Removed files stay until VACUUM (7 days later).
        assert_eq!(l.live_objects, 1 + 50 + 24);
        t.maintain(&mut l, 8 * 24 * 3_600_000_000);
        assert_eq!(t.work.files_deleted, 50);
    }

    #[test]
    fn optimized_writes_one_file_per_partition_value() {
        let t = table(
            TableFormat::Delta,
            DeltaSpec {
                optimize_write: true,
                ..DeltaSpec::default()
            },
        );
        assert_eq!(t.data_files(&[10, 20, 30, 40], 0, 1), vec![100]);
        assert_eq!(t.data_files(&[10, 20, 30, 40], 0, 3).len(), 3);
        // 1.5 GiB in 3 bins of 512 MiB.
        assert_eq!(t.data_files(&[1_610_612_736], 0, 1).len(), 3);
    }

    #[test]
    fn iceberg_skips_empty_files_and_writes_three_metadata_files() {
        let mut l = Ledger::default();
        let mut t = Table::new(
            TableFormat::Iceberg,
            DeltaSpec::default(),
            IcebergSpec::default(),
            1,
            0,
        );
        t.commit(&mut l, 0, &[639], 1, 1);
        t.commit(&mut l, 1, &[639, 2000], 1, 1);
        assert_eq!(t.commits, 1);
        assert_eq!(t.log_files, 3);
    }
}
