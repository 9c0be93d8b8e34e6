//! The comparison the tool exists for: one workload under several triggers, side by side
//! — files, requests, dollars by component, latency.

use crate::base::error::InputError;
use crate::cost::freshness::SlaClass;
use crate::cost::spec::Dollars;
use crate::engine::spark::trigger::TriggerSpec;
use crate::scenario::spec::ScenarioSpec;
use serde::Serialize;

/// The triggers of the standard comparison: processing-time streams of 1 s, 10 s, 1 min,
/// 15 min and 1 h, and scheduled jobs (`availableNow` on a job cluster) every 15 min,
/// 1 h and once a day.
pub fn standard_triggers() -> Vec<(String, TriggerSpec)> {
    let mut v: Vec<(String, TriggerSpec)> = [1.0, 10.0, 60.0, 900.0, 3600.0]
        .iter()
        .map(|&s| {
            (
                format!("stream {}", human(s)),
                TriggerSpec::ProcessingTime { interval_s: s },
            )
        })
        .collect();
    for s in [900.0, 3600.0, 86_400.0] {
        v.push((
            format!("job every {}", human(s)),
            TriggerSpec::Scheduled {
                every_s: s,
                startup_s: 270.0,
                once: false,
            },
        ));
    }
    v
}

fn human(s: f64) -> String {
    if s >= 86_400.0 && s % 86_400.0 == 0.0 {
        format!("{} d", s / 86_400.0)
    } else if s >= 3600.0 && s % 3600.0 == 0.0 {
        format!("{} h", s / 3600.0)
    } else if s >= 60.0 && s % 60.0 == 0.0 {
        format!("{} min", s / 60.0)
    } else {
        format!("{s} s")
    }
}

/// One configuration's figures, per day where counted and per 30-day month where priced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepRow {
    pub label: String,
    pub batches: u64,
    pub data_files_per_day: f64,
    pub small_files_per_day: f64,
    /// Every object written per day: data, table log, checkpoint.
    pub files_written_per_day: f64,
    pub requests_per_day: f64,
    pub usd_per_month: Dollars,
    pub p95_latency_s: f64,
    pub sla_class: SlaClass,
    pub falling_behind_batches: u64,
    pub overlapping_runs: u64,
    pub reader_query_s_mean: f64,
}

/// Runs `base` once per trigger over one shared event stream (`engine::simulate_many`);
/// `data` is `workload.data`'s file, loaded once. Every point is validated (and checked
/// against the budget) before the first one runs; an error names the point.
pub fn sweep(
    base: &ScenarioSpec,
    triggers: &[(String, TriggerSpec)],
    data: Option<&crate::workload::loader::Loaded>,
) -> Result<Vec<SweepRow>, InputError> {
    let specs: Vec<ScenarioSpec> = triggers
        .iter()
        .map(|(_, t)| ScenarioSpec {
            trigger: *t,
            ..base.clone()
        })
        .collect();
    let labels: Vec<&str> = triggers.iter().map(|(l, _)| l.as_str()).collect();
    let scs = validate_points(&specs, &labels, data, |_| Ok(()))?;
    let many = crate::simulation::simulate_many(&scs, None);
    labels
        .iter()
        .zip(many.reports)
        .map(|(label, r)| Ok(row(label, &r.map_err(|e| named(label, e))?)))
        .collect()
}

fn named(label: &str, e: InputError) -> InputError {
    InputError::new(e.field, format!("(sweep point '{label}') {}", e.message))
}

/// Validates every point (each labelled in an error) with `extra` as a further check, and
/// requires one event stream for all: the same workload and seed as the first point.
pub fn validate_points(
    specs: &[ScenarioSpec],
    labels: &[&str],
    data: Option<&crate::workload::loader::Loaded>,
    extra: impl Fn(&crate::Scenario) -> Result<(), InputError>,
) -> Result<Vec<crate::Scenario>, InputError> {
    let mut out = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        let label = labels.get(i).copied().unwrap_or("?");
        if let Some(first) = specs.first() {
            // One event stream is shared: every point needs the first point's stream.
            for (field, differs) in [
                ("workload", spec.workload != first.workload),
                ("seed", spec.seed != first.seed),
            ] {
                if differs {
                    let msg = format!(
                        "every point must have the first point's {field} (one event stream is shared)"
                    );
                    return Err(named(label, InputError::new(field, msg)));
                }
            }
        }
        let sc = spec.validate_with(data).map_err(|e| named(label, e))?;
        extra(&sc).map_err(|e| named(label, e))?;
        out.push(sc);
    }
    Ok(out)
}

/// A report's figures as a sweep row.
pub fn row(label: &str, r: &crate::report::summary::Report) -> SweepRow {
    let c = &r.cost;
    let per_day = 86_400.0 / c.horizon_s.max(1e-9);
    let all = &c.requests;
    // Objects written per day, every kind (the per-day data files are the core's).
    let files_written = all.sink.put + all.checkpoint.put + all.maintenance.put;
    SweepRow {
        label: label.to_string(),
        batches: r.summary.batches,
        data_files_per_day: c.data_files_per_day,
        small_files_per_day: c.small_data_files_per_day,
        files_written_per_day: files_written as f64 * per_day,
        requests_per_day: c.requests_per_day,
        usd_per_month: c.usd_per_month,
        p95_latency_s: c.freshness.p95_latency_s,
        sla_class: c.freshness.sla_class,
        falling_behind_batches: r.summary.falling_behind_batches,
        overlapping_runs: r.summary.overlapping_runs,
        reader_query_s_mean: c.readers.query_s_mean,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorter_triggers_write_more_files_and_cost_more_requests() {
        let base: ScenarioSpec = crate::base::input::from_str(
            r#"{"seed": 3, "workload": {"duration_s": 7200, "rate_per_s": 20},
                "engine": {"shuffle_partitions": 8}, "sink": {"format": "parquet"}}"#,
        )
        .unwrap();
        let t = |s: f64| (format!("{s}"), TriggerSpec::ProcessingTime { interval_s: s });
        let rows = sweep(&base, &[t(10.0), t(60.0), t(600.0)], None).unwrap();
        for w in rows.windows(2) {
            assert!(w[0].data_files_per_day > w[1].data_files_per_day, "{w:?}");
            assert!(w[0].requests_per_day > w[1].requests_per_day);
            assert!(w[0].usd_per_month.checkpoint_requests > w[1].usd_per_month.checkpoint_requests);
            assert!(w[0].p95_latency_s < w[1].p95_latency_s);
        }
        // An always-on cluster costs the same whatever the trigger.
        let (a, b) = (rows[0].usd_per_month.compute, rows[2].usd_per_month.compute);
        assert!((a - b).abs() <= 1e-9 * a.abs(), "{a} vs {b}");
        assert_eq!(human(86_400.0), "1 d");
        assert_eq!(standard_triggers().len(), 8);
    }

    #[test]
    fn a_point_over_the_budget_is_refused_before_any_runs_and_named() {
        // 30 days at 2 events/s: the 1 s stream would record ~5 M micro-batches.
        let base: ScenarioSpec = crate::base::input::from_str(
            r#"{"seed": 1, "workload": {"duration_s": 2592000, "rate_per_s": 2}}"#,
        )
        .unwrap();
        let e = sweep(&base, &standard_triggers(), None).unwrap_err();
        assert_eq!(e.field, "trigger.interval_s");
        assert!(e.message.starts_with("(sweep point 'stream 1 s')"), "{e}");
    }
}
