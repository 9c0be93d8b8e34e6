//! Apache Flink (2.3) DataStream rules: a bounded-out-of-orderness watermark emitted
//! periodically on processing time, and the event-time `WindowOperator` (tumbling, sliding
//! and merging session windows, allowed lateness, late side output, timers), a source
//! with several partitions whose per-split watermarks are combined by min, and
//! `withIdleness` on the simulated ticks. No micro-batches: every element and every
//! watermark is processed one at a time.
//!
//! Times are µs ([`crate::base::time::Micros`]) like the rest of the crate; Flink counts ms,
//! so every instant here is a whole number of ms, and Flink's `Long.MIN_VALUE` /
//! `Long.MAX_VALUE` watermarks are `i64::MIN` / `i64::MAX` ([`watermark::MIN_WATERMARK`],
//! [`watermark::MAX_WATERMARK`]).

pub mod conf;
pub mod file_sink;
pub mod idleness;
pub mod key_group;
pub mod operator;
pub mod partitions;
pub mod periodic;
pub mod session;
pub mod watermark;
pub mod window;
