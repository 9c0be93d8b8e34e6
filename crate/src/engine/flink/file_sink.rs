//! Flink's `FileSink` with `OnCheckpointRollingPolicy` (row or bulk format), as real
//! Flink 2.3.0 showed it (tests/conformance/flink/cases, `sink_*`): records go to the
//! in-progress part file of their (subtask, bucket); at a checkpoint barrier every
//! in-progress part file rolls (it got ≥ 1 record, or it would not exist) and becomes
//! pending; a bucket without one makes no file, not even an empty one; the pending files
//! become visible (committed) when that checkpoint completes (`notifyCheckpointComplete`).
//! At the end of a bounded input the final checkpoint (`checkpoints-after-tasks-finish`)
//! rolls and commits what is left the same way.
//!
//! File names: `part-<bucket uuid>-<counter>`. A bucket keeps its uuid and counts its part
//! files 0, 1, … while every checkpoint finds an in-progress file in it; a checkpoint that
//! finds none drops the bucket (`FileWriter` removes inactive buckets), and the next record
//! opens a new one: new uuid, counter 0. Modelled with sequential bucket ids for the uuid.

use std::collections::BTreeMap;

/// A part file rolled at a checkpoint: `(bucket id, part counter)` and its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartFile {
    pub bucket: String,
    pub bucket_id: u64,
    pub part: u64,
    pub rows: Vec<u64>,
}

impl PartFile {
    /// `part-b<bucket id>-<counter>` (Flink: `part-<uuid>-<counter>`).
    pub fn name(&self) -> String {
        format!("part-b{}-{}", self.bucket_id, self.part)
    }
}

#[derive(Debug)]
struct Bucket {
    id: u64,
    counter: u64,
    in_progress: Option<Vec<u64>>,
}

/// One subtask's writer: its buckets and their in-progress part files.
#[derive(Debug, Default)]
pub struct FileSinkWriter {
    buckets: BTreeMap<String, Bucket>,
    next_id: u64,
}

impl FileSinkWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// A record into `bucket`'s in-progress part file (opened by the first record).
    pub fn write(&mut self, bucket: &str, row: u64) {
        if !self.buckets.contains_key(bucket) {
            self.next_id += 1;
            self.buckets.insert(
                bucket.to_string(),
                Bucket {
                    id: self.next_id,
                    counter: 0,
                    in_progress: None,
                },
            );
        }
        let b = self.buckets.get_mut(bucket).expect("just inserted");
        b.in_progress.get_or_insert_with(Vec::new).push(row);
    }

    /// In-progress part files now.
    pub fn in_progress(&self) -> usize {
        self.buckets.values().filter(|b| b.in_progress.is_some()).count()
    }

    /// A checkpoint barrier: every in-progress part file rolls into a pending file (returned,
    /// to be committed when the checkpoint completes); buckets without one are dropped.
    pub fn checkpoint(&mut self) -> Vec<PartFile> {
        let mut rolled = Vec::new();
        self.buckets.retain(|name, b| match b.in_progress.take() {
            Some(rows) => {
                rolled.push(PartFile {
                    bucket: name.clone(),
                    bucket_id: b.id,
                    part: b.counter,
                    rows,
                });
                b.counter += 1;
                true
            }
            None => false,
        });
        rolled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_buckets_with_records_roll_and_an_idle_bucket_restarts() {
        let mut w = FileSinkWriter::new();
        assert!(w.checkpoint().is_empty());
        w.write("", 1);
        w.write("", 2);
        let f = w.checkpoint();
        assert_eq!(
            (f.len(), f[0].name(), f[0].rows.clone()),
            (1, "part-b1-0".into(), vec![1, 2])
        );
        w.write("", 3);
        assert_eq!(w.checkpoint()[0].name(), "part-b1-1");
        assert!(w.checkpoint().is_empty()); // no records: no file, the bucket goes
        w.write("", 4);
        assert_eq!(w.checkpoint()[0].name(), "part-b2-0");
    }
}
