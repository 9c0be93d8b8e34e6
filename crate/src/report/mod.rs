//! Layer 7, the report: what a run tells — summary figures, per-batch and per-event
//! columns, latency histograms, cost — and its digest.

#[cfg(feature = "flink")]
pub mod flink_trace;
pub mod json_layout;
pub mod latency;
pub mod recovery;
pub mod summary;
