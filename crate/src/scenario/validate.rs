//! The one validation path: a scenario's JSON text, read into a [`ScenarioSpec`] and
//! checked field by field into a [`Scenario`] in the core's units, or an error that names
//! the field to change. Checks that need the whole scenario come last: the cluster's
//! sizing, the scaled mode's factor, and the work budget (`budget.rs`), all before any
//! event is simulated.

use crate::base::error::{InputError, Unit, duration, non_negative};
use crate::base::number::{display, fixed};
use crate::engine::flink::conf::FlinkConf;
use crate::engine::spark::trigger::Trigger;
use crate::operators::query::{EngineName, Operator};
#[cfg(feature = "flink")]
use crate::operators::query::{OutputMode, Query};
use crate::scenario::spec::{MAX_PER_ROW_US, MAX_SCENARIO_BYTES, SCENARIO_VERSION, Scenario, ScenarioSpec};
#[cfg(feature = "flink")]
use crate::storage::sink::Sink;

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
        crate::base::input::parse_json(text, "", "the scenario is not valid JSON for this format")
    }
}

/// Most events of a scaled run's exact timeline slice.
const SLICE_EVENTS: f64 = 2_000_000.0;

impl ScenarioSpec {
    /// The exact run of a scaled scenario's first part, for its timeline: three trigger
    /// periods, at most [`SLICE_EVENTS`] events.
    fn timeline_slice(&self, sc: &Scenario) -> Result<Scenario, InputError> {
        let rate = self.workload.rate_per_s;
        let period_s = crate::cost::month::Rhythm::of(sc).period as f64 / 1e6;
        let slice_s = (3.0 * period_s)
            .max(1.0)
            .min(SLICE_EVENTS / rate)
            .min(self.workload.duration_s);
        let mut spec = self.clone();
        spec.workload.duration_s = slice_s;
        spec.workload.scale = crate::workload::scale_spec::ScaleSpec::Factor(1);
        // The slice shows the failure when it falls within it.
        spec.failure = self.failure.filter(|f| f.at_s <= slice_s);
        spec.validate_with(None)
    }

    pub fn validate(&self) -> Result<Scenario, InputError> {
        self.validate_with(None)
    }

    /// The `flink` section, and what a Flink job of this scenario can be: a Kafka
    /// source without a per-trigger limit, an event-time window count or a select, append
    /// output, and a file sink rolled on checkpoints (no record limit per file).
    #[cfg(feature = "flink")]
    fn check_flink(&self, query: &Query, sink: Option<&Sink>) -> Result<FlinkConf, InputError> {
        let conf = self.flink.validate("flink")?;
        if !matches!(query.operator, Operator::WindowCount(_) | Operator::Select) {
            return Err(InputError::new(
                "query.operator",
                "the Flink engine simulates window_count and select: choose one of them, or engine.name \"spark\"",
            ));
        }
        if query.output_mode != OutputMode::Append {
            return Err(InputError::new(
                "query.output_mode",
                "a Flink event-time window emits each window's result when it fires (append): use append",
            ));
        }
        if self.source.file_rows.is_some() {
            return Err(InputError::new(
                "source.file_rows",
                "the Flink engine reads a Kafka source here: set source.file_rows to null",
            ));
        }
        if self.source.max_rows_per_trigger.is_some() {
            return Err(InputError::new(
                "source.max_rows_per_trigger",
                "Flink has no micro-batches to limit: set source.max_rows_per_trigger to null",
            ));
        }
        if sink.is_some_and(|s| s.max_records_per_file > 0) {
            return Err(InputError::new(
                "sink.max_records_per_file",
                "Flink's FileSink rolls part files on checkpoints, not by record count: set it to 0",
            ));
        }
        Ok(conf)
    }

    /// Validates with `workload.data`'s file already read (`loader::load`).
    pub fn validate_with(
        &self,
        data: Option<&crate::workload::loader::Loaded>,
    ) -> Result<Scenario, InputError> {
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
                format!(
                    "must be at most {} µs (1 s a row), got {}",
                    display(MAX_PER_ROW_US),
                    display(per_row_us)
                ),
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
        let flink: Option<FlinkConf> = match self.engine.name {
            EngineName::Spark => None,
            #[cfg(feature = "flink")]
            EngineName::Flink => Some(self.check_flink(&query, sink.as_ref())?),
            #[cfg(not(feature = "flink"))]
            EngineName::Flink => {
                return Err(InputError::new(
                    "engine.name",
                    "this module simulates Spark only (the page runs Flink scenarios in its \
                     Flink module, www/pkg-flink; the pipeline-sim command line has both): use \
                     \"spark\"",
                ));
            }
        };
        // A Flink job's checkpoint interval is the period that commits its sink: the
        // rhythm, the budget and the steady month read it as a trigger's.
        let trigger = flink.map_or(trigger, |f| Trigger::ProcessingTime(f.checkpoint_interval));
        if sink.is_some() && query.output_mode != crate::operators::query::OutputMode::Append {
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
        let failure = match &self.failure {
            None => None,
            Some(f) => {
                if flink.is_some() {
                    return Err(InputError::new(
                        "failure",
                        "failure and recovery are simulated for Spark: set failure to null, or \
                         engine.name \"spark\"",
                    ));
                }
                if !matches!(trigger, Trigger::Default | Trigger::ProcessingTime(_)) {
                    return Err(InputError::new(
                        "failure",
                        "a failure is simulated for a long-running micro-batch query (trigger \
                         processing_time or default): set failure to null, or change the trigger",
                    ));
                }
                #[cfg(not(feature = "recovery"))]
                {
                    let _ = f;
                    return Err(InputError::new(
                        "failure",
                        "this module simulates no failures (the page runs scenarios with a failure \
                         in its extended module, www/pkg-flink; the pipeline-sim command line has \
                         it): set failure to null",
                    ));
                }
                #[cfg(feature = "recovery")]
                Some(f.validate("failure", workload.start, workload.end)?)
            }
        };
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
        cost.broker =
            crate::storage::broker::BrokerSummary::of(self.cost.brokers.preset, &cost.brokers, ingest);
        cost.state_store = crate::storage::checkpoint::StateProvider::of(
            self.engine.state_store,
            self.engine.changelog_checkpointing,
        );
        // The cluster is sized on the real rate, before any thinning.
        let load = crate::cost::cluster::Load::of(&workload, trigger, overhead, per_row_us);
        if cost.compute.auto {
            cost.compute.nodes = load.auto_nodes();
        }
        let sizing = load.sizing(cost.compute.nodes, cost.compute.auto);
        let scale = crate::scenario::scale::choose(
            self.workload.scale,
            workload.expected_events(),
            workload.is_given(),
            &query.operator,
        )?;
        // The batches' work of the whole (real) workload on this cluster: past the longest
        // clock no run can finish, and a scaled row's cost (× k) could overflow the clock.
        let busy_us = per_row_us / f64::from(sizing.executor_cores) * workload.expected_events();
        if busy_us > crate::scenario::budget::MAX_SPAN_US as f64 {
            return Err(InputError::new(
                "batch_cost.per_row_us",
                format!(
                    "the workload's rows would keep the cluster busy for about {} years, longer than \
                     the 20 years one run may simulate: lower the per-row cost, the rate or the duration",
                    fixed(busy_us / 31_557_600e6, 0)
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
            flink,
            max_rows_per_batch: self
                .source
                .max_rows_per_trigger
                .map(|n| crate::scenario::scale::thinned_limit(n, scale)),
            sink,
            cost,
            source: self.source,
            detail_events: self.report.detail_events.max(1),
            overhead,
            per_row_us: per_row_us / f64::from(sizing.executor_cores) * scale as f64,
            sizing,
            scale,
            timeline_slice: None,
            horizon: crate::scenario::spec::Horizon {
                start: 0,
                expected_end: 0,
                limit: 0,
            },
            failure,
        };
        // Last: the budget needs the whole scenario, and no work has started yet.
        sc.horizon = crate::scenario::budget::check(&sc)?;
        if scale > 1 {
            sc.timeline_slice = Some(std::sync::Arc::new(self.timeline_slice(&sc)?));
        }
        Ok(sc)
    }
}
