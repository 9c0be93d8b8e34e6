//! Flink conformance cases (`pipeline-sim/conformance-v1` with `engine.name` = `"flink"`,
//! tests/conformance/flink/): an event-time windowed count, the elements in arrival order
//! with their simulated arrival (ms), and what real Apache Flink 2.3.0 did with them.
//! [`run_case`] answers in the shape of the case's `expected` (watermarks, firings, late
//! side output, dropped late elements, each placed after the input element it followed);
//! [`compare`] checks an answer against it: the firings of one (input element, `by`,
//! window end) group — one timer timestamp — as a multiset (Flink's timer heap orders
//! equal timestamps arbitrarily), everything else exactly, times as instants.
//!
//! The run: the source has `engine.conf.source_partitions` splits (1 when absent), each
//! element is on its `partition` (0 when absent), and the watermark is the splits' combined
//! one ([`PartitionedWatermarks`], with `query.idleness_s` as `withIdleness`). Before element
//! i every periodic tick in `(arrival_{i−1}, arrival_i]` (for i = 0: `(0, arrival_0]`) runs
//! the splits' generators; a combined watermark that advances goes to the window operator
//! right after element i−1 and fires the windows it passed (`by: watermark`). Element i
//! then goes to the window operator (re-firings `by: element`) and to its split's
//! generator. After the last element the ticks in `(arrival_last, input_end_ms]` run (none
//! without `input_end_ms`), and the `MAX` watermark fires the rest.

use crate::base::error::InputError;
use crate::base::time::{MICROS_PER_MS, Micros, format_rfc3339, parse_rfc3339, secs_to_micros};
use crate::engine::flink::file_sink::FileSinkWriter;
use crate::engine::flink::operator::{Element, FiredBy, Firing, Late, WindowOperator, WindowSpec};
use crate::engine::flink::partitions::PartitionedWatermarks;
use crate::engine::flink::periodic::PeriodicTicks;
use crate::engine::flink::watermark::{MAX_WATERMARK, MIN_WATERMARK};
use crate::engine::flink::window::Assigner;
use crate::exports::conform::normalize;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub const FORMAT: &str = "pipeline-sim/conformance-v1";

/// Flink's default `pipeline.auto-watermark-interval`.
const DEFAULT_INTERVAL_MS: i64 = 200;

#[derive(Debug, Deserialize)]
struct InputElement {
    id: u64,
    key: String,
    event_time: String,
    arrival_ms: i64,
    /// The source partition (split), 0-based; only with `engine.conf.source_partitions`.
    #[serde(default)]
    partition: Option<usize>,
}

/// A Flink watermark as the cases write it: 3 digits, or `MAX` / `MIN`.
fn watermark_json(w: Micros) -> Value {
    match w {
        MAX_WATERMARK => json!("MAX"),
        MIN_WATERMARK => json!("MIN"),
        _ => json!(format_rfc3339(w, 3)),
    }
}

/// A duration in seconds at `path` (absent: `default`), as whole ms in µs.
fn seconds(q: &Value, path: &str, default: Option<f64>) -> Result<Micros, InputError> {
    let field = format!("query{}", path.replace('/', "."));
    let s = match q.pointer(path) {
        Some(v) => v
            .as_f64()
            .ok_or_else(|| InputError::new(&field, "expected a number of seconds"))?,
        None => default.ok_or_else(|| InputError::new(&field, "missing"))?,
    };
    let us = secs_to_micros(s);
    if !s.is_finite() || s < 0.0 || us % MICROS_PER_MS != 0 {
        return Err(InputError::new(&field, "expected whole milliseconds ≥ 0"));
    }
    Ok(us)
}

fn positive(v: Micros, field: &str) -> Result<Micros, InputError> {
    if v > 0 {
        Ok(v)
    } else {
        Err(InputError::new(format!("query.window.{field}"), "must be > 0"))
    }
}

/// `withIdleness` rejects a zero timeout.
fn positive_idleness(v: Micros) -> Result<Micros, InputError> {
    if v > 0 {
        Ok(v)
    } else {
        Err(InputError::new("query.idleness_s", "must be > 0"))
    }
}

fn window_spec(q: &Value) -> Result<(WindowSpec, Micros), InputError> {
    if q.get("operator").and_then(Value::as_str) != Some("window_count") {
        return Err(InputError::new(
            "query.operator",
            "only window_count is modelled for Flink",
        ));
    }
    let assigner = match q.pointer("/window/kind").and_then(Value::as_str) {
        Some("tumbling") => Assigner::Tumbling {
            size: positive(seconds(q, "/window/size_s", None)?, "size_s")?,
        },
        Some("sliding") => Assigner::Sliding {
            size: positive(seconds(q, "/window/size_s", None)?, "size_s")?,
            slide: positive(seconds(q, "/window/slide_s", None)?, "slide_s")?,
        },
        Some("session") => Assigner::Session {
            gap: positive(seconds(q, "/window/gap_s", None)?, "gap_s")?,
        },
        _ => {
            return Err(InputError::new(
                "query.window.kind",
                "expected \"tumbling\", \"sliding\" or \"session\"",
            ));
        }
    };
    let delay = seconds(q, "/watermark_delay_s", None)?;
    let allowed_lateness = seconds(q, "/allowed_lateness_s", Some(0.0))?;
    let late_side_output = match q.get("late_side_output") {
        None => false,
        Some(v) => v
            .as_bool()
            .ok_or_else(|| InputError::new("query.late_side_output", "expected true or false"))?,
    };
    Ok((
        WindowSpec {
            assigner,
            allowed_lateness,
            late_side_output,
        },
        delay,
    ))
}

/// `engine.conf.source_partitions`, if given (≥ 1).
fn source_partitions(case: &Value) -> Result<Option<usize>, InputError> {
    match case.pointer("/engine/conf/source_partitions") {
        None => Ok(None),
        Some(v) => v
            .as_u64()
            .filter(|n| *n >= 1)
            .map(|n| Some(n as usize))
            .ok_or_else(|| InputError::new("engine.conf.source_partitions", "expected a count ≥ 1")),
    }
}

fn ticks(case: &Value) -> Result<PeriodicTicks, InputError> {
    let conf = case.pointer("/engine/conf");
    if let Some(p) = conf.and_then(|c| c.get("parallelism"))
        && p.as_u64() != Some(1)
    {
        return Err(InputError::new(
            "engine.conf.parallelism",
            "only parallelism 1 is modelled",
        ));
    }
    let interval_ms = match conf.and_then(|c| c.get("pipeline.auto-watermark-interval_ms")) {
        None => DEFAULT_INTERVAL_MS,
        Some(v) => v.as_i64().filter(|n| *n >= 0).ok_or_else(|| {
            InputError::new(
                "engine.conf.pipeline.auto-watermark-interval_ms",
                "expected whole ms ≥ 0",
            )
        })?,
    };
    Ok(PeriodicTicks { interval_ms })
}

/// Where an output came: before any element, after input element i, or at the end of input.
#[derive(Debug, Clone, Copy)]
enum At {
    Start,
    After(usize),
    End,
}

impl At {
    /// The case's `after_index` and `end_of_input`.
    fn fields(self) -> (Value, bool) {
        match self {
            At::Start => (Value::Null, false),
            At::After(i) => (json!(i), false),
            At::End => (Value::Null, true),
        }
    }
}

fn firing_json(f: &Firing, at: At, keys: &[String]) -> Value {
    let (after_index, end_of_input) = at.fields();
    json!({
        "after_index": after_index,
        "end_of_input": end_of_input,
        "by": match f.by { FiredBy::Watermark => "watermark", FiredBy::Element => "element" },
        "window_start": format_rfc3339(f.window.start, 6),
        "window_end": format_rfc3339(f.window.end, 6),
        "key": keys.get(f.key as usize).cloned().unwrap_or_default(),
        "count": f.ids.len(),
        "watermark": watermark_json(f.watermark),
        "ids": f.ids,
    })
}

/// Runs a Flink case (as parsed JSON) and returns
/// `{"watermarks", "firings", "late_side_output", "late_dropped"}`.
pub fn run_case(case: &Value) -> Result<Value, InputError> {
    if case.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(InputError::new("format", format!("expected \"{FORMAT}\"")));
    }
    if case.pointer("/engine/name").and_then(Value::as_str) != Some("flink") {
        return Err(InputError::new("engine.name", "expected \"flink\""));
    }
    if case.pointer("/query/operator").and_then(Value::as_str) == Some("sink_elements") {
        return run_sink_case(case);
    }
    let ticks = ticks(case)?;
    let partitions = source_partitions(case)?;
    let query = case
        .get("query")
        .ok_or_else(|| InputError::new("query", "missing"))?;
    let (spec, delay) = window_spec(query)?;
    let idleness = match query.get("idleness_s") {
        None => None,
        Some(_) if partitions.is_none() => {
            return Err(InputError::new(
                "query.idleness_s",
                "needs engine.conf.source_partitions",
            ));
        }
        Some(_) => Some(positive_idleness(seconds(query, "/idleness_s", None)?)?),
    };
    let input: Vec<InputElement> = serde_json::from_value(case.get("input").cloned().unwrap_or(Value::Null))
        .map_err(|e| InputError::new("input", e.to_string()))?;
    let input_end_ms = match case.get("input_end_ms") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_i64()
                .ok_or_else(|| InputError::new("input_end_ms", "expected whole ms"))?,
        ),
    };

    let mut keys: Vec<String> = Vec::new();
    let mut key_ids: BTreeMap<String, u32> = BTreeMap::new();
    let mut elements = Vec::with_capacity(input.len());
    let mut prev_arrival = i64::MIN;
    for (i, e) in input.iter().enumerate() {
        let timestamp = parse_rfc3339(&e.event_time)
            .filter(|t| t % MICROS_PER_MS == 0)
            .ok_or_else(|| {
                InputError::new(
                    format!("input[{i}].event_time"),
                    format!("not an RFC 3339 time in whole ms: {}", e.event_time),
                )
            })?;
        if e.arrival_ms < prev_arrival {
            return Err(InputError::new(
                format!("input[{i}].arrival_ms"),
                "arrivals must not decrease",
            ));
        }
        prev_arrival = e.arrival_ms;
        match (e.partition, partitions) {
            (None, _) => {}
            (Some(p), Some(n)) if p < n => {}
            _ => {
                return Err(InputError::new(
                    format!("input[{i}].partition"),
                    "expected 0 ≤ partition < engine.conf.source_partitions",
                ));
            }
        }
        let next = keys.len() as u32;
        let key = *key_ids.entry(e.key.clone()).or_insert_with(|| {
            keys.push(e.key.clone());
            next
        });
        elements.push(Element {
            id: e.id,
            key,
            timestamp,
        });
    }

    let mut source = PartitionedWatermarks::new(partitions.unwrap_or(1), delay, idleness);
    let mut op = WindowOperator::new(spec);
    let (mut watermarks, mut firings, mut side, mut dropped) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut watermark = |w: Micros, at: At, op: &mut WindowOperator, firings: &mut Vec<Value>| {
        let (after_index, end_of_input) = at.fields();
        watermarks.push(json!({
            "after_index": after_index,
            "end_of_input": end_of_input,
            "watermark": watermark_json(w),
        }));
        for f in op.process_watermark(w) {
            firings.push(firing_json(&f, at, &keys));
        }
    };
    // The periodic ticks in (after, until], each placed after the last element processed.
    let mut run_ticks = |after: i64,
                         until: i64,
                         at: At,
                         source: &mut PartitionedWatermarks,
                         op: &mut WindowOperator,
                         firings: &mut Vec<Value>| {
        for t in ticks.ticks_in(after, until) {
            if let Some(w) = source.on_tick(t) {
                watermark(w, at, op, firings);
            }
        }
    };
    let mut last_arrival = 0;
    for (i, e) in elements.iter().enumerate() {
        let before = if i == 0 { At::Start } else { At::After(i - 1) };
        run_ticks(
            last_arrival,
            input[i].arrival_ms,
            before,
            &mut source,
            &mut op,
            &mut firings,
        );
        last_arrival = input[i].arrival_ms;
        let (fired, late) = op.process_element(e);
        for f in &fired {
            firings.push(firing_json(f, At::After(i), &keys));
        }
        match late {
            Some(Late::SideOutput) => side.push(json!({"index": i, "id": e.id})),
            Some(Late::Dropped) => dropped.push(json!(i)),
            None => {}
        }
        source.on_event(input[i].partition.unwrap_or(0), e.timestamp);
    }
    if let Some(end) = input_end_ms {
        let at = elements.len().checked_sub(1).map_or(At::Start, At::After);
        run_ticks(last_arrival, end, at, &mut source, &mut op, &mut firings);
    }
    watermark(MAX_WATERMARK, At::End, &mut op, &mut firings);
    Ok(json!({
        "watermarks": watermarks,
        "firings": firings,
        "late_side_output": side,
        "late_dropped": dropped,
    }))
}

/// A firing's group: one timer timestamp of one input step.
fn group_of(f: &Value) -> Value {
    json!([
        f.get("after_index"),
        f.get("end_of_input"),
        f.get("by"),
        normalize(f).get("window_end")
    ])
}

/// Consecutive firings of the same group, each group's firings normalized and sorted.
fn firing_groups(v: Option<&Value>) -> Vec<(Value, Vec<String>)> {
    let mut out: Vec<(Value, Vec<String>)> = Vec::new();
    for f in v.and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default() {
        let g = group_of(f);
        let row = normalize(f).to_string();
        match out.last_mut() {
            Some((last, rows)) if *last == g => rows.push(row),
            _ => out.push((g, vec![row])),
        }
    }
    for (_, rows) in &mut out {
        rows.sort();
    }
    out
}

/// A firing in one line, for diffs.
fn firing_line(f: &Value) -> String {
    let s = |k: &str| {
        f.get(k).map_or_else(String::new, |v| {
            v.as_str().map_or_else(|| v.to_string(), str::to_string)
        })
    };
    format!(
        "after {} ({}) {} [{}, {}) count {} ids {} watermark {}",
        s("after_index"),
        s("by"),
        s("key"),
        s("window_start"),
        s("window_end"),
        s("count"),
        s("ids"),
        s("watermark")
    )
}

/// A `sink_elements` case: every element (its id as the row) into a row-format `FileSink`
/// with `OnCheckpointRollingPolicy` and one bucket ([`FileSinkWriter`]); a checkpoint right
/// after each element of `checkpoints_after_index` (-1: before the first), each completed
/// before the next element, and the final checkpoint after the end of input. Answers
/// `{"files": [...]}`, one entry per checkpoint: where it was, in-progress / visible files
/// before it, and the files it committed (name, row count, ids).
fn run_sink_case(case: &Value) -> Result<Value, InputError> {
    let sink = case.pointer("/query/sink").cloned().unwrap_or(Value::Null);
    let want = json!({"kind": "file", "format": "row", "rolling_policy": "on_checkpoint",
                      "bucket_assigner": "base_path"});
    if sink != want {
        return Err(InputError::new("query.sink", format!("only {want}")));
    }
    let input: Vec<InputElement> = serde_json::from_value(case.get("input").cloned().unwrap_or(Value::Null))
        .map_err(|e| InputError::new("input", e.to_string()))?;
    let mut after: Vec<i64> = Vec::new();
    for v in case
        .get("checkpoints_after_index")
        .and_then(Value::as_array)
        .ok_or_else(|| InputError::new("checkpoints_after_index", "expected a list"))?
    {
        let i = v
            .as_i64()
            .filter(|i| *i >= -1 && *i < input.len() as i64)
            .ok_or_else(|| InputError::new("checkpoints_after_index", "expected -1 ≤ i < n"))?;
        if after.last().is_some_and(|l| *l > i) {
            return Err(InputError::new("checkpoints_after_index", "must not decrease"));
        }
        after.push(i);
    }
    let mut writer = FileSinkWriter::new();
    let mut visible = 0usize;
    let mut files = Vec::new();
    let mut checkpoint = |writer: &mut FileSinkWriter, at: Value, end: bool| {
        let before = writer.in_progress();
        let mut rolled = writer.checkpoint();
        rolled.sort_by_key(|f| f.rows.first().copied());
        let committed: Vec<Value> = rolled
            .iter()
            .map(|f| json!({"name": f.name(), "rows": f.rows.len(), "ids": f.rows}))
            .collect();
        let entry = json!({"after_index": at, "end_of_input": end,
                           "in_progress_before": before, "visible_before": visible,
                           "visible_at_barrier": visible, "committed": committed,
                           "in_progress_after": writer.in_progress()});
        visible += rolled.len();
        entry
    };
    let mut next = 0usize;
    for i in -1..input.len() as i64 {
        if i >= 0 {
            writer.write("", input[i as usize].id);
        }
        while next < after.len() && after[next] == i {
            let at = if i < 0 { Value::Null } else { json!(i) };
            files.push(checkpoint(&mut writer, at, false));
            next += 1;
        }
    }
    files.push(checkpoint(&mut writer, Value::Null, true));
    Ok(json!({ "files": files }))
}

/// The sink's part file names carry Flink's random uuids (the oracle numbers them in order
/// of appearance, in-progress files included); the simulator numbers buckets. Compared
/// without them.
fn without_file_names(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(a) = v.as_array_mut() {
        for cp in a {
            if let Some(c) = cp.get_mut("committed").and_then(Value::as_array_mut) {
                for f in c {
                    if let Some(o) = f.as_object_mut() {
                        o.remove("name");
                    }
                }
            }
        }
    }
    v
}

/// Differences between Flink's `expected` and the simulator's `actual`; empty when they
/// agree.
pub fn compare(expected: &Value, actual: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    let Some(eo) = expected.as_object() else {
        return vec!["expected: not an object".into()];
    };
    for (k, ev) in eo {
        let av = actual.get(k);
        if k == "firings" {
            if firing_groups(Some(ev)) != firing_groups(av) {
                let lines = |v: Option<&Value>| -> Vec<String> {
                    v.and_then(Value::as_array)
                        .map(|a| a.iter().map(firing_line).collect())
                        .unwrap_or_default()
                };
                let (el, al) = (lines(Some(ev)), lines(av));
                let mut msg = format!("firings differ (Flink {}, sim {}):", el.len(), al.len());
                for i in 0..el.len().max(al.len()) {
                    let (e, a) = (el.get(i), al.get(i));
                    let mark = if e == a { ' ' } else { '*' };
                    msg.push_str(&format!(
                        "\n   {mark} flink: {}\n   {mark} sim:   {}",
                        e.map_or("-", String::as_str),
                        a.map_or("-", String::as_str)
                    ));
                }
                diffs.push(msg);
            }
            continue;
        }
        let (ev, av) = if k == "files" {
            (&without_file_names(ev), av.map(without_file_names))
        } else {
            (ev, av.cloned())
        };
        let av = av.as_ref();
        let (en, an) = (normalize(ev), av.map(normalize).unwrap_or(Value::Null));
        if en == an {
            continue;
        }
        match (en.as_array(), an.as_array()) {
            (Some(ea), Some(aa)) if ea.len() == aa.len() => {
                for (i, (e, a)) in ea.iter().zip(aa).enumerate() {
                    if e != a {
                        diffs.push(format!("{k}[{i}]: flink {}, sim {}", ev[i], actual[k][i]));
                    }
                }
            }
            (Some(ea), Some(aa)) => diffs.push(format!(
                "{k}: Flink has {}, the simulator {}\n    flink {ev}\n    sim   {}",
                ea.len(),
                aa.len(),
                av.unwrap_or(&Value::Null)
            )),
            _ => diffs.push(format!("{k}: flink {ev}, sim {}", av.unwrap_or(&Value::Null))),
        }
    }
    diffs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(after: usize, key: &str, end: &str) -> Value {
        json!({"after_index": after, "end_of_input": false, "by": "watermark",
               "window_start": "2024-01-01T00:00:00.000000Z", "window_end": end,
               "key": key, "count": 1, "watermark": "2024-01-01T00:00:10.000Z", "ids": [1]})
    }

    #[test]
    fn equal_timestamp_firings_compare_as_a_multiset_only() {
        let t10 = "2024-01-01T00:00:10.000000Z";
        let t20 = "2024-01-01T00:00:20.000000Z";
        let e = json!({"firings": [f(3, "c", t10), f(3, "a", t10), f(3, "b", t20)]});
        let same = json!({"firings": [f(3, "a", t10), f(3, "c", t10), f(3, "b", t20)]});
        assert!(compare(&e, &same).is_empty());
        // Across timestamps the order counts.
        let swapped = json!({"firings": [f(3, "b", t20), f(3, "a", t10), f(3, "c", t10)]});
        assert_eq!(compare(&e, &swapped).len(), 1);
        // So does the input element a firing follows.
        let later = json!({"firings": [f(3, "c", t10), f(4, "a", t10), f(4, "b", t20)]});
        assert_eq!(compare(&e, &later).len(), 1);
    }
}
