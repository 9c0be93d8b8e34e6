//! Recovery cases (`pipeline-sim/recovery-v1`, `tests/conformance/recovery/`): a query that
//! fails in micro-batch N and is restarted on the same checkpoint, and what real Spark 4.3
//! did (issue #17). [`run_case`] answers a case, with a `foreachBatch` sink or the parquet
//! file sink, in the schema of its `expected`; [`compare`] checks the answer against what
//! Spark did.
//!
//! Spark's rule (Structured Streaming's `MicroBatchExecution`, shown by the cases; facts and
//! the case that shows each in `tests/conformance/README.md`):
//! - The source is fed one element at a time; after each data batch a no-data batch runs when
//!   the watermark moved past the one the last batch evicted with (`shouldRunAnotherBatch`).
//! - Which batch fails: batch `failure.batch` for the foreachBatch failures and `commit_log`;
//!   for a UDF that throws on row `marker_id`, the first batch that meets the row: on the
//!   input rows (`in_input_task`: id 4 is read by batch 1,
//!   `rec_file_sink_dedup_fail_b1_in_input_task`) or on the output rows (`in_write_task`,
//!   `process_killed`: id 8 is output by batch 2, `rec_file_sink_dedup_fail_b2_in_write_task`).
//! - Batch N fails after `offsets/N` is written and before `commits/N`. On restart the query
//!   reads the offsets log and **re-runs batch N with the same offsets** — the same elements
//!   (a no-data batch again as a no-data batch) and the same watermark — on the state of
//!   version N (the committed batches): here, the query as it was before batch N.
//! - Elements that arrived while the query was down (`restart.backlog`) are then read at once:
//!   one batch without a rate limit, `max_files_per_trigger` elements a batch with one, batch
//!   after batch with no no-data batch in between while data is waiting.
//! - The sink: a `foreachBatch` function gets the batch's rows on every call, the failed
//!   attempt's included. A plain append (`foreach_batch_append`) wrote them when it failed
//!   after the write (`after_sink_write`, or the commit log: `commit_log`), so the re-run
//!   appends them again — duplicates; before the write (`before_sink`) it did not. A write
//!   keyed on the batch id (`foreach_batch_idempotent`, Delta's `txnAppId`/`txnVersion`)
//!   skips a batch id it has already written.
//! - The file sink (`recovery_file_sink.rs`) writes each batch's part files as the ordinary
//!   file-sink cases do (`storage::sink`: a file per write task with rows, task 0's even
//!   without rows; log file `N`, `N.compact` every 10th), then `_spark_metadata/N`
//!   (`rec_file_sink_window_fail_b3_commit_log`: logs 0–2 one empty file each, log 9 is
//!   `9.compact`).
//! - **The file sink skips a batch already in its log**: `FileStreamSink.addBatch` skips
//!   batch N when N ≤ the last logged batch id, without running its plan. Spark then reports
//!   0 input rows (`rec_file_sink_select_fail_b0_commit_log`: element 0 has 2 rows) and all
//!   state metrics 0 (`rec_file_sink_window_fail_b3_commit_log`), writes no file, and the
//!   next batch loads the state version the failed attempt committed (batch 4 there starts
//!   from the 1 row batch 3 left): no duplicate.
//! - **A failure Spark sees leaves nothing in the file sink**: a map-stage failure comes
//!   before any write (`rec_file_sink_dedup_fail_b1_in_input_task`), and a failed write task
//!   aborts the job, whose part files are deleted (`ManifestFileCommitProtocol`;
//!   `rec_file_sink_dedup_fail_b2_in_write_task`); the re-run writes batch N once, no orphan.
//! - **A killed driver leaves orphans**: the part files of the write tasks that finished
//!   stay in the directory but not in `_spark_metadata` — invisible through the log,
//!   visible to a plain directory read, never cleaned up by the restart — and the hung task
//!   leaves a zero-byte file when it is task 0; the re-run writes batch N in full again
//!   (`rec_file_sink_dedup_files_fail_b2_process_killed`: files of 1 and 2 rows and a
//!   zero-byte one; 10 rows through the log, 13 in a plain read).
//!
//! Compared: per attempt, each batch's id, elements, input rows (Spark's `numInputRows`) and
//! the elements' rows, watermark, late drops, state metrics and the rows delivered to the
//! function; the failed batch, how many elements had been fed and what it delivered; after
//! each attempt a foreachBatch sink's rows, distinct rows and duplicates, and the file
//! sink's `_spark_metadata` entries (log file, part files, empty ones and rows per batch),
//! files on disk and in the log, the orphans (each one's rows, or zero bytes), their rows
//! and the rows a reader through the log and a plain directory read see. Rows are compared
//! as multisets (in a log entry, over its files). Part file names (UUIDs) and task attempt
//! numbers are not recorded by the cases, only counts; so neither which file holds which row
//! is compared, only the rows per log entry and per orphan count. Not modelled here: the
//! checkpoint's files (`checkpoint_after`), the state cache counters
//! (`state_loaded_map_cache_miss`), a foreachBatch sink's per-call `sink_writes`, and the
//! failed batch's error text.

use crate::base::error::InputError;
use crate::base::time::format_rfc3339;
use crate::engine::spark::microbatch::MicroBatchQuery;
use crate::exports::conform::{
    engine_conf, input_of, normalize, out_row, query_of, row_of, same_rows, sorted_rows,
};
use crate::exports::recovery_file_sink::{FileSink, compare_sink, write_tasks};
use crate::operators::operator::{OutRow, Row};
use crate::operators::query::Operator;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

pub const FORMAT: &str = "pipeline-sim/recovery-v1";

/// A case's sink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SinkKind {
    /// `foreach_batch_append`: each call appends its rows.
    Append,
    /// `foreach_batch_idempotent`: a write keyed on the batch id.
    Idempotent,
    /// `file`: the parquet file sink with `_spark_metadata` (`recovery_file_sink.rs`).
    File,
}

/// Which batch of the first attempt fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fails {
    /// `failure.batch` (the foreachBatch failures, `commit_log`).
    Batch(u64),
    /// The first batch that reads input row `id` (`in_input_task`: a UDF on the raw rows).
    InputRow(u64),
    /// The first batch that outputs row `id` (`in_write_task`, `process_killed`: a UDF on
    /// the output rows, in the write tasks).
    OutputRow(u64),
}

/// What the failed attempt of batch N left in the sink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Left {
    /// Nothing: the function failed before its write (`before_sink`), the failure came
    /// before the write stage (`in_input_task`), or the aborted write job deleted its
    /// files (`in_write_task`).
    Nothing,
    /// The whole batch: the write finished (`after_sink_write`; `commit_log`, where for the
    /// file sink `_spark_metadata/N` is written too).
    Written,
    /// The part files of the write tasks that finished before the driver was killed, outside
    /// the log (`process_killed`); the task holding the marker row hung.
    Killed,
}

/// A case's field as a whole number.
fn whole(case: &Value, ptr: &str) -> Result<Option<u64>, InputError> {
    match case.pointer(ptr) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            InputError::new(
                ptr.trim_start_matches('/').replace('/', "."),
                "expected a whole number ≥ 0",
            )
        }),
    }
}

/// A required whole number.
fn required(case: &Value, ptr: &str) -> Result<u64, InputError> {
    whole(case, ptr)?.ok_or_else(|| InputError::new(ptr.trim_start_matches('/').replace('/', "."), "missing"))
}

/// The foreachBatch sink's writes so far: every row written, as JSON text, and the last
/// batch id a keyed write committed.
#[derive(Debug, Default)]
struct Written {
    rows: Vec<String>,
    txn: Option<u64>,
}

impl Written {
    /// One call of the function for `batch` with `rows` that reached its write.
    fn call(&mut self, keyed: bool, batch: u64, rows: &[Value]) {
        if keyed && self.txn.is_some_and(|v| batch <= v) {
            return;
        }
        self.rows.extend(rows.iter().map(|r| normalize(r).to_string()));
        if keyed {
            self.txn = Some(batch);
        }
    }

    fn summary(&self) -> Value {
        let distinct = self.rows.iter().collect::<BTreeSet<_>>().len();
        json!({
            "rows": self.rows.len(),
            "distinct_rows": distinct,
            "duplicate_rows": self.rows.len() - distinct,
        })
    }
}

/// One batch the query ran.
struct Ran {
    /// The batch as the case's `expected` records it.
    record: Value,
    /// Its output rows, as the case writes rows.
    rows: Vec<Value>,
    /// The sink's write task of each output row (the file sink only).
    tasks: Vec<u32>,
    input_ids: Vec<u64>,
    /// The `id` of each output row that has one (dedup and select rows).
    output_ids: Vec<Option<u64>>,
}

/// The sink's state over both attempts.
enum Target {
    ForeachBatch { keyed: bool, written: Written },
    File(FileSink),
}

impl Target {
    /// Whether the sink skips batch `batch` without running its plan.
    fn skips(&self, batch: u64) -> bool {
        match self {
            Target::ForeachBatch { .. } => false,
            Target::File(f) => f.skips(batch),
        }
    }

    /// A batch that ran to the end.
    fn write(&mut self, batch: u64, ran: &Ran) {
        match self {
            Target::ForeachBatch { keyed, written } => written.call(*keyed, batch, &ran.rows),
            Target::File(f) => f.commit(batch, &ran.tasks, &ran.rows),
        }
    }

    /// The failed attempt of `batch`; `marker`: the output row whose write task hung.
    fn fail(&mut self, batch: u64, ran: &Ran, left: Left, marker: Option<u64>) {
        match left {
            Left::Nothing => {}
            Left::Written => self.write(batch, ran),
            Left::Killed => {
                // The hung task: the one holding the marker row.
                let hung = marker
                    .and_then(|m| ran.output_ids.iter().position(|&i| i == Some(m)))
                    .and_then(|i| ran.tasks.get(i).copied());
                if let (Target::File(f), Some(hung)) = (self, hung) {
                    f.killed(&ran.tasks, &ran.rows, hung);
                }
            }
        }
    }

    fn summary(&self) -> Value {
        match self {
            Target::ForeachBatch { written, .. } => written.summary(),
            Target::File(f) => f.summary(),
        }
    }
}

/// Runs a recovery case: both attempts, batch by batch, and the sink after each.
pub fn run_case(case: &Value) -> Result<Value, InputError> {
    if case.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(InputError::new("format", format!("expected \"{FORMAT}\"")));
    }
    let sink = match case.pointer("/sink/kind").and_then(Value::as_str) {
        Some("foreach_batch_append") => SinkKind::Append,
        Some("foreach_batch_idempotent") => SinkKind::Idempotent,
        Some("file") => SinkKind::File,
        _ => {
            return Err(InputError::new(
                "sink.kind",
                "expected foreach_batch_append, foreach_batch_idempotent or file",
            ));
        }
    };
    let file = sink == SinkKind::File;
    let marker = || required(case, "/failure/marker_id");
    let batch_n = || required(case, "/failure/batch");
    let (fails, left) = match (file, case.pointer("/failure/when").and_then(Value::as_str)) {
        (false, Some("before_sink")) => (Fails::Batch(batch_n()?), Left::Nothing),
        (false, Some("after_sink_write")) | (_, Some("commit_log")) => {
            (Fails::Batch(batch_n()?), Left::Written)
        }
        (true, Some("in_input_task")) => (Fails::InputRow(marker()?), Left::Nothing),
        (true, Some("in_write_task")) => (Fails::OutputRow(marker()?), Left::Nothing),
        (true, Some("process_killed")) => (Fails::OutputRow(marker()?), Left::Killed),
        _ => {
            return Err(InputError::new(
                "failure.when",
                "expected before_sink, after_sink_write or commit_log for a foreachBatch sink; \
                 in_input_task, in_write_task, commit_log or process_killed for the file sink",
            ));
        }
    };
    let backlog = whole(case, "/restart/backlog")?.unwrap_or(0) as usize;
    let (limit, files_source) = match case.pointer("/source/kind").and_then(Value::as_str) {
        Some("memory") => (None, false),
        Some("files") => (
            whole(case, "/source/max_files_per_trigger")?.map(|k| k.max(1) as usize),
            true,
        ),
        _ => return Err(InputError::new("source.kind", "expected memory or files")),
    };
    // A case's query without `watermark_delay_s` has no watermark (the format's default,
    // not the scenario's).
    let mut query_json = case.get("query").cloned().unwrap_or(Value::Null);
    if let Some(q) = query_json.as_object_mut() {
        q.entry("watermark_delay_s").or_insert(Value::Null);
    }
    let query = query_of(&query_json)?;
    let stateful = query.operator != Operator::Select;
    let conf = engine_conf(case)?;
    let elements = input_of(case)?;
    let mut keys = Vec::new();
    let mut key_ids = BTreeMap::new();
    let mut rows: Vec<Vec<Row>> = Vec::with_capacity(elements.len());
    for (e, el) in elements.iter().enumerate() {
        let mut out = Vec::with_capacity(el.len());
        for (i, r) in el.iter().enumerate() {
            out.push(row_of(r, &format!("input[{e}][{i}]"), &mut keys, &mut key_ids)?);
        }
        rows.push(out);
    }

    // One batch: runs it on `q` and describes it as the case's `expected` does.
    let batch = |q: &mut MicroBatchQuery, id: u64, els: &[usize]| -> Result<Ran, InputError> {
        let input: Vec<Row> = els.iter().flat_map(|&e| rows[e].iter().copied()).collect();
        let run = q.run_batch(&input);
        let o = &run.outcome;
        let out: Vec<Value> = o
            .output
            .iter()
            .map(|r| out_row(r, &keys, query.aggregate))
            .collect();
        let mut record = json!({
            "batch_id": id,
            "input_elements": els,
            "input_rows": input.len(),
            "element_rows": input.len(),
            "watermark": run.watermark.map(|w| format_rfc3339(w, 3)),
        });
        // A stateless query has no state operator to report.
        if let (true, Some(r)) = (stateful, record.as_object_mut()) {
            for (k, v) in [
                ("dropped_by_watermark", o.dropped_late),
                ("state_rows_total", o.state.total),
                ("state_rows_updated", o.state.updated),
                ("state_rows_removed", o.state.removed),
            ] {
                r.insert(k.into(), json!(v));
            }
        }
        let tasks = if file {
            // A read task per MemoryStream block (`addData` call); the file source packs a
            // batch's files into read tasks by size, which is not modelled beyond one file.
            let read_task: Option<Vec<u32>> = (!files_source || els.len() <= 1).then(|| {
                els.iter()
                    .enumerate()
                    .flat_map(|(i, &e)| std::iter::repeat_n(i as u32, rows[e].len()))
                    .collect()
            });
            write_tasks(
                &query,
                conf.shuffle_partitions,
                &keys,
                &o.output,
                read_task.as_deref(),
            )?
        } else {
            if let Some(r) = record.as_object_mut() {
                r.insert("delivered".into(), Value::from(out.clone()));
            }
            Vec::new()
        };
        Ok(Ran {
            record,
            rows: out,
            tasks,
            input_ids: input.iter().map(|r| r.id).collect(),
            output_ids: o
                .output
                .iter()
                .map(|r| match r {
                    OutRow::Dedup(d) => Some(d.id),
                    OutRow::Window(_) => None,
                })
                .collect(),
        })
    };
    let fails_in = |id: u64, ran: &Ran| match fails {
        Fails::Batch(n) => id == n,
        Fails::InputRow(m) => ran.input_ids.contains(&m),
        Fails::OutputRow(m) => ran.output_ids.contains(&Some(m)),
    };
    let marker_id = match fails {
        Fails::Batch(_) => None,
        Fails::InputRow(m) | Fails::OutputRow(m) => Some(m),
    };

    let mut target = match sink {
        SinkKind::File => Target::File(FileSink::default()),
        k => Target::ForeachBatch {
            keyed: k == SinkKind::Idempotent,
            written: Written::default(),
        },
    };
    let mut q = MicroBatchQuery::new(&query, conf);
    let mut id = 0u64;
    let mut next = 0usize; // the next element to feed
    let mut first: Vec<Value> = Vec::new();
    // Attempt 1: elements fed one at a time until a batch fails.
    let mut failure: Option<(MicroBatchQuery, Vec<usize>, Value, Value)> = None;
    'feed: while next < rows.len() {
        let mut plan: Vec<Vec<usize>> = vec![vec![next]];
        next += 1;
        loop {
            let els = plan.pop().unwrap_or_default();
            let before = q.clone();
            let ran = batch(&mut q, id, &els)?;
            if fails_in(id, &ran) {
                target.fail(id, &ran, left, marker_id);
                let mut failed_batch = json!({"batch_id": id, "input_elements_fed": next});
                if let (Some(d), Some(f)) = (ran.record.get("delivered"), failed_batch.as_object_mut()) {
                    f.insert("delivered".into(), d.clone());
                }
                failure = Some((before, els, failed_batch, ran.record));
                break 'feed;
            }
            target.write(id, &ran);
            first.push(ran.record);
            id += 1;
            if q.wants_no_data_batch() {
                plan.push(Vec::new());
            } else {
                break;
            }
        }
    }
    let Some((restored, rerun, failed_batch, failed_record)) = failure else {
        return Err(InputError::new(
            "failure",
            format!("the input runs {id} batches and none of them fails"),
        ));
    };
    let mut attempts = vec![json!({
        "attempt": 1,
        "batches": first,
        "failed_batch": failed_batch,
        "sink_after": target.summary(),
    })];

    // Attempt 2: batch N again, then the backlog, then the rest.
    let mut second: Vec<Value> = Vec::new();
    if target.skips(id) {
        // The sink skips it without running its plan: no input rows nor state metrics; the
        // next batch loads the state version the failed attempt committed (it ran to the
        // end), with the offsets' watermark.
        let mut r = failed_record;
        if let Some(o) = r.as_object_mut() {
            for (k, v) in o.iter_mut() {
                if k == "input_rows" || k == "dropped_by_watermark" || k.starts_with("state_rows_") {
                    *v = json!(0);
                }
            }
        }
        second.push(r);
    } else {
        // On the state of version N, the committed batches'.
        q = restored;
        let ran = batch(&mut q, id, &rerun)?;
        target.write(id, &ran);
        second.push(ran.record);
    }
    id += 1;
    let mut waiting: Vec<usize> = (next..(next + backlog).min(rows.len())).collect();
    next += waiting.len();
    loop {
        let els: Vec<usize> = if !waiting.is_empty() {
            let k = limit.unwrap_or(waiting.len()).min(waiting.len());
            waiting.drain(..k).collect()
        } else if q.wants_no_data_batch() {
            Vec::new()
        } else if next < rows.len() {
            next += 1;
            vec![next - 1]
        } else {
            break;
        };
        let ran = batch(&mut q, id, &els)?;
        target.write(id, &ran);
        second.push(ran.record);
        id += 1;
    }
    attempts.push(json!({ "attempt": 2, "batches": second, "sink_after": target.summary() }));
    Ok(json!({ "attempts": attempts }))
}

/// Differences between what Spark did (`expected`) and an answer of [`run_case`], on the
/// fields [`run_case`] models; empty when they agree.
pub fn compare(expected: &Value, actual: &Value) -> Vec<String> {
    const BATCH: [&str; 8] = [
        "batch_id",
        "input_elements",
        "input_rows",
        "element_rows",
        "watermark",
        "dropped_by_watermark",
        "state_rows_total",
        "state_rows_updated",
    ];
    let mut diffs = Vec::new();
    let list = |v: &Value, k: &str| v.get(k).and_then(Value::as_array).cloned().unwrap_or_default();
    let (ea, aa) = (list(expected, "attempts"), list(actual, "attempts"));
    if ea.len() != aa.len() {
        diffs.push(format!(
            "Spark made {} attempts, the simulator {}",
            ea.len(),
            aa.len()
        ));
    }
    let field = |diffs: &mut Vec<String>, at: &str, k: &str, e: &Value, a: &Value| {
        let (ev, av) = (e.get(k).map(normalize), a.get(k).map(normalize));
        if ev.is_some() && ev != av {
            diffs.push(format!(
                "{at}: {k}: spark {}, sim {}",
                e.get(k).unwrap_or(&Value::Null),
                a.get(k).unwrap_or(&Value::Null)
            ));
        }
    };
    let rows = |diffs: &mut Vec<String>, at: &str, e: &Value, a: &Value| {
        if e.get("delivered").is_some() && !same_rows(e.get("delivered"), a.get("delivered")) {
            diffs.push(format!(
                "{at}: delivered\n    spark: {:?}\n    sim:   {:?}",
                sorted_rows(e.get("delivered")),
                sorted_rows(a.get("delivered"))
            ));
        }
    };
    for (n, (e, a)) in ea.iter().zip(&aa).enumerate() {
        let (eb, ab) = (list(e, "batches"), list(a, "batches"));
        if eb.len() != ab.len() {
            diffs.push(format!(
                "attempt {}: Spark ran {} batches, the simulator {}",
                n + 1,
                eb.len(),
                ab.len()
            ));
        }
        for (i, (eb, ab)) in eb.iter().zip(&ab).enumerate() {
            let at = format!("attempt {} batch {i}", n + 1);
            for k in BATCH.iter().chain(&["state_rows_removed"]) {
                field(&mut diffs, &at, k, eb, ab);
            }
            rows(&mut diffs, &at, eb, ab);
        }
        if let Some(ef) = e.get("failed_batch") {
            let af = a.get("failed_batch").cloned().unwrap_or(Value::Null);
            let at = format!("attempt {} failed batch", n + 1);
            field(&mut diffs, &at, "batch_id", ef, &af);
            field(&mut diffs, &at, "input_elements_fed", ef, &af);
            rows(&mut diffs, &at, ef, &af);
        }
        let (es, asum) = (
            e.get("sink_after").cloned().unwrap_or(Value::Null),
            a.get("sink_after").cloned().unwrap_or(Value::Null),
        );
        let at = format!("attempt {} sink", n + 1);
        if es.get("logs").is_some() {
            compare_sink(&at, &es, &asum, &mut diffs);
        } else {
            for k in ["rows", "distinct_rows", "duplicate_rows"] {
                field(&mut diffs, &at, k, &es, &asum);
            }
        }
    }
    diffs
}
