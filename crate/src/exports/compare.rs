//! Spark against Flink on one workload: for each interval, the scenario as a Spark stream
//! whose processing-time trigger is that interval, and as a Flink job whose checkpoint
//! interval is that interval (the period that commits its file sink) — same seed, same
//! events, same sink, prices and cluster. Per point: end-to-end latency p50 and p95, data
//! files and requests per day and $ per month of the steady month (`cost/month.rs`).
//!
//! What the two share and what they do not is the engines' (`simulation/spark`,
//! `simulation/flink`): Spark's watermark advances once per micro-batch and every batch
//! writes a file per task, Flink's advances every 200 ms and a checkpoint rolls only the
//! part files that got rows.

use crate::base::error::InputError;
use crate::cost::spec::Dollars;
use crate::engine::spark::trigger::TriggerSpec;
use crate::operators::query::EngineName;
use crate::scenario::spec::ScenarioSpec;
use serde::Serialize;

/// The intervals of the standard comparison: 10 s, 1 min and 15 min.
pub const STANDARD_INTERVALS_S: [f64; 3] = [10.0, 60.0, 900.0];

/// One engine at one interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareRow {
    pub engine: EngineName,
    /// Spark's trigger interval or Flink's checkpoint interval, s.
    pub interval_s: f64,
    /// Arrival → visible, s (-1: nothing became visible).
    pub p50_latency_s: f64,
    pub p95_latency_s: f64,
    pub data_files_per_day: f64,
    pub requests_per_day: f64,
    pub usd_per_month: Dollars,
    /// Events dropped as late (Spark: by the watermark; Flink: dropped or side output).
    pub dropped_late: u64,
}

/// Runs `base` as Spark and as Flink at every interval (`data`: `workload.data`'s file,
/// loaded once). Every point is validated before the first one runs; an error names the
/// point.
pub fn compare(
    base: &ScenarioSpec,
    intervals_s: &[f64],
    data: Option<&crate::workload::loader::Loaded>,
) -> Result<Vec<CompareRow>, InputError> {
    let mut specs = Vec::new();
    let mut labels = Vec::new();
    for &s in intervals_s {
        let mut spark = base.clone();
        spark.engine.name = EngineName::Spark;
        spark.trigger = TriggerSpec::ProcessingTime { interval_s: s };
        let mut flink = base.clone();
        flink.engine.name = EngineName::Flink;
        flink.flink.checkpoint_interval_s = s;
        specs.push(spark);
        labels.push(format!("spark {s} s"));
        specs.push(flink);
        labels.push(format!("flink {s} s"));
    }
    let names: Vec<&str> = labels.iter().map(String::as_str).collect();
    let scs = crate::exports::sweep::validate_points(&specs, &names, data, |_| Ok(()))?;
    let mut rows = Vec::with_capacity(scs.len());
    for ((sc, spec), label) in scs.iter().zip(&specs).zip(&names) {
        let r = crate::simulation::simulate(sc)
            .map_err(|e| InputError::new(e.field, format!("(point '{label}') {}", e.message)))?;
        let c = &r.cost;
        let interval_s = match spec.engine.name {
            EngineName::Spark => match spec.trigger {
                TriggerSpec::ProcessingTime { interval_s } => interval_s,
                _ => 0.0,
            },
            EngineName::Flink => spec.flink.checkpoint_interval_s,
        };
        rows.push(CompareRow {
            engine: spec.engine.name,
            interval_s,
            p50_latency_s: r.summary.latency.p50_s.unwrap_or(-1.0),
            p95_latency_s: r.summary.latency.p95_s.unwrap_or(-1.0),
            data_files_per_day: c.data_files_per_day,
            requests_per_day: c.requests_per_day,
            usd_per_month: c.usd_per_month,
            dropped_late: r.summary.fates.dropped_late,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flink_writes_fewer_files_than_spark_at_one_interval() {
        let base: ScenarioSpec = crate::base::input::from_str(
            r#"{"seed": 3, "workload": {"duration_s": 3600, "rate_per_s": 20, "keys": 10},
                "query": {"operator": "window_count", "window": {"kind": "tumbling", "size_s": 300}, "watermark_delay_s": 30},
                "engine": {"shuffle_partitions": 8}, "sink": {"format": "parquet"}}"#,
        )
        .unwrap();
        let rows = compare(&base, &[10.0, 60.0], None).unwrap();
        assert_eq!(rows.len(), 4);
        for pair in rows.chunks(2) {
            let (spark, flink) = (&pair[0], &pair[1]);
            assert_eq!(
                (spark.engine, flink.engine),
                (EngineName::Spark, EngineName::Flink)
            );
            // Spark's batches write a file per task every batch (empty ones too); a Flink
            // checkpoint rolls a file only when windows fired since the last.
            assert!(flink.data_files_per_day < spark.data_files_per_day, "{pair:?}");
            assert!(flink.p50_latency_s > 0.0 && spark.p50_latency_s > 0.0);
        }
    }
}
