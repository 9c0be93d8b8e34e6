//! The file sink, file by file as Spark writes it. A stateful query's output leaves the
//! stateful operator in `spark.sql.shuffle.partitions` tasks, a row in the task of its group:
//! `pmod(Murmur3Hash(grouping columns, 42), P)` (Spark's `HashPartitioning`), each task
//! writing its rows.
//!
//! - Flat layout: one part file per task that has rows, and task 0 writes one empty file
//!   when it has none (so every batch adds at least one file).
//! - `partitionBy(key)`: one file per (task, key value) in a directory per key value;
//!   nothing at all for a batch without rows.
//! - `_spark_metadata`: one log file per batch, `N`, or `N.compact` every 10th batch
//!   (`spark.sql.streaming.fileSink.log.compactInterval`, default 10).

use crate::murmur3::{SEED, hash_bytes, hash_long, pmod};
use crate::operator::OutRow;
use std::collections::BTreeSet;

use crate::error::InputError;
use serde::{Deserialize, Serialize};

/// The sink a scenario writes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "snake_case", deny_unknown_fields)]
pub enum SinkSpec {
    /// `writeStream.format("parquet")` (a plain file sink), optionally `partitionBy("key")`.
    Parquet {
        #[serde(default)]
        partition_by: Vec<String>,
    },
}

impl SinkSpec {
    /// Whether the sink is partitioned by `key` (the only partition column modelled).
    pub fn validate(&self, field: &str) -> Result<bool, InputError> {
        match self {
            SinkSpec::Parquet { partition_by } => {
                match partition_by.iter().map(String::as_str).collect::<Vec<_>>()[..] {
                    [] => Ok(false),
                    ["key"] => Ok(true),
                    _ => Err(InputError::new(
                        format!("{field}.partition_by"),
                        "[] or [\"key\"] are modelled",
                    )),
                }
            }
        }
    }
}

/// `spark.sql.streaming.fileSink.log.compactInterval`'s default.
pub const LOG_COMPACT_INTERVAL: u64 = 10;

/// Where a batch's rows went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchFiles {
    /// Part files added, empty ones included.
    pub data_files: u64,
    /// Of which hold no row.
    pub empty_files: u64,
    /// Distinct partition directories written (0 when flat).
    pub partition_dirs: u64,
}

/// How the stateful operator's input is shuffled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// `groupBy(window(...), key)`: by the window struct (start, end), then the key.
    WindowAndKey,
    /// `groupBy(session_window(...), key)`: by the key alone, since a key's sessions must
    /// meet in one task to merge (conformance case sink_session_partitioned_P3).
    Key,
}

/// The grouping of a query's stateful operator.
pub fn grouping(q: &crate::query::Query) -> Grouping {
    match q.operator {
        crate::query::Operator::WindowCount(crate::window::WindowKind::Session { .. }) => Grouping::Key,
        _ => Grouping::WindowAndKey,
    }
}

/// The shuffle task of an aggregate row: the hash of its grouping columns, a key hashed as
/// UTF-8 as Spark hashes a `StringType`. `key_name` gives a key's string. Deduplication's
/// partitioning is not modelled yet: None.
pub fn task_of(
    row: &OutRow,
    grouping: Grouping,
    key_name: &dyn Fn(u32) -> String,
    partitions: u32,
) -> Option<u32> {
    match row {
        OutRow::Window(w) => {
            let seed = match grouping {
                Grouping::WindowAndKey => hash_long(w.end, hash_long(w.start, SEED)),
                Grouping::Key => SEED,
            };
            Some(pmod(hash_bytes(key_name(w.key).as_bytes(), seed), partitions))
        }
        OutRow::Dedup(_) => None,
    }
}

/// The files one batch adds to a parquet file sink; None when a row's task is not
/// modelled (see [`task_of`]).
pub fn batch_files(
    rows: &[OutRow],
    grouping: Grouping,
    key_name: &dyn Fn(u32) -> String,
    partitions: u32,
    partition_by_key: bool,
) -> Option<BatchFiles> {
    let mut tasks: BTreeSet<u32> = BTreeSet::new();
    let mut files: BTreeSet<(u32, u32)> = BTreeSet::new();
    let mut dirs: BTreeSet<u32> = BTreeSet::new();
    for r in rows {
        let task = task_of(r, grouping, key_name, partitions)?;
        let key = match r {
            OutRow::Window(w) => w.key,
            OutRow::Dedup(d) => d.key,
        };
        tasks.insert(task);
        files.insert((task, key));
        dirs.insert(key);
    }
    Some(if partition_by_key {
        BatchFiles {
            data_files: files.len() as u64,
            empty_files: 0,
            partition_dirs: dirs.len() as u64,
        }
    } else {
        let empty = u64::from(!tasks.contains(&0));
        BatchFiles {
            data_files: tasks.len() as u64 + empty,
            empty_files: empty,
            partition_dirs: 0,
        }
    })
}

/// The `_spark_metadata` file batch `batch_id` writes.
pub fn log_file(batch_id: u64) -> String {
    if (batch_id + 1) % LOG_COMPACT_INTERVAL == 0 {
        format!("{batch_id}.compact")
    } else {
        batch_id.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operator::WindowRow;

    #[test]
    fn task_zero_writes_an_empty_file_when_it_has_no_rows() {
        let name = |_: u32| "a".to_string();
        assert_eq!(
            batch_files(&[], Grouping::WindowAndKey, &name, 8, false),
            Some(BatchFiles {
                data_files: 1,
                empty_files: 1,
                partition_dirs: 0
            })
        );
        assert_eq!(
            batch_files(&[], Grouping::WindowAndKey, &name, 8, true),
            Some(BatchFiles::default())
        );
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
        assert_eq!(
            batch_files(&[w], Grouping::WindowAndKey, &name, 8, false),
            Some(BatchFiles {
                data_files: 2,
                empty_files: 1,
                partition_dirs: 0
            })
        );
        assert_eq!(
            batch_files(&[w], Grouping::WindowAndKey, &name, 8, true),
            Some(BatchFiles {
                data_files: 1,
                empty_files: 0,
                partition_dirs: 1
            })
        );
        assert_eq!(log_file(8), "8");
        assert_eq!(log_file(9), "9.compact");
        assert_eq!(log_file(19), "19.compact");
    }
}
