//! Pipeline Simulator core: a deterministic simulation of a Spark Structured Streaming
//! query on a virtual clock. `Scenario -> Report`, pure: no wall clock, no OS randomness,
//! no unordered iteration in results. The wasm boundary is `wasm.rs` alone (feature `wasm`).
//!
//! The folders are the layers, lowest first; a layer uses only those below it, and no
//! two files import each other (`tests/layers.rs` checks both):
//! - `base`: time, the typed input error, the JSON and scenario-format readers, hashing;
//! - `workload`: the events (event and arrival time), their generator, real-data loaders;
//! - `operators`: the stateful operators and the rows they take and give;
//! - `engine`: each engine's own rules (Spark: trigger, watermark, the micro-batch; Flink:
//!   the periodic bounded-out-of-orderness watermark and the event-time window operator);
//! - `storage`: the sink's files, table formats, checkpoint, object store, readers, broker;
//! - `cost`: cluster, compute, the bill, freshness and the steady month;
//! - `scenario`: the input document, its validation, the work budget, the scaled mode;
//! - `report`: what a run tells;
//! - `simulation`: a scenario run on the virtual clock through an engine;
//! - `exports`: Arrow/CSV, the PySpark script, conformance cases (Spark and Flink), the sweep table.
//!
//! Feature `formats` (default) adds the file readers ([`workload::loader::load`]) and the
//! Arrow IPC export; without it the crate is the page's core module: a load arrives as
//! [`workload::loader::Loaded::from_bytes`] from the formats module (crate/formats).

pub mod base;
pub mod cost;
pub mod engine;
pub mod exports;
pub mod operators;
pub mod report;
pub mod scenario;
pub mod simulation;
pub mod storage;
pub mod workload;

#[cfg(all(not(target_arch = "wasm32"), feature = "formats"))]
pub mod fuzz;

#[cfg(all(target_arch = "wasm32", feature = "wasm"))]
pub mod wasm;

pub use base::error::InputError;
pub use report::summary::Report;
pub use scenario::spec::{Scenario, ScenarioSpec};

/// Validates a JSON scenario and runs it.
pub fn run_json(scenario_json: &str) -> Result<Report, InputError> {
    let sc = ScenarioSpec::from_json(scenario_json)?;
    simulation::simulate(&sc)
}
