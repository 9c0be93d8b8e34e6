//! The streaming query and the Spark settings that change its semantics.

use crate::base::error::{InputError, Unit, duration};
use crate::base::time::Micros;
use crate::operators::dedup::DedupColumns;
use crate::operators::window::{WindowKind, WindowSpec};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OutputMode {
    #[default]
    Append,
    Update,
    Complete,
}

/// The stateful operator, named as in the conformance format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OperatorName {
    /// `groupBy(window(...) | session_window(...), key).count()`.
    #[default]
    WindowCount,
    /// `dropDuplicates(dedup_columns)`.
    Dedup,
    /// `dropDuplicatesWithinWatermark(dedup_columns)`.
    DedupWithinWatermark,
    /// A stateless `select` / `filter`: every row goes to the sink as it is.
    Select,
}

/// What `window_count` computes per group besides `count(*)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// `count(*)` only.
    #[default]
    Count,
    /// also `sum(value)`.
    Sum,
    /// also `avg(value)`.
    Avg,
}

/// `withWatermark("event_time", delay)` then one stateful operator, written with an
/// output mode. Rows have the columns `id`, `key` and `event_time`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct QuerySpec {
    pub operator: OperatorName,
    /// The window of `window_count` (ignored by the dedup operators). Default tumbling 60 s.
    pub window: WindowSpec,
    /// `window_count` only: `count`, or `count` plus `sum` or `avg` of `value`.
    pub aggregate: Aggregate,
    /// Columns of the dedup operators; empty = all columns (Spark's `dropDuplicates()`).
    pub dedup_columns: Vec<String>,
    /// Watermark delay in seconds; `null` = no `withWatermark`. Default 60 s.
    pub watermark_delay_s: Option<f64>,
    pub output_mode: OutputMode,
}

impl Default for QuerySpec {
    fn default() -> Self {
        Self {
            operator: OperatorName::WindowCount,
            window: WindowSpec::default(),
            aggregate: Aggregate::Count,
            dedup_columns: Vec::new(),
            watermark_delay_s: Some(60.0),
            output_mode: OutputMode::Append,
        }
    }
}

/// A validated operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    WindowCount(WindowKind),
    Dedup(DedupColumns),
    DedupWithinWatermark(DedupColumns),
    Select,
}

/// A validated query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    pub operator: Operator,
    pub aggregate: Aggregate,
    pub watermark_delay: Option<Micros>,
    pub output_mode: OutputMode,
}

impl QuerySpec {
    pub fn validate(&self, field: &str) -> Result<Query, InputError> {
        let f = |n: &str| format!("{field}.{n}");
        let watermark_delay = match self.watermark_delay_s {
            None => None,
            Some(d) => Some(duration(&f("watermark_delay_s"), d, Unit::Seconds, true)?),
        };
        let mode = self.output_mode;
        let operator = match self.operator {
            OperatorName::WindowCount => {
                let kind = self.window.validate(&f("window"))?;
                if mode == OutputMode::Append && watermark_delay.is_none() {
                    // Spark: "Append output mode not supported when there are streaming
                    // aggregations on streaming DataFrames/DataSets without watermark".
                    return Err(InputError::new(
                        f("output_mode"),
                        "append mode needs a watermark for a windowed aggregation (Spark refuses it): \
                         set watermark_delay_s, or use update or complete mode",
                    ));
                }
                if mode == OutputMode::Update && matches!(kind, WindowKind::Session { .. }) {
                    return Err(InputError::new(
                        f("output_mode"),
                        "Spark does not support update mode with session windows: use append or complete",
                    ));
                }
                Operator::WindowCount(kind)
            }
            OperatorName::Select => {
                if mode == OutputMode::Complete {
                    return Err(InputError::new(
                        f("output_mode"),
                        "complete mode needs an aggregation (Spark refuses it for a stateless query): use append",
                    ));
                }
                Operator::Select
            }
            OperatorName::Dedup | OperatorName::DedupWithinWatermark => {
                if mode == OutputMode::Complete {
                    return Err(InputError::new(
                        f("output_mode"),
                        "complete mode needs an aggregation (Spark refuses it for deduplication): use append",
                    ));
                }
                let cols = dedup_columns(&self.dedup_columns, &f("dedup_columns"))?;
                if self.operator == OperatorName::Dedup {
                    Operator::Dedup(cols)
                } else {
                    if watermark_delay.is_none() {
                        return Err(InputError::new(
                            f("watermark_delay_s"),
                            "dropDuplicatesWithinWatermark needs a watermark: set watermark_delay_s",
                        ));
                    }
                    Operator::DedupWithinWatermark(cols)
                }
            }
        };
        if self.aggregate != Aggregate::Count && self.operator != OperatorName::WindowCount {
            return Err(InputError::new(
                f("aggregate"),
                "sum and avg apply to window_count only",
            ));
        }
        Ok(Query {
            operator,
            aggregate: self.aggregate,
            watermark_delay,
            output_mode: mode,
        })
    }
}

fn dedup_columns(names: &[String], field: &str) -> Result<DedupColumns, InputError> {
    if names.is_empty() {
        return Ok(DedupColumns {
            id: true,
            key: true,
            event_time: true,
        });
    }
    let mut c = DedupColumns::default();
    for n in names {
        match n.as_str() {
            "id" => c.id = true,
            "key" => c.key = true,
            "event_time" => c.event_time = true,
            other => {
                return Err(InputError::new(
                    field,
                    format!("unknown column '{other}': the columns are id, key and event_time"),
                ));
            }
        }
    }
    Ok(c)
}

/// Which engine runs the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EngineName {
    /// Spark Structured Streaming's micro-batches (the trigger, `engine/spark`).
    #[default]
    Spark,
    /// Flink's event-at-a-time DataStream job (the scenario's `flink` section,
    /// `engine/flink`).
    Flink,
}

/// Spark's state store provider (`spark.sql.streaming.stateStore.providerClass`): where a
/// stateful operator keeps its state between micro-batches, and what it writes to the
/// checkpoint's `state/` directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum StateStore {
    /// `HDFSBackedStateStoreProvider`, Spark's default: state as JVM objects on the executor
    /// heap (versions kept in memory), `V.delta` and `V.snapshot` files.
    #[default]
    Hdfs,
    /// `RocksDBStateStoreProvider`: state in RocksDB on the executor's local disk, memory
    /// bounded by its block cache and write buffers; `V.zip` + shared SST files, or
    /// `V.changelog` files with changelog checkpointing.
    Rocksdb,
}

/// The engine, and the Spark SQL settings that change what a query does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct EngineConf {
    /// `"spark"` (default) or `"flink"`.
    pub name: EngineName,
    /// `spark.sql.shuffle.partitions`; Spark's default is 200.
    pub shuffle_partitions: u32,
    /// `spark.sql.streaming.noDataMicroBatches.enabled`; default true.
    pub no_data_micro_batches: bool,
    /// `spark.sql.streaming.statefulOperator.allowMultiple`; default true.
    pub allow_multiple: bool,
    /// Executor cores (`spark.default.parallelism`): a file source packs a batch's input
    /// into about this many read tasks. Default 4 (one m6i.xlarge worker).
    pub cores: u32,
    /// `spark.sql.streaming.stateStore.providerClass`: `"hdfs"` (default) or `"rocksdb"`.
    pub state_store: StateStore,
    /// `spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled`; default
    /// false. Only read with the RocksDB provider.
    pub changelog_checkpointing: bool,
}

impl Default for EngineConf {
    fn default() -> Self {
        Self {
            name: EngineName::Spark,
            shuffle_partitions: 200,
            no_data_micro_batches: true,
            allow_multiple: true,
            cores: 4,
            state_store: StateStore::Hdfs,
            changelog_checkpointing: false,
        }
    }
}

crate::read_names!(OutputMode { "append" => Append, "update" => Update, "complete" => Complete });
crate::read_names!(OperatorName {
    "window_count" => WindowCount,
    "dedup" => Dedup,
    "dedup_within_watermark" => DedupWithinWatermark,
    "select" => Select,
});
crate::read_names!(Aggregate { "count" => Count, "sum" => Sum, "avg" => Avg });
crate::read_defaults!(QuerySpec {
    operator,
    window,
    aggregate,
    dedup_columns,
    watermark_delay_s,
    output_mode,
});
crate::read_names!(EngineName { "spark" => Spark, "flink" => Flink });
crate::read_names!(StateStore { "hdfs" => Hdfs, "rocksdb" => Rocksdb });
crate::read_defaults!(EngineConf {
    name,
    shuffle_partitions,
    no_data_micro_batches,
    allow_multiple,
    cores,
    state_store,
    changelog_checkpointing,
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn append_without_watermark_is_refused() {
        let q = QuerySpec {
            watermark_delay_s: None,
            ..QuerySpec::default()
        };
        let e = q.validate("query").unwrap_err();
        assert_eq!(e.field, "query.output_mode");
        let q = QuerySpec {
            watermark_delay_s: None,
            output_mode: OutputMode::Update,
            ..QuerySpec::default()
        };
        assert!(q.validate("query").is_ok());
    }
}
