//! Layer 5, cost: the cluster and its compute price, the object store's bill, freshness,
//! the steady month a simulated horizon is extrapolated to, and the state's memory on the
//! executors.

pub mod bill;
pub mod cluster;
pub mod compute;
pub mod freshness;
pub mod month;
pub mod spec;
pub mod state_memory;
