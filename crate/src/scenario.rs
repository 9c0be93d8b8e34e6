//! The scenario: everything a simulation run needs, as one versioned JSON document
//! (serde). Every field has a default except `seed`.

use crate::cost::{Cost, CostSpec};
use crate::error::{InputError, Unit, duration, non_negative};
use crate::query::{EngineConf, Operator, Query, QuerySpec};
use crate::sink::{Sink, SinkSpec};
use crate::trigger::{Trigger, TriggerSpec};
use crate::window::WindowKind;
use crate::workload::{Workload, WorkloadSpec};
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
    /// The file sink; `null` = none (no data files are counted or billed).
    pub sink: Option<SinkSpec>,
    /// Prices and the storage, compute and reader models.
    pub cost: CostSpec,
    pub batch_cost: BatchCostSpec,
    pub report: ReportSpec,
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
            sink: None,
            cost: CostSpec::default(),
            batch_cost: BatchCostSpec::default(),
            report: ReportSpec::default(),
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
    pub max_rows_per_batch: Option<u64>,
    pub sink: Option<Sink>,
    pub cost: Cost,
    pub source: SourceSpec,
    /// Per-event rows the report keeps (about).
    pub detail_events: u64,
    /// What `workload.data`'s load read and dropped (copied into the report).
    pub data: Option<std::sync::Arc<crate::loader::LoadStats>>,
    /// µs per batch.
    pub overhead: i64,
    /// µs of batch time per row on this cluster (fractional): one core's µs per row ÷ the
    /// cluster's executor cores.
    pub per_row_us: f64,
    /// The cluster and how busy the load keeps it.
    pub sizing: crate::cluster::Sizing,
    /// Real events per simulated one (`scale.rs`; 1 = exact). `workload` is the thinned
    /// stream and `per_row_us` is per simulated row.
    pub scale: u64,
    /// A scaled run's timeline slice: the workload's first part, exact (`scale.rs`).
    pub timeline_slice: Option<std::sync::Arc<Scenario>>,
    /// The simulated clock's bounds, from the budget ([`crate::budget::check`]).
    pub horizon: crate::budget::Horizon,
}

impl ScenarioSpec {
    /// The one validation path: JSON text to a scenario, or an error naming the field.
    pub fn from_json(text: &str) -> Result<Scenario, InputError> {
        Self::parse(text)?.validate()
    }

    /// JSON text to a scenario spec (not yet validated). A refusal names the field's
    /// path (`workload.keys`, `workload.idle[0].to_s`), not only serde's position.
    pub fn parse(text: &str) -> Result<ScenarioSpec, InputError> {
        if text.len() > MAX_SCENARIO_BYTES {
            return Err(InputError::new(
                "",
                format!(
                    "the scenario is larger than {} MiB, the most one may be: put large event data in workload.data",
                    MAX_SCENARIO_BYTES >> 20
                ),
            ));
        }
        crate::input::parse_json(text, "", "the scenario is not valid JSON for this format")
    }
}

/// Most events of a scaled run's exact timeline slice.
const SLICE_EVENTS: f64 = 2_000_000.0;

impl ScenarioSpec {
    /// The exact run of a scaled scenario's first part, for its timeline: three trigger
    /// periods, at most [`SLICE_EVENTS`] events.
    fn timeline_slice(&self, sc: &Scenario) -> Result<Scenario, InputError> {
        let rate = self.workload.rate_per_s;
        let period_s = crate::month::Rhythm::of(sc).period as f64 / 1e6;
        let slice_s = (3.0 * period_s)
            .max(1.0)
            .min(SLICE_EVENTS / rate)
            .min(self.workload.duration_s);
        let mut spec = self.clone();
        spec.workload.duration_s = slice_s;
        spec.workload.scale = crate::scale::ScaleSpec::Factor(1);
        spec.validate_with(None)
    }

    pub fn validate(&self) -> Result<Scenario, InputError> {
        self.validate_with(None)
    }

    /// Validates with `workload.data`'s file already read (`loader::load`).
    pub fn validate_with(&self, data: Option<&crate::loader::Loaded>) -> Result<Scenario, InputError> {
        if self.version != SCENARIO_VERSION {
            return Err(InputError::new(
                "version",
                format!(
                    "this build reads scenario version {SCENARIO_VERSION}, got {}",
                    self.version
                ),
            ));
        }
        let seed = self.seed.ok_or_else(|| {
            InputError::new(
                "seed",
                "a seed is required (any whole number ≥ 0), e.g. \"seed\": 42",
            )
        })?;
        if self.engine.shuffle_partitions == 0 {
            return Err(InputError::new("engine.shuffle_partitions", "must be at least 1"));
        }
        let overhead = duration(
            "batch_cost.overhead_s",
            self.batch_cost.overhead_s,
            Unit::Seconds,
            true,
        )?;
        let per_row_us = non_negative("batch_cost.per_row_us", self.batch_cost.per_row_us)?;
        if per_row_us > MAX_PER_ROW_US {
            return Err(InputError::new(
                "batch_cost.per_row_us",
                format!("must be at most {MAX_PER_ROW_US} µs (1 s a row), got {per_row_us}"),
            ));
        }
        if self.source.max_rows_per_trigger == Some(0) {
            return Err(InputError::new(
                "source.max_rows_per_trigger",
                "must be at least 1 (or null for no limit)",
            ));
        }
        let trigger = self.trigger.validate("trigger")?;
        let query = self.query.validate("query")?;
        let sink = match &self.sink {
            None => None,
            Some(s) => Some(s.validate("sink")?),
        };
        if sink.is_some() && query.output_mode != crate::query::OutputMode::Append {
            // Spark 4.3: [STREAMING_OUTPUT_MODE.UNSUPPORTED_DATASOURCE] for update and
            // complete on a file sink (tests/conformance/README.md).
            return Err(InputError::new(
                "query.output_mode",
                "a file sink takes append mode only (Spark refuses update and complete for it): \
                 use append, or set sink to null",
            ));
        }
        if self.source.kafka_partitions == 0 {
            return Err(InputError::new("source.kafka_partitions", "must be at least 1"));
        }
        if self.source.file_rows == Some(0) {
            return Err(InputError::new(
                "source.file_rows",
                "must be at least 1 (or null for a Kafka source)",
            ));
        }
        if self.engine.cores == 0 {
            return Err(InputError::new("engine.cores", "must be at least 1"));
        }
        let long_running = matches!(
            trigger,
            Trigger::Default | Trigger::ProcessingTime(_) | Trigger::Continuous(_)
        );
        if matches!(trigger, Trigger::Continuous(_)) && sink.is_some() {
            return Err(InputError::new(
                "sink",
                "Spark's continuous processing cannot write a file sink (it supports Kafka, \
                 memory and console sinks): set sink to null, or use a micro-batch trigger",
            ));
        }
        if matches!(trigger, Trigger::Continuous(_)) && query.operator != Operator::Select {
            return Err(InputError::new(
                "trigger",
                "Spark's continuous processing runs stateless queries only (no aggregation or \
                 deduplication): use a micro-batch trigger, or the select operator",
            ));
        }
        let mut workload = self.workload.validate("workload", data)?;
        let mut cost = self.cost.validate("cost", long_running)?;
        if cost.brokers.priced() && self.source.file_rows.is_some() {
            return Err(InputError::new(
                "cost.brokers.preset",
                "a file source reads no Kafka brokers: set the brokers' preset to none (and no \
                 price overrides), or source.file_rows to null for a Kafka source",
            ));
        }
        // The brokers carry the producers' mean bandwidth (the real rate, before thinning).
        let span_s = ((workload.end - workload.start) as f64 / 1e6).max(1e-6);
        let ingest = workload.expected_events() / span_s * f64::from(workload.row_bytes);
        cost.broker = crate::broker::BrokerSummary::of(self.cost.brokers.preset, &cost.brokers, ingest);
        // The cluster is sized on the real rate, before any thinning.
        let load = crate::cluster::Load::of(&workload, trigger, overhead, per_row_us);
        if cost.compute.auto {
            cost.compute.nodes = load.auto_nodes();
        }
        let sizing = load.sizing(cost.compute.nodes, cost.compute.auto);
        let scale = crate::scale::choose(
            self.workload.scale,
            workload.expected_events(),
            workload.is_given(),
            &query.operator,
        )?;
        // The batches' work of the whole (real) workload on this cluster: past the longest
        // clock no run can finish, and a scaled row's cost (× k) could overflow the clock.
        let busy_us = per_row_us / f64::from(sizing.executor_cores) * workload.expected_events();
        if busy_us > crate::budget::MAX_SPAN_US as f64 {
            return Err(InputError::new(
                "batch_cost.per_row_us",
                format!(
                    "the workload's rows would keep the cluster busy for about {:.0} years, longer than \
                     the 20 years one run may simulate: lower the per-row cost, the rate or the duration",
                    busy_us / 31_557_600e6
                ),
            ));
        }
        if scale > 1 {
            if let Some(per_file) = self.source.file_rows.filter(|&r| r < scale) {
                // A thinned batch's input files are those of k× its rows: at most one per
                // thinned row keeps them within the batch's budget.
                return Err(InputError::new(
                    "source.file_rows",
                    format!(
                        "{per_file} rows a file is fewer than the scaled run's {scale} events per \
                         simulated event: use files of at least {scale} rows, or workload.scale 1"
                    ),
                ));
            }
            workload.thin(scale);
        }
        let mut sc = Scenario {
            seed,
            workload,
            data: data.map(|d| std::sync::Arc::new(d.stats.clone())),
            trigger,
            query,
            engine: self.engine,
            max_rows_per_batch: self
                .source
                .max_rows_per_trigger
                .map(|n| crate::scale::thinned_limit(n, scale)),
            sink,
            cost,
            source: self.source,
            detail_events: self.report.detail_events.max(1),
            overhead,
            per_row_us: per_row_us / f64::from(sizing.executor_cores) * scale as f64,
            sizing,
            scale,
            timeline_slice: None,
            horizon: crate::budget::Horizon {
                start: 0,
                expected_end: 0,
                limit: 0,
            },
        };
        // Last: the budget needs the whole scenario, and no work has started yet.
        sc.horizon = crate::budget::check(&sc)?;
        if scale > 1 {
            sc.timeline_slice = Some(std::sync::Arc::new(self.timeline_slice(&sc)?));
        }
        Ok(sc)
    }
}

impl Scenario {
    /// About how many rows the largest micro-batch takes at the mean rate: a whole run's
    /// arrivals for a run-and-stop trigger without a rate limit, an interval's for a
    /// processing-time trigger. (Bursts and backlogs can exceed it.)
    pub fn expected_batch_rows(&self) -> f64 {
        let w = &self.workload;
        let total = w.expected_events();
        let span_us = (w.end - w.start).max(1) as f64;
        let per = |us: i64| (total * us as f64 / span_us).min(total);
        let rows = match self.trigger {
            Trigger::Runs(r) if r.once || self.max_rows_per_batch.is_none() => match r.every {
                Some(every) => per(every),
                None => total,
            },
            Trigger::ProcessingTime(iv) => per(iv),
            _ => per(1_000_000),
        };
        self.max_rows_per_batch.map_or(rows, |m| rows.min(m as f64))
    }

    /// Bytes one row of a batch holds while the batch runs. Measured as native peak RSS
    /// over rows of the largest batch (a day at 1,000 events/s, 2026-11-28): a windowed
    /// aggregation takes its batch in chunks and keeps ~2 bytes an event (its compact
    /// visible lists: a gap between arrivals under 16 ms takes 2 bytes; 196 MB for 86.4 M
    /// rows measured, 2.5 assumed, 3.5 below 100 events/s where gaps take 3); select and
    /// dedup keep every row with its output (113 measured, 120 assumed); session windows
    /// also their per-session lists (194 measured, 200 assumed).
    pub fn batch_bytes_per_row(&self) -> f64 {
        let w = &self.workload;
        let rate = w.expected_events() / ((w.end - w.start).max(1) as f64 / 1e6);
        match self.query.operator {
            Operator::WindowCount(WindowKind::Fixed(_)) => {
                if rate >= 100.0 {
                    2.5
                } else {
                    3.5
                }
            }
            Operator::WindowCount(WindowKind::Session { .. }) => 200.0,
            Operator::Select | Operator::Dedup(_) | Operator::DedupWithinWatermark(_) => 120.0,
        }
    }

    /// About how many rows a deduplication keeps in state at its peak: every distinct
    /// value of its columns while nothing evicts them (no watermark, or `dropDuplicates`
    /// without `event_time` among them), else those of a watermark's span of events
    /// (delay + lateness, twice the delay within the watermark) and one batch. None
    /// for the other operators (their state is windows × keys).
    pub fn expected_dedup_state_rows(&self) -> Option<f64> {
        let (cols, span_us) = match self.query.operator {
            Operator::Dedup(c) => (
                c,
                (c.event_time && self.query.watermark_delay.is_some()).then_some(0),
            ),
            Operator::DedupWithinWatermark(c) => (c, self.query.watermark_delay),
            _ => return None,
        };
        let w = &self.workload;
        let total = w.expected_events();
        let per_event = cols.id || cols.event_time;
        let distinct = if per_event {
            total
        } else {
            f64::from(w.keys.max(1)).min(total)
        };
        let rows = match span_us {
            None => distinct,
            Some(extra) => {
                // A watermark's span of arrivals, and one batch's rows (the rows of a batch
                // enter state before its watermark evicts any).
                let delay = self.query.watermark_delay.unwrap_or(0);
                let span = delay.saturating_add(extra).saturating_add(w.lateness_bound_us());
                let rate = total / (w.end - w.start).max(1) as f64;
                (rate * span as f64 + self.expected_batch_rows()).min(distinct)
            }
        };
        Some(rows)
    }

    /// Refuses a scenario whose largest batch, or whose deduplication state, would need
    /// more than `max_bytes` (the browser's budget: wasm memory is never given back, and a
    /// page should stay within a few hundred MB). Names the field to change.
    pub fn check_memory(&self, max_bytes: f64) -> Result<(), InputError> {
        let rows = self.expected_batch_rows();
        let bytes = rows * self.batch_bytes_per_row();
        if bytes > max_bytes {
            return Err(InputError::new(
                "trigger",
                format!(
                    "one micro-batch would take about {:.1} million rows, about {:.0} MB while it runs, \
                     more than the {:.0} MB this simulator gives a batch in the browser: set \
                     source.max_rows_per_trigger (Spark's maxOffsetsPerTrigger), a shorter interval, \
                     or fewer events (or use the CLI)",
                    rows / 1e6,
                    bytes / 1e6,
                    max_bytes / 1e6
                ),
            ));
        }
        if let Some(state) = self.expected_dedup_state_rows() {
            let bytes = state * DEDUP_STATE_BYTES_PER_ROW;
            if bytes > max_bytes {
                return Err(InputError::new(
                    "query.dedup_columns",
                    format!(
                        "the deduplication would keep about {:.1} million rows in state (about {:.0} MB), \
                         more than the {:.0} MB this simulator gives state in the browser: deduplicate on \
                         event_time with a watermark (so that state is evicted), or on fewer distinct \
                         values, or simulate fewer events (or use the CLI)",
                        state / 1e6,
                        bytes / 1e6,
                        max_bytes / 1e6
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Bytes a deduplication's state row takes: 68 measured (native peak RSS over 86.4 M
/// rows of `dropDuplicates("id")`, 2026-11-28), 70 assumed.
pub const DEDUP_STATE_BYTES_PER_ROW: f64 = 70.0;

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
    sink,
    cost,
    batch_cost,
    report,
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
