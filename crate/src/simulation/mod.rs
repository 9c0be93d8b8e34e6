//! Layer 8, the simulation: a scenario run on a virtual clock through an engine, from the
//! workload's events to the report.
//!
//! This module is the seam every caller goes through (the CLI, the wasm boundary, the
//! exports, the tests): [`simulate`] for one scenario, [`simulate_many`] for a sweep's
//! points over one shared stream. Behind it each engine is a file of its own: today
//! Spark's micro-batch loop (`spark/`, a step machine over the rules in `engine/spark`)
//! and Flink's event-at-a-time job (`flink/`, over `engine/flink`), chosen here by the
//! scenario's `engine.name`. What is the same
//! for every engine stays here: a scaled run's exact timeline slice, and the report
//! weighed up to the real volume (`weigh.rs`).

#[cfg(feature = "flink")]
mod flink;
mod runs;
mod spark;
pub mod weigh;

use crate::base::error::InputError;
use crate::report::summary::Report;
use crate::scenario::spec::Scenario;
pub use runs::ManyRuns;
use spark::CHUNK_ROWS;

/// Runs a scenario to the end of its event stream. An error only when the run would go
/// past its budget (`budget.rs`): the simulated clock beyond the horizon's limit (batches
/// that fall far behind), or more batches or runs than one run may record.
pub fn simulate(sc: &Scenario) -> Result<Report, InputError> {
    run(sc, None)
}

/// [`simulate`], calling `progress` with the fraction of the expected events taken so far
/// (0..1, about every 1 % and at least every 65 536 events; not part of the report).
pub fn simulate_with_progress(sc: &Scenario, progress: &mut dyn FnMut(f64)) -> Result<Report, InputError> {
    run(sc, Some(progress))
}

fn run<'a>(sc: &'a Scenario, progress: Option<&'a mut dyn FnMut(f64)>) -> Result<Report, InputError> {
    let mut report = engine_run(sc, progress)?;
    // A scaled run's timeline shows exact events: those of an exact run of its first slice.
    if let (Some(slice), Some(scaled)) = (&sc.timeline_slice, report.scaled.as_mut()) {
        let exact = engine_run(slice, None)?;
        scaled.timeline_slice_s = (slice.workload.end - slice.workload.start) as f64 / 1e6;
        report.events = exact.events;
        // (A Flink run's trace is drawn over those events: the slice's too.)
        #[cfg(feature = "flink")]
        if report.flink_trace.is_some() {
            report.flink_trace = exact.flink_trace;
        }
    }
    Ok(report)
}

/// One run through the scenario's engine.
fn engine_run<'a>(sc: &'a Scenario, progress: Option<&'a mut dyn FnMut(f64)>) -> Result<Report, InputError> {
    if sc.flink.is_some() {
        #[cfg(feature = "flink")]
        return flink::run(sc, progress);
        #[cfg(not(feature = "flink"))]
        return Err(InputError::new(
            "engine.name",
            "this build has no Flink engine (the page loads it with a Flink scenario): use \"spark\"",
        ));
    }
    spark::run_in_chunks(sc, progress, CHUNK_ROWS)
}

/// Runs scenarios that differ only in their trigger (and cost or sink settings) over **one**
/// generated event stream, in lock-step: each simulation steps (one batch, run or epoch)
/// while the events its step needs are generated, then the stream grows by a chunk, and
/// chunks every simulation has passed are dropped. Each result equals [`simulate`] of its
/// scenario, bit for bit. Scenarios whose workload or seed differ from the first's are
/// refused (`workload`, `seed`); a scheduled trigger without a first run (it starts at the
/// last arrival, which needs the whole stream) runs on a stream of its own. A large batch
/// does not hold the shared stream back: its full chunks are fed ahead (`pretake`).
/// `progress` gets the fraction of the expected events generated.
/// Flink scenarios run one by one, each on a stream of its own.
pub fn simulate_many(scs: &[Scenario], progress: Option<&mut dyn FnMut(f64)>) -> ManyRuns {
    #[cfg(feature = "flink")]
    if scs.iter().any(|sc| sc.flink.is_some()) {
        let mut progress = progress;
        let n = scs.len().max(1) as f64;
        let mut reports = Vec::with_capacity(scs.len());
        for (i, sc) in scs.iter().enumerate() {
            let mut inner = |f: f64| {
                if let Some(p) = progress.as_mut() {
                    p((i as f64 + f) / n);
                }
            };
            reports.push(run(sc, Some(&mut inner)));
        }
        return ManyRuns {
            streams: scs.len() as u32,
            shared_events: 0,
            peak_held_rows: 0,
            digested_chunks: 0,
            reports,
        };
    }
    spark::simulate_many_in_chunks(scs, progress, CHUNK_ROWS)
}
