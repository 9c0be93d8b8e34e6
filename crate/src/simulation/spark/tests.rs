use super::*;
use crate::scenario::spec::ScenarioSpec;
use crate::simulation::{simulate, simulate_with_progress};

fn run(json: &str) -> Report {
    simulate(&ScenarioSpec::from_json(json).unwrap()).unwrap()
}

fn generated_sc(sc: &Scenario) -> u64 {
    EventStream::new(sc.workload.clone(), sc.seed).count() as u64
}

fn generated(json: &str) -> u64 {
    let sc = ScenarioSpec::from_json(json).unwrap();
    EventStream::new(sc.workload.clone(), sc.seed).count() as u64
}

#[test]
fn every_event_is_in_exactly_one_batch_and_watermark_never_decreases() {
    for trigger in [
        r#"{"kind": "processing_time", "interval_s": 60}"#,
        r#"{"kind": "default"}"#,
        r#"{"kind": "once"}"#,
        r#"{"kind": "available_now", "at_s": 300}"#,
        r#"{"kind": "scheduled", "every_s": 120, "startup_s": 30}"#,
    ] {
        let json =
            format!(r#"{{"seed": 3, "trigger": {trigger}, "source": {{"max_rows_per_trigger": 5000}}}}"#);
        let r = run(&json);
        let total: u64 = r.batches.input_rows.iter().sum();
        assert_eq!(total, r.summary.events, "{trigger}");
        assert_eq!(
            total + r.summary.unprocessed_events,
            generated(&json),
            "{trigger}"
        );
        assert!(
            r.batches.watermark_us.windows(2).all(|w| w[0] <= w[1]),
            "{trigger}"
        );
        assert!(r.batches.start_us.windows(2).all(|w| w[0] <= w[1]), "{trigger}");
        assert!(
            r.batches
                .start_us
                .iter()
                .zip(&r.batches.end_us)
                .all(|(s, e)| s <= e)
        );
    }
}

#[test]
fn every_event_has_exactly_one_fate() {
    for query in [
        r#"{"operator": "window_count", "window": {"kind": "sliding", "size_s": 60, "slide_s": 20}, "watermark_delay_s": 5}"#,
        r#"{"operator": "window_count", "window": {"kind": "session", "gap_s": 5}, "watermark_delay_s": 2}"#,
        r#"{"operator": "window_count", "output_mode": "update", "watermark_delay_s": 3}"#,
        r#"{"operator": "dedup", "dedup_columns": ["key", "event_time"], "watermark_delay_s": 1}"#,
        r#"{"operator": "dedup_within_watermark", "dedup_columns": ["key"], "watermark_delay_s": 1}"#,
    ] {
        let json = format!(
            r#"{{"seed": 9, "workload": {{"duration_s": 300, "rate_per_s": 20, "keys": 3,
                  "lateness": {{"kind": "exponential", "mean_s": 10}}}},
                 "trigger": {{"kind": "processing_time", "interval_s": 5}}, "query": {query}}}"#
        );
        let r = run(&json);
        let f = &r.summary.fates;
        assert_eq!(
            f.on_time + f.late_counted + f.dropped_late + f.duplicate,
            r.summary.events,
            "{query}"
        );
        assert!(f.dropped_late > 0, "{query}: this lateness must drop rows");
        // per-event detail covers every event (6 000 < the default limit)
        let d = &r.events;
        assert_eq!(d.stride, 1);
        assert_eq!(d.id.len() as u64, r.summary.events, "{query}");
        assert!(d.id.iter().enumerate().all(|(i, &id)| id == i as u64));
        let count = |code: u8| d.fate.iter().filter(|&&c| c == code).count() as u64;
        assert_eq!(count(2), f.dropped_late, "{query}");
        assert_eq!(count(3), f.duplicate, "{query}");
        assert_eq!(count(4), f.in_state_at_end, "{query}");
        assert_eq!(count(0) + count(1), r.summary.latency.count, "{query}");
        // visible no earlier than arrival; dropped rows never visible
        for i in 0..d.id.len() {
            if d.visible_us[i] >= 0 {
                assert!(d.visible_us[i] >= d.arrival_us[i]);
                assert!(d.fate[i] <= 1);
            }
            if d.fate[i] == 2 {
                // dropped by the watermark its batch used
                assert!(d.event_time_us[i] <= d.late_watermark_us[i], "{query}");
            }
        }
    }
}

#[test]
fn latency_follows_the_trigger_and_the_output_mode() {
    let base =
        r#""workload": {"lateness": {"kind": "none"}}, "batch_cost": {"overhead_s": 0.5, "per_row_us": 0}"#;
    let update = run(&format!(
        r#"{{"seed": 1, {base}, "trigger": {{"kind": "processing_time", "interval_s": 10}},
             "query": {{"output_mode": "update"}}}}"#
    ));
    let l = &update.summary.latency;
    // wait for the next trigger (0–10 s) + 0.5 s batch
    assert!(l.max_s.unwrap() <= 10.5 + 1e-6 && l.p50_s.unwrap() > 0.5, "{l:?}");
    let append = run(&format!(
        r#"{{"seed": 1, {base}, "trigger": {{"kind": "processing_time", "interval_s": 10}}}}"#
    ));
    // append waits for window end (≤ 60 s) + the 60 s watermark delay
    assert!(
        append.summary.latency.p50_s.unwrap() > 60.0,
        "{:?}",
        append.summary.latency
    );
    let daily = run(&format!(
        r#"{{"seed": 1, {base}, "query": {{"output_mode": "update"}},
             "trigger": {{"kind": "scheduled", "every_s": 3600, "startup_s": 270}}}}"#
    ));
    // 10 minutes of events, one run at 1 h + 4.5 min start-up
    assert!(
        daily.summary.latency.p50_s.unwrap() > 3000.0,
        "{:?}",
        daily.summary.latency
    );
}

#[test]
fn large_runs_keep_a_sample() {
    let r = run(r#"{"seed": 1, "report": {"detail_events": 1000}}"#);
    assert!(r.events.stride >= 30);
    // 30 000 events, at most 1 000 kept: stride 32 (a power of two) keeps ~940
    assert!(r.events.id.len() <= 1000, "{}", r.events.id.len());
    assert!(r.events.id.len() >= 500, "{}", r.events.id.len());
    assert!(r.events.id.iter().all(|id| id % r.events.stride == 0));
    assert_eq!(
        r.summary.latency.count + r.summary.fates.in_state_at_end,
        r.summary.fates.on_time + r.summary.fates.late_counted
    );
}

#[test]
fn explicit_events_replay_exactly() {
    // a@0 arrives at 1 s, a@100 at 101 s, a@5 at 200 s: by then the watermark is
    // 100 − 10 = 90 s and window [0,10) closed, so a@5 is dropped.
    let r = run(r#"{"seed": 1,
        "workload": {"events": [
            {"key": "a", "event_time": "2024-01-01T00:00:00Z", "arrival": "2024-01-01T00:00:01Z"},
            {"key": "a", "event_time": "2024-01-01T00:01:40Z", "arrival": "2024-01-01T00:01:41Z"},
            {"key": "a", "event_time": "2024-01-01T00:00:05Z", "arrival": "2024-01-01T00:03:20Z"}]},
        "trigger": {"kind": "processing_time", "interval_s": 60},
        "query": {"window": {"kind": "tumbling", "size_s": 10}, "watermark_delay_s": 10},
        "batch_cost": {"overhead_s": 1, "per_row_us": 0}}"#);
    assert_eq!(r.summary.events, 3);
    assert_eq!(r.summary.fates.dropped_late, 1);
    assert_eq!(r.events.fate, vec![0, 2, 4]); // id 1 = a@5 (event-time order)
    // batches at 60 s (a@0), 120 s (a@100; a no-data batch would follow at 180 s to
    // close [0,10) — it emits a@0's window), 240 s (a@5, dropped)
    let t0 = crate::base::time::parse_rfc3339("2024-01-01T00:00:00Z").unwrap();
    let starts: Vec<i64> = r.batches.start_us.iter().map(|s| (s - t0) / 1_000_000).collect();
    assert_eq!(starts, vec![60, 120, 180, 240]);
    assert_eq!(r.batches.input_rows, vec![1, 1, 0, 1]);
    // a@0 became visible when [0,10) was emitted, at the end of the 180 s batch
    assert_eq!(r.events.visible_us[0] - t0, 181_000_000);
}

#[test]
fn a_file_sink_counts_files_per_batch() {
    let flat = run(r#"{"seed": 2, "engine": {"shuffle_partitions": 8}, "sink": {"format": "parquet"}}"#);
    let b = &flat.batches;
    // every batch adds at least task 0's file; no batch more than P + 1
    assert!(b.data_files.iter().all(|&n| (1..=9).contains(&n)));
    assert!(
        b.output_rows
            .iter()
            .zip(&b.empty_files)
            .all(|(&rows, &e)| rows > 0 || e == 1)
    );
    let f = &flat.summary.files;
    assert_eq!(f.data_files, b.data_files.iter().sum::<u64>());
    let st = &flat.cost.storage;
    assert_eq!(st.table_log_files, flat.summary.batches);
    assert_eq!(st.state_delta_files, 8 * flat.summary.batches);
    // 10 keys × 1 window emitted per batch spread over ≤ 8 tasks
    assert!(b.data_files.iter().max().copied().unwrap_or(0) > 3);
    let by_key = run(
        r#"{"seed": 2, "engine": {"shuffle_partitions": 8}, "sink": {"format": "parquet", "partition_by": ["key"]}}"#,
    );
    assert_eq!(by_key.summary.files.empty_data_files, 0);
    assert_eq!(by_key.summary.files.partition_dirs_max, 10);
    // one file per (task, key) with rows: 10 keys, each in one task → 10 per emitting batch
    assert!(
        by_key
            .batches
            .data_files
            .iter()
            .zip(&by_key.batches.output_rows)
            .all(|(&f, &r)| f == r.min(10))
    );
    let e = ScenarioSpec::from_json(r#"{"seed": 1, "trigger": {"kind": "continuous", "checkpoint_interval_s": 1}, "query": {"operator": "select"}, "sink": {"format": "parquet"}}"#).unwrap_err();
    assert_eq!(e.field, "sink");
}

#[test]
fn progress_rises_to_one_and_changes_nothing() {
    let sc = ScenarioSpec::from_json(r#"{"seed": 4, "workload": {"duration_s": 3600, "rate_per_s": 100}}"#)
        .unwrap();
    let mut seen = Vec::new();
    let with = simulate_with_progress(&sc, &mut |f| seen.push(f));
    assert_eq!(with, simulate(&sc));
    assert!(seen.len() > 5, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(seen.last(), Some(&1.0));
    assert!(seen[..seen.len() - 1].iter().all(|&f| (0.0..1.0).contains(&f)));
}

#[test]
fn stateless_sinks_write_from_their_read_tasks() {
    // Kafka: 10 keys over 4 topic partitions; a batch writes one file per partition
    // with rows, and no state files.
    let k = run(
        r#"{"seed": 5, "query": {"operator": "select"}, "source": {"kafka_partitions": 4},
            "sink": {"format": "parquet"}}"#,
    );
    let b = &k.batches;
    let used: std::collections::BTreeSet<u32> = (0..10)
        .map(|i| crate::storage::sink::kafka_partition(format!("k{i}").as_bytes(), 4))
        .collect();
    assert!(b.data_files.iter().all(|&n| n >= 1 && n <= used.len() as u64));
    assert_eq!(b.data_files.iter().max(), Some(&(used.len() as u64)));
    assert_eq!(k.cost.storage.state_delta_files, 0);
    // File source, files of 100 rows, 4 cores: a 1-minute batch of ~3 000 rows is
    // ~30 small files, packed into 4 splits (the 128 MiB cap never bites).
    let f = run(
        r#"{"seed": 5, "query": {"operator": "select"}, "source": {"file_rows": 100},
            "sink": {"format": "parquet"}}"#,
    );
    let full: Vec<u64> = f
        .batches
        .input_rows
        .iter()
        .zip(&f.batches.data_files)
        .filter(|(r, _)| **r >= 400)
        .map(|(_, &n)| n)
        .collect();
    assert!(!full.is_empty() && full.iter().all(|&n| n == 4), "{full:?}");
}

#[test]
fn delta_auto_compaction_rewrites_small_files() {
    let plain = run(
        r#"{"seed": 2, "engine": {"shuffle_partitions": 8}, "trigger": {"kind": "processing_time", "interval_s": 5},
            "sink": {"format": "delta"}}"#,
    );
    let compacted = run(
        r#"{"seed": 2, "engine": {"shuffle_partitions": 8}, "trigger": {"kind": "processing_time", "interval_s": 5},
            "sink": {"format": "delta", "delta": {"auto_compact": true}}}"#,
    );
    assert_eq!(plain.cost.maintenance.jobs, 0);
    assert!(compacted.cost.maintenance.jobs > 0);
    // 50 small files (5 s batches, 8 partitions) become one at each compaction.
    assert!(compacted.cost.storage.live_data_files < plain.cost.storage.live_data_files / 2);
    assert_eq!(
        compacted.cost.maintenance.files_written,
        compacted.cost.maintenance.jobs
    );
    assert!(compacted.cost.usd.maintenance_requests > 0.0);
    // Same writes by the query either way.
    assert_eq!(
        plain.cost.storage.data_files_written,
        compacted.cost.storage.data_files_written
    );
}

#[test]
fn a_run_sees_only_what_had_arrived() {
    let r = run(r#"{"seed": 3, "trigger": {"kind": "available_now", "at_s": 300}}"#);
    assert!(
        r.summary.unprocessed_events > 10_000,
        "{}",
        r.summary.unprocessed_events
    );
    assert!(r.summary.events > 10_000);
}

#[test]
fn a_shared_stream_gives_each_trigger_its_standalone_report() {
    let base = r#""seed": 5, "workload": {"duration_s": 7200, "rate_per_s": 30, "keys": 20,
        "offline": {"fraction": 0.01, "min_s": 600, "max_s": 1800}},
        "query": {"window": {"kind": "tumbling", "size_s": 60}, "watermark_delay_s": 30},
        "sink": {"format": "delta"}"#;
    let triggers = [
        r#"{"kind": "processing_time", "interval_s": 1}"#,
        r#"{"kind": "processing_time", "interval_s": 60}"#,
        r#"{"kind": "processing_time", "interval_s": 3600}"#,
        r#"{"kind": "scheduled", "every_s": 900, "startup_s": 270}"#,
        r#"{"kind": "scheduled", "every_s": 86400, "startup_s": 270}"#,
        r#"{"kind": "available_now"}"#,
        r#"{"kind": "once"}"#,
    ];
    let stateless = r#""seed": 6, "workload": {"duration_s": 3600, "rate_per_s": 20},
        "query": {"operator": "select"}"#;
    let more = [
        r#"{"kind": "continuous", "checkpoint_interval_s": 10}"#,
        r#"{"kind": "processing_time", "interval_s": 30}"#,
    ];
    let scenarios = |base: &str, ts: &[&str]| -> Vec<Scenario> {
        ts.iter()
            .map(|t| ScenarioSpec::from_json(&format!(r#"{{{base}, "trigger": {t}}}"#)).unwrap())
            .collect()
    };
    check_shared(&scenarios(base, &triggers));
    check_shared(&scenarios(stateless, &more));
    // A windowed count is fed straight from the shared chunks as they are taken, whatever
    // the chunk size of its own-stream runs: the same reports, and the day's job (one batch
    // of all 216,000 events) does not hold the shared stream back.
    let many = check_shared_in_chunks(&scenarios(base, &triggers), 500);
    let whole = check_shared_in_chunks(&scenarios(base, &triggers), CHUNK_ROWS);
    for held in [many.peak_held_rows, whole.peak_held_rows] {
        assert!(
            held <= 4 * crate::workload::shared_stream::CHUNK,
            "held {held} rows"
        );
    }
}

/// Points that read whole shared chunks share each chunk's digest (per window and key,
/// `window_digest.rs`) and still give their standalone reports bit for bit: late windows
/// dropped whole, late-but-counted rows, a detail sample (ids kept in the lists), keys
/// few and many, windows that straddle chunks, a job's one batch.
#[test]
#[cfg(feature = "sweep_digest")]
fn points_sharing_a_chunk_digest_give_their_standalone_reports() {
    let triggers = [
        r#"{"kind": "processing_time", "interval_s": 5}"#,
        r#"{"kind": "processing_time", "interval_s": 300}"#,
        r#"{"kind": "processing_time", "interval_s": 900}"#,
        r#"{"kind": "processing_time", "interval_s": 3600}"#,
        r#"{"kind": "scheduled", "every_s": 1800, "startup_s": 60}"#,
        r#"{"kind": "scheduled", "every_s": 86400, "startup_s": 60}"#,
    ];
    for (keys, window_s, delay_s, detail) in [(7, 60, 30, 100_000), (300, 600, 120, 500), (1, 10, 0, 20_000)]
    {
        let base = format!(
            r#""seed": 9, "workload": {{"duration_s": 10800, "rate_per_s": 40, "keys": {keys},
            "lateness": {{"kind": "exponential", "mean_s": 8}},
            "offline": {{"fraction": 0.05, "min_s": 60, "max_s": 2400}}}},
            "query": {{"window": {{"kind": "tumbling", "size_s": {window_s}}}, "watermark_delay_s": {delay_s},
            "output_mode": "append"}}, "sink": {{"format": "parquet"}},
            "report": {{"detail_events": {detail}}}"#
        );
        let scs: Vec<Scenario> = triggers
            .iter()
            .map(|t| ScenarioSpec::from_json(&format!(r#"{{{base}, "trigger": {t}}}"#)).unwrap())
            .collect();
        let many = check_shared_in_chunks(&scs, CHUNK_ROWS);
        assert!(many.digested_chunks > 0, "no chunk was digested ({keys} keys)");
        // By the points whose batches take whole chunks (900 s and longer: a chunk is
        // ~410 s of events here).
        let dropped: u64 = many.reports[2..]
            .iter()
            .map(|r| r.as_ref().unwrap().summary.fates.dropped_late)
            .sum();
        assert!(dropped > 0, "late windows dropped ({keys} keys)");
    }
}

fn check_shared(scs: &[Scenario]) {
    check_shared_in_chunks(scs, CHUNK_ROWS);
}

fn check_shared_in_chunks(scs: &[Scenario], chunk_rows: u64) -> ManyRuns {
    let many = simulate_many_in_chunks(scs, None, chunk_rows);
    // One stream for all, except a run at the last arrival (available_now, once).
    let own = scs
        .iter()
        .filter(|sc| matches!(sc.trigger, Trigger::Runs(r) if r.first.is_none()))
        .count() as u32;
    assert_eq!(many.streams, 1 + own);
    assert_eq!(many.shared_events, generated_sc(&scs[0]));
    for (sc, got) in scs.iter().zip(&many.reports) {
        let alone = simulate(sc);
        match (got, alone) {
            (Ok(a), Ok(b)) => assert_eq!(a, &b, "{:?}", sc.trigger),
            (Err(a), Err(b)) => assert_eq!(a, &b),
            (a, b) => panic!(
                "{:?}: shared {:?} vs alone {:?}",
                sc.trigger,
                a.is_ok(),
                b.is_ok()
            ),
        }
    }
    many
}

#[test]
fn a_batch_fed_in_chunks_equals_the_batch_at_once() {
    // Batches of ~3,000 rows in chunks of 50 and 1,000 rows (and at once): every output
    // mode, tumbling and sliding, the dense and the hashed partial step, a rate limit,
    // a scheduled job with a no-data batch, late and dropped rows.
    let base = r#""workload": {"duration_s": 600, "rate_per_s": 100, "keys": KEYS,
            "lateness": {"kind": "exponential", "mean_s": 20},
            "offline": {"fraction": 0.1, "min_s": 30, "max_s": 400}}"#;
    #[rustfmt::skip]
    let cases = [
        (r#""trigger": {"kind": "processing_time", "interval_s": 30}"#, "tumbling", "append", "5"),
        (r#""trigger": {"kind": "processing_time", "interval_s": 30}"#, "sliding", "update", "5"),
        (r#""trigger": {"kind": "processing_time", "interval_s": 60}"#, "tumbling", "complete", "100000"),
        (r#""trigger": {"kind": "scheduled", "every_s": 120}"#, "sliding", "append", "100000"),
        (r#""trigger": {"kind": "scheduled", "every_s": 300}, "source": {"max_rows_per_trigger": 2500}"#, "tumbling", "append", "7"),
        (r#""trigger": {"kind": "once"}"#, "tumbling", "update", "3"),
    ];
    for (trigger, window, mode, keys) in cases {
        let window = match window {
            "tumbling" => r#"{"kind": "tumbling", "size_s": 60}"#,
            _ => r#"{"kind": "sliding", "size_s": 60, "slide_s": 20}"#,
        };
        let json = format!(
            r#"{{"seed": 5, {}, {trigger},
                "query": {{"window": {window}, "watermark_delay_s": 30, "output_mode": "{mode}"}},
                "sink": {sink}, "report": {{"detail_events": 100000}}}}"#,
            base.replace("KEYS", keys),
            sink = if mode == "append" {
                r#"{"format": "parquet"}"#
            } else {
                "null"
            }
        );
        let sc = ScenarioSpec::from_json(&json).unwrap();
        let whole = simulate(&sc).unwrap();
        let one_batch = trigger.contains("once");
        assert!(
            whole.summary.fates.dropped_late > 0 || mode == "complete" || one_batch,
            "{json}"
        );
        assert!(whole.batches.input_rows.iter().any(|&n| n > 1000), "{json}");
        for chunk in [50, 1000] {
            assert_eq!(
                run_in_chunks(&sc, None, chunk).unwrap(),
                whole,
                "chunks of {chunk}: {json}"
            );
        }
    }
}

#[test]
fn same_seed_same_report() {
    let a = run(r#"{"seed": 11, "workload": {"duration_s": 120}}"#);
    let b = run(r#"{"seed": 11, "workload": {"duration_s": 120}}"#);
    assert_eq!(a, b);
}

#[test]
fn longer_trigger_means_fewer_batches() {
    let a = run(r#"{"seed": 5, "trigger": {"kind": "processing_time", "interval_s": 10}}"#);
    let b = run(r#"{"seed": 5, "trigger": {"kind": "processing_time", "interval_s": 60}}"#);
    assert!(
        a.summary.batches > b.summary.batches,
        "{} vs {}",
        a.summary.batches,
        b.summary.batches
    );
    assert_eq!(a.summary.events, b.summary.events);
}

#[test]
fn overrunning_batches_fall_behind() {
    let r = run(
        r#"{"seed": 5, "trigger": {"kind": "processing_time", "interval_s": 1},
                    "batch_cost": {"overhead_s": 1.5}}"#,
    );
    assert!(r.summary.falling_behind_batches > 0);
    // rows arriving while a batch runs wait for the next one
    assert!(r.summary.max_backlog_rows > 0);
    assert_eq!(
        r.batches.backlog_rows.iter().max().copied(),
        Some(r.summary.max_backlog_rows)
    );
    // back-to-back: each batch starts when the previous ends
    assert!(
        r.batches
            .start_us
            .windows(2)
            .zip(r.batches.end_us.iter())
            .all(|(s, e)| s[1] >= *e)
    );
}

#[test]
fn rate_limit_caps_batches_and_grows_backlog() {
    let r = run(
        r#"{"seed": 5, "trigger": {"kind": "processing_time", "interval_s": 10},
                    "source": {"max_rows_per_trigger": 400}}"#,
    );
    // 50 events/s × 10 s = 500 per trigger > 400: the source falls behind
    assert!(r.batches.input_rows.iter().all(|&n| n <= 400));
    assert!(r.batches.backlog_rows.windows(2).any(|w| w[1] > w[0]));
    assert!(
        r.summary.max_backlog_rows > 1000,
        "{}",
        r.summary.max_backlog_rows
    );
}

#[test]
fn once_is_one_batch_available_now_ends_with_a_no_data_batch() {
    let once = run(r#"{"seed": 2, "trigger": {"kind": "once"}, "source": {"max_rows_per_trigger": 1000}}"#);
    assert_eq!(once.summary.batches, 1, "once ignores the rate limit");
    assert_eq!(once.summary.runs, 1);
    // Without lateness the last batch holds the newest event times, so it moves the
    // watermark and a no-data batch follows.
    let an = run(
        r#"{"seed": 2, "trigger": {"kind": "available_now"}, "source": {"max_rows_per_trigger": 1000},
            "workload": {"lateness": {"kind": "none"}}}"#,
    );
    assert!(an.summary.batches > 30);
    assert!(an.batches.input_rows.iter().all(|&n| n <= 1000));
    assert_eq!(an.batches.input_rows.last(), Some(&0), "final no-data batch");
    assert_eq!(an.summary.no_data_batches, 1);
}

#[test]
fn a_scheduled_once_job_ends_when_nothing_is_left_to_arrive() {
    // Issue #12: `once` runs no no-data batch, so the window state it keeps never
    // empties; the job used to run forever (out of memory).
    let r = run(r#"{"seed": 1, "trigger": {"kind": "scheduled", "every_s": 600, "once": true}}"#);
    // The first run (at 600 s + 270 s start-up) finds every event of the 600 s workload.
    assert_eq!(r.summary.unprocessed_events, 0);
    assert_eq!(r.summary.runs, 1);
    assert!(r.summary.final_state_rows > 0, "the last windows stay in state");
}

#[test]
fn a_run_past_its_horizon_stops_with_the_field_to_change() {
    // One row a batch, each batch an hour, an event a second: the clock runs away.
    let sc = ScenarioSpec::from_json(
        r#"{"seed": 1, "workload": {"duration_s": 3600, "rate_per_s": 1},
            "trigger": {"kind": "processing_time", "interval_s": 1},
            "source": {"max_rows_per_trigger": 1},
            "batch_cost": {"overhead_s": 3600}}"#,
    )
    .unwrap();
    let e = simulate(&sc).unwrap_err();
    assert_eq!(e.field, "batch_cost.overhead_s", "{e}");
    assert!(e.message.contains("fall ever further behind"), "{e}");
}

#[test]
fn scheduled_job_starts_after_startup_and_keeps_state() {
    let r = run(r#"{"seed": 4, "trigger": {"kind": "scheduled", "every_s": 120, "startup_s": 30}}"#);
    // runs at 120 s, 240 s, … after the start, each 30 s after its tick
    let start = r.batches.start_us[0] - crate::base::time::parse_rfc3339("2024-01-01T00:00:00Z").unwrap();
    assert_eq!(start, 150_000_000);
    assert!(r.summary.runs >= 5);
    assert_eq!(r.summary.overlapping_runs, 0);
    let slow = run(r#"{"seed": 4, "trigger": {"kind": "scheduled", "every_s": 60, "startup_s": 90}}"#);
    assert!(slow.summary.overlapping_runs > 0);
}

#[test]
fn continuous_needs_a_stateless_query() {
    let e = ScenarioSpec::from_json(
        r#"{"seed": 1, "trigger": {"kind": "continuous", "checkpoint_interval_s": 1}}"#,
    )
    .unwrap_err();
    assert_eq!(e.field, "trigger");
    let r = run(
        r#"{"seed": 1, "trigger": {"kind": "continuous", "checkpoint_interval_s": 1},
                    "query": {"operator": "select", "watermark_delay_s": null}}"#,
    );
    assert_eq!(r.summary.output_rows, r.summary.events);
}
