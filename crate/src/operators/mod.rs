//! Layer 2, the stateful operators a streaming query runs, with the rows they take and give:
//! windowed aggregation, deduplication, session windows, their state and the lists of
//! events waiting to become visible. What they do to a batch of rows is shared by the
//! engines; when a batch happens is the engine's business (`engine`).

pub mod aggregate;
pub mod dedup;
pub mod operator;
pub mod partitions;
pub mod query;
pub mod rows;
pub mod session;
pub mod state;
pub mod visible_list;
pub mod window;
#[cfg(feature = "sweep_digest")]
pub mod window_digest;
