//! The streaming checkpoint on object storage, file by file: `offsets/N` and `commits/N`
//! per micro-batch (Spark's `HDFSMetadataLog`), and the state store's files under
//! `state/`, by the provider `engine.state_store` names:
//! - the HDFS-backed provider (the default), here: one `V.delta` per shuffle partition per
//!   stateful operator per batch, a `V.snapshot` per partition once 10 deltas have piled up
//!   (checked by the maintenance task every 60 s), and deletion of files older than the
//!   last 100 batches;
//! - the RocksDB provider, with or without changelog checkpointing: `rocksdb_checkpoint.rs`
//!   (`V.zip`, shared `SSTs/*.sst`, `V.changelog`), on the same maintenance ticks.
//!
//! Spark defaults (Spark 4.x `SQLConf`): `spark.sql.streaming.minBatchesToRetain` = 100,
//! `spark.sql.streaming.stateStore.minDeltasForSnapshot` = 10,
//! `spark.sql.streaming.stateStore.maintenanceInterval` = 60 s.

use crate::base::error::{InputError, Unit, duration, non_negative};
use crate::base::time::{Micros, secs_to_micros};
use crate::operators::query::StateStore;
use crate::storage::object_store::{CohortId, Component, FileTally, Ledger, Rename};
use crate::storage::rocksdb_checkpoint::{RocksdbConf, RocksdbFiles};
use serde::Serialize;
use std::collections::VecDeque;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckpointSpec {
    /// `spark.sql.streaming.minBatchesToRetain`. Default 100.
    pub min_batches_to_retain: u64,
    /// `spark.sql.streaming.stateStore.minDeltasForSnapshot`. Default 10.
    pub min_deltas_for_snapshot: u64,
    /// `spark.sql.streaming.stateStore.maintenanceInterval`, s. Default 60.
    pub maintenance_interval_s: f64,
    /// Bytes a state row takes in a delta or snapshot file, and in a RocksDB changelog
    /// (key + value `UnsafeRow`s, lz4-compressed). Default 64: an assumption for
    /// (window, key) → count.
    pub state_row_bytes: f64,
    /// Bytes of an offsets file. Default 500 (an assumption: one source's JSON offsets and
    /// the batch metadata).
    pub offsets_file_bytes: u64,
}

impl Default for CheckpointSpec {
    fn default() -> Self {
        Self {
            min_batches_to_retain: 100,
            min_deltas_for_snapshot: 10,
            maintenance_interval_s: 60.0,
            state_row_bytes: 64.0,
            offsets_file_bytes: 500,
        }
    }
}

impl CheckpointSpec {
    pub fn validate(&self, field: &str) -> Result<CheckpointSpec, InputError> {
        if self.min_batches_to_retain == 0 {
            return Err(InputError::new(
                format!("{field}.min_batches_to_retain"),
                "must be at least 1 (Spark requires a positive value)",
            ));
        }
        if self.min_deltas_for_snapshot == 0 {
            return Err(InputError::new(
                format!("{field}.min_deltas_for_snapshot"),
                "must be at least 1",
            ));
        }
        duration(
            &format!("{field}.maintenance_interval_s"),
            self.maintenance_interval_s,
            Unit::Seconds,
            false,
        )?;
        non_negative(&format!("{field}.state_row_bytes"), self.state_row_bytes)?;
        Ok(*self)
    }
}

/// Bytes of a `commits/N` file (`v1` and `{"nextBatchWatermarkMs":…}`), measured on
/// Spark 4.3 checkpoints written by this project's oracle: 29–40 B.
const COMMIT_FILE_BYTES: u64 = 40;
/// Bytes of a state file's header and end marker (an assumption).
const STATE_FILE_OVERHEAD: u64 = 16;

/// The state store provider (`spark.sql.streaming.stateStore.providerClass`) and, for
/// RocksDB, `spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StateProvider {
    /// `HDFSBackedStateStoreProvider`: `V.delta` and `V.snapshot` files.
    #[default]
    Hdfs,
    /// `RocksDBStateStoreProvider`: `V.zip` and `SSTs/`, or `V.changelog` and snapshots.
    Rocksdb { changelog: bool },
}

impl StateProvider {
    /// The scenario's `engine.state_store` and `engine.changelog_checkpointing` (the latter
    /// only read with RocksDB, as Spark does).
    pub fn of(store: StateStore, changelog_checkpointing: bool) -> Self {
        match store {
            StateStore::Hdfs => Self::Hdfs,
            StateStore::Rocksdb => Self::Rocksdb {
                changelog: changelog_checkpointing,
            },
        }
    }
}

/// State files written and deleted, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateFileTallies {
    /// HDFS provider: `V.delta` and `V.snapshot`.
    pub delta: FileTally,
    pub snapshot: FileTally,
    /// RocksDB provider: `V.changelog`, `V.zip` and `SSTs/*.sst` (an SST uploaded again is
    /// counted again).
    pub changelog: FileTally,
    pub zip: FileTally,
    pub sst: FileTally,
}

/// The checkpoint of one query, driven batch by batch.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    spec: CheckpointSpec,
    rename: Rename,
    /// Shuffle partitions × stateful operators: the state files per batch.
    state_partitions: u64,
    version: u64,
    log: VecDeque<(u64, CohortId)>,
    /// HDFS provider: (version, cohort of its P files, whether they are snapshots).
    state_files: VecDeque<(u64, CohortId, bool)>,
    last_snapshot: u64,
    /// RocksDB provider: its files instead of `state_files`.
    rocksdb: Option<RocksdbFiles>,
    /// Whether the query runs (maintenance ticks only then).
    running: bool,
    next_maintenance: Micros,
    interval: Micros,
    /// Files written, by kind.
    pub offsets: u64,
    pub commits: u64,
    hdfs_files: StateFileTallies,
}

impl Checkpoint {
    pub fn new(
        spec: CheckpointSpec,
        rename: Rename,
        provider: StateProvider,
        state_partitions: u64,
        start: Micros,
    ) -> Self {
        let interval = secs_to_micros(spec.maintenance_interval_s).max(1);
        let rocksdb = match provider {
            StateProvider::Hdfs => None,
            StateProvider::Rocksdb { changelog } => Some(RocksdbFiles::new(RocksdbConf {
                changelog,
                partitions: state_partitions,
                min_batches_to_retain: spec.min_batches_to_retain,
                min_deltas_for_snapshot: spec.min_deltas_for_snapshot,
                changelog_row_bytes: spec.state_row_bytes,
                changelog_overhead: STATE_FILE_OVERHEAD,
                rename,
            })),
        };
        Self {
            spec,
            rename,
            state_partitions,
            version: 0,
            log: VecDeque::new(),
            state_files: VecDeque::new(),
            last_snapshot: 0,
            rocksdb,
            running: true,
            next_maintenance: start + interval,
            interval,
            offsets: 0,
            commits: 0,
            hdfs_files: StateFileTallies::default(),
        }
    }

    fn atomic_write(&mut self, ledger: &mut Ledger, t: Micros, n: u64, size: u64) -> CohortId {
        ledger.write_atomic(Component::Checkpoint, t, n, size, self.rename)
    }

    /// State files written and deleted so far, by kind.
    pub fn state_files(&self) -> StateFileTallies {
        match &self.rocksdb {
            None => self.hdfs_files,
            Some(r) => StateFileTallies {
                changelog: r.changelog_files,
                zip: r.zip_files,
                sst: r.sst_files,
                ..StateFileTallies::default()
            },
        }
    }

    /// One micro-batch from `start` to `end`, its state store having `updated` rows
    /// written and `removed` rows deleted, `state_rows` rows in it after.
    /// The caller runs maintenance up to `end` first ([`Checkpoint::maintain`]).
    pub fn batch(
        &mut self,
        ledger: &mut Ledger,
        start: Micros,
        end: Micros,
        updated: u64,
        removed: u64,
        state_rows: u64,
    ) {
        let batch = self.version;
        let off = self.atomic_write(ledger, start, 1, self.spec.offsets_file_bytes);
        self.offsets += 1;
        self.version += 1;
        if self.state_partitions > 0 {
            if let Some(r) = self.rocksdb.as_mut() {
                r.commit(ledger, end, updated, removed, state_rows);
            } else {
                let bytes = (updated + removed) as f64 * self.spec.state_row_bytes;
                let per_file = (bytes / self.state_partitions as f64).round() as u64 + STATE_FILE_OVERHEAD;
                let id = self.atomic_write(ledger, end, self.state_partitions, per_file);
                self.state_files.push_back((self.version, id, false));
                self.hdfs_files.delta.written += self.state_partitions;
            }
        }
        let com = self.atomic_write(ledger, end, 1, COMMIT_FILE_BYTES);
        self.commits += 1;
        self.log.push_back((batch, off));
        self.log.push_back((batch, com));
        // `MicroBatchExecution` purges the logs below batch − minBatchesToRetain: a LIST
        // of each directory and the deletes.
        ledger.list(Component::Checkpoint, self.spec.min_batches_to_retain + 1);
        ledger.list(Component::Checkpoint, self.spec.min_batches_to_retain + 1);
        while let Some(&(b, id)) = self.log.front() {
            if b + self.spec.min_batches_to_retain > batch {
                break;
            }
            ledger.delete(Component::Checkpoint, end, id);
            self.log.pop_front();
        }
    }

    /// Runs the state maintenance ticks due by `t`: a snapshot per partition when
    /// `minDeltasForSnapshot` deltas have piled up since the last, then deletion of state
    /// files older than the last `minBatchesToRetain` versions (keeping the snapshot they
    /// start from). `state_rows`: rows in the store now (for the snapshot size).
    fn run_maintenance(&mut self, ledger: &mut Ledger, t: Micros, state_rows: u64) {
        if self.state_partitions == 0 {
            return;
        }
        while self.next_maintenance <= t {
            let now = self.next_maintenance;
            self.next_maintenance += self.interval;
            if self.version == 0 {
                continue;
            }
            if let Some(r) = self.rocksdb.as_mut() {
                r.maintain(ledger, now);
                continue;
            }
            // `fetchFiles`: a LIST of every partition's directory (counted at once: one
            // tick costs O(1), however many partitions).
            ledger.list_dirs(
                Component::Checkpoint,
                self.state_partitions,
                2 * self.spec.min_batches_to_retain,
            );
            if self.version - self.last_snapshot >= self.spec.min_deltas_for_snapshot {
                let rows = state_rows as f64;
                let per_file = (rows * self.spec.state_row_bytes / self.state_partitions as f64).round()
                    as u64
                    + STATE_FILE_OVERHEAD;
                let id = self.atomic_write(ledger, now, self.state_partitions, per_file);
                self.state_files.push_back((self.version, id, true));
                self.hdfs_files.snapshot.written += self.state_partitions;
                self.last_snapshot = self.version;
            }
            // Keep versions > version − retain, and the snapshot the oldest kept one needs.
            let keep_from = self.version.saturating_sub(self.spec.min_batches_to_retain);
            let base = self.last_snapshot.min(keep_from);
            while let Some(&(v, id, snapshot)) = self.state_files.front() {
                if v >= base {
                    break;
                }
                ledger.delete(Component::Checkpoint, now, id);
                self.state_files.pop_front();
                let kind = if snapshot {
                    &mut self.hdfs_files.snapshot
                } else {
                    &mut self.hdfs_files.delta
                };
                kind.deleted += self.state_partitions;
            }
        }
    }

    /// Delta (or RocksDB changelog) files a partition replays on top of its latest snapshot
    /// when the store is loaded now (a restart's restore).
    pub fn deltas_since_snapshot(&self) -> u64 {
        match &self.rocksdb {
            None => self.version - self.last_snapshot,
            Some(r) => r.replays(),
        }
    }

    /// Runs the maintenance ticks due by `t`, the store holding `state_rows` rows. A stopped
    /// query has no maintenance: Spark's task runs on the executors while the query's
    /// state store providers are loaded.
    pub fn maintain(&mut self, ledger: &mut Ledger, t: Micros, state_rows: u64) {
        if self.running {
            self.run_maintenance(ledger, t, state_rows);
        }
    }

    /// The query stops at `t` (a run-and-stop trigger's run ended): the ticks due by then
    /// run, later ones do not until it starts again.
    pub fn stop(&mut self, ledger: &mut Ledger, t: Micros, state_rows: u64) {
        self.maintain(ledger, t, state_rows);
        self.running = false;
    }

    /// The query starts (again) at `t`: the first maintenance tick is one interval later,
    /// and RocksDB stores load afresh.
    pub fn start(&mut self, t: Micros) {
        if !self.running {
            self.running = true;
            self.next_maintenance = t + self.interval;
            if let Some(r) = self.rocksdb.as_mut() {
                r.reload();
            }
        }
    }
}

crate::read_defaults!(CheckpointSpec {
    min_batches_to_retain,
    min_deltas_for_snapshot,
    maintenance_interval_s,
    state_row_bytes,
    offsets_file_bytes,
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_per_batch_snapshots_and_retention() {
        let mut l = Ledger::default();
        let spec = CheckpointSpec::default();
        let mut c = Checkpoint::new(spec, Rename::Atomic, StateProvider::Hdfs, 4, 0);
        // 250 one-second batches.
        for b in 0..250i64 {
            let s = b * 1_000_000;
            c.maintain(&mut l, s, 1000);
            c.batch(&mut l, s, s + 500_000, 10, 0, 1000);
        }
        assert_eq!(
            (c.offsets, c.commits, c.state_files().delta.written),
            (250, 250, 1000)
        );
        // Maintenance ticks at 60, 120, 180, 240 s; a snapshot at each (≥ 10 new versions).
        assert_eq!(c.state_files().snapshot.written, 4 * 4);
        // Offsets and commits: 100 batches of each kept.
        let live_log = l.live_objects
            - c.state_files
                .iter()
                .map(|&(_, id, _)| l.cohort(id).0)
                .sum::<u64>();
        assert_eq!(live_log, 2 * 100);
        // Atomic rename: each file one write plus one rename op.
        assert_eq!(
            l.ops[Component::Checkpoint as usize].put,
            2 * (250 + 250 + 1000 + 16)
        );
        // State versions older than max(0, 240 − 100) − …: everything kept is ≥ the base.
        assert!(c.state_files.front().unwrap().0 >= 100);
    }

    #[test]
    fn a_stopped_query_has_no_maintenance_ticks() {
        // Two 10-minute runs a day apart (a scheduled job): ticks only while each runs.
        let mut l = Ledger::default();
        let mut c = Checkpoint::new(
            CheckpointSpec::default(),
            Rename::Atomic,
            StateProvider::Hdfs,
            4,
            0,
        );
        let min = 60_000_000i64;
        for run in 0..2i64 {
            let t0 = run * 1440 * min;
            c.start(t0);
            for b in 0..10 {
                let s = t0 + b * min;
                c.maintain(&mut l, s, 100);
                c.batch(&mut l, s, s + 1_000_000, 10, 0, 100);
            }
            c.stop(&mut l, t0 + 10 * min, 100);
        }
        c.maintain(&mut l, 3 * 1440 * min, 100);
        // 10 ticks a run (1, 2, … 10 min after its start), each listing the 4 partitions,
        // and 2 LISTs a batch (offsets and commits clean-up); none in the day between.
        assert_eq!(l.ops[Component::Checkpoint as usize].list, 2 * 10 * 4 + 20 * 2);
    }

    #[test]
    fn copy_rename_costs_a_copy_and_a_delete() {
        let mut l = Ledger::default();
        let mut c = Checkpoint::new(CheckpointSpec::default(), Rename::Copy, StateProvider::Hdfs, 0, 0);
        c.batch(&mut l, 0, 1, 0, 0, 0);
        let o = l.ops[Component::Checkpoint as usize];
        // offsets + commits: 2 PUT + 2 COPY, 2 DELETE of temporaries, 2 LIST.
        assert_eq!((o.put, o.delete, o.list), (4, 2, 2));
    }
}
