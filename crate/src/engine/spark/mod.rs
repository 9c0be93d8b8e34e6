//! Apache Spark Structured Streaming (4.3): micro-batches started by a trigger, a global
//! watermark taken from the previous batch's maximum event time, and the operators run
//! once per batch.

pub mod microbatch;
pub mod recovery;
pub mod trigger;
pub mod watermark;
