use crate::report::summary::Report;
use crate::scenario::spec::ScenarioSpec;
use crate::simulation::simulate;

fn run(json: &str) -> Report {
    simulate(&ScenarioSpec::from_json(json).unwrap()).unwrap()
}

const S: i64 = 1_000_000;

/// Three elements of key a, by hand: tumbling 10 s windows, a 2 s bound, checkpoints every
/// 5 s taking 1 s, the 200 ms watermark ticks.
fn by_hand(side_output: bool) -> (Report, i64) {
    let json = format!(
        r#"{{"seed": 1, "engine": {{"name": "flink"}},
            "flink": {{"checkpoint_interval_s": 5, "checkpoint_duration_s": 1, "late_side_output": {side_output}}},
            "workload": {{"events": [
              {{"key": "a", "event_time": "2024-01-01T00:00:01Z", "arrival": "2024-01-01T00:00:01Z"}},
              {{"key": "a", "event_time": "2024-01-01T00:00:13Z", "arrival": "2024-01-01T00:00:13Z"}},
              {{"key": "a", "event_time": "2024-01-01T00:00:05Z", "arrival": "2024-01-01T00:00:14Z"}}]}},
            "query": {{"operator": "window_count", "window": {{"kind": "tumbling", "size_s": 10}}, "watermark_delay_s": 2}},
            "sink": {{"format": "parquet"}}}}"#
    );
    let sc = ScenarioSpec::from_json(&json).unwrap();
    (simulate(&sc).unwrap(), sc.workload.start)
}

#[test]
fn a_window_result_is_visible_when_the_next_checkpoint_completes() {
    let (r, start) = by_hand(false);
    let t0 = 1_704_067_200 * S; // 2024-01-01T00:00:00Z
    // The tick after the element at 13 s emits 13 − 2 − 0.001 = 10.999 s: [0,10) fires then,
    // at 13.2 s; its file rolls at the first barrier after that and is committed 1 s later.
    let fire = t0 + 13 * S + 200_000;
    let barrier = start + ((fire - start) / (5 * S) + 1) * 5 * S;
    let e = &r.events;
    let i0 = e.id.iter().position(|&id| id == 0).unwrap();
    assert_eq!(e.visible_us[i0], barrier + S);
    assert_eq!(e.fate[i0], 0);
    // The 13 s element stays in [10,20): no later watermark, no end of input.
    assert_eq!(r.summary.fates.in_state_at_end, 1);
    // The 5 s element arrives after watermark 10.999: late for [0,10) and dropped.
    let f = r.flink.as_ref().unwrap();
    assert_eq!((f.late_dropped, f.late_side_output), (1, 0));
    assert_eq!(r.summary.fates.dropped_late, 1);
    assert_eq!(f.watermark_firings, 1);
    assert_eq!(r.summary.latency.count, 1);
    let lat = r.summary.latency.max_s.unwrap();
    assert!((lat - (barrier + S - (t0 + S)) as f64 / 1e6).abs() < 0.3, "{lat}");
    // One part file: the one checkpoint that had a row.
    assert_eq!(r.summary.files.data_files, 1);
    assert_eq!(r.batches.data_files.iter().filter(|&&n| n > 0).count(), 1);
    let (r, _) = by_hand(true);
    let f = r.flink.as_ref().unwrap();
    assert_eq!((f.late_dropped, f.late_side_output), (0, 1));
}

#[test]
fn every_event_has_one_fate_and_files_come_only_from_checkpoints_with_rows() {
    // (Sparse keys for sessions: 50 events/s over 2,000 keys leave gaps that close them.)
    for (window, extra, keys) in [
        (
            r#"{"kind": "tumbling", "size_s": 60}"#,
            r#""allowed_lateness_s": 0"#,
            20,
        ),
        (
            r#"{"kind": "sliding", "size_s": 60, "slide_s": 20}"#,
            r#""allowed_lateness_s": 30"#,
            20,
        ),
        (
            r#"{"kind": "session", "gap_s": 10}"#,
            r#""late_side_output": true"#,
            2000,
        ),
    ] {
        for parallelism in [1u32, 4] {
            let json = format!(
                r#"{{"seed": 7, "engine": {{"name": "flink"}},
                    "flink": {{"checkpoint_interval_s": 30, "parallelism": {parallelism}, {extra}}},
                    "workload": {{"duration_s": 1800, "rate_per_s": 50, "keys": {keys},
                                  "lateness": {{"kind": "exponential", "mean_s": 5}}}},
                    "query": {{"operator": "window_count", "window": {window}, "watermark_delay_s": 10}},
                    "sink": {{"format": "parquet"}}}}"#
            );
            let r = run(&json);
            let s = &r.summary;
            let f = s.fates.clone();
            assert_eq!(
                f.on_time + f.late_counted + f.dropped_late,
                s.events,
                "{window} p{parallelism}"
            );
            assert_eq!(s.latency.count + f.in_state_at_end, f.on_time + f.late_counted);
            let total: u64 = r.batches.input_rows.iter().sum();
            assert_eq!(total, s.events);
            assert!(r.batches.watermark_us.windows(2).all(|w| w[0] <= w[1]));
            for (&files, &rows) in r.batches.data_files.iter().zip(&r.batches.output_rows) {
                // A part file per (subtask, hour bucket) with rows, none without.
                assert!(
                    files <= rows && files <= 2 * u64::from(parallelism),
                    "{files} {rows}"
                );
                assert_eq!(files == 0, rows == 0);
            }
            let fl = r.flink.as_ref().unwrap();
            assert_eq!(fl.checkpoints, s.batches);
            assert_eq!(fl.late_dropped + fl.late_side_output, f.dropped_late);
            // A checkpoint commits after its barrier: latency at least the window's wait.
            assert!(
                s.latency.p50_s.unwrap_or(0.0) > 0.0,
                "{window} p{parallelism} {s:?}"
            );
        }
    }
}

#[test]
fn same_seed_same_report_and_parallelism_spreads_files() {
    let json = |p: u32| {
        format!(
            r#"{{"seed": 11, "engine": {{"name": "flink"}}, "flink": {{"checkpoint_interval_s": 10, "parallelism": {p}}},
                "workload": {{"duration_s": 600, "rate_per_s": 200, "keys": 50}},
                "source": {{"kafka_partitions": 8}}, "query": {{"operator": "select"}}, "sink": {{"format": "parquet"}}}}"#
        )
    };
    let a = run(&json(1));
    assert_eq!(a.digest(), run(&json(1)).digest());
    let b = run(&json(4));
    // A select writes a row on arrival: every checkpoint with data rolls a file per
    // subtask that had rows.
    assert!(b.summary.files.data_files > a.summary.files.data_files);
    assert_eq!(
        a.summary.files.data_files,
        a.batches.input_rows.iter().filter(|&&n| n > 0).count() as u64
    );
    // Latency of a select: arrival to the next completion, at most interval + duration.
    assert!(a.summary.latency.max_s.unwrap() <= 11.01);
}

#[test]
fn a_flink_scenario_names_what_it_cannot_run() {
    let e = ScenarioSpec::from_json(
        r#"{"seed": 1, "engine": {"name": "flink"}, "query": {"operator": "dedup", "dedup_columns": ["id"]}}"#,
    )
    .unwrap_err();
    assert_eq!(e.field, "query.operator");
    let e = ScenarioSpec::from_json(
        r#"{"seed": 1, "engine": {"name": "flink"}, "source": {"max_rows_per_trigger": 10}}"#,
    )
    .unwrap_err();
    assert_eq!(e.field, "source.max_rows_per_trigger");
    let e = ScenarioSpec::from_json(
        r#"{"seed": 1, "engine": {"name": "flink"}, "flink": {"checkpoint_interval_s": 0}}"#,
    )
    .unwrap_err();
    assert_eq!(e.field, "flink.checkpoint_interval_s");
    // With idleness every tick of every partition is checked: bounded before any work.
    let e = ScenarioSpec::from_json(
        r#"{"seed": 1, "engine": {"name": "flink"}, "flink": {"watermark_interval_ms": 1, "idleness_s": 1e5},
            "source": {"kafka_partitions": 4}, "workload": {"duration_s": 864000, "rate_per_s": 0.001}}"#,
    )
    .unwrap_err();
    assert_eq!(e.field, "flink.watermark_interval_ms");
    let e = ScenarioSpec::from_json(r#"{"seed": 1, "engine": {"name": "storm"}}"#).unwrap_err();
    assert_eq!(e.field, "engine.name");
}

#[test]
fn a_kafka_partition_without_records_stalls_windows_unless_idleness_lets_it_go() {
    // Two keys over 8 partitions: most partitions get nothing, so the min of the
    // partitions' watermarks stays at Long.MIN_VALUE and no window ever fires.
    let json = |idleness: &str| {
        format!(
            r#"{{"seed": 5, "engine": {{"name": "flink"}}, "flink": {{"checkpoint_interval_s": 10, "idleness_s": {idleness}}},
                "source": {{"kafka_partitions": 8}},
                "workload": {{"duration_s": 600, "rate_per_s": 20, "keys": 2}},
                "query": {{"operator": "window_count", "window": {{"kind": "tumbling", "size_s": 60}}, "watermark_delay_s": 5}},
                "sink": {{"format": "parquet"}}}}"#
        )
    };
    let stalled = run(&json("null"));
    assert_eq!(stalled.flink.as_ref().unwrap().watermark_firings, 0);
    assert_eq!(stalled.summary.files.data_files, 0);
    assert_eq!(stalled.summary.fates.in_state_at_end, stalled.summary.events);
    let idle = run(&json("30"));
    let f = idle.flink.as_ref().unwrap();
    assert!(f.watermark_firings >= 8, "{f:?}");
    assert!(idle.summary.latency.count > 0);
}

/// The trace's invariants (`report/flink_trace.rs`) on one report.
fn check_trace(r: &Report) -> &crate::report::flink_trace::FlinkTrace {
    use crate::report::flink_trace::{MAX_FIRINGS, MAX_WATERMARKS};
    let tr = r.flink_trace.as_ref().expect("a Flink run has a trace");
    let f = r.flink.as_ref().unwrap();
    assert!(tr.watermark_us.len() <= MAX_WATERMARKS + 1);
    assert!(tr.firing_at_us.len() <= MAX_FIRINGS);
    assert_eq!(tr.watermark_at_us.len(), tr.watermark_us.len());
    assert!(tr.watermark_at_us.windows(2).all(|w| w[0] < w[1]));
    assert!(tr.watermark_us.windows(2).all(|w| w[0] < w[1]));
    assert!(tr.firing_at_us.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(tr.watermarks_seen, f.watermarks);
    let rows: u64 = tr.firing_rows.iter().sum();
    let fired = f.watermark_firings + f.element_firings;
    assert!(rows <= fired && tr.firings_seen <= fired, "{rows} {fired}");
    if tr.firing_stride == 1 {
        assert_eq!(rows, fired);
    }
    if tr.watermark_stride == 1 {
        assert_eq!(tr.watermark_us.len() as u64, f.watermarks);
    }
    // A watermark firing fires a window the watermark has passed.
    for i in 0..tr.firing_at_us.len() {
        if tr.firing_by[i] == crate::report::flink_trace::FIRED_BY_WATERMARK {
            let j = tr.watermark_at_us.partition_point(|&t| t <= tr.firing_at_us[i]);
            if tr.watermark_stride == 1 && j > 0 {
                assert!(tr.watermark_us[j - 1] >= tr.firing_end_us[i] - 1000);
            }
        }
    }
    tr
}

#[test]
fn the_trace_holds_every_watermark_step_and_firing_of_a_short_run() {
    let (r, _) = by_hand(false);
    let tr = check_trace(&r);
    let t0 = 1_704_067_200 * S;
    // The tick after the 13 s element forwards 10.999 s and fires [0,10): one row.
    let i = tr
        .watermark_us
        .iter()
        .position(|&w| w == t0 + 10_999_000)
        .unwrap();
    assert_eq!(tr.watermark_at_us[i], t0 + 13 * S + 200_000);
    assert_eq!(tr.firing_at_us, [t0 + 13 * S + 200_000]);
    assert_eq!(tr.firing_end_us, [t0 + 10 * S]);
    assert_eq!(tr.firing_rows, [1]);
    // Re-firings by late elements within allowed lateness: element points.
    let json = r#"{"seed": 3, "engine": {"name": "flink"}, "flink": {"allowed_lateness_s": 120},
        "workload": {"duration_s": 1800, "rate_per_s": 20, "keys": 10, "lateness": {"kind": "exponential", "mean_s": 30}},
        "query": {"operator": "window_count", "window": {"kind": "tumbling", "size_s": 60}, "watermark_delay_s": 5},
        "sink": {"format": "parquet"}}"#;
    let r = run(json);
    let tr = check_trace(&r);
    assert_eq!(tr.firing_stride, 1);
    assert!(r.flink.as_ref().unwrap().element_firings > 0);
    let by = |b: u8| {
        tr.firing_by
            .iter()
            .zip(&tr.firing_rows)
            .filter(|&(&x, _)| x == b)
            .map(|(_, &n)| n)
            .sum::<u64>()
    };
    assert_eq!(by(0), r.flink.as_ref().unwrap().watermark_firings);
    assert_eq!(by(1), r.flink.as_ref().unwrap().element_firings);
    // A tumbling end fires every key with a row at one tick: one point, not ten.
    assert!(tr.firing_rows.iter().any(|&n| n > 1));
}

#[test]
fn a_long_run_s_trace_is_bounded_thinned_over_the_whole_run_and_deterministic() {
    use crate::report::flink_trace::MAX_WATERMARKS;
    // Four days at 2 events/s: ~690 000 forwarded watermarks, 27 648 window ends.
    let json = r#"{"seed": 9, "engine": {"name": "flink"},
        "workload": {"duration_s": 345600, "rate_per_s": 2, "keys": 3},
        "query": {"operator": "window_count", "window": {"kind": "tumbling", "size_s": 10}, "watermark_delay_s": 1},
        "sink": null}"#;
    let r = run(json);
    let tr = check_trace(&r);
    let f = r.flink.as_ref().unwrap();
    assert!(f.watermarks > 4 * MAX_WATERMARKS as u64, "{f:?}");
    assert!(
        tr.watermark_stride > 1 && tr.firing_stride > 1,
        "{} {}",
        tr.watermark_stride,
        tr.firing_stride
    );
    // (The stride is chosen from an upper bound: a quarter of the bound or more is kept.)
    assert!(
        tr.watermark_us.len() > MAX_WATERMARKS / 4,
        "{} {f:?}",
        tr.watermark_us.len()
    );
    // Spread over the whole run: the first points near its start, the last near its end,
    // and no gap much wider than a stride's worth.
    let (start, end) = (r.batches.start_us[0], *r.batches.end_us.last().unwrap());
    let span = end - start;
    let hour = 3_600 * S;
    assert!(tr.watermark_at_us[0] - start < hour && end - tr.watermark_at_us.last().unwrap() < hour);
    assert!(tr.firing_at_us[0] - start < hour && end - tr.firing_at_us.last().unwrap() < hour);
    let widest = |v: &[i64]| v.windows(2).map(|w| w[1] - w[0]).max().unwrap();
    assert!(
        widest(&tr.watermark_at_us) < span / 1000,
        "{}",
        widest(&tr.watermark_at_us)
    );
    assert!(
        widest(&tr.firing_at_us) < span / 1000,
        "{}",
        widest(&tr.firing_at_us)
    );
    // The last forwarded watermark is the last point.
    assert_eq!(
        *tr.watermark_us.last().unwrap(),
        *r.batches.watermark_us.last().unwrap()
    );
    // Deterministic, and outside the JSON report (so outside its digest).
    let again = run(json);
    assert_eq!(again.flink_trace, r.flink_trace);
    let v = serde_json::to_value(&r).unwrap();
    assert!(v.get("flink_trace").is_none() && v.get("flink").is_some());
}

#[test]
fn a_spark_run_has_no_trace_and_a_scaled_flink_run_traces_its_slice() {
    let spark = run(r#"{"seed": 1, "workload": {"duration_s": 600, "rate_per_s": 10}}"#);
    assert!(spark.flink_trace.is_none());
    let json = r#"{"seed": 2, "engine": {"name": "flink"},
        "workload": {"duration_s": 259200, "rate_per_s": 3000, "keys": 100},
        "query": {"operator": "window_count", "window": {"kind": "tumbling", "size_s": 600}, "watermark_delay_s": 60},
        "sink": {"format": "parquet"}}"#;
    let r = run(json);
    let scaled = r.scaled.as_ref().expect("a scaled run");
    let tr = r.flink_trace.as_ref().unwrap();
    // The workload's start: a checkpoint interval (60 s) before the first barrier.
    let start = r.batches.start_us[0] - 60 * S;
    let slice_end = start + (scaled.timeline_slice_s * 1e6) as i64;
    // The slice's ticks (the watermark advances to its end), not the whole run's.
    let last = *tr.watermark_at_us.last().unwrap();
    assert!(
        last <= slice_end + 3_600 * S && last >= slice_end - 10 * S,
        "{last} {slice_end}"
    );
    assert_eq!(tr.watermark_stride, 1);
}
