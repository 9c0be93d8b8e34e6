//! The formats module's wasm boundary, as thin as the core's (`crate/src/wasm.rs`): bytes
//! and JSON text in, bytes out.

use wasm_bindgen::prelude::*;

/// Reads a file's bytes (and its join table's) with a `workload.data` spec (JSON) into
/// the bytes the core module's `dataFromBytes` takes. A file that cannot be read, or gives
/// no event, throws an `Error` naming `workload.data`; bad rows are counted in the stats.
#[wasm_bindgen]
pub fn load(bytes: &[u8], join_table: Option<Vec<u8>>, spec_json: &str) -> Result<Vec<u8>, JsError> {
    crate::load(bytes, join_table.as_deref(), spec_json).map_err(|e| JsError::new(&e.to_string()))
}

/// A report table as the core's `Run.tableBytes` gives it, as an Arrow IPC file.
#[wasm_bindgen(js_name = arrowIpc)]
pub fn arrow_ipc(table_bytes: &[u8]) -> Result<Vec<u8>, JsError> {
    crate::arrow_ipc(table_bytes).map_err(|e| JsError::new(&e.to_string()))
}

/// The scenario with every default filled in (seed 42), as JSON.
#[wasm_bindgen(js_name = defaultScenario)]
pub fn default_scenario() -> String {
    crate::default_scenario()
}

/// A runnable PySpark Structured Streaming script of the scenario (JSON). A scenario that
/// cannot run throws an `Error` naming its field.
#[wasm_bindgen(js_name = pysparkScript)]
pub fn pyspark_script(scenario_json: &str) -> Result<String, JsError> {
    crate::pyspark_script(scenario_json).map_err(|e| JsError::new(&e.to_string()))
}
