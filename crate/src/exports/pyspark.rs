//! Export to a real engine (issue #7): a scenario as a runnable PySpark Structured
//! Streaming script ([`generate`]). The events it reads and the simulator's own
//! micro-batches as a conformance case are `spark_case.rs`, so that `tests/pyspark/` can
//! run the generated query on real Spark batch by batch.
//!
//! The script reads events with the columns `id LONG, key STRING, event_time TIMESTAMP,
//! value LONG` (JSON files, or a Kafka topic whose record values are those JSON objects).
//! A `workload.data` scenario gets the same script: its file's columns are mapped to those
//! four by the loader, so the script documents the mapping in a comment and expects the
//! events as JSON (`pipeline-sim events SCENARIO.json` writes them).

use crate::base::error::InputError;
use crate::base::time::{Micros, secs_to_micros};
use crate::engine::spark::trigger::TriggerSpec;
use crate::operators::query::{Aggregate, EngineConf, OperatorName, OutputMode, StateStore};
use crate::operators::window::WindowSpec;
use crate::scenario::spec::{Scenario, ScenarioSpec};
use crate::storage::table_format::TableFormat;
use crate::workload::spec::WorkloadSpec;
use std::fmt::Write as _;

/// A Python string literal (double-quoted) of `s`; pure ASCII, safe anywhere in a script.
pub fn py_str(s: &str) -> String {
    format!("\"{}\"", escape(s))
}

/// `s` with Python's string escapes (no quotes): backslash, double quote, control
/// characters and everything beyond ASCII escaped, so the text can neither end a literal
/// nor a comment line.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let n = c as u32;
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ if n < 0x20 || n == 0x7f => {
                let _ = write!(out, "\\x{n:02x}");
            }
            _ if c.is_ascii() => out.push(c),
            _ if n <= 0xffff => {
                let _ = write!(out, "\\u{n:04x}");
            }
            _ => {
                let _ = write!(out, "\\U{n:08x}");
            }
        }
    }
    out
}

/// A duration as Spark's interval text, in the largest unit that keeps it exact (hours at
/// most: `window()` takes any of these), e.g. `10 seconds`, `1 minute`, `1500 milliseconds`.
pub fn interval(us: Micros) -> String {
    const UNITS: [(i64, &str); 5] = [
        (3_600_000_000, "hour"),
        (60_000_000, "minute"),
        (1_000_000, "second"),
        (1_000, "millisecond"),
        (1, "microsecond"),
    ];
    if us == 0 {
        return "0 seconds".into();
    }
    for (n, unit) in UNITS {
        if us % n == 0 {
            let k = us / n;
            return format!("{k} {unit}{}", if k == 1 { "" } else { "s" });
        }
    }
    unreachable!("every whole number of µs is a whole number of microseconds")
}

/// Seconds as a person writes them: `10`, `0.5`.
fn secs(s: f64) -> String {
    format!("{s}")
}

/// Validates what the script depends on. A `workload.data` scenario is checked without
/// its file (the script does not depend on the events).
fn validate_for_export(spec: &ScenarioSpec) -> Result<Scenario, InputError> {
    if spec.workload.data.is_some() {
        let mut s = spec.clone();
        s.workload = WorkloadSpec::default();
        s.validate()
    } else {
        spec.validate()
    }
}

/// The Python expression of the query's operator on `events`, one line per call, and
/// what it is in words.
fn operator_code(spec: &ScenarioSpec) -> (Vec<String>, String) {
    let q = &spec.query;
    match q.operator {
        OperatorName::WindowCount => {
            let (wexpr, words) = match q.window {
                WindowSpec::Tumbling { size_s } => {
                    let d = interval(secs_to_micros(size_s));
                    (
                        format!("F.window(\"event_time\", {})", py_str(&d)),
                        format!(
                            "tumbling windows of {d} (start inclusive, end exclusive, aligned to the epoch)"
                        ),
                    )
                }
                WindowSpec::Sliding { size_s, slide_s } => {
                    let (d, s) = (
                        interval(secs_to_micros(size_s)),
                        interval(secs_to_micros(slide_s)),
                    );
                    (
                        format!("F.window(\"event_time\", {}, {})", py_str(&d), py_str(&s)),
                        format!(
                            "sliding windows of {d} every {s} (an event is in each window that covers it)"
                        ),
                    )
                }
                WindowSpec::Session { gap_s } => {
                    let g = interval(secs_to_micros(gap_s));
                    (
                        format!("F.session_window(\"event_time\", {})", py_str(&g)),
                        format!("session windows: a key's events less than {g} apart form one session"),
                    )
                }
            };
            let mut lines = vec![
                format!("# query.window: {words}"),
                format!("window = {wexpr}.alias(\"window\")"),
            ];
            let agg = match q.aggregate {
                Aggregate::Count => "count(*)",
                Aggregate::Sum => "count(*) and sum(value) (nulls skipped, as in SQL)",
                Aggregate::Avg => "count(*) and avg(value) (nulls skipped, as in SQL)",
            };
            lines.push(format!("# query.aggregate: {agg} per window and key"));
            let extra = match q.aggregate {
                Aggregate::Count => String::new(),
                Aggregate::Sum => ", F.sum(\"value\").alias(\"sum\")".into(),
                Aggregate::Avg => ", F.avg(\"value\").alias(\"avg\")".into(),
            };
            lines.push(format!(
                "return events.groupBy(window, F.col(\"key\")).agg(F.count(\"*\").alias(\"count\"){extra})"
            ));
            let wtext = wexpr.replace("F.", "").replace("\"event_time\"", "event_time");
            (lines, format!("groupBy({wtext}, key) with {agg}"))
        }
        OperatorName::Dedup | OperatorName::DedupWithinWatermark => {
            let cols: Vec<String> = if q.dedup_columns.is_empty() {
                vec!["id".into(), "key".into(), "event_time".into()]
            } else {
                q.dedup_columns.clone()
            };
            let list = format!(
                "[{}]",
                cols.iter().map(|c| py_str(c)).collect::<Vec<_>>().join(", ")
            );
            let mut lines = Vec::new();
            if q.dedup_columns.is_empty() {
                lines.push("# query.dedup_columns: empty = every event column (id, key, event_time)".into());
            } else {
                lines.push(format!("# query.dedup_columns: {}", escape(&cols.join(", "))));
            }
            let call = if q.operator == OperatorName::Dedup {
                let evicts = q.watermark_delay_s.is_some() && cols.iter().any(|c| c == "event_time");
                lines.push(if evicts {
                    "# State keeps each seen combination until its event_time is behind the watermark.".into()
                } else {
                    "# State keeps every seen combination forever (no watermark, or event_time is not \
                     among the columns)."
                        .into()
                });
                "dropDuplicates"
            } else {
                lines.push(
                    "# A combination is a duplicate until its first event_time + the watermark delay".into(),
                );
                lines.push("# is behind the watermark; then the next occurrence is kept again.".into());
                "dropDuplicatesWithinWatermark"
            };
            lines.push(format!("return events.{call}({list})"));
            (lines, format!("{call}({list})"))
        }
        OperatorName::Select => (
            vec![
                "# query.operator select: stateless, every event goes to the sink as it is.".into(),
                "return events.select(\"id\", \"key\", \"event_time\", \"value\")".into(),
            ],
            "select(id, key, event_time, value) (stateless)".into(),
        ),
    }
}

/// The Python lines of `with_trigger`'s scenario branch and the trigger in words.
fn trigger_code(t: &TriggerSpec) -> (Vec<String>, String) {
    match *t {
        TriggerSpec::Default => (
            vec![
                "# trigger: none (Spark's default): the next micro-batch starts as soon as the previous"
                    .into(),
                "# one ends; without new data Spark polls every 10 ms (spark.sql.streaming.pollingDelay)."
                    .into(),
                "return writer".into(),
            ],
            "Spark's default (back to back)".into(),
        ),
        TriggerSpec::ProcessingTime { interval_s } => {
            let d = interval(secs_to_micros(interval_s));
            (
                vec![
                    format!(
                        "# trigger.interval_s = {}: a micro-batch starts every {d} (on the interval's grid);",
                        secs(interval_s)
                    ),
                    "# one that overruns its interval is followed at once (\"falling behind\").".into(),
                    format!("return writer.trigger(processingTime={})", py_str(&d)),
                ],
                format!("processingTime {d}"),
            )
        }
        TriggerSpec::Once { .. } => (
            vec![
                "# trigger once: one micro-batch with everything that has arrived, then the query stops"
                    .into(),
                "# (it ignores the rate limit; deprecated since Spark 3.4 in favour of availableNow).".into(),
                "return writer.trigger(once=True)".into(),
            ],
            "once".into(),
        ),
        TriggerSpec::AvailableNow { .. } => (
            vec![
                "# trigger availableNow: rate-limited micro-batches until everything that had arrived".into(),
                "# when the query started is processed, a final no-data batch if the watermark moved, stop."
                    .into(),
                "return writer.trigger(availableNow=True)".into(),
            ],
            "availableNow".into(),
        ),
        TriggerSpec::Scheduled {
            every_s,
            startup_s,
            once,
        } => {
            let every = interval(secs_to_micros(every_s));
            let mut lines = vec![
                "# trigger: a scheduled job. A scheduler (cron, Airflow, a Databricks job) starts this"
                    .into(),
                format!(
                    "# script every {every} (trigger.every_s = {}); the simulator assumes {} s of cluster",
                    secs(every_s),
                    secs(startup_s)
                ),
                "# start-up (trigger.startup_s). Each run processes what has arrived and stops; state and"
                    .into(),
                "# the watermark carry over between runs in the checkpoint.".into(),
            ];
            lines.push(if once {
                "return writer.trigger(once=True)  # trigger.once = true: one unlimited batch a run".into()
            } else {
                "return writer.trigger(availableNow=True)".into()
            });
            (
                lines,
                format!(
                    "{} every {every}, started by a scheduler",
                    if once { "once" } else { "availableNow" }
                ),
            )
        }
        TriggerSpec::Continuous {
            checkpoint_interval_s,
        } => {
            let d = interval(secs_to_micros(checkpoint_interval_s));
            (
                vec![
                    format!(
                        "# trigger continuous: rows are processed as they arrive; an epoch commits every {d}."
                    ),
                    "# Spark runs it for stateless queries, from Kafka (not files) to Kafka/console/memory."
                        .into(),
                    format!("return writer.trigger(continuous={})", py_str(&d)),
                ],
                format!("continuous, checkpoint every {d}"),
            )
        }
    }
}

/// The text of a list of Python string literals: `["a", "b"]`.
fn py_list(items: &[String]) -> String {
    format!(
        "[{}]",
        items.iter().map(|s| py_str(s)).collect::<Vec<_>>().join(", ")
    )
}

/// Appends `lines` to `out`, each indented by `indent` spaces.
fn push_lines(out: &mut String, indent: usize, lines: &[String]) {
    for l in lines {
        let _ = writeln!(out, "{:indent$}{l}", "");
    }
}

/// Comment lines describing a `workload.data` mapping (the file is not read by the script).
fn data_comment(d: &crate::workload::loader::DataSpec) -> Vec<String> {
    let col = |c: &str| py_str(c);
    let unit = |u: crate::workload::loader::TimeUnit| {
        serde_json::to_value(u)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    };
    let mut lines = vec![
        format!(
            "# The scenario's events come from a file, workload.data.file = {},",
            py_str(&d.file)
        ),
        "# through a column mapping; this script reads the mapped events as JSON (write them with".into(),
        "#   pipeline-sim events SCENARIO.json > events/part-0.json".into(),
        "# or map the file's own columns in read_events()):".into(),
        format!(
            "#   event_time <- column {} ({})",
            col(&d.event_time.column),
            unit(d.event_time.unit)
        ),
        match &d.key {
            Some(k) => format!("#   key        <- column {} (as text)", col(k)),
            None => "#   key        <- the constant \"all\"".into(),
        },
        match &d.value {
            Some(v) => format!("#   value      <- column {} (cast to LONG)", col(v)),
            None => "#   value      <- null".into(),
        },
    ];
    if let Some(j) = &d.join {
        lines.push(format!(
            "#   joined with {} on {} = {} (its columns {})",
            py_str(&j.file),
            col(&j.on),
            col(&j.table_key),
            py_list(&j.columns)
        ));
    }
    for f in &d.filter {
        let op = serde_json::to_value(f.op)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        lines.push(format!(
            "#   kept only if {} {op} {}",
            col(&f.column),
            escape(&f.value.to_string())
        ));
    }
    lines
}

/// The column list of the query's result, as SQL (for an Iceberg `CREATE TABLE`).
fn result_columns_sql(spec: &ScenarioSpec) -> String {
    match spec.query.operator {
        OperatorName::WindowCount => {
            let extra = match spec.query.aggregate {
                Aggregate::Count => "",
                Aggregate::Sum => ", sum BIGINT",
                Aggregate::Avg => ", avg DOUBLE",
            };
            format!("window STRUCT<start: TIMESTAMP, end: TIMESTAMP>, key STRING, count BIGINT{extra}")
        }
        _ => "id BIGINT, key STRING, event_time TIMESTAMP, value BIGINT".into(),
    }
}

fn mib_bytes(mib: f64) -> String {
    format!("{}", (mib * 1048576.0).round() as u64)
}

/// A complete, commented PySpark Structured Streaming script for the scenario: source,
/// `withWatermark`, the operator, output mode, trigger and sink, with `build_query(spark,
/// events)` (the query alone, for tests) and `main()` (argparse options for the paths).
pub fn generate(spec: &ScenarioSpec) -> Result<String, InputError> {
    let sc = validate_for_export(spec)?;
    let q = &spec.query;
    let continuous = matches!(spec.trigger, TriggerSpec::Continuous { .. });
    let mode = match q.output_mode {
        OutputMode::Append => "append",
        OutputMode::Update => "update",
        OutputMode::Complete => "complete",
    };
    let sink_default = match spec.sink.as_ref().map(|s| s.format) {
        Some(TableFormat::Parquet) => "parquet",
        Some(TableFormat::Delta) => "delta",
        Some(TableFormat::Iceberg) => "iceberg",
        None => "console",
    };
    let partition_by: Vec<String> = spec
        .sink
        .as_ref()
        .map(|s| s.partition_by.clone())
        .unwrap_or_default();
    let max_records = spec.sink.as_ref().map_or(0, |s| s.max_records_per_file);
    // Continuous processing has no watermark (its checker refuses EventTimeWatermark) and
    // reads no files.
    let watermark = if continuous {
        None
    } else {
        sc.query.watermark_delay
    };
    let (op_lines, op_words) = operator_code(spec);
    let (trigger_lines, trigger_words) = trigger_code(&spec.trigger);
    let max_rows = if matches!(spec.trigger, TriggerSpec::Once { .. }) {
        None
    } else {
        spec.source.max_rows_per_trigger
    };
    let max_files = max_rows.map(|n| match spec.source.file_rows {
        Some(per) => (n / per).max(1),
        None => n,
    });

    let mut s = String::new();
    s.push_str("#!/usr/bin/env python3\n");
    let _ = writeln!(
        s,
        "# Generated by pipeline-sim {} (`pipeline-sim pyspark`) from a scenario; edit freely.",
        env!("CARGO_PKG_VERSION")
    );
    s.push_str(
        "\"\"\"A Spark Structured Streaming job: the simulated pipeline, runnable on a real cluster.\n\n",
    );
    let _ = writeln!(
        s,
        "    source     {}",
        if continuous {
            "a Kafka topic of JSON events (continuous processing reads no files)"
        } else {
            "JSON files of events (--source kafka: a Kafka topic)"
        }
    );
    let _ = writeln!(
        s,
        "    watermark  {}",
        match watermark {
            Some(d) => format!("withWatermark(\"event_time\", \"{}\")", interval(d)),
            None if continuous && sc.query.watermark_delay.is_some() =>
                "none (continuous processing has no watermark)".into(),
            None => "none".into(),
        }
    );
    // op_words holds no user text (dedup columns are validated names).
    let _ = writeln!(s, "    query      {op_words}");
    let _ = writeln!(s, "    output     {mode} mode");
    let _ = writeln!(s, "    trigger    {trigger_words}");
    let _ = writeln!(
        s,
        "    sink       {}{}",
        match sink_default {
            "console" =>
                "console (the scenario has no table; --sink memory|parquet|delta|iceberg)".to_string(),
            f => format!("{f} table"),
        },
        if partition_by.is_empty() {
            String::new()
        } else {
            format!(
                ", partitionBy({})",
                partition_by
                    .iter()
                    .map(|c| py_str(c))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    s.push_str(if continuous {
        "\nRun it on a cluster (with the Kafka connector, see read_kafka):\n\
         \x20   spark-submit job.py --kafka-bootstrap-servers broker:9092 --topic events \\\n\
         \x20       --checkpoint s3a://bucket/checkpoints/job/\n"
    } else {
        "\nRun it on a cluster:\n\
         \x20   spark-submit job.py --input s3a://bucket/events/ --output s3a://bucket/table/ \\\n\
         \x20       --checkpoint s3a://bucket/checkpoints/job/\n\
         or locally with pyspark installed (pip install pyspark; Java 17):\n\
         \x20   python3 job.py --input events/ --available-now\n"
    });
    s.push_str(
        "\n\
         build_query(spark, events) is the query alone (a test feeds it micro-batches of its own);\n\
         main() wires the source, the query and the sink. python3 job.py --help lists the options.\n\
         \"\"\"\n\
         import argparse\n\n\
         from pyspark.sql import SparkSession\n\
         from pyspark.sql import functions as F\n\n\
         APP_NAME = \"pipeline-sim export\"\n\
         QUERY_NAME = \"pipeline_sim_query\"\n\n\
         # The events, one JSON object a line (RFC 3339 times, with or without a fraction, Z or an\n\
         # offset), e.g.\n\
         #   {\"id\": 0, \"key\": \"k3\", \"event_time\": \"2024-01-01T00:00:00.250000Z\", \"value\": 1}\n\
         # id is the event's unique id (a dedup can use it); value feeds sum and avg.\n\
         EVENT_SCHEMA = \"id LONG, key STRING, event_time TIMESTAMP, value LONG\"\n",
    );
    if let Some(d) = &spec.workload.data {
        s.push('\n');
        push_lines(&mut s, 0, &data_comment(d));
    }
    let flag = |b: bool| if b { "\"true\"" } else { "\"false\"" };
    let _ = write!(
        s,
        "\n# engine: the Spark settings of the scenario that change what the query does.\n\
         SPARK_CONF = {{\n\
         \x20   # engine.shuffle_partitions: the state's partitions and the file sink's write tasks (one\n\
         \x20   # file per task with rows); a stateful query's checkpoint fixes it on the first run.\n\
         \x20   \"spark.sql.shuffle.partitions\": \"{}\",\n\
         \x20   # engine.no_data_micro_batches: when the watermark moved, a batch without new data runs\n\
         \x20   # to emit closed windows and evict state.\n\
         \x20   \"spark.sql.streaming.noDataMicroBatches.enabled\": {},\n\
         \x20   # engine.allow_multiple: late rows are judged against the previous batch's watermark.\n\
         \x20   \"spark.sql.streaming.statefulOperator.allowMultiple\": {},\n\
         {}\
         \x20   # Times print in UTC, as the simulator shows them.\n\
         \x20   \"spark.sql.session.timeZone\": \"UTC\",\n\
         }}\n",
        spec.engine.shuffle_partitions,
        flag(spec.engine.no_data_micro_batches),
        flag(spec.engine.allow_multiple),
        state_store_conf(&spec.engine),
    );

    // Delta settings (used with --sink delta).
    let dl = spec.sink.as_ref().map(|s| s.delta).unwrap_or_default();
    let _ = write!(
        s,
        "\n# --sink delta: Delta Lake (pip install delta-spark, or spark-submit --packages\n\
         # io.delta:delta-spark_2.13:<version for your Spark>). Setting names of Delta 3.1+.\n\
         DELTA_CONF = {{\n\
         \x20   \"spark.sql.extensions\": \"io.delta.sql.DeltaSparkSessionExtension\",\n\
         \x20   \"spark.sql.catalog.spark_catalog\": \"org.apache.spark.sql.delta.catalog.DeltaCatalog\",\n\
         \x20   # sink.delta.checkpoint_interval (a new table's delta.checkpointInterval)\n\
         \x20   \"spark.databricks.delta.properties.defaults.checkpointInterval\": \"{}\",\n\
         \x20   # sink.delta.log_retention_days, sink.delta.vacuum_retention_h\n\
         \x20   \"spark.databricks.delta.properties.defaults.logRetentionDuration\": \"interval {} days\",\n\
         \x20   \"spark.databricks.delta.properties.defaults.deletedFileRetentionDuration\": \"interval {} hours\",\n\
         \x20   # sink.delta.optimize_write, optimize_write_bin_mib (bytes)\n\
         \x20   \"spark.databricks.delta.optimizeWrite.enabled\": {},\n\
         \x20   \"spark.databricks.delta.optimizeWrite.binSize\": \"{}\",\n\
         \x20   # sink.delta.auto_compact, auto_compact_min_files, auto_compact_max_file_mib (bytes)\n\
         \x20   \"spark.databricks.delta.autoCompact.enabled\": {},\n\
         \x20   \"spark.databricks.delta.autoCompact.minNumFiles\": \"{}\",\n\
         \x20   \"spark.databricks.delta.autoCompact.maxFileSize\": \"{}\",\n\
         }}\n",
        dl.checkpoint_interval,
        secs(dl.log_retention_days),
        secs(dl.vacuum_retention_h),
        flag(dl.optimize_write),
        mib_bytes(dl.optimize_write_bin_mib),
        flag(dl.auto_compact),
        dl.auto_compact_min_files,
        mib_bytes(dl.auto_compact_max_file_mib),
    );
    if sink_default == "delta" {
        if let Some(h) = dl.optimize_every_h {
            let _ = writeln!(
                s,
                "# sink.delta.optimize_every_h = {}: a separate job runs OPTIMIZE delta.`<output>` every {} h\n\
                 # (spark.databricks.delta.optimize.maxFileSize = {} bytes).",
                secs(h),
                secs(h),
                mib_bytes(dl.optimize_max_file_mib)
            );
        }
        if let Some(h) = dl.vacuum_every_h {
            let _ = writeln!(
                s,
                "# sink.delta.vacuum_every_h = {}: a separate job runs VACUUM delta.`<output>` RETAIN {} HOURS\n\
                 # every {} h.",
                secs(h),
                secs(dl.vacuum_retention_h),
                secs(h)
            );
        }
    }

    // Iceberg notes (used with --sink iceberg).
    let ib = spec.sink.as_ref().map(|s| s.iceberg).unwrap_or_default();
    let _ = write!(
        s,
        "\n# --sink iceberg: Apache Iceberg (spark-submit --packages\n\
         # org.apache.iceberg:iceberg-spark-runtime-<spark>_2.13:<version>) and a catalog, e.g.\n\
         #   --conf spark.sql.catalog.local=org.apache.iceberg.spark.SparkCatalog\n\
         #   --conf spark.sql.catalog.local.type=hadoop --conf spark.sql.catalog.local.warehouse=<dir>\n\
         # The query appends to an existing table (--table); create it with the scenario's settings:\n\
         #   CREATE TABLE local.db.pipeline_sim ({})\n\
         #   USING iceberg{}\n\
         #   TBLPROPERTIES ('commit.manifest-merge.enabled' = '{}', 'commit.manifest.min-count-to-merge' = '{}',\n\
         #     'write.target-file-size-bytes' = '{}', 'write.metadata.delete-after-commit.enabled' = '{}',\n\
         #     'write.metadata.previous-versions-max' = '{}', 'history.expire.max-snapshot-age-ms' = '{}')\n",
        result_columns_sql(spec),
        if partition_by.is_empty() {
            String::new()
        } else {
            format!(" PARTITIONED BY ({})", escape(&partition_by.join(", ")))
        },
        if ib.fast_append { "false" } else { "true" },
        ib.manifest_min_merge_count,
        mib_bytes(ib.target_file_mib),
        ib.delete_metadata_after_commit,
        ib.previous_versions_max,
        (ib.max_snapshot_age_h * 3_600_000.0).round() as u64,
    );
    if sink_default == "iceberg" {
        if let Some(h) = ib.rewrite_every_h {
            let _ = writeln!(
                s,
                "# sink.iceberg.rewrite_every_h = {}: CALL local.system.rewrite_data_files('db.pipeline_sim') every {} h.",
                secs(h),
                secs(h)
            );
        }
        if let Some(h) = ib.expire_every_h {
            let _ = writeln!(
                s,
                "# sink.iceberg.expire_every_h = {}: CALL local.system.expire_snapshots('db.pipeline_sim') every {} h.",
                secs(h),
                secs(h)
            );
        }
    }

    let _ = write!(
        s,
        "\n# sink.partition_by\nPARTITION_BY = {}\n",
        py_list(&partition_by)
    );
    let _ = match max_rows {
        Some(n) => writeln!(
            s,
            "# source.max_rows_per_trigger: at most {n} rows a micro-batch (Kafka's maxOffsetsPerTrigger;\n\
             # for files maxFilesPerTrigger, {}).\n\
             MAX_ROWS_PER_TRIGGER = {n}\n\
             MAX_FILES_PER_TRIGGER = {}",
            match spec.source.file_rows {
                Some(per) => format!("at source.file_rows = {per} events a file"),
                None => "at one event a file".into(),
            },
            max_files.unwrap_or(n)
        ),
        None => writeln!(
            s,
            "# source.max_rows_per_trigger: none (a micro-batch takes everything that has arrived).\n\
             MAX_ROWS_PER_TRIGGER = None\n\
             MAX_FILES_PER_TRIGGER = None"
        ),
    };

    // spark_session
    s.push_str(
        "\n\ndef spark_session(args):\n\
         \x20   \"\"\"The session, with the scenario's settings (and Delta's for --sink delta).\"\"\"\n\
         \x20   builder = SparkSession.builder.appName(APP_NAME)\n\
         \x20   conf = dict(SPARK_CONF)\n\
         \x20   if args.sink == \"delta\":\n\
         \x20       conf.update(DELTA_CONF)\n\
         \x20   for k, v in conf.items():\n\
         \x20       builder = builder.config(k, v)\n\
         \x20   return builder.getOrCreate()\n",
    );

    // read_json_files
    s.push_str(
        "\n\ndef read_json_files(spark, args):\n\
         \x20   \"\"\"source: JSON files in --input; each micro-batch reads the files that are new since the\n\
         \x20   previous one (oldest first). Write a file elsewhere and move it in, so no batch sees it half\n\
         \x20   written.\"\"\"\n",
    );
    if let Some(per) = spec.source.file_rows {
        let _ = writeln!(
            s,
            "    # source.file_rows = {per}: the simulator assumes files of {per} events each."
        );
    }
    s.push_str(
        "    reader = spark.readStream.format(\"json\").schema(EVENT_SCHEMA)\n\
         \x20   if MAX_FILES_PER_TRIGGER is not None:\n\
         \x20       reader = reader.option(\"maxFilesPerTrigger\", MAX_FILES_PER_TRIGGER)\n\
         \x20   return reader.load(args.input)\n",
    );

    // read_kafka
    let parts = spec.source.kafka_partitions;
    let _ = write!(
        s,
        "\n\ndef read_kafka(spark, args):\n\
         \x20   \"\"\"source: a Kafka topic whose record values are the JSON events (--source kafka). Needs the\n\
         \x20   connector: spark-submit --packages org.apache.spark:spark-sql-kafka-0-10_2.13:<your Spark>.\n\n\
         \x20   source.kafka_partitions = {parts}: the simulator assumes the topic has {parts} partition{} and that\n\
         \x20   producers key each record by the event's key (Kafka's default partitioner puts it in\n\
         \x20   murmur2(key) mod {parts}); a stateless query writes one file per partition with rows.\n\
         \x20   \"\"\"\n\
         \x20   reader = (\n\
         \x20       spark.readStream.format(\"kafka\")\n\
         \x20       .option(\"kafka.bootstrap.servers\", args.kafka_bootstrap_servers)\n\
         \x20       .option(\"subscribe\", args.topic)\n\
         \x20       .option(\"startingOffsets\", \"earliest\")\n\
         \x20   )\n\
         \x20   if MAX_ROWS_PER_TRIGGER is not None:\n\
         \x20       reader = reader.option(\"maxOffsetsPerTrigger\", MAX_ROWS_PER_TRIGGER)\n\
         \x20   records = reader.load()\n\
         \x20   events = records.select(F.from_json(F.col(\"value\").cast(\"string\"), EVENT_SCHEMA).alias(\"e\"))\n\
         \x20   return events.select(\"e.id\", \"e.key\", \"e.event_time\", \"e.value\")\n",
        if parts == 1 { "" } else { "s" },
    );

    // build_query
    s.push_str(
        "\n\ndef build_query(spark, events):\n\
         \x20   \"\"\"The scenario's query: `events`, a streaming DataFrame with the columns id, key,\n\
         \x20   event_time (timestamp) and value, to the streaming DataFrame the sink writes.\"\"\"\n",
    );
    match (watermark, sc.query.watermark_delay) {
        (Some(d), _) => {
            let _ = writeln!(
                s,
                "    # query.watermark_delay_s = {}: the watermark trails the newest event time seen by {};\n\
                 \x20   # a row behind it is late (dropped once its window or state is gone).\n\
                 \x20   events = events.withWatermark(\"event_time\", {})",
                secs(q.watermark_delay_s.unwrap_or(0.0)),
                interval(d),
                py_str(&interval(d))
            );
        }
        (None, Some(_)) => s.push_str(
            "    # query.watermark_delay_s is set, but continuous processing refuses withWatermark (and a\n\
             \x20   # stateless query does not need it).\n",
        ),
        (None, None) => s.push_str("    # query.watermark_delay_s = null: no watermark.\n"),
    }
    push_lines(&mut s, 4, &op_lines);

    // with_trigger
    s.push_str(
        "\n\ndef with_trigger(writer, args):\n\
         \x20   \"\"\"The scenario's trigger (--available-now: process what is there now, then stop).\"\"\"\n\
         \x20   if args.available_now:\n\
         \x20       return writer.trigger(availableNow=True)\n",
    );
    push_lines(&mut s, 4, &trigger_lines);

    // start_query
    let _ = write!(
        s,
        "\n\ndef start_query(result, args):\n\
         \x20   \"\"\"Starts writing `result` to --sink in {mode} mode; returns the StreamingQuery.\"\"\"\n\
         \x20   writer = (\n\
         \x20       result.writeStream.queryName(QUERY_NAME)\n\
         \x20       # query.output_mode: {}\n\
         \x20       .outputMode({})\n\
         \x20       # offsets, commits and state: what lets a restarted query go on where it stopped\n\
         \x20       .option(\"checkpointLocation\", args.checkpoint)\n\
         \x20   )\n\
         \x20   writer = with_trigger(writer, args)\n\
         \x20   if args.sink in (\"parquet\", \"delta\"):\n\
         \x20       # parquet: Spark's file sink (part files plus a _spark_metadata log, append mode only);\n\
         \x20       # delta: a Delta table. Each micro-batch writes one file per write task with rows.\n\
         \x20       writer = writer.format(args.sink).option(\"path\", args.output)\n\
         \x20       if PARTITION_BY:\n\
         \x20           writer = writer.partitionBy(*PARTITION_BY)\n",
        match q.output_mode {
            OutputMode::Append =>
                "a row is written once, when final (a window when the watermark passes its end)",
            OutputMode::Update => "every batch writes the rows it changed",
            OutputMode::Complete => "every batch writes the whole result",
        },
        py_str(mode),
    );
    if max_records > 0 {
        let _ = writeln!(
            s,
            "        # sink.max_records_per_file\n        writer = writer.option(\"maxRecordsPerFile\", {max_records})"
        );
    }
    s.push_str(
        "        return writer.start()\n\
         \x20   if args.sink == \"iceberg\":\n\
         \x20       # fanout: rows need not be sorted by partition\n\
         \x20       return writer.format(\"iceberg\").option(\"fanout-enabled\", \"true\").toTable(args.table)\n\
         \x20   if args.sink == \"memory\":\n\
         \x20       # an in-memory table named QUERY_NAME in the driver (for tests and notebooks)\n\
         \x20       return writer.format(\"memory\").start()\n\
         \x20   return writer.format(\"console\").option(\"truncate\", \"false\").start()\n",
    );

    // parse_args, main
    let _ = write!(
        s,
        "\n\ndef parse_args(argv=None):\n\
         \x20   p = argparse.ArgumentParser(description=__doc__.splitlines()[0])\n\
         \x20   p.add_argument(\"--source\", choices=[\"json\", \"kafka\"], default={},\n\
         \x20                  help=\"where the events come from (default: %(default)s)\")\n\
         \x20   p.add_argument(\"--input\", default=\"events/\", help=\"folder of JSON event files (default: %(default)s)\")\n\
         \x20   p.add_argument(\"--kafka-bootstrap-servers\", default=\"localhost:9092\", help=\"(default: %(default)s)\")\n\
         \x20   p.add_argument(\"--topic\", default=\"events\", help=\"Kafka topic (default: %(default)s)\")\n\
         \x20   p.add_argument(\"--sink\", choices=[\"parquet\", \"delta\", \"iceberg\", \"console\", \"memory\"],\n\
         \x20                  default={}, help=\"where the result goes (default: %(default)s)\")\n\
         \x20   p.add_argument(\"--output\", default=\"table/\", help=\"parquet/delta table path (default: %(default)s)\")\n\
         \x20   p.add_argument(\"--table\", default=\"local.db.pipeline_sim\", help=\"Iceberg table (default: %(default)s)\")\n\
         \x20   p.add_argument(\"--checkpoint\", default=\"checkpoint/\",\n\
         \x20                  help=\"checkpoint location; one per query, kept across restarts (default: %(default)s)\")\n\
         \x20   p.add_argument(\"--available-now\", action=\"store_true\",\n\
         \x20                  help=\"process what is there now, then stop (instead of the scenario's trigger)\")\n\
         \x20   return p.parse_args(argv)\n\
         \n\n\
         def main(argv=None):\n\
         \x20   \"\"\"Source, query, sink; runs until the trigger stops the query (or for ever). Returns the\n\
         \x20   StreamingQuery, stopped.\"\"\"\n\
         \x20   args = parse_args(argv)\n\
         \x20   spark = spark_session(args)\n\
         \x20   events = read_kafka(spark, args) if args.source == \"kafka\" else read_json_files(spark, args)\n\
         \x20   query = start_query(build_query(spark, events), args)\n\
         \x20   query.awaitTermination()  # raises if the query failed\n\
         \x20   return query\n\
         \n\n\
         if __name__ == \"__main__\":\n\
         \x20   main()\n",
        py_str(if continuous { "kafka" } else { "json" }),
        py_str(sink_default),
    );
    Ok(s)
}

/// The `SPARK_CONF` lines of `engine.state_store` (none for the default HDFS provider) and
/// of `engine.changelog_checkpointing` (with RocksDB, when true).
fn state_store_conf(engine: &EngineConf) -> String {
    if engine.state_store != StateStore::Rocksdb {
        return String::new();
    }
    let mut s = String::from(
        "    # engine.state_store = \"rocksdb\": state in RocksDB on the executors' local disk; the\n\
         \x20   # checkpoint gets V.zip and shared SST files (or V.changelog files, below).\n\
         \x20   \"spark.sql.streaming.stateStore.providerClass\":\n\
         \x20       \"org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider\",\n",
    );
    if engine.changelog_checkpointing {
        s.push_str(
            "    # engine.changelog_checkpointing: a V.changelog per batch, snapshots uploaded by the\n\
             \x20   # maintenance task.\n\
             \x20   \"spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled\": \"true\",\n",
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: &str) -> ScenarioSpec {
        crate::base::input::from_str(json).unwrap()
    }

    fn script(json: &str) -> String {
        generate(&spec(json)).unwrap()
    }

    /// Every generated script parses as Python, when a python3 is at hand (else skipped;
    /// tests/pyspark/ compiles and runs them for real).
    fn python_parses(src: &str) {
        use std::io::Write;
        let child = std::process::Command::new("python3")
            .args(["-c", "import ast, sys; ast.parse(sys.stdin.read())"])
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn();
        let Ok(mut child) = child else { return };
        child.stdin.take().unwrap().write_all(src.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}\n{src}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn strings_are_escaped_for_python() {
        assert_eq!(py_str("a"), "\"a\"");
        assert_eq!(py_str("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(py_str("x\ny\r\t\u{7}"), r#""x\ny\r\t\x07""#);
        assert_eq!(py_str("키"), r#""\ud0a4""#);
        assert_eq!(py_str("🙂"), r#""\U0001f642""#);
        assert!(py_str("\u{2028}'\"\"\"").is_ascii());
    }

    #[test]
    fn intervals_in_the_largest_exact_unit() {
        assert_eq!(interval(10_000_000), "10 seconds");
        assert_eq!(interval(1_000_000), "1 second");
        assert_eq!(interval(60_000_000), "1 minute");
        assert_eq!(interval(7_200_000_000), "2 hours");
        assert_eq!(interval(86_400_000_000), "24 hours");
        assert_eq!(interval(1_500_000), "1500 milliseconds");
        assert_eq!(interval(1_500), "1500 microseconds");
        assert_eq!(interval(0), "0 seconds");
    }

    #[test]
    fn tumbling_count_to_partitioned_parquet() {
        let s = script(
            r#"{"seed": 1, "engine": {"shuffle_partitions": 8},
                "query": {"window": {"kind": "tumbling", "size_s": 10}, "watermark_delay_s": 5},
                "trigger": {"kind": "processing_time", "interval_s": 30},
                "source": {"max_rows_per_trigger": 500},
                "sink": {"format": "parquet", "partition_by": ["key"], "max_records_per_file": 1000}}"#,
        );
        for want in [
            "def build_query(spark, events):",
            "def main(argv=None):",
            "if __name__ == \"__main__\":",
            "events = events.withWatermark(\"event_time\", \"5 seconds\")",
            "window = F.window(\"event_time\", \"10 seconds\").alias(\"window\")",
            "return events.groupBy(window, F.col(\"key\")).agg(F.count(\"*\").alias(\"count\"))",
            ".outputMode(\"append\")",
            "return writer.trigger(processingTime=\"30 seconds\")",
            "PARTITION_BY = [\"key\"]",
            "writer = writer.partitionBy(*PARTITION_BY)",
            "writer.option(\"maxRecordsPerFile\", 1000)",
            ".option(\"checkpointLocation\", args.checkpoint)",
            "\"spark.sql.shuffle.partitions\": \"8\"",
            "\"spark.sql.streaming.noDataMicroBatches.enabled\": \"true\"",
            "MAX_ROWS_PER_TRIGGER = 500",
            "MAX_FILES_PER_TRIGGER = 500",
            "reader.option(\"maxOffsetsPerTrigger\", MAX_ROWS_PER_TRIGGER)",
            "reader.option(\"maxFilesPerTrigger\", MAX_FILES_PER_TRIGGER)",
            "EVENT_SCHEMA = \"id LONG, key STRING, event_time TIMESTAMP, value LONG\"",
            "default=\"parquet\"",
        ] {
            assert!(s.contains(want), "missing {want:?}\n{s}");
        }
        assert!(s.is_ascii());
        python_parses(&s);
    }

    #[test]
    fn the_state_store_provider_and_changelog_checkpointing() {
        const PROVIDER: &str = "\"spark.sql.streaming.stateStore.providerClass\":\n        \
                                \"org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider\",";
        const CHANGELOG: &str =
            "\"spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled\": \"true\",";
        for (engine, provider, changelog) in [
            // HDFS, Spark's default: nothing set (changelog checkpointing is RocksDB's only).
            (r#"{"changelog_checkpointing": true}"#, false, false),
            (r#"{"state_store": "rocksdb"}"#, true, false),
            (
                r#"{"state_store": "rocksdb", "changelog_checkpointing": true}"#,
                true,
                true,
            ),
        ] {
            let s = script(&format!(r#"{{"seed": 1, "engine": {engine}}}"#));
            assert_eq!(s.contains(PROVIDER), provider, "{engine}\n{s}");
            assert_eq!(s.contains(CHANGELOG), changelog, "{engine}\n{s}");
            assert_eq!(s.contains("providerClass"), provider);
            python_parses(&s);
        }
    }

    #[test]
    fn every_operator_window_and_trigger() {
        let cases: [(&str, &[&str]); 9] = [
            (
                r#"{"seed": 1, "query": {"window": {"kind": "sliding", "size_s": 60, "slide_s": 20},
                    "aggregate": "sum", "output_mode": "update"}, "trigger": {"kind": "default"}}"#,
                &[
                    "F.window(\"event_time\", \"1 minute\", \"20 seconds\")",
                    "F.sum(\"value\").alias(\"sum\")",
                    ".outputMode(\"update\")",
                    "    return writer\n",
                    "default=\"console\"",
                ],
            ),
            (
                r#"{"seed": 1, "query": {"window": {"kind": "session", "gap_s": 1.5}, "aggregate": "avg",
                    "output_mode": "complete", "watermark_delay_s": null}, "trigger": {"kind": "once"}}"#,
                &[
                    "F.session_window(\"event_time\", \"1500 milliseconds\").alias(\"window\")",
                    "F.avg(\"value\").alias(\"avg\")",
                    "# query.watermark_delay_s = null: no watermark.",
                    "return writer.trigger(once=True)",
                    ".outputMode(\"complete\")",
                ],
            ),
            (
                r#"{"seed": 1, "query": {"operator": "dedup", "dedup_columns": ["key", "event_time"]},
                    "trigger": {"kind": "available_now"}, "sink": {"format": "delta",
                    "delta": {"optimize_every_h": 24, "auto_compact": true}}}"#,
                &[
                    "return events.dropDuplicates([\"key\", \"event_time\"])",
                    "return writer.trigger(availableNow=True)",
                    "\"spark.databricks.delta.autoCompact.enabled\": \"true\"",
                    "OPTIMIZE delta.`<output>` every 24 h",
                    "default=\"delta\"",
                ],
            ),
            (
                r#"{"seed": 1, "query": {"operator": "dedup", "watermark_delay_s": null, "output_mode": "update"}}"#,
                &[
                    "return events.dropDuplicates([\"id\", \"key\", \"event_time\"])",
                    "State keeps every seen combination forever",
                ],
            ),
            (
                r#"{"seed": 1, "query": {"operator": "dedup_within_watermark", "dedup_columns": ["key"],
                    "watermark_delay_s": 30}, "sink": {"format": "iceberg", "partition_by": ["key"]},
                    "trigger": {"kind": "scheduled", "every_s": 3600}}"#,
                &[
                    "return events.dropDuplicatesWithinWatermark([\"key\"])",
                    "events.withWatermark(\"event_time\", \"30 seconds\")",
                    "A scheduler (cron, Airflow, a Databricks job) starts this",
                    "script every 1 hour",
                    "return writer.trigger(availableNow=True)",
                    "toTable(args.table)",
                    "PARTITIONED BY (key)",
                    "id BIGINT, key STRING, event_time TIMESTAMP, value BIGINT",
                    "default=\"iceberg\"",
                ],
            ),
            (
                r#"{"seed": 1, "query": {"operator": "select"},
                    "trigger": {"kind": "continuous", "checkpoint_interval_s": 1},
                    "source": {"kafka_partitions": 4}}"#,
                &[
                    "return events.select(\"id\", \"key\", \"event_time\", \"value\")",
                    "return writer.trigger(continuous=\"1 second\")",
                    "continuous processing refuses withWatermark",
                    "choices=[\"json\", \"kafka\"], default=\"kafka\"",
                    "source.kafka_partitions = 4",
                    "murmur2(key) mod 4",
                ],
            ),
            (
                r#"{"seed": 1, "trigger": {"kind": "scheduled", "every_s": 86400, "once": true},
                    "source": {"max_rows_per_trigger": 1000, "file_rows": 100}}"#,
                &[
                    "return writer.trigger(once=True)  # trigger.once = true",
                    "every 24 hours",
                    "MAX_FILES_PER_TRIGGER = 10",
                    "source.file_rows = 100",
                ],
            ),
            (
                r#"{"seed": 1, "trigger": {"kind": "once"}, "source": {"max_rows_per_trigger": 1000}}"#,
                &["MAX_ROWS_PER_TRIGGER = None"],
            ),
            (
                r#"{"seed": 1, "workload": {"data": {"file": "data/x\"y\n.csv",
                    "event_time": {"column": "t", "unit": "epoch_ms"}, "key": "carrier", "value": "delay",
                    "filter": [{"column": "origin", "op": "eq", "value": "SFO"}]}}}"#,
                &[
                    "workload.data.file = \"data/x\\\"y\\n.csv\",",
                    "event_time <- column \"t\" (epoch_ms)",
                    "key        <- column \"carrier\"",
                    "kept only if \"origin\" eq \\\"SFO\\\"",
                    "pipeline-sim events SCENARIO.json",
                ],
            ),
        ];
        for (json, wants) in cases {
            let s = script(json);
            for want in wants {
                assert!(s.contains(want), "missing {want:?} for {json}\n{s}");
            }
            assert!(s.is_ascii());
            python_parses(&s);
        }
    }

    #[test]
    fn bad_scenarios_are_refused_with_their_field() {
        let e = generate(&spec(
            r#"{"seed": 1, "trigger": {"kind": "processing_time", "interval_s": 0}}"#,
        ))
        .unwrap_err();
        assert_eq!(e.field, "trigger.interval_s");
        assert_eq!(generate(&spec("{}")).unwrap_err().field, "seed");
    }
}
