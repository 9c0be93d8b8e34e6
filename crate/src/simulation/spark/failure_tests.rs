//! Tests of an injected driver failure (`failure.rs`).

use crate::report::recovery::FailedDuring;
use crate::report::summary::Report;
use crate::scenario::spec::ScenarioSpec;
use crate::simulation::simulate;

/// An hour at 20 events/s, 60 s trigger, a 60 s window count, parquet sink.
fn scenario(failure: &str, sink: &str, source: &str) -> String {
    format!(
        r#"{{"seed": 5, "workload": {{"duration_s": 3600, "rate_per_s": 20, "keys": 8}},
            "engine": {{"shuffle_partitions": 8}}, "sink": {sink}, "source": {source},
            "failure": {failure}}}"#
    )
}

fn run(json: &str) -> Report {
    simulate(&ScenarioSpec::from_json(json).expect("a valid scenario")).expect("a report")
}

#[test]
fn a_failed_batch_is_rerun_with_the_same_rows_and_the_state_is_unchanged() {
    let plain = run(&scenario("null", r#"{"format": "parquet"}"#, "{}"));
    // 1,800 s is a trigger; the batch (0.5 s + rows) is in flight 0.2 s later.
    let failed = run(&scenario(
        r#"{"at_s": 1800.2, "restart_s": 120, "when": "before_write"}"#,
        r#"{"format": "parquet"}"#,
        "{}",
    ));
    let rec = failed.recovery.as_ref().expect("a recovery section");
    assert_eq!(rec.during, FailedDuring::Batch);
    let n = rec.failed_batch.expect("the batch in flight") as usize;
    // The same batch, the same rows and outcome, later.
    let (a, b) = (&plain.batches, &failed.batches);
    assert_eq!(a.input_rows[n], b.input_rows[n]);
    assert_eq!(a.output_rows[n], b.output_rows[n]);
    assert_eq!(a.state_rows_total[n], b.state_rows_total[n]);
    assert!(b.start_us[n] >= rec.failed_at_us + 120_000_000);
    assert_eq!(b.start_us[n], rec.resumed_at_us);
    assert!(rec.restore_s > 0.0);
    // Every event processed once; here (few late rows) the totals match the plain run.
    assert_eq!(plain.summary.events, failed.summary.events);
    assert_eq!(plain.summary.output_rows, failed.summary.output_rows);
    assert_eq!(
        plain.summary.fates.dropped_late,
        failed.summary.fates.dropped_late
    );
    // The backlog came in the next batch, which caught up.
    assert_eq!(rec.catch_up_batches, 2);
    assert!(rec.backlog_rows > b.input_rows[n.saturating_sub(1)]);
    assert_eq!(rec.caught_up_at_us, Some(b.end_us[n + 1]));
    assert!(rec.latency_p95_s.expect("events became visible") > 120.0);
    assert!(failed.summary.latency.max_s > plain.summary.latency.max_s);
    // No commit from the batch before to the re-run's end.
    assert_eq!(rec.last_commit_before_us, Some(b.end_us[n - 1]));
    assert_eq!(rec.first_commit_after_us, Some(b.end_us[n]));
    assert_eq!((rec.duplicate_rows, rec.orphan_files), (0, 0));
}

#[test]
fn what_the_rerun_leaves_depends_on_the_sink_and_the_moment() {
    let at = |when: &str| format!(r#"{{"at_s": 1800.2, "restart_s": 60, "when": "{when}"}}"#);
    // The same timing without anything left behind: a failure before the write.
    let plain = run(&scenario(&at("before_write"), r#"{"format": "delta"}"#, "{}"));
    let orphaned = run(&scenario(&at("after_write"), r#"{"format": "delta"}"#, "{}"));
    let rec = orphaned.recovery.as_ref().expect("recovery");
    let n = rec.failed_batch.expect("in flight") as usize;
    assert_eq!(rec.orphan_files, orphaned.batches.data_files[n]);
    assert_eq!(rec.orphan_bytes, orphaned.batches.data_bytes[n]);
    assert_eq!(orphaned.summary.files.data_files, plain.summary.files.data_files);
    assert_eq!(rec.duplicate_rows, 0);
    let skipped = run(&scenario(&at("commit_log"), r#"{"format": "parquet"}"#, "{}"));
    let rec = skipped.recovery.as_ref().expect("recovery");
    assert!(rec.write_skipped);
    assert_eq!((rec.orphan_files, rec.duplicate_rows), (0, 0));
    // The logged batch is skipped: its re-run runs no rows, only the fixed overhead.
    let n = rec.failed_batch.expect("in flight") as usize;
    assert_eq!(skipped.batches.end_us[n] - skipped.batches.start_us[n], 500_000);
    for when in ["after_write", "commit_log"] {
        let dup = run(&scenario(
            &at(when),
            r#"{"format": "delta", "writer": "foreach_batch_append"}"#,
            "{}",
        ));
        let rec = dup.recovery.as_ref().expect("recovery");
        let n = rec.failed_batch.expect("in flight") as usize;
        assert_eq!(rec.duplicate_rows, dup.batches.output_rows[n], "{when}");
        assert!(rec.duplicate_rows > 0, "{when}");
        assert_eq!(
            dup.summary.files.data_files,
            plain.summary.files.data_files + dup.batches.data_files[n],
            "{when}"
        );
        let idem = run(&scenario(
            &at(when),
            r#"{"format": "delta", "writer": "foreach_batch_idempotent"}"#,
            "{}",
        ));
        let rec = idem.recovery.as_ref().expect("recovery");
        assert_eq!((rec.duplicate_rows, rec.orphan_files), (0, 0), "{when}");
        assert!(rec.write_skipped, "{when}");
    }
}

#[test]
fn a_rate_limit_spreads_the_backlog_over_batches() {
    let failure = r#"{"at_s": 1200.2, "restart_s": 600}"#;
    let one = run(&scenario(failure, "null", "{}"));
    let limited = run(&scenario(failure, "null", r#"{"max_rows_per_trigger": 2000}"#));
    let (r1, r2) = (
        one.recovery.as_ref().expect("recovery"),
        limited.recovery.as_ref().expect("recovery"),
    );
    // 10 min down at 20 events/s: ~12,000 rows wait; one batch takes them, or 2,000 a batch.
    assert!(r1.backlog_rows > 11_000, "{}", r1.backlog_rows);
    assert_eq!(r1.catch_up_batches, 2);
    assert_eq!(r2.backlog_rows, 2000);
    assert!(r2.catch_up_batches >= 7, "{}", r2.catch_up_batches);
    assert!(r2.recovery_s > r1.recovery_s);
    assert_eq!(one.summary.events, limited.summary.events);
}

#[test]
fn a_failure_between_batches_reruns_nothing() {
    let r = run(&scenario(r#"{"at_s": 1830, "restart_s": 100}"#, "null", "{}"));
    let rec = r.recovery.as_ref().expect("recovery");
    assert_eq!(rec.during, FailedDuring::Idle);
    assert_eq!(rec.failed_batch, None);
    assert_eq!(rec.catch_up_batches, 1);
    let first = r
        .batches
        .start_us
        .iter()
        .position(|&s| s >= rec.failed_at_us)
        .expect("a batch after the failure");
    assert_eq!(r.batches.start_us[first], rec.resumed_at_us);
}

#[test]
fn failures_are_refused_where_they_are_not_simulated() {
    let e = ScenarioSpec::from_json(
        r#"{"seed": 1, "trigger": {"kind": "scheduled", "every_s": 300}, "failure": {"at_s": 10}}"#,
    )
    .unwrap_err();
    assert_eq!(e.field, "failure");
    let e = ScenarioSpec::from_json(r#"{"seed": 1, "failure": {"at_s": 1e5}}"#).unwrap_err();
    assert_eq!(e.field, "failure.at_s");
    let e = ScenarioSpec::from_json(r#"{"seed": 1, "failure": {"at_s": 10, "when": "later"}}"#).unwrap_err();
    assert!(e.field.starts_with("failure.when"), "{e}");
    let e = ScenarioSpec::from_json(r#"{"seed": 1, "sink": {"writer": "merge"}}"#).unwrap_err();
    assert!(e.field.starts_with("sink.writer"), "{e}");
}

#[test]
fn no_failure_no_section_and_the_same_digest() {
    let a = run(&scenario("null", r#"{"format": "parquet"}"#, "{}"));
    assert!(a.recovery.is_none());
    let json = serde_json::to_string(&a).expect("json");
    assert!(!json.contains("\"recovery\""));
}
