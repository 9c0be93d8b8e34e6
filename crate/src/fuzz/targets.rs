//! The fuzz targets: every parser of user input, each with seeds from what users really
//! send (the bundled datasets' formats, the docs' and tests' scenarios) and the code that
//! runs an input end to end, the way the CLI and the page do.

use super::mutate::{self, Rng};
use crate::scenario::spec::ScenarioSpec;
use crate::workload::loader::{DataSpec, Loaded};
use serde_json::Value;

/// What one input gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Ran: the report's digest (or, for a load that was not simulated, the load's event count).
    Ran(String),
    /// Refused with an error naming this field (empty: the document as a whole).
    Refused { field: String, message: String },
    /// Valid, but more events than the fuzz run simulates (it was validated only).
    Large,
}

/// A fuzz target: makes inputs and runs them.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub name: &'static str,
    /// A mutated input from the target's seeds.
    pub input: fn(&mut Rng) -> Vec<u8>,
    /// Runs one input; `max_events`: the most events simulated (larger runs are only validated).
    pub run: fn(&[u8], f64) -> Outcome,
    /// What the page would be given for this input, for the wasm check: a scenario's
    /// text, or a file, its join table and a mapping (see [`Replay`]).
    pub replay: fn(&[u8]) -> Replay,
}

/// An input as the wasm module takes it: `simulate(scenario)`, or
/// `loadData(file, join, spec).simulate(scenario)`.
#[derive(Debug, Clone)]
pub enum Replay {
    Scenario(Vec<u8>),
    Data {
        file: Vec<u8>,
        join: Option<Vec<u8>>,
        spec: Vec<u8>,
    },
}

fn as_scenario(b: &[u8]) -> Replay {
    Replay::Scenario(b.to_vec())
}

fn data(file: &[u8], join: Option<&[u8]>, spec: &[u8]) -> Replay {
    Replay::Data {
        file: file.to_vec(),
        join: join.map(<[u8]>::to_vec),
        spec: spec.to_vec(),
    }
}

pub const TARGETS: &[Target] = &[
    Target {
        name: "scenario",
        input: scenario_input,
        run: run_scenario,
        replay: as_scenario,
    },
    // The Flink engine's scenarios (native only: the page's core module is Spark-only, so
    // the wasm comparison leaves this target out).
    Target {
        name: "flink_scenario",
        input: flink_input,
        run: run_scenario,
        replay: as_scenario,
    },
    Target {
        name: "mapping",
        input: mapping_input,
        run: run_mapping,
        replay: |b| data(CSV.as_bytes(), Some(MAPPING_JOIN), b),
    },
    Target {
        name: "csv",
        input: |r| mutate::bytes(CSV.as_bytes(), r),
        run: |b, m| run_load(b, CSV_SPEC, None, m),
        replay: |b| data(b, None, CSV_SPEC.as_bytes()),
    },
    Target {
        name: "jsonl",
        input: |r| mutate::bytes(JSONL.as_bytes(), r),
        run: |b, m| run_load(b, JSONL_SPEC, None, m),
        replay: |b| data(b, None, JSONL_SPEC.as_bytes()),
    },
    Target {
        name: "json",
        input: |r| mutate::bytes(GEOJSON.as_bytes(), r),
        run: |b, m| run_load(b, GEOJSON_SPEC, None, m),
        replay: |b| data(b, None, GEOJSON_SPEC.as_bytes()),
    },
    Target {
        name: "access_log",
        input: |r| mutate::bytes(ACCESS_LOG.as_bytes(), r),
        run: |b, m| run_load(b, ACCESS_LOG_SPEC, Some(STATUS_CODES.as_bytes()), m),
        replay: |b| data(b, Some(STATUS_CODES.as_bytes()), ACCESS_LOG_SPEC.as_bytes()),
    },
    Target {
        name: "arrow",
        input: |r| mutate::bytes(&arrow_seed(), r),
        run: |b, m| run_load(b, ARROW_SPEC, None, m),
        replay: |b| data(b, None, ARROW_SPEC.as_bytes()),
    },
];

/// The target called `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// Scenarios that reach every part of the format: each trigger, operator, window,
/// lateness model, rate shape, sink format with maintenance, the reader and the cost
/// options, explicit events.
const SCENARIOS: &[&str] = &[
    r#"{"seed": 42}"#,
    r#"{"seed": 7, "workload": {"duration_s": 120, "rate_per_s": 20, "keys": 500, "key_skew": 1.1,
        "shape": {"kind": "diurnal", "amplitude": 0.8, "peak_hour_utc": 0.5},
        "lateness": {"kind": "log_normal", "median_s": 3, "sigma": 1.2},
        "offline": {"fraction": 0.02, "min_s": 600, "max_s": 1800}},
        "trigger": {"kind": "processing_time", "interval_s": 30}}"#,
    r#"{"seed": 3, "workload": {"duration_s": 90, "rate_per_s": 30, "shape": {"kind": "bursty", "on_s": 20, "off_s": 40}},
        "query": {"window": {"kind": "session", "gap_s": 10}, "watermark_delay_s": 15}}"#,
    r#"{"seed": 11, "workload": {"duration_s": 120, "keys": 50, "idle": [{"from_s": 30, "to_s": 60}]},
        "query": {"operator": "dedup", "dedup_columns": ["key", "event_time"], "watermark_delay_s": 30},
        "trigger": {"kind": "scheduled", "every_s": 30, "startup_s": 12},
        "source": {"max_rows_per_trigger": 500}}"#,
    r#"{"seed": 5, "workload": {"duration_s": 60}, "query": {"window": {"kind": "sliding", "size_s": 60, "slide_s": 15}, "output_mode": "update"},
        "report": {"detail_events": 500}}"#,
    r#"{"seed": 1, "workload": {"duration_s": 60, "rate_per_s": 10, "lateness": {"kind": "uniform", "min_s": 0, "max_s": 30}},
        "trigger": {"kind": "once"}, "query": {"operator": "dedup_within_watermark", "dedup_columns": ["key"], "watermark_delay_s": 10}}"#,
    r#"{"seed": 2, "workload": {"duration_s": 60, "rate_per_s": 10}, "trigger": {"kind": "available_now", "at_s": 30},
        "source": {"max_rows_per_trigger": 100}}"#,
    r#"{"seed": 4, "workload": {"duration_s": 30, "rate_per_s": 10, "arrivals": "constant", "lateness": {"kind": "fixed", "s": 2}},
        "trigger": {"kind": "continuous", "checkpoint_interval_s": 1}, "query": {"operator": "select", "output_mode": "append"},
        "source": {"kafka_partitions": 4}}"#,
    r#"{"seed": 6, "workload": {"duration_s": 120, "rate_per_s": 10},
        "trigger": {"kind": "processing_time", "interval_s": 5},
        "sink": {"format": "delta", "partition_by": ["key"], "max_records_per_file": 10,
                 "delta": {"optimize_write": true, "auto_compact": true, "optimize_every_h": 0.01, "vacuum_every_h": 0.02}},
        "cost": {"series_step_s": 10, "reader": {"every_min": 1, "lookback_h": 1},
                 "checkpoint": {"maintenance_interval_s": 5}, "compute": {"preset": "databricks_serverless_aws"}}}"#,
    r#"{"seed": 8, "workload": {"duration_s": 120, "rate_per_s": 10}, "engine": {"shuffle_partitions": 4},
        "sink": {"format": "iceberg", "iceberg": {"fast_append": false, "rewrite_every_h": 0.01, "expire_every_h": 0.02}},
        "cost": {"storage": {"preset": "adls_hot", "per_gb_month": 0.03}, "compute": {"kind": "job", "nodes": 3}}}"#,
    r#"{"seed": 9, "workload": {"duration_s": 60, "rate_per_s": 5, "value": {"kind": "uniform", "min": -5, "max": 5}},
        "query": {"aggregate": "avg", "output_mode": "complete"}, "trigger": {"kind": "default"},
        "source": {"file_rows": 7}, "sink": null, "batch_cost": {"overhead_s": 0.2, "per_row_us": 5}}"#,
    r#"{"seed": 10, "workload": {"events": [
        {"key": "a", "event_time": "2024-01-01T00:00:00Z"},
        {"key": "b", "event_time": "2024-01-01T00:00:05Z", "arrival": "2024-01-01T00:01:00Z", "value": 3},
        {"key": "a", "event_time": "2024-01-01T00:02:00Z"}]},
        "trigger": {"kind": "processing_time", "interval_s": 60}, "query": {"watermark_delay_s": 10}}"#,
    r#"{"seed": 12, "workload": {"duration_s": 60, "rate_per_s": 5},
        "trigger": {"kind": "scheduled", "every_s": 20, "startup_s": 0, "once": true},
        "sink": {"format": "parquet", "small_file_mib": 1, "file_size": {"row_bytes": 50, "compression_ratio": 3, "footer_bytes": 100}}}"#,
    r#"{"seed": 13, "workload": {"duration_s": 120, "rate_per_s": 10}, "trigger": {"kind": "processing_time", "interval_s": 10},
        "source": {"max_rows_per_trigger": 50}, "engine": {"shuffle_partitions": 4, "state_store": "rocksdb"},
        "sink": {"format": "delta", "writer": "foreach_batch_append"},
        "failure": {"at_s": 40.2, "restart_s": 30, "when": "commit_log"}}"#,
    r#"{"seed": 14, "workload": {"duration_s": 60, "rate_per_s": 5}, "trigger": {"kind": "default"},
        "query": {"operator": "select"}, "sink": {"format": "parquet", "writer": "sink"},
        "failure": {"at_s": 20, "restart_s": 0, "when": "after_write"}}"#,
];

/// Flink scenarios: every window kind, idleness, side output, lateness, parallelism, a select.
const FLINK_SCENARIOS: &[&str] = &[
    r#"{"seed": 1, "engine": {"name": "flink"}, "flink": {"checkpoint_interval_s": 10, "checkpoint_duration_s": 0.5},
        "workload": {"duration_s": 120, "rate_per_s": 5, "keys": 3, "lateness": {"kind": "exponential", "mean_s": 4}},
        "query": {"window": {"kind": "tumbling", "size_s": 20}, "watermark_delay_s": 3}, "sink": {"format": "parquet"}}"#,
    r#"{"seed": 2, "engine": {"name": "flink"}, "flink": {"allowed_lateness_s": 5, "late_side_output": true, "parallelism": 3, "watermark_interval_ms": 500},
        "source": {"kafka_partitions": 4}, "workload": {"duration_s": 120, "rate_per_s": 4, "keys": 20},
        "query": {"window": {"kind": "sliding", "size_s": 30, "slide_s": 10}, "watermark_delay_s": 2}, "sink": {"format": "delta"}}"#,
    r#"{"seed": 3, "engine": {"name": "flink"}, "flink": {"idleness_s": 5, "checkpoint_interval_s": 5},
        "source": {"kafka_partitions": 8}, "workload": {"duration_s": 90, "rate_per_s": 3, "keys": 2},
        "query": {"window": {"kind": "session", "gap_s": 4}, "watermark_delay_s": 1}, "sink": {"format": "iceberg", "partition_by": ["key"]}}"#,
    r#"{"seed": 4, "engine": {"name": "flink"}, "query": {"operator": "select"}, "sink": {"format": "parquet"},
        "flink": {"parallelism": 2}, "source": {"kafka_partitions": 3}, "workload": {"duration_s": 60, "rate_per_s": 2}}"#,
];

fn flink_input(rng: &mut Rng) -> Vec<u8> {
    thread_local! {
        static SEEDS: Vec<Value> = seeds(FLINK_SCENARIOS);
    }
    SEEDS.with(|s| mutate::json(s, rng))
}

fn seeds(texts: &[&str]) -> Vec<Value> {
    texts
        .iter()
        .map(|t| serde_json::from_str(t).expect("the fuzz seeds are valid JSON"))
        .collect()
}

fn scenario_input(rng: &mut Rng) -> Vec<u8> {
    thread_local! {
        static SEEDS: Vec<Value> = seeds(SCENARIOS);
    }
    SEEDS.with(|s| mutate::json(s, rng))
}

fn refused(e: crate::InputError) -> Outcome {
    Outcome::Refused {
        field: e.field,
        message: e.message,
    }
}

/// Validates and simulates a scenario as the CLI's `run` does; also writes its PySpark
/// export (the page's "run it on a real cluster").
fn run_scenario(bytes: &[u8], max_events: f64) -> Outcome {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Outcome::Refused {
            field: String::new(),
            message: "not UTF-8".into(),
        };
    };
    let spec = match ScenarioSpec::parse(text) {
        Ok(s) => s,
        Err(e) => return refused(e),
    };
    let _ = crate::exports::pyspark::generate(&spec);
    if spec.workload.data.is_some() {
        // No file comes with a fuzzed scenario: the refusal names workload.data.
        return match spec.validate() {
            Ok(_) => Outcome::Ran("no data".into()),
            Err(e) => refused(e),
        };
    }
    simulate(spec.validate(), max_events)
}

fn simulate(sc: Result<crate::Scenario, crate::InputError>, max_events: f64) -> Outcome {
    let sc = match sc {
        Ok(sc) => sc,
        Err(e) => return refused(e),
    };
    if sc.workload.events_bound() > max_events {
        return Outcome::Large;
    }
    match crate::simulation::simulate(&sc) {
        Ok(r) => Outcome::Ran(r.digest()),
        Err(e) => refused(e),
    }
}

const CSV: &str = "ts,device,reading,arrived\n\
2024-01-01T00:00:00Z,d1,3,2024-01-01T00:00:02Z\n\
2024-01-01T00:00:01.5Z,d2,-4,2024-01-01T00:00:09Z\n\
2024-01-01T00:00:03Z,\"d,3\",7,2024-01-01T00:00:03Z\n\
2024-01-01T00:01:00+09:00,d1,,2024-01-01T00:01:30+09:00\n\
not a time,d4,1,2024-01-01T00:00:00Z\n";
const CSV_SPEC: &str = r#"{"file": "e.csv", "event_time": {"column": "ts", "unit": "rfc3339"},
    "arrival": {"column": "arrived", "unit": "rfc3339"}, "key": "device", "value": "reading",
    "filter": [{"column": "reading", "op": "gt", "value": -10}]}"#;

const JSONL: &str = r#"{"t": 1704067200000, "k": "a", "d": 1500, "v": 1}
{"t": 1704067201000, "k": "b", "d": 0, "v": 2.5}
{"t": 1704067199000, "k": null, "d": 60000}
{"t": "x", "k": "c"}
{"t": 1704067260000, "k": "a", "d": 10, "v": -1}
"#;
const JSONL_SPEC: &str = r#"{"file": "e.jsonl", "event_time": {"column": "t", "unit": "epoch_ms"},
    "arrival": {"delay_column": "d", "unit": "ms"}, "key": "k", "value": "v"}"#;

const GEOJSON: &str = r#"{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"time": 1514764800000, "updated": 1514765000000, "net": "us", "mag": 1.2}, "geometry": null},
 {"type": "Feature", "properties": {"time": 1514764860000, "updated": 1514900000000, "net": "ak", "mag": 4.5}, "geometry": {"type": "Point", "coordinates": [1, 2]}},
 {"type": "Feature", "properties": {"time": 1514764920000, "updated": 1514764920000, "net": "us"}}
]}"#;
const GEOJSON_SPEC: &str = r#"{"file": "q.json", "format": "json", "event_time": {"column": "time", "unit": "epoch_ms"},
    "arrival": {"column": "updated", "unit": "epoch_ms"}, "key": "net"}"#;

const ACCESS_LOG: &str = r#"192.0.2.114 - - [28/Sep/2025:10:00:00 +0000] "GET /login HTTP/1.1" 200 5120 "-" "Mozilla/5.0" 36328
203.0.113.236 - - [28/Sep/2025:10:00:00 +0000] "GET /about HTTP/2.0" 200 33232 "-" "Mozilla/5.0 (X11)" 37344
203.0.113.87 - - [28/Sep/2025:10:00:04 +0000] "POST /api/v1/items?page=36 HTTP/2.0" 201 822 "-" "curl/8" 35926
198.51.100.7 - - [28/Sep/2025:10:00:09 +0900] "GET / HTTP/1.1" 429 - "-" "-"
garbage line
"#;
const STATUS_CODES: &str = "code,description\n200,OK\n201,Created\n404,Not Found\n";
const ACCESS_LOG_SPEC: &str = r#"{"file": "access.log", "format": "access_log",
    "event_time": {"column": "timestamp", "unit": "clf"}, "arrival": {"delay_column": "serve_us", "unit": "us"},
    "key": "description",
    "join": {"file": "status_codes.csv", "on": "response_code", "table_key": "code", "columns": ["description"], "key_type": "int", "how": "left"},
    "filter": [{"column": "content_size", "op": "gt", "value": 100}]}"#;

const ARROW_SPEC: &str = r#"{"file": "events.arrow", "event_time": {"column": "event_time_us", "unit": "epoch_us"},
    "arrival": {"column": "arrival_us", "unit": "epoch_us"}, "key": "fate", "value": "batch"}"#;

/// An Arrow IPC file as the page's export writes it: a small run's events table.
fn arrow_seed() -> Vec<u8> {
    thread_local! {
        static SEED: Vec<u8> = {
            let r = crate::run_json(r#"{"seed": 1, "workload": {"duration_s": 20, "rate_per_s": 1}}"#)
                .expect("the arrow seed's scenario runs");
            crate::exports::export::arrow_ipc(&r, crate::exports::export::Table::Events)
        };
    }
    SEED.with(Clone::clone)
}

/// Loads a file with a mapping and, when it loads, simulates the default query on it.
fn run_load(bytes: &[u8], spec_json: &str, join: Option<&[u8]>, max_events: f64) -> Outcome {
    let spec: DataSpec = match crate::workload::loader::parse_spec(spec_json) {
        Ok(s) => s,
        Err(e) => return refused(e),
    };
    let loaded = match crate::workload::loader::load(bytes, join, &spec) {
        Ok(l) => l,
        Err(e) => return refused(e),
    };
    simulate_loaded(&spec, &loaded, max_events)
}

fn simulate_loaded(spec: &DataSpec, loaded: &Loaded, max_events: f64) -> Outcome {
    let scenario = ScenarioSpec {
        seed: Some(1),
        workload: crate::workload::spec::WorkloadSpec {
            data: Some(spec.clone()),
            ..Default::default()
        },
        ..Default::default()
    };
    simulate(scenario.validate_with(Some(loaded)), max_events)
}

fn mapping_input(rng: &mut Rng) -> Vec<u8> {
    thread_local! {
        static SEEDS: Vec<Value> = seeds(&[CSV_SPEC, JSONL_SPEC, GEOJSON_SPEC,
            r#"{"file": "e.csv", "event_time": {"column": "ts", "unit": "format", "format": "%Y-%m-%dT%H:%M:%S%.fZ"},
                "key": "device", "value": "reading"}"#,
            r#"{"file": "e.csv", "event_time": {"column": "reading", "unit": "hours", "origin": "2024-01-01T00:00:00Z"},
                "arrival": {"delay_column": "reading", "unit": "h"}, "key": "device",
                "join": {"file": "d.csv", "on": "device", "table_key": "code", "columns": ["description"], "key_type": "string", "how": "inner"}}"#]);
    }
    SEEDS.with(|s| mutate::json(s, rng))
}

/// The dimension table of the mapping target's joins.
const MAPPING_JOIN: &[u8] = b"code,description\nd1,one\nd2,two\n3,three\n";

/// A fuzzed mapping over the CSV seed (and a dimension table for joins).
fn run_mapping(bytes: &[u8], max_events: f64) -> Outcome {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Outcome::Refused {
            field: "workload.data".into(),
            message: "not UTF-8".into(),
        };
    };
    let spec: DataSpec = match crate::workload::loader::parse_spec(text) {
        Ok(s) => s,
        Err(e) => return refused(e),
    };
    let loaded = match crate::workload::loader::load(CSV.as_bytes(), Some(MAPPING_JOIN), &spec) {
        Ok(l) => l,
        Err(e) => return refused(e),
    };
    simulate_loaded(&spec, &loaded, max_events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seed_runs() {
        for t in SCENARIOS {
            match run_scenario(t.as_bytes(), 1e6) {
                Outcome::Ran(_) => {}
                other => panic!("{t}: {other:?}"),
            }
        }
        assert!(matches!(
            run_load(CSV.as_bytes(), CSV_SPEC, None, 1e6),
            Outcome::Ran(_)
        ));
        assert!(matches!(
            run_load(JSONL.as_bytes(), JSONL_SPEC, None, 1e6),
            Outcome::Ran(_)
        ));
        assert!(matches!(
            run_load(GEOJSON.as_bytes(), GEOJSON_SPEC, None, 1e6),
            Outcome::Ran(_)
        ));
        let log = run_load(
            ACCESS_LOG.as_bytes(),
            ACCESS_LOG_SPEC,
            Some(STATUS_CODES.as_bytes()),
            1e6,
        );
        assert!(matches!(log, Outcome::Ran(_)), "{log:?}");
        let arrow = run_load(&arrow_seed(), ARROW_SPEC, None, 1e6);
        assert!(matches!(arrow, Outcome::Ran(_)), "{arrow:?}");
    }
}
