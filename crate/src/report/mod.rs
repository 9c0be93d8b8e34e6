//! Layer 7, the report: what a run tells — summary figures, per-batch and per-event
//! columns, latency histograms, cost — and its digest.

pub mod latency;
pub mod summary;
