//! Every committed conformance case must be reproduced by the simulator, without the real
//! engine: the Spark cases (`tests/conformance/{examples,cases}`, `expected` from real Apache
//! Spark 4.3.0) exactly, and the Flink cases (`tests/conformance/flink/cases`, `expected`
//! from real Apache Flink 2.3.0) exactly but for the order of firings at one timer
//! timestamp, compared as a multiset (Flink's timer heap has no documented tie order).

use pipeline_sim::exports::{conform, flink_case, recovery_case};
use serde_json::Value;
use std::fmt::Display;
use std::path::{Path, PathBuf};

const SPARK_DIRS: &[&str] = &["examples", "cases"];
const FLINK_DIRS: &[&str] = &["flink/cases"];
const RECOVERY_DIRS: &[&str] = &["recovery"];

/// The case files of `dirs` (under tests/conformance), sorted.
fn cases(dirs: &[&str]) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance");
    let mut files = Vec::new();
    for dir in dirs {
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

/// A committed case by file name, parsed, with `expected` checked present.
fn load(dirs: &[&str], name: &str) -> Value {
    let f = cases(dirs)
        .into_iter()
        .find(|p| p.ends_with(name))
        .expect("case present");
    let case: Value = serde_json::from_str(&std::fs::read_to_string(f).expect("readable")).expect("JSON");
    assert!(case.get("expected").is_some(), "{name} has an expected section");
    case
}

/// Runs every case of `files` and says how each one that differs from its `expected` does.
fn mismatches<E: Display>(
    files: &[PathBuf],
    regenerate: &str,
    run: impl Fn(&Value) -> Result<Value, E>,
    compare: impl Fn(&Value, &Value) -> Vec<String>,
) -> Vec<String> {
    let mut failures = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).expect("case file is readable");
        let case: Value = serde_json::from_str(&text).expect("case file is JSON");
        let Some(expected) = case.get("expected") else {
            failures.push(format!("{}: no expected section (run {regenerate})", f.display()));
            continue;
        };
        match run(&case) {
            Err(e) => failures.push(format!("{}: {e}", f.display())),
            Ok(actual) => {
                let diffs = compare(expected, &actual);
                if !diffs.is_empty() {
                    failures.push(format!("{}:\n  {}", f.display(), diffs.join("\n  ")));
                }
            }
        }
    }
    failures
}

#[test]
fn simulator_matches_spark_on_every_case() {
    let files = cases(SPARK_DIRS);
    assert!(
        files.len() >= 6,
        "expected the committed cases, found {}",
        files.len()
    );
    let failures = mismatches(&files, "make oracle", conform::run_case, conform::compare);
    println!("{} conformance cases checked", files.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Spark:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn simulator_matches_flink_on_every_case() {
    let files = cases(FLINK_DIRS);
    assert!(
        files.len() >= 17,
        "expected the 17 committed Flink cases, found {}",
        files.len()
    );
    let failures = mismatches(
        &files,
        "make oracle-flink",
        flink_case::run_case,
        flink_case::compare,
    );
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
    // The comparison itself must notice a changed count, watermark or batch.
    let case = load(SPARK_DIRS, "tumbling_append_boundaries.json");
    let mut actual = conform::run_case(&case).expect("runs");
    assert!(conform::compare(&case["expected"], &actual).is_empty());
    actual["batches"][3]["output"][0]["count"] = Value::from(99);
    actual["batches"][2]["watermark"] = Value::from("2024-01-01T00:00:03.000Z");
    let diffs = conform::compare(&case["expected"], &actual);
    assert_eq!(diffs.len(), 2, "{diffs:?}");
    actual["batches"].as_array_mut().expect("array").pop();
    assert!(
        conform::compare(&case["expected"], &actual)
            .iter()
            .any(|d| d.contains("micro-batches"))
    );
}

#[test]
fn sink_file_counts_are_compared() {
    let case = load(SPARK_DIRS, "parquet_sink_flat_P8.json");
    let mut actual = conform::run_case(&case).expect("runs");
    assert!(conform::compare(&case["expected"], &actual).is_empty());
    // batch 7 wrote 6 part files (5 tasks with rows + task 0's empty file)
    assert_eq!(actual["batches"][7]["sink"]["data_files"], Value::from(6));
    actual["batches"][7]["sink"]["data_files"] = Value::from(5);
    actual["batches"][9]["sink"]["log_file"] = Value::from("9");
    assert_eq!(conform::compare(&case["expected"], &actual).len(), 2);
}

#[test]
fn a_wrong_flink_answer_is_caught() {
    let case = load(FLINK_DIRS, "session_allowed_lateness_refire.json");
    let mut actual = flink_case::run_case(&case).expect("runs");
    assert!(flink_case::compare(&case["expected"], &actual).is_empty());
    actual["firings"][1]["count"] = Value::from(3);
    actual["watermarks"][1]["watermark"] = Value::from("2024-01-01T00:00:09.000Z");
    actual["late_side_output"] = Value::from(Vec::<Value>::new());
    let diffs = flink_case::compare(&case["expected"], &actual);
    assert_eq!(diffs.len(), 3, "{diffs:#?}");
}

#[test]
fn flink_ties_are_a_multiset_but_the_count_is_checked() {
    // One watermark fires 12 (key, window) pairs; Flink's tie order is its heap's.
    let case = load(FLINK_DIRS, "one_watermark_fires_many.json");
    let mut actual = flink_case::run_case(&case).expect("runs");
    assert!(flink_case::compare(&case["expected"], &actual).is_empty());
    let firings = actual["firings"].as_array_mut().expect("array");
    firings.pop();
    assert!(!flink_case::compare(&case["expected"], &actual).is_empty());
}

/// The case with every row moved to one input partition (no `input_partitions`, no
/// `partition`), rows in the listed order.
fn one_partition(case: &Value) -> Value {
    let mut c = case.clone();
    c.as_object_mut().expect("object").remove("input_partitions");
    for batch in c["input"].as_array_mut().expect("input") {
        for row in batch.as_array_mut().expect("batch") {
            row.as_object_mut().expect("row").remove("partition");
        }
    }
    c
}

#[test]
fn input_partitions_are_what_the_parts_cases_pin() {
    // Read as one input partition, these cases give other answers than Spark's: the session's
    // late count (3 distinct (key, event time) instead of 6 per input partition) and the
    // deduplications' survivors (first listed instead of first in partition order).
    for (name, batch, field) in [
        ("parts_session_late_rows_P3in.json", 4, "dropped_by_watermark"),
        ("parts_dedup_key_first_occurrence_P3in.json", 0, "output"),
        ("parts_dedup_within_wm_expiry_P3in.json", 0, "output"),
    ] {
        let case = load(SPARK_DIRS, name);
        let actual = conform::run_case(&case).expect("runs");
        assert!(conform::compare(&case["expected"], &actual).is_empty(), "{name}");
        let flat = conform::run_case(&one_partition(&case)).expect("runs");
        let diffs = conform::compare(&case["expected"], &flat);
        assert!(
            !diffs.is_empty(),
            "{name}: one partition gives Spark's answer too"
        );
        assert_ne!(
            flat["batches"][batch][field], case["expected"]["batches"][batch][field],
            "{name}"
        );
    }
    // A fixed window's late count does not depend on them: distinct late (window, key).
    let case = load(SPARK_DIRS, "parts_tumbling_late_groups_P3in.json");
    let flat = conform::run_case(&one_partition(&case)).expect("runs");
    assert!(conform::compare(&case["expected"], &flat).is_empty());
    assert_eq!(
        case["expected"]["batches"][4]["dropped_by_watermark"],
        Value::from(3)
    );
}

/// The recovery cases (`tests/conformance/recovery/`, a query failing in batch N on real
/// Spark 4.3.0 and restarted on its checkpoint): with a foreachBatch sink the batches of
/// both attempts, the re-run, the backlog and the sink's duplicates; with the parquet file
/// sink also its `_spark_metadata` logs, part files, skipped re-runs and orphan files, as
/// Spark ran them. Counted by sink, so that no case is left out.
#[test]
fn simulator_matches_spark_on_every_recovery_case() {
    let all = cases(RECOVERY_DIRS);
    let kind = |f: &PathBuf| -> String {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(f).expect("readable")).expect("JSON");
        case.pointer("/sink/kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let fb = all
        .iter()
        .filter(|f| kind(f).starts_with("foreach_batch"))
        .count();
    let file = all.iter().filter(|f| kind(f) == "file").count();
    assert_eq!(
        (fb, file, all.len()),
        (10, 5, 15),
        "foreachBatch and file-sink recovery cases, and no other"
    );
    let failures = mismatches(
        &all,
        "tests/conformance/recovery_oracle.sh",
        recovery_case::run_case,
        recovery_case::compare,
    );
    println!(
        "{} of {} recovery cases match",
        all.len() - failures.len(),
        all.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} recovery cases differ from Spark:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

#[test]
fn a_wrong_recovery_answer_is_caught() {
    // A re-run that did not duplicate, and a lost batch, must both be noticed.
    let case = load(RECOVERY_DIRS, "rec_fb_append_window_fail_b3_after_write.json");
    let mut actual = recovery_case::run_case(&case).expect("runs");
    assert!(recovery_case::compare(&case["expected"], &actual).is_empty());
    actual["attempts"][1]["sink_after"]["duplicate_rows"] = Value::from(0);
    actual["attempts"][1]["batches"]
        .as_array_mut()
        .expect("array")
        .remove(0);
    let diffs = recovery_case::compare(&case["expected"], &actual);
    assert!(diffs.iter().any(|d| d.contains("duplicate_rows")), "{diffs:?}");
    assert!(diffs.iter().any(|d| d.contains("Spark ran")), "{diffs:?}");
}

#[test]
fn a_wrong_file_sink_recovery_answer_is_caught() {
    // Orphans that are readable, a lost orphan row, a log entry's file count, and a re-run
    // the sink did not skip must each be noticed.
    let case = load(
        RECOVERY_DIRS,
        "rec_file_sink_dedup_files_fail_b2_process_killed.json",
    );
    let mut actual = recovery_case::run_case(&case).expect("runs");
    assert!(recovery_case::compare(&case["expected"], &actual).is_empty());
    let sink = &mut actual["attempts"][1]["sink_after"];
    sink["orphans"][2]["bytes_zero"] = Value::from(false);
    sink["orphan_rows"].as_array_mut().expect("array").pop();
    sink["logs"]["2"]["data_files"] = Value::from(4);
    let diffs = recovery_case::compare(&case["expected"], &actual);
    for what in ["orphans", "orphan_rows", "log 2: data_files"] {
        assert!(diffs.iter().any(|d| d.contains(what)), "{what}: {diffs:?}");
    }

    let case = load(RECOVERY_DIRS, "rec_file_sink_select_fail_b0_commit_log.json");
    let mut actual = recovery_case::run_case(&case).expect("runs");
    assert!(recovery_case::compare(&case["expected"], &actual).is_empty());
    // the skipped re-run read no rows
    assert_eq!(actual["attempts"][1]["batches"][0]["input_rows"], Value::from(0));
    actual["attempts"][1]["batches"][0]["input_rows"] = Value::from(2);
    actual["attempts"][1]["sink_after"]["logs"]["0"]["rows"]
        .as_array_mut()
        .expect("array")
        .push(case["input"][0][0].clone());
    let diffs = recovery_case::compare(&case["expected"], &actual);
    assert!(diffs.iter().any(|d| d.contains("input_rows")), "{diffs:?}");
    assert!(diffs.iter().any(|d| d.contains("log 0: rows")), "{diffs:?}");
}

#[test]
fn the_failing_batch_follows_the_marker_row() {
    // The UDF fails on a row id, not on a batch number: with the marker in element 2 the
    // map-stage failure comes in batch 2, and with one that never arrives there is none.
    let mut case = load(RECOVERY_DIRS, "rec_file_sink_dedup_fail_b1_in_input_task.json");
    case["failure"]["marker_id"] = Value::from(7);
    let actual = recovery_case::run_case(&case).expect("runs");
    assert_eq!(actual["attempts"][0]["failed_batch"]["batch_id"], Value::from(2));
    assert_eq!(
        actual["attempts"][0]["sink_after"]["logs"]
            .as_object()
            .expect("logs")
            .len(),
        2
    );
    case["failure"]["marker_id"] = Value::from(99);
    assert!(recovery_case::run_case(&case).is_err());
}
