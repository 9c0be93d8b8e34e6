//! Layer 8, the simulation: a scenario run on a virtual clock through an engine, from the
//! workload's events to the report.

pub mod spark;
pub mod weigh;
