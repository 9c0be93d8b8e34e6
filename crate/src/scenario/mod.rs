//! Layer 6, the scenario: the whole input document (one versioned JSON format), its
//! validation into the core's units, the work budget checked before a run starts, and the
//! scaled mode's choice of how many real events one simulated event stands for.

pub mod budget;
pub mod rhythm;
pub mod scale;
pub mod spec;
pub mod validate;
