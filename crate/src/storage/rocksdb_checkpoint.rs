//! The RocksDB state store provider's files in the checkpoint (Spark's
//! `RocksDBStateStoreProvider`, its `RocksDB` instance and `RocksDBFileManager`), per
//! shuffle partition of each stateful operator, version V = batch N + 1:
//!
//! - without changelog checkpointing (the default), every commit uploads a snapshot: the
//!   SST files RocksDB made since the last upload, each once, into the shared `SSTs/`
//!   directory, then `V.zip` (RocksDB's MANIFEST, OPTIONS and CURRENT and a `metadata` JSON
//!   naming the SSTs the version uses; no state rows). No-data batches commit too;
//! - with `changelogCheckpointing.enabled`, every commit writes `V.changelog` (the rows
//!   put and removed: the bytes of an HDFS `V.delta`). A commit at least
//!   `minDeltasForSnapshot` versions after the last snapshot takes a local snapshot; the
//!   maintenance task uploads the newest one waiting (its new SSTs and `V.zip`); older
//!   waiting ones are dropped, and so is one still waiting when the query stops (it loads
//!   its stores afresh when it starts again);
//! - the maintenance task deletes what the last `minBatchesToRetain` versions do not need:
//!   the zips older than the newest zip at or before `newest zip − retain + 1`, the
//!   changelogs older than it, and the SSTs only those zips used. It skips the work (and its
//!   LISTs) until at least `round(0.3 × retain)` versions could go
//!   (`ratioExtraSpaceAllowedInCheckpoint`, default 0.3).
//!
//! Invariants (the tests below check them): one zip or
//! changelog per partition per commit; a zip's SSTs are uploaded before it, and an SST is
//! deleted only with or after the last zip that uses it; at least the last `retain`
//! versions stay recoverable (a zip at or before the oldest of them, and every changelog
//! after that zip).
//!
//! Sources. First-hand: Spark 4.3.0's `spark-sql` jar (the `.venv`'s pyspark), read with
//! `javap -c`: `RocksDB.shouldCreateSnapshot` (versions since the last snapshot ≥
//! `minDeltasForSnapshot` with changelog checkpointing, every commit without),
//! `RocksDB.doSnapshotMaintenance` (uploads the newest queued snapshot),
//! `RocksDB.replaceStaleReusedFilesInSnapshot` (below), `RocksDBFileManager.deleteOldVersions`
//! and `shouldSkipDeletion`, `StateStoreConf.minVersionsToDelete`; apache/spark
//! `RocksDBFileManager.scala` (its doc comment on the DFS layout; read 2026-11 at commit
//! 0008b68); PR #47393 (SPARK-48931, `ratioExtraSpaceAllowedInCheckpoint` 0.3) and the
//! commit of SPARK-43421 (changelog checkpointing: "a maintenance thread in executors will
//! … sync the latest RocksDB local snapshot to DFS"). Measured: the files runs of
//! `tests/conformance/state_memory` (README §2, `results.json` keys `files`, `files_fast`),
//! which the test `tests/rocksdb_checkpoint.rs` replays.
//!
//! What is approximated (the SSTs; zips, changelogs and their deletion follow Spark's
//! rules):
//! - RocksDB's LSM tree is one L0 list and one L1 file, the same in every partition that
//!   holds rows (n rows fill P(1 − (1 − 1/P)ⁿ) of the P partitions, as hashed rows do). A
//!   commit that put rows flushes them into one L0 SST (bytes by the rows put); a commit
//!   that only removed rows flushes tombstones that a re-run of the measured workload mostly
//!   did not upload (progress metric `rocksdbFilesCopied` of those batches: 4, 4, 2, then 0
//!   or 1 file over the 4 partitions, while the state's SST bytes fell), so it uploads none
//!   here, but its flush counts toward the compaction;
//! - every `level0_file_num_compaction_trigger` (RocksDB's default, 4) flushes, a
//!   compaction rewrites L0 and L1 into one L1 of the state's rows (none if the state is
//!   empty), in ⌈bytes / 64 MiB⌉ files (`target_file_size_base`); it runs after the flush
//!   that triggered it, so the next snapshot has it. Levels below L1 (RocksDB moves data
//!   there past 256 MiB per partition) are not modelled: above that a compaction rewrites
//!   less than the whole state, and the model's uploads are an upper bound;
//! - a snapshot the maintenance task uploads gives an SST a new copy when the SST's first
//!   copy came from a snapshot at or before `newest zip − retain` (Spark's
//!   `checkStaleReusedFilesInSnapshot`, default true: such a copy may be deleted meanwhile);
//!   commit-time uploads (no changelog) reuse every SST;
//! - sizes, measured on the files runs and the memory runs (36-byte keys): a zip is 6.6 KB
//!   (the mean; it grows with RocksDB's MANIFEST, 3.9 KB at version 1 to 9.2 KB at version
//!   80, and that growth is not modelled), an SST row 42 B, an SST's own overhead 1,450 B;
//! - the existence checks (HEAD) before writes, the orphan-file sweep and the reads of a
//!   store loaded on another executor are not counted.

use crate::base::time::Micros;
use crate::storage::object_store::{CohortId, Component, FileTally, Ledger, Rename};
use std::collections::VecDeque;

/// Bytes of a `V.zip`: the mean of the 320 zips of the measured run without changelog
/// (2,116,377 B; `results.json` `files`, "rocksdb no changelog").
pub const ZIP_FILE_BYTES: u64 = 6_600;
/// Bytes a state row takes in an SST (LZ4 blocks): `rocksdbSstFileSize` per row at 36-byte
/// keys, 42 B for window_count and dedup (state_memory README §1).
pub const SST_ROW_BYTES: f64 = 42.0;
/// An SST's own bytes (index, filter, properties, footer): a measured flush of 50 rows is
/// 3,549 B, 3,549 − 50 × 42 ≈ 1,450.
pub const SST_FILE_OVERHEAD: u64 = 1_450;
/// RocksDB's `level0_file_num_compaction_trigger` default (Spark's `RocksDBConf` leaves it).
pub const L0_COMPACTION_TRIGGER: u64 = 4;
/// RocksDB's `target_file_size_base` default: a compaction's output files are at most this.
pub const SST_TARGET_BYTES: u64 = 64 << 20;
/// `spark.sql.streaming.ratioExtraSpaceAllowedInCheckpoint` default: deletion waits until
/// `round(ratio × minBatchesToRetain)` versions could go.
pub const RATIO_EXTRA_SPACE: f64 = 0.3;

/// The provider's settings, as the checkpoint hands them over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RocksdbConf {
    /// `spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled`.
    pub changelog: bool,
    /// State stores: shuffle partitions × stateful operators.
    pub partitions: u64,
    pub min_batches_to_retain: u64,
    pub min_deltas_for_snapshot: u64,
    /// Bytes a row takes in a changelog file, and the file's own bytes (an HDFS delta's).
    pub changelog_row_bytes: f64,
    pub changelog_overhead: u64,
    pub rename: Rename,
}

/// One SST in the local RocksDB instances (the same in every partition that holds rows).
#[derive(Debug, Clone, Copy)]
struct Local {
    /// Bytes of each of its files, and its files over all partitions.
    bytes: u64,
    objects: u64,
    /// Its first copy in `SSTs/` and the version of the zip that uploaded it.
    first_copy: Option<(usize, u64)>,
}

/// One upload of an SST: its objects (files × partitions) in `SSTs/`.
#[derive(Debug, Clone, Copy)]
struct Copy {
    cohort: CohortId,
    objects: u64,
    /// The newest zip that names it.
    last_used: u64,
    deleted: bool,
}

/// The files of one query's RocksDB state stores, driven commit by commit.
#[derive(Debug, Clone)]
pub struct RocksdbFiles {
    conf: RocksdbConf,
    version: u64,
    locals: Vec<Local>,
    /// The LSM tree now: L0 (oldest first) and L1.
    l0: Vec<usize>,
    l1: Option<usize>,
    /// Flushes since the last compaction (a tombstone-only flush included).
    flushes: u64,
    /// Rows put and removed since the last flush (changelog mode flushes at a snapshot).
    unflushed_puts: u64,
    unflushed_removes: u64,
    copies: Vec<Copy>,
    /// Live zips and changelogs: (version, cohort of its P files).
    zips: VecDeque<(u64, CohortId)>,
    changelogs: VecDeque<(u64, CohortId)>,
    /// Changelog mode: the newest local snapshot not uploaded yet, and its SSTs.
    waiting: Option<(u64, Vec<usize>)>,
    last_snapshot: u64,
    /// `RocksDBFileManager.minSeenVersion`: 1, then the oldest version a deletion kept.
    min_seen: u64,
    pub changelog_files: FileTally,
    pub zip_files: FileTally,
    pub sst_files: FileTally,
}

impl RocksdbFiles {
    pub fn new(conf: RocksdbConf) -> Self {
        Self {
            conf,
            version: 0,
            locals: Vec::new(),
            l0: Vec::new(),
            l1: None,
            flushes: 0,
            unflushed_puts: 0,
            unflushed_removes: 0,
            copies: Vec::new(),
            zips: VecDeque::new(),
            changelogs: VecDeque::new(),
            waiting: None,
            last_snapshot: 0,
            min_seen: 1,
            changelog_files: FileTally::default(),
            zip_files: FileTally::default(),
            sst_files: FileTally::default(),
        }
    }

    /// An SST of `rows` rows over the partitions: in those that hold some of them (the
    /// expected number of P hash buckets `rows` rows fill), split at `target_file_size_base`.
    fn new_local(&mut self, rows: u64) -> usize {
        let p = self.conf.partitions as f64;
        // max/min, not f64::clamp: clamp's panic message would link core's float printer
        // into the page's module (base/number.rs).
        let holding = (p * (1.0 - libm::pow(1.0 - 1.0 / p, rows as f64)))
            .round()
            .max(1.0)
            .min(p);
        let bytes = (rows as f64 * SST_ROW_BYTES / holding).round() as u64 + SST_FILE_OVERHEAD;
        let files = bytes.div_ceil(SST_TARGET_BYTES).max(1);
        self.locals.push(Local {
            bytes: bytes.div_ceil(files),
            objects: holding as u64 * files,
            first_copy: None,
        });
        self.locals.len() - 1
    }

    /// The store commits version `self.version`, `state_rows` rows in it after the batch
    /// wrote `updated` and removed `removed`.
    pub fn commit(&mut self, ledger: &mut Ledger, t: Micros, updated: u64, removed: u64, state_rows: u64) {
        self.version += 1;
        let v = self.version;
        let p = self.conf.partitions;
        self.unflushed_puts += updated;
        self.unflushed_removes += removed;
        if !self.conf.changelog {
            let ssts = self.snapshot(state_rows);
            self.upload(ledger, t, v, &ssts, false);
            return;
        }
        let bytes = ((updated + removed) as f64 * self.conf.changelog_row_bytes / p as f64).round() as u64
            + self.conf.changelog_overhead;
        let id = ledger.write_atomic(Component::Checkpoint, t, p, bytes, self.conf.rename);
        self.changelogs.push_back((v, id));
        self.changelog_files.written += p;
        if v - self.last_snapshot >= self.conf.min_deltas_for_snapshot {
            let ssts = self.snapshot(state_rows);
            self.waiting = Some((v, ssts));
            self.last_snapshot = v;
        }
    }

    /// A local checkpoint: the memtable flushed, the SSTs the version uses listed, then a
    /// compaction if the flushes reached RocksDB's trigger (its output is in the next one).
    fn snapshot(&mut self, state_rows: u64) -> Vec<usize> {
        if self.unflushed_puts > 0 {
            let l = self.new_local(self.unflushed_puts.min(state_rows.max(1)));
            self.l0.push(l);
        }
        if self.unflushed_puts + self.unflushed_removes > 0 {
            self.flushes += 1;
        }
        self.unflushed_puts = 0;
        self.unflushed_removes = 0;
        let ssts: Vec<usize> = self.l1.iter().chain(self.l0.iter()).copied().collect();
        if self.flushes >= L0_COMPACTION_TRIGGER {
            self.l0.clear();
            self.l1 = (state_rows > 0).then(|| self.new_local(state_rows));
            self.flushes = 0;
        }
        ssts
    }

    /// Uploads a snapshot of version `v` using `ssts`: the SSTs without a copy (and, from the
    /// maintenance task, those whose copy may have gone stale), then `v.zip`.
    fn upload(&mut self, ledger: &mut Ledger, t: Micros, v: u64, ssts: &[usize], by_maintenance: bool) {
        let p = self.conf.partitions;
        // `replaceStaleReusedFilesInSnapshot`: max(0, latest snapshot − minVersionsToRetain).
        let stale_to = self
            .zips
            .back()
            .map_or(0, |&(z, _)| z.saturating_sub(self.conf.min_batches_to_retain));
        for &l in ssts {
            let local = self.locals[l];
            match local.first_copy {
                Some((c, from)) if !(by_maintenance && from <= stale_to) => {
                    self.copies[c].last_used = v;
                }
                first => {
                    let objects = local.objects;
                    let cohort = ledger.write_n(Component::Checkpoint, t, objects, local.bytes);
                    self.copies.push(Copy {
                        cohort,
                        objects,
                        last_used: v,
                        deleted: false,
                    });
                    self.sst_files.written += objects;
                    if first.is_none() {
                        self.locals[l].first_copy = Some((self.copies.len() - 1, v));
                    }
                }
            }
        }
        let id = ledger.write_atomic(Component::Checkpoint, t, p, ZIP_FILE_BYTES, self.conf.rename);
        self.zips.push_back((v, id));
        self.zip_files.written += p;
    }

    /// Changelog files a store replays on top of its newest uploaded zip when it is loaded
    /// now (a restart's restore); 0 without changelog checkpointing (every version is a zip).
    pub fn replays(&self) -> u64 {
        if !self.conf.changelog {
            return 0;
        }
        self.version - self.zips.back().map_or(0, |&(z, _)| z)
    }

    /// The query starts again after a stop (a run-and-stop trigger): each store is loaded
    /// afresh from its newest zip, which becomes the last snapshot (`RocksDB.load`); a local
    /// snapshot still waiting for the maintenance task is gone with the old instance.
    pub fn reload(&mut self) {
        self.waiting = None;
        self.last_snapshot = self.zips.back().map_or(0, |&(z, _)| z);
    }

    /// One maintenance run at `now`: the waiting snapshot uploaded (changelog mode), then
    /// the old versions deleted.
    pub fn maintain(&mut self, ledger: &mut Ledger, now: Micros) {
        if let Some((v, ssts)) = self.waiting.take() {
            self.upload(ledger, now, v, &ssts, true);
        }
        self.delete_old_versions(ledger, now);
    }

    /// `RocksDBFileManager.deleteOldVersions` in every partition.
    fn delete_old_versions(&mut self, ledger: &mut Ledger, now: Micros) {
        let retain = self.conf.min_batches_to_retain;
        let p = self.conf.partitions;
        let min_to_delete = (RATIO_EXTRA_SPACE * retain as f64).round() as u64;
        if min_to_delete > 0
            && self.version > 0
            && (self.version + 1).saturating_sub(self.min_seen + retain) < min_to_delete
        {
            return;
        }
        ledger.list_dirs(
            Component::Checkpoint,
            p,
            (self.zips.len() + self.changelogs.len()) as u64,
        );
        let Some(&(newest, _)) = self.zips.back() else {
            return;
        };
        let keep_from = self
            .zips
            .iter()
            .map(|&(z, _)| z)
            .filter(|&z| z + retain <= newest + 1)
            .max()
            .unwrap_or(0);
        if self.zips.front().is_none_or(|&(z, _)| z >= keep_from) {
            return;
        }
        let live: u64 = self.copies.iter().filter(|c| !c.deleted).map(|c| c.objects).sum();
        ledger.list_dirs(Component::Checkpoint, p, live / p.max(1));
        for c in self
            .copies
            .iter_mut()
            .filter(|c| !c.deleted && c.last_used < keep_from)
        {
            ledger.delete(Component::Checkpoint, now, c.cohort);
            c.deleted = true;
            self.sst_files.deleted += c.objects;
        }
        while let Some(&(_, id)) = self.zips.front().filter(|&&(z, _)| z < keep_from) {
            ledger.delete(Component::Checkpoint, now, id);
            self.zips.pop_front();
            self.zip_files.deleted += p;
        }
        while let Some(&(_, id)) = self.changelogs.front().filter(|&&(c, _)| c < keep_from) {
            ledger.delete(Component::Checkpoint, now, id);
            self.changelogs.pop_front();
            self.changelog_files.deleted += p;
        }
        self.min_seen = keep_from;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conf(changelog: bool, retain: u64) -> RocksdbConf {
        RocksdbConf {
            changelog,
            partitions: 4,
            min_batches_to_retain: retain,
            min_deltas_for_snapshot: 10,
            changelog_row_bytes: 64.0,
            changelog_overhead: 16,
            rename: Rename::Atomic,
        }
    }

    #[test]
    fn without_changelog_every_commit_uploads_a_zip_and_its_new_ssts() {
        let mut l = Ledger::default();
        let mut r = RocksdbFiles::new(conf(false, 100));
        // Three commits that put rows, one that puts nothing.
        for (i, rows) in [200u64, 200, 0, 200].into_iter().enumerate() {
            r.commit(&mut l, i as i64, rows, 0, 600);
        }
        assert_eq!(r.zip_files.written, 4 * 4);
        // One L0 SST a partition for each commit that put rows; a zip reuses the rest.
        assert_eq!(r.sst_files.written, 3 * 4);
        // Zips: a write and a rename op each; SSTs: one PUT each (uploaded, not renamed).
        assert_eq!(l.ops[Component::Checkpoint as usize].put, 2 * 16 + 12);
    }

    #[test]
    fn a_compaction_every_fourth_flush_lands_in_the_next_zip() {
        let mut l = Ledger::default();
        let mut r = RocksdbFiles::new(conf(false, 100));
        // Flushes: put, put, remove only, put (the 4th: compaction), then an idle commit.
        for (updated, removed) in [(200, 0), (200, 0), (0, 100), (200, 0), (0, 0)] {
            r.commit(&mut l, 0, updated, removed, 500);
        }
        // 3 L0 SSTs (the tombstones upload none) + the compaction's L1, per partition.
        assert_eq!(r.sst_files.written, 4 * 4);
        assert_eq!(r.l0.len(), 0);
        assert!(r.l1.is_some());
    }

    #[test]
    fn changelog_snapshots_every_min_deltas_and_uploads_the_newest_at_maintenance() {
        let mut l = Ledger::default();
        let mut r = RocksdbFiles::new(conf(true, 100));
        for v in 1..=25u64 {
            r.commit(&mut l, v as i64, 50, 0, 50 * v);
        }
        // Snapshots at 10 and 20 waited; the maintenance run uploads 20 only.
        assert_eq!((r.changelog_files.written, r.zip_files.written), (25 * 4, 0));
        r.maintain(&mut l, 30);
        assert_eq!(r.zips.iter().map(|z| z.0).collect::<Vec<_>>(), vec![20]);
        // Version 20 uses the flushes at 10 and 20: two SSTs a partition.
        assert_eq!((r.zip_files.written, r.sst_files.written), (4, 8));
    }

    #[test]
    fn a_restart_loses_the_waiting_snapshot_and_counts_from_the_newest_zip() {
        let mut l = Ledger::default();
        let mut r = RocksdbFiles::new(conf(true, 100));
        for v in 1..=12u64 {
            r.commit(&mut l, v as i64, 50, 0, 50 * v);
        }
        // Snapshot 10 waits; the query stops before a tick and starts again.
        r.reload();
        r.maintain(&mut l, 20);
        assert_eq!(r.zip_files.written, 0);
        // No zip: versions count from 0 again, so version 13 (13 changelogs) snapshots.
        r.commit(&mut l, 21, 50, 0, 650);
        r.maintain(&mut l, 22);
        assert_eq!(r.zips.iter().map(|z| z.0).collect::<Vec<_>>(), vec![13]);
    }

    #[test]
    fn deletion_keeps_the_last_retain_versions_and_waits_for_enough_to_delete() {
        let mut l = Ledger::default();
        let mut r = RocksdbFiles::new(conf(false, 10));
        for v in 1..=12u64 {
            r.commit(&mut l, v as i64, 10, 0, 10 * v);
        }
        // 12 − 1 + 1 − 10 = 2 versions could go: fewer than round(0.3 × 10) = 3, skipped
        // without a LIST.
        let lists = l.ops[Component::Checkpoint as usize].list;
        r.maintain(&mut l, 20);
        assert_eq!(
            (r.zip_files.deleted, l.ops[Component::Checkpoint as usize].list),
            (0, lists)
        );
        for v in 13..=16u64 {
            r.commit(&mut l, 20 + v as i64, 10, 0, 10 * v);
        }
        r.maintain(&mut l, 40);
        // Newest zip 16: keep 7..16 (10 versions); zips 1..6 go, and the SSTs only they
        // named: the four L0 files of versions 1..4 (zip 4 named them last; the compaction
        // after version 4 replaced them, its output first named by zip 5).
        assert_eq!(r.zips.front().map(|z| z.0), Some(7));
        assert_eq!(r.zip_files.live(), 10 * 4);
        assert_eq!(r.min_seen, 7);
        assert_eq!(r.sst_files.deleted, 4 * 4);
        // Every SST a kept zip names is still there.
        assert!(r.copies.iter().all(|c| c.deleted == (c.last_used < 7)));
    }

    #[test]
    fn changelogs_go_only_with_the_snapshot_before_them() {
        let mut l = Ledger::default();
        let mut r = RocksdbFiles::new(conf(true, 10));
        for v in 1..=34u64 {
            r.commit(&mut l, v as i64, 50, 0, 200);
            // Maintenance after every commit: each snapshot is uploaded as it is taken.
            r.maintain(&mut l, v as i64);
        }
        // Zips 10, 20, 30: newest 30, keep from the newest zip ≤ 21, i.e. 20: changelogs
        // 1..19 and zip 10 deleted; 20..34 kept.
        assert_eq!(r.zips.iter().map(|z| z.0).collect::<Vec<_>>(), vec![20, 30]);
        assert_eq!(r.changelogs.front().map(|c| c.0), Some(20));
        assert_eq!(r.changelog_files.deleted, 19 * 4);
        // The last 10 versions (25..34) stay recoverable: zip 20 and every changelog after.
        assert!(r.zips.front().is_some_and(|z| z.0 <= 34 - 10 + 1));
        assert!(r.changelogs.iter().map(|c| c.0).eq(20..=34));
    }
}
