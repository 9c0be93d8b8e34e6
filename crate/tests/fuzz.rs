//! The bounded fuzz pass in the debug build, where integer overflow panics instead of
//! wrapping: every target's seeded inputs (and the saved corpus of inputs that once
//! crashed, `tests/fuzz/corpus/`) must give a result or an error naming a field. The
//! release build's larger pass is `pipeline-sim fuzz` (make test, make fuzz).
//! `FUZZ_INPUTS` sets the inputs per target (default 300).
#![cfg(feature = "formats")]

use pipeline_sim::fuzz::{Config, TARGETS, run_target};
use std::path::PathBuf;

#[test]
fn every_parser_survives_its_fuzz_inputs_in_the_debug_build() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let inputs = std::env::var("FUZZ_INPUTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let cfg = Config {
        inputs,
        seed: 12,
        // Debug builds are slow: small runs, generous bounds (hangs still end it).
        max_events: 3_000.0,
        time_bound: std::time::Duration::from_secs(60),
        memory_bound: 2 << 30,
        corpus: Some(root.join("tests/fuzz/corpus")),
        out_dir: root.join("test-results/fuzz-debug"),
    };
    let mut failures = Vec::new();
    for t in TARGETS {
        let st = run_target(t, &cfg, false);
        eprintln!("{}", st.row());
        assert!(st.inputs >= inputs, "{}: ran {} inputs", st.target, st.inputs);
        assert!(
            st.ran > 0,
            "{}: no input ran at all: the mutations are too harsh",
            st.target
        );
        for f in st.failures {
            failures.push(format!(
                "{} {}: {} ({})",
                t.name,
                f.kind,
                f.message,
                f.saved.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing inputs:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
