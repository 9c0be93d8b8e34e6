//! The formats module: what the page needs only when it reads a data file, exports Arrow
//! or a PySpark script, or asks for the default scenario as JSON (the JS API), kept out of
//! the core module's wasm. Pure like the core: bytes or text in, bytes or text out.
//! A load is handed to the core as [`Loaded::to_bytes`]; an export gets the report table
//! as the core's [`pipeline_sim::exports::export::table_bytes`].

use pipeline_sim::InputError;
use pipeline_sim::workload::loader;
#[cfg(doc)]
use pipeline_sim::workload::loader::Loaded;

/// Reads a data file (and its join table) with a `workload.data` spec (JSON) into the
/// bytes the core module reads ([`Loaded::from_bytes`]).
pub fn load(bytes: &[u8], join_table: Option<&[u8]>, spec_json: &str) -> Result<Vec<u8>, InputError> {
    let spec = loader::parse_spec(spec_json)?;
    Ok(loader::load(bytes, join_table, &spec)?.to_bytes())
}

/// A report table, as the core module encodes it, as an Arrow IPC file.
pub fn arrow_ipc(table_bytes: &[u8]) -> Result<Vec<u8>, InputError> {
    pipeline_sim::exports::export::arrow_ipc_from_table_bytes(table_bytes)
}

/// The scenario with every default filled in (seed 42), as JSON.
pub fn default_scenario() -> String {
    let spec = pipeline_sim::ScenarioSpec {
        seed: Some(42),
        ..Default::default()
    };
    serde_json::to_string(&spec).expect("a scenario always serializes")
}

/// A runnable PySpark Structured Streaming script of the scenario (JSON): the same source,
/// watermark, query, trigger and sink on a real cluster (`pipeline_sim::exports::pyspark`).
pub fn pyspark_script(scenario_json: &str) -> Result<String, InputError> {
    pipeline_sim::exports::pyspark::generate(&pipeline_sim::ScenarioSpec::parse(scenario_json)?)
}

#[cfg(target_arch = "wasm32")]
mod wasm;

#[cfg(test)]
mod tests {
    use super::*;
    use pipeline_sim::workload::loader::Loaded;

    #[test]
    fn a_load_reaches_the_core_as_bytes() {
        let csv = b"t,k\n1000,a\n2000,b\n3000,a\n";
        let spec = r#"{"file": "x.csv", "event_time": {"column": "t", "unit": "epoch_ms"}, "key": "k"}"#;
        let bytes = load(csv, None, spec).expect("a good file loads");
        let l = Loaded::from_bytes(&bytes).expect("the core reads it");
        assert_eq!(l.events.len(), 3);
        assert_eq!(&*l.key_names, ["a".to_string(), "b".to_string()]);
        let e = load(b"", None, spec).expect_err("an empty file gives no events");
        assert_eq!(e.field, "workload.data");
        let e = load(csv, None, "{").expect_err("bad JSON");
        assert!(e.field.starts_with("workload.data"), "{e}");
    }

    #[test]
    fn default_scenario_and_pyspark_script() {
        let json = default_scenario();
        let spec = pipeline_sim::ScenarioSpec::parse(&json).expect("the default parses");
        assert_eq!(spec.seed, Some(42));
        // The defaults validate, with or without the Flink engine built in (the page's
        // core has none, so they must carry no flink section there).
        spec.validate().expect("the defaults are a valid scenario");
        let script = pyspark_script(&json).expect("the default has a script");
        assert!(script.contains("readStream"), "{script}");
        let e = pyspark_script(r#"{"seed": 1, "workload": {"keys": -1}}"#).expect_err("bad field");
        assert_eq!(e.field, "workload.keys");
    }

    #[test]
    fn arrow_export_of_the_core_table_bytes() {
        let r = pipeline_sim::run_json(r#"{"seed": 1, "workload": {"duration_s": 60}}"#).expect("runs");
        for t in [
            pipeline_sim::exports::export::Table::Batches,
            pipeline_sim::exports::export::Table::Events,
        ] {
            let via_bytes = arrow_ipc(&pipeline_sim::exports::export::table_bytes(&r, t)).expect("encodes");
            assert_eq!(&via_bytes[..6], b"ARROW1");
        }
        let e = arrow_ipc(b"nope").expect_err("not a table");
        assert_eq!(e.field, "export");
    }
}
