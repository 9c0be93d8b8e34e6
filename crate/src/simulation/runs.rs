//! What a sweep's runs give back: each scenario's report (or its refusal), in order, and
//! how the work was shared — streams generated, events generated once, the most held.

use crate::base::error::InputError;
use crate::report::summary::Report;

/// The results of `simulation::simulate_many`, in the scenarios' order, and how the work was shared.
#[derive(Debug, Default)]
pub struct ManyRuns {
    pub reports: Vec<Result<Report, InputError>>,
    /// Event streams generated: 1 (the shared one) + one per scenario that needed its own.
    pub streams: u32,
    /// Events the shared stream generated (once, whatever the number of scenarios).
    pub shared_events: u64,
    /// Most events held at once after a round: the shared stream's chunks (whole) and the
    /// rows the simulations took ahead.
    pub peak_held_rows: usize,
    /// Chunks of the shared stream whose digest its readers shared (`window_digest.rs`).
    pub digested_chunks: u64,
}
