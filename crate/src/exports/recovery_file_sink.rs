//! The parquet file sink of the recovery cases (`recovery_case.rs`): its `_spark_metadata`
//! log, the part files each logged batch added, and the part files left outside the log
//! (orphans), as a case's `sink_after` records them.
//!
//! A batch's rows reach the sink's write tasks as in the ordinary file-sink cases
//! (`storage::sink`): a stateful query's row in the task of its group's hash, a stateless
//! one's in its read task; each task with rows writes one part file and task 0 writes one
//! even without rows (flat layout). What a crash leaves (`process_killed`):
//! - The file sink's commit protocol (`ManifestFileCommitProtocol`) writes part files at
//!   their final path and lists them in `_spark_metadata/N` only when the whole job has
//!   finished; so the files of the tasks that finished before the driver died stay in the
//!   directory, outside the log.
//! - A write task opens its file before its first row only as task 0
//!   (`FileFormatWriter.executeTask`: another task first asks its input for a row, and
//!   gets none while the row's UDF hangs); so the hung task leaves a zero-byte file iff it
//!   is task 0 (`rec_file_sink_dedup_files_fail_b2_process_killed`: id 8 is in task 0 of
//!   4). That a hung task other than 0 leaves no file is read from Spark's code; no case
//!   shows it.

use crate::base::error::InputError;
use crate::exports::conform::{normalize, same_rows, sorted_rows};
use crate::operators::operator::OutRow;
use crate::operators::query::Query;
use crate::storage::sink;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The write task of each output row of one batch. `read_task`: the read task (input
/// partition) of each input row, None when not modelled; a stateless query's output row
/// keeps it (a `select` outputs its input rows in order).
pub(crate) fn write_tasks(
    query: &Query,
    partitions: u32,
    keys: &[String],
    out: &[OutRow],
    read_task: Option<&[u32]>,
) -> Result<Vec<u32>, InputError> {
    let grouping = sink::grouping(query);
    if grouping == sink::Grouping::Source {
        return read_task.map(<[u32]>::to_vec).ok_or_else(|| {
            InputError::new(
                "source",
                "a stateless query's write tasks are its read tasks: a file source's packing of \
                 several files into read tasks is not modelled",
            )
        });
    }
    let name = |k: u32| keys.get(k as usize).cloned().unwrap_or_default();
    out.iter()
        .map(|r| {
            sink::task_of(r, grouping, &name, partitions)
                .ok_or_else(|| InputError::new("query", "the sink's write task of a row is not modelled"))
        })
        .collect()
}

/// A batch's part files (their counts) and rows, as `_spark_metadata/N` lists them.
#[derive(Debug)]
struct Logged {
    files: sink::BatchFiles,
    rows: Vec<Value>,
}

/// A part file outside the log: a finished task's (rows, maybe none), or the hung task 0's
/// open file (zero bytes, unreadable).
#[derive(Debug)]
struct Orphan {
    zero_bytes: bool,
    rows: Vec<Value>,
}

/// The sink's directory: what the log lists, and the orphans.
#[derive(Debug, Default)]
pub(crate) struct FileSink {
    logs: BTreeMap<u64, Logged>,
    orphans: Vec<Orphan>,
}

impl FileSink {
    /// `FileStreamSink.addBatch` skips a batch whose id is at most the last one in
    /// `_spark_metadata` ("Skipping already committed batch"), without running its plan.
    pub(crate) fn skips(&self, batch: u64) -> bool {
        self.logs.keys().next_back().is_some_and(|&last| batch <= last)
    }

    /// A finished write job of batch `batch`: its files, then `_spark_metadata/batch`.
    /// `tasks[i]`: the write task of `rows[i]`.
    pub(crate) fn commit(&mut self, batch: u64, tasks: &[u32], rows: &[Value]) {
        let files = files(tasks.iter().copied());
        self.logs.insert(
            batch,
            Logged {
                files,
                rows: rows.to_vec(),
            },
        );
    }

    /// The driver killed during the write job of a batch while task `hung` hangs: the files
    /// of every other task stay, outside the log; task 0's is open with zero bytes if it
    /// is the hung one.
    pub(crate) fn killed(&mut self, tasks: &[u32], rows: &[Value], hung: u32) {
        let mut by_task: BTreeMap<u32, Vec<Value>> = BTreeMap::new();
        for (&t, r) in tasks.iter().zip(rows) {
            if t != hung {
                by_task.entry(t).or_default().push(r.clone());
            }
        }
        // The finished tasks' files as the sink lays them out: task 0's first when it has
        // no finished row (a file without rows, or the hung task 0's open one), then one per
        // task with rows, in task order.
        let mut groups = by_task.into_values();
        for n in files(tasks.iter().copied().filter(|&t| t != hung)).file_rows {
            self.orphans.push(if n == 0 {
                Orphan {
                    zero_bytes: hung == 0,
                    rows: Vec::new(),
                }
            } else {
                Orphan {
                    zero_bytes: false,
                    rows: groups.next().unwrap_or_default(),
                }
            });
        }
    }

    /// The sink as a case's `sink_after` records it.
    pub(crate) fn summary(&self) -> Value {
        let logs: serde_json::Map<String, Value> = self
            .logs
            .iter()
            .map(|(b, l)| {
                (
                    b.to_string(),
                    json!({
                        "log_file": sink::log_file(*b),
                        "data_files": l.files.data_files,
                        "empty_files": l.files.empty_files,
                        "rows": l.rows,
                    }),
                )
            })
            .collect();
        let in_log: u64 = self.logs.values().map(|l| l.files.data_files).sum();
        let through_log: usize = self.logs.values().map(|l| l.rows.len()).sum();
        let mut orphans: Vec<(bool, Option<usize>)> = self
            .orphans
            .iter()
            .map(|o| (o.zero_bytes, (!o.zero_bytes).then_some(o.rows.len())))
            .collect();
        orphans.sort_by_key(|&(zero, rows)| (zero, rows.unwrap_or(0)));
        let orphan_rows: Vec<Value> = self.orphans.iter().flat_map(|o| o.rows.iter().cloned()).collect();
        json!({
            "logs": logs,
            "files_on_disk": in_log + self.orphans.len() as u64,
            "files_in_log": in_log,
            "orphan_files": self.orphans.len(),
            "orphans": orphans
                .iter()
                .map(|&(zero, rows)| json!({"bytes_zero": zero, "rows": rows}))
                .collect::<Vec<_>>(),
            "orphan_rows": orphan_rows,
            "rows_read_through_log": through_log,
            "rows_plain_directory_read": through_log + orphan_rows.len(),
        })
    }
}

/// The part files of a flat file sink for rows in write tasks `tasks` (`storage::sink`).
fn files(tasks: impl Iterator<Item = u32>) -> sink::BatchFiles {
    sink::files_by_task(tasks.map(|t| Some((t, 0))), false, 0).unwrap_or_default()
}

/// Differences between Spark's file-sink `sink_after` and the simulator's, at `at`: every
/// log entry (its file name, part files, empty ones, rows as a multiset), the files on disk
/// and in the log, the orphans (each one's rows or zero bytes), their rows and what the
/// two readers see.
pub(crate) fn compare_sink(at: &str, expected: &Value, actual: &Value, diffs: &mut Vec<String>) {
    let empty = serde_json::Map::new();
    let logs = |v: &Value| {
        v.get("logs")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_else(|| empty.clone())
    };
    let (el, al) = (logs(expected), logs(actual));
    let (ek, ak): (Vec<&String>, Vec<&String>) = (el.keys().collect(), al.keys().collect());
    if ek != ak {
        diffs.push(format!("{at}: _spark_metadata logs: spark {ek:?}, sim {ak:?}"));
    }
    for (b, e) in &el {
        let Some(a) = al.get(b) else { continue };
        for k in ["log_file", "data_files", "empty_files"] {
            if e.get(k) != a.get(k) {
                diffs.push(format!(
                    "{at}: log {b}: {k}: spark {}, sim {}",
                    e.get(k).unwrap_or(&Value::Null),
                    a.get(k).unwrap_or(&Value::Null)
                ));
            }
        }
        if !same_rows(e.get("rows"), a.get("rows")) {
            diffs.push(format!(
                "{at}: log {b}: rows\n    spark: {:?}\n    sim:   {:?}",
                sorted_rows(e.get("rows")),
                sorted_rows(a.get("rows"))
            ));
        }
    }
    for k in [
        "files_on_disk",
        "files_in_log",
        "orphan_files",
        "orphans",
        "rows_read_through_log",
        "rows_plain_directory_read",
    ] {
        let (ev, av) = (expected.get(k).map(normalize), actual.get(k).map(normalize));
        if ev != av {
            diffs.push(format!(
                "{at}: {k}: spark {}, sim {}",
                expected.get(k).unwrap_or(&Value::Null),
                actual.get(k).unwrap_or(&Value::Null)
            ));
        }
    }
    if !same_rows(expected.get("orphan_rows"), actual.get("orphan_rows")) {
        diffs.push(format!(
            "{at}: orphan_rows\n    spark: {:?}\n    sim:   {:?}",
            sorted_rows(expected.get("orphan_rows")),
            sorted_rows(actual.get("orphan_rows"))
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: u64) -> Value {
        json!({"id": id})
    }

    #[test]
    fn a_logged_batch_is_skipped_and_every_earlier_one() {
        let mut s = FileSink::default();
        assert!(!s.skips(0));
        s.commit(0, &[1], &[row(1)]);
        s.commit(1, &[], &[]);
        assert!(s.skips(0) && s.skips(1) && !s.skips(2));
        // batch 1 without rows: task 0's empty file
        assert_eq!(s.summary()["logs"]["1"]["data_files"], json!(1));
        assert_eq!(s.summary()["logs"]["1"]["empty_files"], json!(1));
        assert_eq!(s.summary()["logs"]["0"]["empty_files"], json!(1));
    }

    #[test]
    fn a_kill_leaves_the_finished_tasks_files() {
        // Tasks 0 {1}, 2 {2, 3}, 3 {4}; task 3 hangs: task 0's and task 2's files stay.
        let (tasks, rows) = ([0, 2, 2, 3], [row(1), row(2), row(3), row(4)]);
        let mut s = FileSink::default();
        s.killed(&tasks, &rows, 3);
        let v = s.summary();
        assert_eq!(
            v["orphans"],
            json!([{"bytes_zero": false, "rows": 1}, {"bytes_zero": false, "rows": 2}])
        );
        assert_eq!(v["files_in_log"], json!(0));
        assert_eq!(v["rows_read_through_log"], json!(0));
        assert_eq!(v["rows_plain_directory_read"], json!(3));
        // Task 0 hangs: its file is open with zero bytes.
        let mut s = FileSink::default();
        s.killed(&tasks, &rows, 0);
        assert_eq!(
            s.summary()["orphans"],
            json!([{"bytes_zero": false, "rows": 1}, {"bytes_zero": false, "rows": 2}, {"bytes_zero": true, "rows": null}])
        );
        // Task 2 hangs, task 0 has no rows: task 0's empty file and task 1's stay, task 2
        // has none (it waits for its first row before it opens one).
        let mut s = FileSink::default();
        s.killed(&[1, 2], &[row(1), row(2)], 2);
        assert_eq!(
            s.summary()["orphans"],
            json!([{"bytes_zero": false, "rows": 0}, {"bytes_zero": false, "rows": 1}])
        );
        assert_eq!(s.summary()["orphan_rows"], json!([row(1)]));
    }
}
