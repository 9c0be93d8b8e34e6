//! Pipeline Simulator core: a deterministic simulation of a Spark Structured Streaming
//! query on a virtual clock. `Scenario -> Report`, pure: no wall clock, no OS randomness,
//! no unordered iteration in results. The wasm boundary is `wasm.rs` alone (feature `wasm`).
//!
//! Feature `formats` (default) adds the file readers ([`loader::load`]) and the Arrow IPC
//! export; without it the crate is the page's core module: a load arrives as
//! [`loader::Loaded::from_bytes`] from the formats module (crate/formats).

pub mod aggregate;
pub mod arrival_order;
pub mod arrival_process;
pub mod broker;
pub mod budget;
pub mod checkpoint;
pub mod cluster;
pub mod compute;
pub mod conform;
pub mod cost;
pub mod dedup;
pub mod engine;
pub mod error;
pub mod export;
pub mod freshness;
#[cfg(all(not(target_arch = "wasm32"), feature = "formats"))]
pub mod fuzz;
pub mod input;
pub mod json;
pub mod latency;
pub mod loader;
pub mod microbatch;
pub mod month;
pub mod murmur3;
pub mod operator;
pub mod pyspark;
pub mod query;
pub mod reader;
pub mod report;
pub mod rows;
pub mod sampler;
pub mod scale;
pub mod scenario;
pub mod session;
pub mod shared_stream;
pub mod sink;
pub mod spec_reader;
pub mod state;
pub mod storage;
pub mod sweep;
pub mod table_format;
pub mod time;
pub mod trigger;
pub mod visible_list;
pub mod watermark;
pub mod window;
pub mod workload;

#[cfg(all(target_arch = "wasm32", feature = "wasm"))]
pub mod wasm;

pub use error::InputError;
pub use report::Report;
pub use scenario::{Scenario, ScenarioSpec};

/// Validates a JSON scenario and runs it.
pub fn run_json(scenario_json: &str) -> Result<Report, InputError> {
    let sc = ScenarioSpec::from_json(scenario_json)?;
    engine::simulate(&sc)
}
