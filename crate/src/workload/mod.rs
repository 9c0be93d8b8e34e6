//! Layer 1, the workload: the events a pipeline receives, each with an event time and an
//! arrival time. The generator draws them in arrival order from a seeded RNG; real data
//! files arrive through `loader`; a sweep reads one generated stream through
//! `shared_stream`. Depends only on `base`.

pub mod arrival_order;
pub mod arrival_process;
pub mod event;
pub mod loader;
pub mod sampler;
pub mod scale_spec;
pub mod shared_stream;
pub mod spec;
pub mod stream;
