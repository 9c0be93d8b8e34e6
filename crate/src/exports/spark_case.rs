//! The simulator's own micro-batches as a conformance case ([`conformance_case`]), so that
//! `tests/pyspark/` can run the generated query (`pyspark.rs`) on real Spark batch by
//! batch, and a scenario's events as JSON Lines ([`events_jsonl`]), the input that script
//! reads.

use crate::base::error::InputError;
use crate::base::time::format_rfc3339;
use crate::operators::query::OperatorName;
use crate::scenario::spec::{Scenario, ScenarioSpec};
use crate::simulation;
use crate::storage::table_format::TableFormat;
use crate::workload::event::Event;
use crate::workload::stream::EventStream;
use serde_json::{Value, json};

/// Most events a conformance case is made of (it is meant for real Spark on one machine).
pub const MAX_CASE_EVENTS: usize = 100_000;

/// The name of key index `k` (generated keys are `k0`, `k1`, …).
fn key_name(sc: &Scenario, k: u32) -> String {
    match &sc.workload.key_names {
        Some(n) => n.get(k as usize).cloned().unwrap_or_default(),
        None => format!("k{k}"),
    }
}

/// An event as the script reads it: `{"id", "key", "event_time"[, "value"]}` (RFC 3339, µs);
/// with `arrival`, also when it arrived.
fn event_json(sc: &Scenario, e: &Event, arrival: bool) -> Value {
    let mut v = json!({
        "id": e.id,
        "key": key_name(sc, e.key),
        "event_time": format_rfc3339(e.event_time, 6),
    });
    if let Some(o) = v.as_object_mut() {
        if e.value != crate::operators::operator::NULL_VALUE {
            o.insert("value".into(), json!(e.value));
        }
        if arrival {
            o.insert("arrival".into(), json!(format_rfc3339(e.arrival, 6)));
        }
    }
    v
}

/// The scenario's events in arrival order as JSON Lines (`id`, `key`, `event_time`,
/// `value` when not null, `arrival`): what the generated script reads.
pub fn events_jsonl(sc: &Scenario) -> impl Iterator<Item = String> + '_ {
    EventStream::new(sc.workload.clone(), sc.seed).map(move |e| event_json(sc, &e, true).to_string())
}

/// How a case makes Spark run the simulator's micro-batches.
const SCHEDULE_SPARK: &str = "spark_no_data_batches";
const SCHEDULE_EXPLICIT: &str = "explicit";

/// A `pipeline-sim/conformance-v1` case of a (small) scenario: its query, and as `input`
/// the events of each micro-batch the simulator's engine ran, in the order it took them.
///
/// Two ways to make Spark run exactly the engine's batches, the first when it works:
/// - `schedule: "spark_no_data_batches"`: one input element per engine batch that read
///   rows; Spark decides the no-data batches itself (the oracle's `addData` +
///   `processAllAvailable`), and they fall where the engine put them.
/// - `schedule: "explicit"`: where the engine ran two data batches back to back although
///   the watermark had moved (new data came before the next trigger), or ran a
///   run-and-stop trigger, Spark would put a no-data batch in between. Then every engine
///   batch is one input element (an empty one for a no-data batch) and
///   `noDataMicroBatches` is off, so Spark runs these batches and no other.
///
/// The case also carries `scenario_run`: the engine report's per-batch columns (input
/// rows, watermark, dropped late groups, state rows, output rows; files with a parquet
/// sink), batch for batch the same batches.
pub fn conformance_case(
    spec: &ScenarioSpec,
    data: Option<&crate::workload::loader::Loaded>,
    name: &str,
) -> Result<Value, InputError> {
    let mut sc = spec.validate_with(data)?;
    let events: Vec<Event> = EventStream::new(sc.workload.clone(), sc.seed)
        .take(MAX_CASE_EVENTS + 1)
        .collect();
    if events.len() > MAX_CASE_EVENTS {
        return Err(InputError::new(
            "workload",
            format!(
                "more than {MAX_CASE_EVENTS} events: a conformance case is for a small scenario \
                 (fewer events, a shorter duration_s)"
            ),
        ));
    }
    // Every event's batch in the report's detail, to check the slicing below.
    sc.detail_events = events.len().max(1) as u64;
    let report = simulation::simulate(&sc)?;
    let b = &report.batches;

    // The engine takes events in stream (arrival) order, a prefix of what is left at each
    // batch: batch i's rows are the next input_rows[i] events.
    let mut batches: Vec<&[Event]> = Vec::with_capacity(b.len());
    let mut at = 0usize;
    for &n in &b.input_rows {
        let n = n as usize;
        let rows = events.get(at..at + n).ok_or_else(|| {
            InputError::new(
                "workload",
                "the engine's batches read more events than the stream has",
            )
        })?;
        batches.push(rows);
        at += n;
    }
    let d = &report.events;
    if d.stride == 1 {
        for (i, rows) in batches.iter().enumerate() {
            for e in rows.iter() {
                if d.batch.get(e.id as usize).copied() != Some(i as i64) {
                    return Err(InputError::new(
                        "workload",
                        format!("event {} is in batch {i} by order but not by the report", e.id),
                    ));
                }
            }
        }
    }

    let row = |e: &Event| event_json(&sc, e, false);
    let mut query = serde_json::to_value(&spec.query).map_err(|e| InputError::new("query", e.to_string()))?;
    let parquet_sink = spec
        .sink
        .as_ref()
        .filter(|s| s.format == TableFormat::Parquet && spec.query.operator != OperatorName::Select);
    if let (Some(s), Some(obj)) = (parquet_sink, query.as_object_mut()) {
        obj.insert(
            "sink".into(),
            json!({"format": "parquet", "partition_by": s.partition_by}),
        );
    }
    let conf = |no_data: bool| {
        json!({"conf": {
            "spark.sql.shuffle.partitions": spec.engine.shuffle_partitions,
            "spark.sql.streaming.noDataMicroBatches.enabled": no_data,
            "spark.sql.streaming.statefulOperator.allowMultiple": spec.engine.allow_multiple,
        }})
    };
    // The engine's schedule: (rows, whether the batch read input).
    let want: Vec<(u64, bool)> = b.input_rows.iter().map(|&n| (n, n > 0)).collect();
    let schedule_of = |answer: &Value| -> Vec<(u64, bool)> {
        answer
            .get("batches")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|x| {
                        (
                            x.get("input_rows").and_then(Value::as_u64).unwrap_or(0),
                            !x.get("input_index").is_none_or(Value::is_null),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let make = |input: Vec<Vec<Value>>, no_data: bool, schedule: &str, how: &str| {
        json!({
            "format": crate::exports::conform::FORMAT,
            "name": name,
            "description": format!(
                "Made by `pipeline-sim case` from a scenario: {} events in the {} micro-batches the \
                 simulator's engine ran ({} never processed). {how}",
                at,
                b.len(),
                report.summary.unprocessed_events
            ),
            "engine": conf(no_data),
            "query": query,
            "input": input,
            "schedule": schedule,
        })
    };
    let mut case = make(
        batches
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| r.iter().map(row).collect())
            .collect(),
        spec.engine.no_data_micro_batches,
        SCHEDULE_SPARK,
        "One input element per batch that read rows; Spark decides the no-data batches.",
    );
    let mut answer = crate::exports::conform::run_case(&case)?;
    if schedule_of(&answer) != want {
        case = make(
            batches.iter().map(|r| r.iter().map(row).collect()).collect(),
            false,
            SCHEDULE_EXPLICIT,
            "One input element per batch (empty for the engine's no-data batches) with no-data \
             batches off, so that Spark runs exactly these batches (left to itself it would add \
             no-data batches the engine's trigger did not run).",
        );
        answer = crate::exports::conform::run_case(&case)?;
        // Every batch reads an input element now, an empty one for a no-data batch.
        let every: Vec<(u64, bool)> = want.iter().map(|&(n, _)| (n, true)).collect();
        if schedule_of(&answer) != every {
            return Err(InputError::new(
                "",
                "the engine's micro-batches cannot be replayed as a conformance case",
            ));
        }
    }

    let sink = spec.sink.is_some();
    let run: Vec<Value> = (0..b.len())
        .map(|i| {
            let mut v = json!({
                "batch_id": i,
                "input_rows": b.input_rows[i],
                "watermark": (b.watermark_us[i] != i64::MIN).then(|| format_rfc3339(b.watermark_us[i], 3)),
                "dropped_by_watermark": b.dropped_late[i],
                "state_rows_total": b.state_rows_total[i],
                "state_rows_updated": b.state_rows_updated[i],
                "state_rows_removed": b.state_rows_removed[i],
                "output_rows": b.output_rows[i],
            });
            if let (true, Some(o)) = (sink, v.as_object_mut()) {
                o.insert("data_files".into(), json!(b.data_files[i]));
                o.insert("empty_files".into(), json!(b.empty_files[i]));
            }
            v
        })
        .collect();
    if let Some(o) = case.as_object_mut() {
        o.insert("scenario_run".into(), json!({ "batches": run }));
    }
    Ok(case)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: &str) -> ScenarioSpec {
        crate::base::input::from_str(json).unwrap()
    }

    fn case(json: &str) -> Value {
        conformance_case(&spec(json), None, "t").unwrap()
    }

    const SPARSE: &str = r#"{"seed": 1, "engine": {"shuffle_partitions": 2},
        "workload": {"events": [
            {"key": "a", "event_time": "2024-01-01T00:00:01Z", "arrival": "2024-01-01T00:00:02Z", "value": 2},
            {"key": "b", "event_time": "2024-01-01T00:00:03Z", "arrival": "2024-01-01T00:00:04Z"},
            {"key": "a", "event_time": "2024-01-01T00:00:25Z", "arrival": "2024-01-01T00:00:26Z", "value": 5},
            {"key": "a", "event_time": "2024-01-01T00:00:02Z", "arrival": "2024-01-01T00:01:30Z", "value": 1}]},
        "query": {"window": {"kind": "tumbling", "size_s": 10}, "watermark_delay_s": 5, "aggregate": "sum"},
        "trigger": {"kind": "processing_time", "interval_s": 10},
        "batch_cost": {"overhead_s": 0.5, "per_row_us": 0}}"#;

    #[test]
    fn a_case_replays_the_engine_batches() {
        let c = case(SPARSE);
        assert_eq!(c["schedule"], SCHEDULE_SPARK);
        let input = c["input"].as_array().unwrap();
        // batches at 10 s (a@1, b@3), 30 s (a@25), a no-data batch at 40 s, 90 s (late a@2)
        let sizes: Vec<usize> = input.iter().map(|b| b.as_array().unwrap().len()).collect();
        assert_eq!(sizes, vec![2, 1, 1]);
        assert_eq!(input[0][0]["key"], "a");
        assert_eq!(input[0][0]["value"], 2);
        assert_eq!(input[0][1].get("value"), None);
        assert_eq!(input[0][0]["event_time"], "2024-01-01T00:00:01.000000Z");
        assert_eq!(input[2][0]["id"], 1, "ids in event-time order");
        let run = c["scenario_run"]["batches"].as_array().unwrap();
        let answer = crate::exports::conform::run_case(&c).unwrap();
        let got = answer["batches"].as_array().unwrap();
        assert_eq!(run.len(), got.len());
        for (r, g) in run.iter().zip(got) {
            for k in [
                "input_rows",
                "watermark",
                "dropped_by_watermark",
                "state_rows_total",
                "state_rows_updated",
                "state_rows_removed",
            ] {
                assert_eq!(r[k], g[k], "{k}");
            }
            assert_eq!(r["output_rows"], json!(g["output"].as_array().unwrap().len()));
        }
    }

    #[test]
    fn back_to_back_data_batches_need_an_explicit_schedule() {
        // Once: one batch of everything; left to itself Spark would add a no-data batch.
        let c = case(&SPARSE.replace(
            r#""trigger": {"kind": "processing_time", "interval_s": 10}"#,
            r#""trigger": {"kind": "once"}"#,
        ));
        assert_eq!(c["schedule"], SCHEDULE_EXPLICIT);
        assert_eq!(
            c["engine"]["conf"]["spark.sql.streaming.noDataMicroBatches.enabled"],
            false
        );
        assert_eq!(c["input"].as_array().unwrap().len(), 1);
        // A busy stream: data every trigger, no room for no-data batches.
        let c = case(
            r#"{"seed": 3, "workload": {"duration_s": 60, "rate_per_s": 2, "keys": 3},
                "query": {"window": {"kind": "tumbling", "size_s": 5}, "watermark_delay_s": 2},
                "trigger": {"kind": "processing_time", "interval_s": 5}, "engine": {"shuffle_partitions": 2},
                "sink": {"format": "parquet", "partition_by": ["key"]}}"#,
        );
        assert_eq!(c["schedule"], SCHEDULE_EXPLICIT);
        assert_eq!(c["query"]["sink"]["partition_by"], json!(["key"]));
        let input = c["input"].as_array().unwrap();
        let run = c["scenario_run"]["batches"].as_array().unwrap();
        assert_eq!(input.len(), run.len());
        let total: usize = input.iter().map(|b| b.as_array().unwrap().len()).sum();
        assert!(total > 60, "{total}");
        // the file counts of the engine equal the conformance runner's
        let answer = crate::exports::conform::run_case(&c).unwrap();
        for (r, g) in run.iter().zip(answer["batches"].as_array().unwrap()) {
            assert_eq!(r["data_files"], g["sink"]["data_files"]);
            assert_eq!(r["empty_files"], g["sink"]["empty_files"]);
        }
    }

    #[test]
    fn events_are_json_lines_in_arrival_order() {
        let sc = spec(SPARSE).validate().unwrap();
        let lines: Vec<Value> = events_jsonl(&sc)
            .map(|l| serde_json::from_str(&l).unwrap())
            .collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[3]["id"], 1);
        assert_eq!(lines[3]["arrival"], "2024-01-01T00:01:30.000000Z");
    }

    #[test]
    fn big_scenarios_make_no_case() {
        let e = conformance_case(
            &spec(r#"{"seed": 1, "workload": {"duration_s": 3600}}"#),
            None,
            "t",
        )
        .unwrap_err();
        assert_eq!(e.field, "workload");
    }
}
