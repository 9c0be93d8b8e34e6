//! Layer 3, the engines' own rules: when work happens (trigger or timer), how the watermark
//! moves, and what one unit of work (a micro-batch) does with the operators below. Each
//! engine is a folder of its own; the simulation (`simulation`) runs a scenario through one.

pub mod flink;
pub mod spark;
