//! Layer 5, cost: the cluster and its compute price, the object store's bill, freshness,
//! and the steady month a simulated horizon is extrapolated to.

pub mod bill;
pub mod cluster;
pub mod compute;
pub mod freshness;
pub mod month;
pub mod spec;
