//! Layer 0, the vocabulary every layer shares: virtual time, the typed input error that
//! names a field, the JSON reader and the scenario-format reader built on it, numbers as text, and the
//! hashing Spark uses. Nothing here knows about events, engines or money. In the wasm
//! modules, also their heap (`wasm_heap.rs`).

pub mod error;
pub mod input;
pub mod json;
pub mod murmur3;
pub mod number;
pub mod spec_reader;
pub mod time;
pub mod turns;
#[cfg(all(target_arch = "wasm32", feature = "wasm"))]
mod wasm_heap;
