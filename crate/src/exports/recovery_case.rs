//! Recovery cases (`pipeline-sim/recovery-v1`, `tests/conformance/recovery/`): a query that
//! fails in micro-batch N and is restarted on the same checkpoint, and what real Spark 4.3
//! did (issue #17). [`run_case`] answers a case with a `foreachBatch` sink in the schema of
//! its `expected`; [`compare`] checks the answer against what Spark did.
//!
//! Spark's rule (Structured Streaming's `MicroBatchExecution`, shown by the cases; facts and
//! the case that shows each in `tests/conformance/README.md`):
//! - The source is fed one element at a time; after each data batch a no-data batch runs when
//!   the watermark moved past the one the last batch evicted with (`shouldRunAnotherBatch`).
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
//!
//! Compared: per attempt, each batch's id, elements, rows, watermark, late drops, state
//! metrics and the rows delivered to the function; the failed batch and what it delivered;
//! the sink's rows, distinct rows and duplicates after each attempt. Not modelled here:
//! the file sink's cases (its `_spark_metadata`, skipped re-runs and orphan files), the
//! checkpoint's files and the state cache counters.

use crate::base::error::InputError;
use crate::base::time::format_rfc3339;
use crate::engine::spark::microbatch::MicroBatchQuery;
use crate::exports::conform::{
    engine_conf, input_of, normalize, out_row, query_of, row_of, same_rows, sorted_rows,
};
use crate::operators::operator::Row;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

pub const FORMAT: &str = "pipeline-sim/recovery-v1";

/// What the function did with a call's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sink {
    Append,
    Idempotent,
}

/// When the failed attempt of batch N failed, for a `foreachBatch` sink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    BeforeSink,
    /// After the function wrote: `after_sink_write`, or writing `commits/N` (`commit_log`).
    AfterWrite,
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

/// The sink's writes so far: every row written, as JSON text, and the last batch id a
/// keyed write committed.
#[derive(Debug, Default)]
struct Written {
    rows: Vec<String>,
    txn: Option<u64>,
}

impl Written {
    /// One call of the function for `batch` with `rows`; `writes`: whether it reached the
    /// write (a call that failed before it did not).
    fn call(&mut self, sink: Sink, batch: u64, rows: &[Value], writes: bool) {
        if !writes || (sink == Sink::Idempotent && self.txn.is_some_and(|v| batch <= v)) {
            return;
        }
        self.rows.extend(rows.iter().map(|r| normalize(r).to_string()));
        if sink == Sink::Idempotent {
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

/// Runs a recovery case with a `foreachBatch` sink: both attempts, batch by batch.
pub fn run_case(case: &Value) -> Result<Value, InputError> {
    if case.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(InputError::new("format", format!("expected \"{FORMAT}\"")));
    }
    let sink = match case.pointer("/sink/kind").and_then(Value::as_str) {
        Some("foreach_batch_append") => Sink::Append,
        Some("foreach_batch_idempotent") => Sink::Idempotent,
        _ => {
            return Err(InputError::new(
                "sink.kind",
                "the foreachBatch sinks are modelled (foreach_batch_append, foreach_batch_idempotent)",
            ));
        }
    };
    let when = match case.pointer("/failure/when").and_then(Value::as_str) {
        Some("before_sink") => When::BeforeSink,
        Some("after_sink_write" | "commit_log") => When::AfterWrite,
        _ => {
            return Err(InputError::new(
                "failure.when",
                "expected before_sink, after_sink_write or commit_log for a foreachBatch sink",
            ));
        }
    };
    let failed = whole(case, "/failure/batch")?.ok_or_else(|| InputError::new("failure.batch", "missing"))?;
    let backlog = whole(case, "/restart/backlog")?.unwrap_or(0) as usize;
    let limit = match case.pointer("/source/kind").and_then(Value::as_str) {
        Some("memory") => None,
        Some("files") => whole(case, "/source/max_files_per_trigger")?.map(|k| k.max(1) as usize),
        _ => return Err(InputError::new("source.kind", "expected memory or files")),
    };
    // A case's query without `watermark_delay_s` has no watermark (the format's default,
    // not the scenario's).
    let mut query_json = case.get("query").cloned().unwrap_or(Value::Null);
    if let Some(q) = query_json.as_object_mut() {
        q.entry("watermark_delay_s").or_insert(Value::Null);
    }
    let query = query_of(&query_json)?;
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
    let batch = |q: &mut MicroBatchQuery, id: u64, els: &[usize]| -> (Value, Vec<Value>) {
        let input: Vec<Row> = els.iter().flat_map(|&e| rows[e].iter().copied()).collect();
        let run = q.run_batch(&input);
        let o = &run.outcome;
        let delivered: Vec<Value> = o
            .output
            .iter()
            .map(|r| out_row(r, &keys, query.aggregate))
            .collect();
        let v = json!({
            "batch_id": id,
            "input_elements": els,
            "element_rows": input.len(),
            "watermark": run.watermark.map(|w| format_rfc3339(w, 3)),
            "dropped_by_watermark": o.dropped_late,
            "state_rows_total": o.state.total,
            "state_rows_updated": o.state.updated,
            "state_rows_removed": o.state.removed,
            "delivered": delivered,
        });
        (v, delivered)
    };

    let mut q = MicroBatchQuery::new(&query, conf);
    let mut written = Written::default();
    let mut id = 0u64;
    let mut next = 0usize; // the next element to feed
    let mut first: Vec<Value> = Vec::new();
    // Attempt 1: elements fed one at a time until batch `failed` fails.
    let mut failure: Option<(MicroBatchQuery, Vec<usize>, Value)> = None;
    'feed: while next < rows.len() {
        let mut plan: Vec<Vec<usize>> = vec![vec![next]];
        next += 1;
        loop {
            let els = plan.pop().unwrap_or_default();
            let before = q.clone();
            let (v, delivered) = batch(&mut q, id, &els);
            if id == failed {
                written.call(sink, id, &delivered, when == When::AfterWrite);
                let fed = next;
                failure = Some((
                    before,
                    els,
                    json!({
                        "batch_id": id,
                        "input_elements_fed": fed,
                        "delivered": delivered,
                    }),
                ));
                break 'feed;
            }
            written.call(sink, id, &delivered, true);
            first.push(v);
            id += 1;
            if q.wants_no_data_batch() {
                plan.push(Vec::new());
            } else {
                break;
            }
        }
    }
    let Some((restored, rerun, failed_batch)) = failure else {
        return Err(InputError::new(
            "failure.batch",
            format!("the input runs {id} batches: batch {failed} never runs"),
        ));
    };
    let mut attempts = vec![json!({
        "batches": first,
        "failed_batch": failed_batch,
        "sink_after": written.summary(),
    })];

    // Attempt 2: batch N again on the state before it, then the backlog, then the rest.
    q = restored;
    let mut second: Vec<Value> = Vec::new();
    let (v, delivered) = batch(&mut q, id, &rerun);
    written.call(sink, id, &delivered, true);
    second.push(v);
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
        let (v, delivered) = batch(&mut q, id, &els);
        written.call(sink, id, &delivered, true);
        second.push(v);
        id += 1;
    }
    attempts.push(json!({ "batches": second, "sink_after": written.summary() }));
    Ok(json!({ "attempts": attempts }))
}

/// Differences between what Spark did (`expected`) and an answer of [`run_case`], on the
/// fields [`run_case`] models; empty when they agree.
pub fn compare(expected: &Value, actual: &Value) -> Vec<String> {
    const BATCH: [&str; 7] = [
        "batch_id",
        "input_elements",
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
        for k in ["rows", "distinct_rows", "duplicate_rows"] {
            field(&mut diffs, &format!("attempt {} sink", n + 1), k, &es, &asum);
        }
    }
    diffs
}
