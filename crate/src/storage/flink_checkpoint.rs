//! A Flink job's checkpoints on object storage, file by file: Flink's
//! `FileSystemCheckpointStorage` with the (default) HashMap state backend, which writes a
//! **full** snapshot of each subtask's keyed state at every checkpoint.
//!
//! Rules (Flink 2.3: `FsCheckpointStreamFactory`, `FsCheckpointMetadataOutputStream`,
//! `CheckpointsCleaner`, configuration reference read 2026-11):
//! - checkpoint N writes its files under `chk-N/`: one state file per subtask whose
//!   snapshot is larger than `state.storage.fs.memory-threshold` (20 KiB); smaller
//!   snapshots (and the Kafka source's offsets) are inlined into the checkpoint's
//!   `_metadata`, which the JobManager writes last;
//! - once checkpoint N completes, completed checkpoints beyond
//!   `state.checkpoints.num-retained` (1) are discarded: their files and their
//!   `chk-*` directory are deleted (a LIST and a DELETE per object on S3).
//!
//! Assumptions (not measured): a keyed state entry (key, window, count, its timers) is
//! the scenario's `cost.checkpoint.state_row_bytes` (64 B by default) in a snapshot;
//! `_metadata` is [`METADATA_BYTES`] plus the inlined state; files are written in place
//! (one PUT each, no rename).
//!
//! Invariant: at most `retained` completed checkpoints are stored after each one.

use crate::base::time::Micros;
use crate::storage::object_store::{CohortId, Component, Ledger};
use std::collections::VecDeque;

/// Bytes of a `_metadata` file without inlined state (an assumption: operator and
/// checkpoint ids, the state handles of a small job).
pub const METADATA_BYTES: u64 = 2048;

/// The checkpoints of one Flink job.
#[derive(Debug, Clone)]
pub struct FlinkCheckpoints {
    retained: usize,
    inline_bytes: u64,
    /// Completed checkpoints still stored: their file cohorts.
    stored: VecDeque<Vec<CohortId>>,
    /// Checkpoints completed, and state files written (not inlined).
    pub completed: u64,
    pub state_files: u64,
}

impl FlinkCheckpoints {
    pub fn new(retained: u32, inline_bytes: u64) -> Self {
        Self {
            retained: retained.max(1) as usize,
            inline_bytes,
            stored: VecDeque::new(),
            completed: 0,
            state_files: 0,
        }
    }

    /// A checkpoint completing at `t`, each subtask's keyed state snapshot being
    /// `subtask_bytes`.
    pub fn complete(&mut self, ledger: &mut Ledger, t: Micros, subtask_bytes: &[u64]) {
        let mut cohorts = Vec::new();
        let mut inlined = 0u64;
        let mut files = Vec::new();
        for &b in subtask_bytes {
            if b > self.inline_bytes {
                files.push(b);
            } else {
                inlined += b;
            }
        }
        if !files.is_empty() {
            cohorts.push(ledger.write(Component::Checkpoint, t, &files));
            self.state_files += files.len() as u64;
        }
        cohorts.push(ledger.write_n(Component::Checkpoint, t, 1, METADATA_BYTES + inlined));
        self.completed += 1;
        self.stored.push_back(cohorts);
        while self.stored.len() > self.retained {
            let old = self.stored.pop_front().expect("more stored than retained");
            ledger.list(
                Component::Checkpoint,
                old.iter().map(|&c| ledger.cohort(c).0).sum(),
            );
            for c in old {
                ledger.delete(Component::Checkpoint, t, c);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_state_is_inlined_and_one_checkpoint_is_kept() {
        let mut l = Ledger::default();
        let mut c = FlinkCheckpoints::new(1, 20_480);
        c.complete(&mut l, 1, &[100, 30_000]);
        assert_eq!((c.state_files, l.live_objects), (1, 2));
        c.complete(&mut l, 2, &[100, 100]);
        // The first checkpoint's two objects are gone; the second is one `_metadata`.
        assert_eq!(l.live_objects, 1);
        assert_eq!(l.ops[Component::Checkpoint as usize].delete, 2);
        assert_eq!(l.ops[Component::Checkpoint as usize].put, 3);
        assert_eq!(l.live_bytes, METADATA_BYTES + 200);
    }
}
