//! Every committed Flink conformance case — `expected` produced by real Apache Flink 2.3.0
//! (tests/conformance/flink/) — must be reproduced by the simulator's Flink rules (firings
//! of one timer timestamp as a multiset). Runs without Flink.

use pipeline_sim::exports::flink_case::{compare, run_case};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance/flink/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn load(name: &str) -> Value {
    let f = cases()
        .into_iter()
        .find(|p| p.ends_with(name))
        .expect("case present");
    serde_json::from_str(&std::fs::read_to_string(f).expect("readable")).expect("JSON")
}

#[test]
fn simulator_matches_flink_on_every_case() {
    let files = cases();
    assert!(
        files.len() >= 17,
        "expected the 17 committed Flink cases, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("case file is readable");
        let case: Value = serde_json::from_str(&text).expect("case file is JSON");
        let Some(expected) = case.get("expected") else {
            failures.push(format!("{}: no expected section (run oracle.sh)", f.display()));
            continue;
        };
        match run_case(&case) {
            Err(e) => failures.push(format!("{}: {e}", f.display())),
            Ok(actual) => {
                let diffs = compare(expected, &actual);
                if !diffs.is_empty() {
                    failures.push(format!("{}:\n  {}", f.display(), diffs.join("\n  ")));
                }
            }
        }
    }
    println!(
        "{} of {} Flink conformance cases match",
        files.len() - failures.len(),
        files.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Flink:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn a_wrong_answer_is_caught() {
    let case = load("session_allowed_lateness_refire.json");
    let mut actual = run_case(&case).expect("runs");
    assert!(compare(&case["expected"], &actual).is_empty());
    actual["firings"][1]["count"] = Value::from(3);
    actual["watermarks"][1]["watermark"] = Value::from("2024-01-01T00:00:09.000Z");
    actual["late_side_output"] = Value::from(Vec::<Value>::new());
    let diffs = compare(&case["expected"], &actual);
    assert_eq!(diffs.len(), 3, "{diffs:#?}");
}

#[test]
fn ties_are_a_multiset_but_the_count_is_checked() {
    // One watermark fires 12 (key, window) pairs; Flink's tie order is its heap's.
    let case = load("one_watermark_fires_many.json");
    let mut actual = run_case(&case).expect("runs");
    assert!(compare(&case["expected"], &actual).is_empty());
    let firings = actual["firings"].as_array_mut().expect("array");
    firings.pop();
    assert!(!compare(&case["expected"], &actual).is_empty());
}
