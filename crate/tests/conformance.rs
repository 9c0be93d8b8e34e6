//! Every committed conformance case — `expected` produced by real Apache Spark — must be
//! reproduced exactly by the simulator. Runs without Spark.

use pipeline_sim::exports::conform::{compare, run_case};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance");
    let mut files = Vec::new();
    for dir in ["examples", "cases"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn simulator_matches_spark_on_every_case() {
    let files = cases();
    assert!(
        files.len() >= 6,
        "expected the committed cases, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("case file is readable");
        let case: Value = serde_json::from_str(&text).expect("case file is JSON");
        let Some(expected) = case.get("expected") else {
            failures.push(format!("{}: no expected section (run make oracle)", f.display()));
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
    println!("{} conformance cases checked", files.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Spark:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// A committed case by file name, parsed, with `expected` checked present.
fn load(name: &str) -> Value {
    let f = cases()
        .into_iter()
        .find(|p| p.ends_with(name))
        .expect("case present");
    let case: Value = serde_json::from_str(&std::fs::read_to_string(f).expect("readable")).expect("JSON");
    assert!(case.get("expected").is_some(), "{name} has an expected section");
    case
}

#[test]
fn a_wrong_answer_is_caught() {
    // The comparison itself must notice a changed count, watermark or batch.
    let case = load("tumbling_append_boundaries.json");
    let mut actual = run_case(&case).expect("runs");
    assert!(compare(&case["expected"], &actual).is_empty());
    actual["batches"][3]["output"][0]["count"] = Value::from(99);
    actual["batches"][2]["watermark"] = Value::from("2024-01-01T00:00:03.000Z");
    let diffs = compare(&case["expected"], &actual);
    assert_eq!(diffs.len(), 2, "{diffs:?}");
    actual["batches"].as_array_mut().expect("array").pop();
    assert!(
        compare(&case["expected"], &actual)
            .iter()
            .any(|d| d.contains("micro-batches"))
    );
}

#[test]
fn sink_file_counts_are_compared() {
    let case = load("parquet_sink_flat_P8.json");
    let mut actual = run_case(&case).expect("runs");
    assert!(compare(&case["expected"], &actual).is_empty());
    // batch 7 wrote 6 part files (5 tasks with rows + task 0's empty file)
    assert_eq!(actual["batches"][7]["sink"]["data_files"], Value::from(6));
    actual["batches"][7]["sink"]["data_files"] = Value::from(5);
    actual["batches"][9]["sink"]["log_file"] = Value::from("9");
    assert_eq!(compare(&case["expected"], &actual).len(), 2);
}
