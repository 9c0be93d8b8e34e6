//! The scenario: everything a simulation run needs, as one versioned JSON document
//! (serde). Every field has a default except `seed`.

use crate::base::time::Micros;
use crate::cost::spec::{Cost, CostSpec};
use crate::engine::flink::conf::{FlinkConf, FlinkSpec};
use crate::engine::spark::recovery::{Failure, FailureSpec};
use crate::engine::spark::trigger::{Trigger, TriggerSpec};
use crate::operators::query::{EngineConf, Query, QuerySpec};
use crate::storage::sink::{Sink, SinkSpec};
use crate::workload::spec::{Workload, WorkloadSpec};
use serde::Serialize;

/// Largest scenario document, bytes (its explicit events included): refused before it is
/// read or parsed. Event data beyond this goes through `workload.data`.
pub const MAX_SCENARIO_BYTES: usize = 256 << 20;

/// Largest processing cost per row, µs (one second a row).
pub const MAX_PER_ROW_US: f64 = 1e6;

/// The scenario format version this build reads and writes.
pub const SCENARIO_VERSION: u32 = 1;

/// How long a micro-batch takes, in processing time.
///
/// Defaults are an assumption, not a measurement: 0.5 s of fixed cost per micro-batch
/// (planning, offset log, state store commit) and 8 µs of one executor core per input row
/// (2 µs a row on the default 2-node cluster's 4 executor cores; `cluster.rs`). They are
/// placeholders until calibrated; change them in the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct BatchCostSpec {
    /// Fixed cost per micro-batch, s. Default 0.5.
    pub overhead_s: f64,
    /// One executor core's time per input row, µs. Default 8.
    pub per_row_us: f64,
}

impl Default for BatchCostSpec {
    fn default() -> Self {
        Self {
            overhead_s: 0.5,
            per_row_us: 8.0,
        }
    }
}

/// The source's rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SourceSpec {
    /// At most this many rows per micro-batch (Kafka's `maxOffsetsPerTrigger`, the file
    /// source's `maxFilesPerTrigger` at one row per file); `null` = no limit. `once`
    /// ignores it, as Spark does.
    pub max_rows_per_trigger: Option<u64>,
    /// Kafka topic partitions the events are spread over (by Kafka's key hash); a
    /// stateless query writes from one task per partition with new rows. Default 1 (the
    /// broker's `num.partitions` default).
    pub kafka_partitions: u32,
    /// `null` (default): a Kafka source. A number: a file source whose input files hold
    /// this many rows each (`workload.row_bytes` a row); a stateless query's batch reads
    /// them in Spark's packed file splits.
    pub file_rows: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScenarioSpec {
    /// Must be [`SCENARIO_VERSION`].
    pub version: u32,
    /// Seed of the event generator (ChaCha8). Required.
    pub seed: Option<u64>,
    pub workload: WorkloadSpec,
    pub source: SourceSpec,
    pub trigger: TriggerSpec,
    pub query: QuerySpec,
    pub engine: EngineConf,
    /// The Flink job's settings, read when `engine.name` is `"flink"` (`engine/flink/conf.rs`).
    /// A build without the Flink engine neither reads nor writes it.
    #[cfg_attr(not(feature = "flink"), serde(skip_serializing))]
    pub flink: FlinkSpec,
    /// The file sink; `null` = none (no data files are counted or billed).
    pub sink: Option<SinkSpec>,
    /// Prices and the storage, compute and reader models.
    pub cost: CostSpec,
    pub batch_cost: BatchCostSpec,
    pub report: ReportSpec,
    /// A driver failure and the restart on the same checkpoint (`engine/spark/recovery.rs`);
    /// `null` = none.
    pub failure: Option<FailureSpec>,
}

impl Default for SourceSpec {
    fn default() -> Self {
        Self {
            max_rows_per_trigger: None,
            kafka_partitions: 1,
            file_rows: None,
        }
    }
}

/// How much per-event detail the report keeps.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportSpec {
    /// Per-event rows kept at most (about): beyond, a systematic sample of this size.
    /// Default 200 000. Summary counts and latency percentiles always cover every event.
    pub detail_events: u64,
}

impl Default for ReportSpec {
    fn default() -> Self {
        Self {
            detail_events: 200_000,
        }
    }
}

impl Default for ScenarioSpec {
    fn default() -> Self {
        Self {
            version: SCENARIO_VERSION,
            seed: None,
            workload: WorkloadSpec::default(),
            source: SourceSpec::default(),
            trigger: TriggerSpec::default(),
            query: QuerySpec::default(),
            engine: EngineConf::default(),
            flink: FlinkSpec::default(),
            sink: None,
            cost: CostSpec::default(),
            batch_cost: BatchCostSpec::default(),
            report: ReportSpec::default(),
            failure: None,
        }
    }
}

/// A validated scenario, in the core's units.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub seed: u64,
    pub workload: Workload,
    pub trigger: Trigger,
    pub query: Query,
    pub engine: EngineConf,
    /// The Flink job, when `engine.name` is `"flink"`; `trigger` is then its checkpoint
    /// interval (the period that commits the sink), so the rhythm, the budget and the
    /// steady month read it as they read Spark's.
    pub flink: Option<FlinkConf>,
    pub max_rows_per_batch: Option<u64>,
    pub sink: Option<Sink>,
    pub cost: Cost,
    pub source: SourceSpec,
    /// Per-event rows the report keeps (about).
    pub detail_events: u64,
    /// What `workload.data`'s load read and dropped (copied into the report).
    pub data: Option<std::sync::Arc<crate::workload::loader::LoadStats>>,
    /// µs per batch.
    pub overhead: i64,
    /// µs of batch time per row on this cluster (fractional): one core's µs per row ÷ the
    /// cluster's executor cores.
    pub per_row_us: f64,
    /// The cluster and how busy the load keeps it.
    pub sizing: crate::cost::cluster::Sizing,
    /// Real events per simulated one (`scale.rs`; 1 = exact). `workload` is the thinned
    /// stream and `per_row_us` is per simulated row.
    pub scale: u64,
    /// A scaled run's timeline slice: the workload's first part, exact (`scale.rs`).
    pub timeline_slice: Option<std::sync::Arc<Scenario>>,
    /// The simulated clock's bounds, from the work budget's check (`budget.rs`).
    pub horizon: Horizon,
    /// A driver failure to inject, and the restart.
    pub failure: Option<Failure>,
}

/// The simulated clock's bounds for one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Horizon {
    pub start: Micros,
    /// When the run is expected to end at the latest (the last arrival's bound, a trigger
    /// period, a start-up and one batch).
    pub expected_end: Micros,
    /// The engine stops with an error past this instant.
    pub limit: Micros,
}

crate::read_defaults!(BatchCostSpec {
    overhead_s,
    per_row_us
});
crate::read_defaults!(SourceSpec {
    max_rows_per_trigger,
    kafka_partitions,
    file_rows
});
crate::read_defaults!(ScenarioSpec {
    version,
    seed,
    workload,
    source,
    trigger,
    query,
    engine,
    flink,
    sink,
    cost,
    batch_cost,
    report,
    failure,
});
crate::read_defaults!(ReportSpec { detail_events });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workload_no_cluster_could_finish_is_refused_at_the_row_cost() {
        // 10 M events/s for 3 years at a second a row: scaled it would run, and its
        // batches (k × a second a row) would outlast any clock.
        let e = ScenarioSpec::from_json(
            r#"{"seed": 1, "workload": {"rate_per_s": 1e7, "duration_s": 1e8},
                "batch_cost": {"per_row_us": 1e6}}"#,
        )
        .unwrap_err();
        assert_eq!(e.field, "batch_cost.per_row_us");
        assert!(e.message.contains("years"), "{e}");
    }

    #[test]
    fn kafka_brokers_are_refused_with_a_file_source() {
        let e = ScenarioSpec::from_json(
            r#"{"seed": 1, "source": {"file_rows": 100}, "cost": {"brokers": {"preset": "gcp_managed_kafka"}}}"#,
        )
        .unwrap_err();
        assert_eq!(e.field, "cost.brokers.preset");
        // A price override alone prices them too.
        let e = ScenarioSpec::from_json(
            r#"{"seed": 1, "source": {"file_rows": 100}, "cost": {"brokers": {"min_usd_per_hour": 1}}}"#,
        )
        .unwrap_err();
        assert_eq!(e.field, "cost.brokers.preset");
        // The mean ingest is the real rate's, before a scaled run's thinning.
        let sc = ScenarioSpec::from_json(
            r#"{"seed": 1, "workload": {"rate_per_s": 2000, "duration_s": 3600, "row_bytes": 100, "scale": 10},
                "cost": {"brokers": {"preset": "gcp_managed_kafka"}}}"#,
        )
        .expect("a Kafka source with brokers is valid");
        let mib = sc.cost.broker.ingest_mib_per_s;
        assert!((mib - 2000.0 * 100.0 / 1_048_576.0).abs() < 1e-3, "{mib}");
    }

    #[test]
    fn batch_memory_guard() {
        let day_job = ScenarioSpec::from_json(
            r#"{"seed": 1, "workload": {"duration_s": 86400, "rate_per_s": 1000, "scale": 1},
                "trigger": {"kind": "scheduled", "every_s": 86400}}"#,
        )
        .unwrap();
        assert!((day_job.expected_batch_rows() - 86.4e6).abs() < 1e3);
        // Scaled (auto: 172.8 M events is past the exact budget) the batch holds 1 in 22.
        let scaled = ScenarioSpec::from_json(
            r#"{"seed": 1, "workload": {"duration_s": 86400, "rate_per_s": 2000},
                "trigger": {"kind": "scheduled", "every_s": 86400}}"#,
        )
        .unwrap();
        assert_eq!(scaled.scale, 22);
        assert!((scaled.expected_batch_rows() - 172.8e6 / 22.0).abs() < 1e3);
        // A windowed count takes the day's batch in chunks: ~216 MB of compact lists.
        assert!(day_job.check_memory(230e6).is_ok());
        let e = day_job.check_memory(200e6).unwrap_err();
        assert_eq!(e.field, "trigger");
        assert!(e.message.contains("about 86.4 million rows, about 216 MB"), "{e}");
        let select = ScenarioSpec::from_json(
            r#"{"seed": 1, "workload": {"duration_s": 86400, "rate_per_s": 1000, "scale": 1},
                "trigger": {"kind": "scheduled", "every_s": 3600}, "query": {"operator": "select"}}"#,
        )
        .unwrap();
        let e = select.check_memory(230e6).unwrap_err();
        assert!(e.message.contains("about 3.6 million rows, about 432 MB"), "{e}");
        let dedup = ScenarioSpec::from_json(
            r#"{"seed": 1, "workload": {"duration_s": 86400, "rate_per_s": 1000, "scale": 1},
                "query": {"operator": "dedup", "dedup_columns": ["id"]}}"#,
        )
        .unwrap();
        let e = dedup.check_memory(230e6).unwrap_err();
        assert_eq!(e.field, "query.dedup_columns");
        assert!(e.message.contains("about 86.4 million rows in state"), "{e}");
        let evicting = ScenarioSpec::from_json(
            r#"{"seed": 1, "workload": {"duration_s": 86400, "rate_per_s": 1000, "scale": 1},
                "query": {"operator": "dedup", "dedup_columns": ["id", "event_time"], "watermark_delay_s": 60}}"#,
        )
        .unwrap();
        assert!(evicting.check_memory(230e6).is_ok());
        let limited = ScenarioSpec::from_json(
            r#"{"seed": 1, "workload": {"duration_s": 86400, "rate_per_s": 1000, "scale": 1},
                "trigger": {"kind": "scheduled", "every_s": 86400}, "source": {"max_rows_per_trigger": 1000000}}"#,
        )
        .unwrap();
        assert!(limited.check_memory(2e6).is_ok());
        let stream = ScenarioSpec::from_json(
            r#"{"seed": 1, "workload": {"duration_s": 86400, "rate_per_s": 1000, "scale": 1}}"#,
        )
        .unwrap();
        assert!((stream.expected_batch_rows() - 60_000.0).abs() < 1.0);
        // A windowed count's state: windows a batch keeps open × keys. A month's job at
        // 10 events/s holds 43,200 windows × 100 keys (1,374 MiB of wasm memory measured).
        let groups = |json: &str| {
            let sc = ScenarioSpec::from_json(json).unwrap();
            (sc.expected_window_groups().unwrap(), sc.check_memory(230e6))
        };
        let (g, r) = groups(
            r#"{"seed": 1, "workload": {"duration_s": 2592000, "rate_per_s": 10, "keys": 100},
                "trigger": {"kind": "scheduled", "every_s": 2592000}}"#,
        );
        assert!((g - 4.32e6).abs() < 1e4, "{g}");
        let e = r.unwrap_err();
        assert_eq!(e.field, "trigger");
        assert!(
            e.message.contains("about 4.3 million (window, key) groups"),
            "{e}"
        );
        // Complete mode evicts nothing: a day of 10,000 keys is 14.4 M groups.
        let (g, r) = groups(
            r#"{"seed": 1, "workload": {"duration_s": 86400, "rate_per_s": 1000, "keys": 10000},
                "query": {"output_mode": "complete"}}"#,
        );
        assert!(g > 14e6 && r.is_err(), "{g}");
        // The same as a stream in append mode holds a few windows.
        let (g, r) =
            groups(r#"{"seed": 1, "workload": {"duration_s": 86400, "rate_per_s": 1000, "keys": 10000}}"#);
        assert!(g < 1e5 && r.is_ok(), "{g}");
        // The page's day job (100 keys) holds a day of windows and fits.
        let (g, r) = groups(
            r#"{"seed": 1, "workload": {"duration_s": 86400, "rate_per_s": 1000, "keys": 100, "scale": 1},
                "trigger": {"kind": "scheduled", "every_s": 86400}}"#,
        );
        assert!((g - 144_100.0).abs() < 200.0 && r.is_ok(), "{g}");
    }

    #[test]
    fn seed_is_required_and_unknown_fields_refused() {
        assert_eq!(ScenarioSpec::from_json("{}").unwrap_err().field, "seed");
        assert!(ScenarioSpec::from_json(r#"{"seed": 1}"#).is_ok());
        let e = ScenarioSpec::from_json(
            r#"{"seed": 1, "trigger": {"kind": "processing_time", "interval_s": 0}}"#,
        )
        .unwrap_err();
        assert_eq!(e.field, "trigger.interval_s");
        let e = ScenarioSpec::from_json(r#"{"seed": 1, "trigerr": {}}"#).unwrap_err();
        assert!(e.message.contains("trigerr"), "{e}");
        assert!(ScenarioSpec::from_json("not json").is_err());
        assert_eq!(
            ScenarioSpec::from_json(r#"{"seed": 1, "version": 9}"#)
                .unwrap_err()
                .field,
            "version"
        );
    }
}
