//! The checkpoint's state files against real Spark 4.3: every run of the `files` and
//! `files_fast` sections of `tests/conformance/state_memory/results.json` (HDFS, RocksDB with
//! and without changelog checkpointing, each with the default maintenance and with a fast
//! one), replayed through the checkpoint model, files written, deleted and left compared
//! by kind.
//!
//! The workload (`measure.py`, `files_run`; README §2): a windowed count, 10 s windows and
//! a 10 s watermark delay, 4 shuffle partitions; addData b carries `keys_per_batch` new keys
//! at event time T0 + 5·b s; each addData runs a data batch (every key a new state row) and
//! then a no-data batch (the watermark moved) that evicts the windows it closed. The run
//! lists `state/` after each addData, `t_s` seconds after the query started; the fast set
//! pauses 0.5 s before its listing. Each batch here takes half of its addData's time.
//!
//! What the model cannot know is when the maintenance task ticks: its thread is one per
//! JVM, started with the first state store the JVM loaded (three runs share a JVM), at a
//! time the runs do not record. So each run is replayed with the first tick at 120 phases
//! over the interval, and some phase must give every compared count. Compared exactly: the
//! delta, changelog and zip files written, deleted and left (RocksDB: Spark's rules);
//! within a stated margin: the SSTs; not compared, each with its reason printed: the HDFS
//! model's snapshots and deletions, whose rules differ from Spark's (see `check`).

use pipeline_sim::storage::checkpoint::{Checkpoint, CheckpointSpec, StateFileTallies, StateProvider};
use pipeline_sim::storage::object_store::{FileTally, Ledger, Rename};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// `measure.py`: `T0`, the window, the watermark delay and the event-time step (s).
const T0: i64 = 1_767_225_600;
const WINDOW_S: i64 = 10;
const DELAY_S: i64 = 10;
const STEP_S: i64 = 5;
/// The fast set's pause after each addData, before its listing (README §2, "0.5 s pause").
const FAST_PAUSE_S: f64 = 0.5;

const KINDS: [&str; 5] = ["delta", "snapshot", "changelog", "zip", "sst"];

fn results() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance/state_memory/results.json");
    let text = std::fs::read_to_string(&path).expect("results.json is readable");
    serde_json::from_str(&text).expect("results.json is JSON")
}

fn secs(conf: &Value, key: &str) -> Option<f64> {
    conf.get(key)?.as_str()?.strip_suffix('s')?.parse().ok()
}

fn micros(s: f64) -> i64 {
    (s * 1e6).round() as i64
}

/// Written, deleted and left by kind, as one run measured them or the model made them.
type Counts = BTreeMap<&'static str, (u64, u64, u64)>;

fn measured(run: &Value) -> Counts {
    let n = |section: &str, kind: &str| run[section][kind].as_u64().unwrap_or(0);
    KINDS
        .iter()
        .map(|&k| {
            (
                k,
                (
                    n("totals_new_by_kind", k),
                    n("totals_deleted_by_kind", k),
                    n("final_files_by_kind", k),
                ),
            )
        })
        .collect()
}

fn modelled(t: &StateFileTallies) -> Counts {
    let c = |f: FileTally| (f.written, f.deleted, f.live());
    [
        ("delta", c(t.delta)),
        ("snapshot", c(t.snapshot)),
        ("changelog", c(t.changelog)),
        ("zip", c(t.zip)),
        ("sst", c(t.sst)),
    ]
    .into_iter()
    .collect()
}

/// The maintenance interval of a run, s.
fn interval_s(run: &Value) -> f64 {
    secs(&run["conf"], "spark.sql.streaming.stateStore.maintenanceInterval").expect("maintenanceInterval")
}

/// One run replayed: its provider and settings, its addData's times, the maintenance
/// task's first tick `phase` µs after the query started.
fn replay(run: &Value, partitions: u64, pause_s: f64, phase: i64) -> StateFileTallies {
    let conf = &run["conf"];
    let provider = match run["provider"].as_str() {
        Some("hdfs") => StateProvider::Hdfs,
        Some("rocksdb") => StateProvider::Rocksdb {
            changelog: conf["spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled"].as_str()
                == Some("true"),
        },
        other => panic!("provider {other:?}"),
    };
    let spec = CheckpointSpec {
        min_batches_to_retain: conf["spark.sql.streaming.minBatchesToRetain"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("minBatchesToRetain"),
        maintenance_interval_s: interval_s(run),
        ..CheckpointSpec::default()
    };
    let keys = run["keys_per_batch"].as_u64().expect("keys_per_batch");
    let adds = run["per_batch"].as_array().expect("per_batch");
    assert_eq!(
        adds.len() as u64,
        run["batches_added"].as_u64().expect("batches_added")
    );
    let mut ledger = Ledger::default();
    // The model ticks one interval after `start`: start one interval before the phase.
    let mut cp = Checkpoint::new(
        spec,
        Rename::Atomic,
        provider,
        partitions,
        phase - micros(interval_s(run)),
    );
    // Rows by window start (s), and the watermark (s).
    let mut windows: BTreeMap<i64, u64> = BTreeMap::new();
    let mut prev = 0i64;
    let mut last = 0i64;
    for (b, add) in adds.iter().enumerate() {
        let t_s = add["t_s"].as_f64().expect("t_s");
        let end = micros(t_s - pause_s).max(prev + 2);
        let mid = (prev + end) / 2;
        // The data batch: every key a new row in the event time's window.
        let et = T0 + STEP_S * b as i64;
        *windows.entry(et - et.rem_euclid(WINDOW_S)).or_default() += keys;
        let rows: u64 = windows.values().sum();
        cp.maintain(&mut ledger, mid, rows);
        cp.batch(&mut ledger, prev, mid, keys, 0, rows);
        // The no-data batch: the watermark is now et − delay; windows ending by it go.
        let watermark = et - DELAY_S;
        let gone: u64 = windows.range(..=watermark - WINDOW_S).map(|(_, &n)| n).sum();
        windows.retain(|&start, _| start + WINDOW_S > watermark);
        let rows: u64 = windows.values().sum();
        cp.maintain(&mut ledger, end, rows);
        cp.batch(&mut ledger, mid, end, 0, gone, rows);
        prev = end;
        last = micros(t_s);
    }
    assert_eq!(
        windows.values().sum::<u64>(),
        run["state_rows_last"].as_u64().expect("state_rows_last"),
        "the replayed workload ends with the measured state rows"
    );
    cp.maintain(&mut ledger, last, windows.values().sum());
    cp.state_files()
}

/// How a measured count is checked: exactly, within a fraction of it, or not at all (a
/// known difference, said why).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Check {
    Exact,
    Within(f64),
    Known(&'static str),
}

/// `field`: 0 written, 1 deleted, 2 left.
fn check(label: &str, kind: &str, field: usize) -> Check {
    let hdfs = label.starts_with("hdfs");
    match (kind, field) {
        // RocksDB's SSTs come from its flushes and compactions, whose timing the model takes
        // as rules (an L0 file a flush that put rows, a compaction every 4th flush, its output
        // in the next snapshot). The real compactions race the checkpoint, partition by
        // partition (a listing after one addData holds 5, 6 or 7 new SSTs, not a multiple of
        // the 4 partitions) and run by run (the same workload wrote 215 SSTs in one run and
        // 224 in the other): 15 % of the count, or one file a partition.
        ("sst", _) => Check::Within(0.15),
        // The HDFS model's rules differ from Spark's in two places, not changed here (the
        // reports of the default provider stay as they were); docs/model.md §4 says so:
        // - it writes a snapshot when a tick finds at least minDeltasForSnapshot deltas since
        //   the last; Spark's `doSnapshot` wants more than that (versions 12, 24, 36, 47, …
        //   at a 2 s interval: 6 rounds here, the model's rule 7);
        // - its deletion keeps the versions after (last − retain) and the latest snapshot only
        //   when it is older; Spark's `cleanup` keeps everything from the latest snapshot at or
        //   before (last − retain), so with a small minBatchesToRetain the model keeps fewer
        //   deltas and snapshots (here 44 deltas and 4 snapshots left, Spark 85 and 8).
        ("snapshot", 0) if label == "hdfs default" => Check::Known(
            "snapshot threshold: the model's ≥, Spark's >; and a second round (versions 79/80) \
             18 s after the first under a 60 s interval, which no tick phase gives",
        ),
        ("snapshot", 0) if hdfs => Check::Known("snapshot threshold: the model's ≥, Spark's >"),
        ("delta" | "snapshot", 1 | 2) if hdfs => Check::Known("HDFS deletion keeps less than Spark"),
        _ => Check::Exact,
    }
}

fn passes(label: &str, partitions: u64, want: &Counts, got: &Counts) -> bool {
    KINDS.iter().all(|&kind| {
        let (w, g) = (want[kind], got[kind]);
        [(w.0, g.0), (w.1, g.1), (w.2, g.2)]
            .into_iter()
            .enumerate()
            .all(|(field, (m, x))| match check(label, kind, field) {
                Check::Exact => m == x,
                Check::Within(f) => m.abs_diff(x) as f64 <= (f * m as f64).max(partitions as f64),
                Check::Known(_) => true,
            })
    })
}

/// Every run, replayed with the maintenance thread's first tick at each of 120 phases over
/// its interval (the thread is one per JVM and starts with the first store the JVM loads,
/// at a time the runs do not record): some phase must give every count its check allows.
#[test]
fn state_files_match_the_measured_spark_runs() {
    let r = results();
    let mut report = String::new();
    let mut failures = Vec::new();
    for (section, pause_s) in [("files", 0.0), ("files_fast", FAST_PAUSE_S)] {
        let partitions = r[section]["shuffle_partitions"]
            .as_u64()
            .expect("shuffle_partitions");
        for run in r[section]["runs"].as_array().expect("runs") {
            let label = run["label"].as_str().expect("label");
            let want = measured(run);
            let interval = micros(interval_s(run));
            let phases: Vec<i64> = (0..120).map(|i| interval * i / 120).collect();
            let matching: Vec<(i64, Counts)> = phases
                .iter()
                .map(|&ph| (ph, modelled(&replay(run, partitions, pause_s, ph))))
                .filter(|(_, got)| passes(label, partitions, &want, got))
                .collect();
            let (phase, got) = match matching.first() {
                Some(f) => f.clone(),
                None => {
                    failures.push(label.to_string());
                    (0, modelled(&replay(run, partitions, pause_s, 0)))
                }
            };
            report.push_str(&format!(
                "{label}: {} of {} phases match; the first, a tick at {:.2} s:\n",
                matching.len(),
                phases.len(),
                phase as f64 / 1e6
            ));
            for kind in KINDS {
                let (w, g) = (want[kind], got[kind]);
                if w == (0, 0, 0) && g == (0, 0, 0) {
                    continue;
                }
                report.push_str(&format!(
                    "  {kind:<9} written {:>4} / {:>4}  deleted {:>4} / {:>4}  left {:>4} / {:>4}  (measured / model)\n",
                    w.0, g.0, w.1, g.1, w.2, g.2
                ));
                for field in 0..3 {
                    if let Check::Known(why) = check(label, kind, field) {
                        report.push_str(&format!("    not compared, field {field}: {why}\n"));
                    }
                }
            }
        }
    }
    println!("{report}");
    assert!(
        failures.is_empty(),
        "no maintenance phase matches: {failures:?}\n{report}"
    );
}

/// The provider reaches the bill: a day of 1-minute batches at 8 partitions under each
/// provider, its state files by kind, the checkpoint's requests and its dollars.
#[test]
fn the_provider_decides_the_state_files_and_their_requests() {
    use pipeline_sim::scenario::spec::ScenarioSpec;
    use pipeline_sim::simulation::simulate;
    let run = |engine: &str| {
        let json = format!(
            r#"{{"seed": 3, "workload": {{"duration_s": 86400, "rate_per_s": 20}},
                "trigger": {{"kind": "processing_time", "interval_s": 60}},
                "engine": {{"shuffle_partitions": 8{engine}}}}}"#
        );
        simulate(&ScenarioSpec::from_json(&json).expect("a valid scenario")).expect("it runs")
    };
    let hdfs = run("");
    let zip = run(r#", "state_store": "rocksdb""#);
    let changelog = run(r#", "state_store": "rocksdb", "changelog_checkpointing": true"#);
    let batches = hdfs.summary.batches;
    assert_eq!(zip.summary.batches, batches);
    let (h, z, c) = (&hdfs.cost.storage, &zip.cost.storage, &changelog.cost.storage);
    // HDFS: a delta per partition per batch, snapshots; none of RocksDB's files.
    assert_eq!(h.state_delta_files, 8 * batches);
    assert!(h.state_snapshot_files > 0);
    assert_eq!(
        (h.state_changelog_files, h.state_zip_files, h.state_sst_files),
        (0, 0, 0)
    );
    // RocksDB without changelog: a zip per partition per batch, and its SSTs.
    assert_eq!(
        (
            z.state_delta_files,
            z.state_snapshot_files,
            z.state_changelog_files
        ),
        (0, 0, 0)
    );
    assert_eq!(z.state_zip_files, 8 * batches);
    assert!(z.state_sst_files > 0);
    // With changelog: a changelog per partition per batch, a zip per partition per
    // uploaded snapshot (at most one every 10 versions, at most one a 60 s tick).
    assert_eq!(c.state_changelog_files, 8 * batches);
    assert!(c.state_zip_files > 0 && c.state_zip_files <= 8 * batches.div_ceil(10));
    // The checkpoint's requests follow: a zip and its SSTs cost more PUTs than a delta;
    // RocksDB's maintenance LISTs only when it deletes (HDFS: every partition every tick).
    let ops = |r: &pipeline_sim::report::summary::Report| r.cost.requests.checkpoint;
    assert!(
        ops(&zip).put > ops(&hdfs).put,
        "{:?} vs {:?}",
        ops(&zip),
        ops(&hdfs)
    );
    assert!(ops(&changelog).put < ops(&zip).put);
    assert!(ops(&zip).list < ops(&hdfs).list && ops(&changelog).list < ops(&hdfs).list);
    assert!(ops(&zip).bytes_written > ops(&hdfs).bytes_written);
    assert_ne!(
        zip.cost.usd.checkpoint_requests,
        hdfs.cost.usd.checkpoint_requests
    );
    // Sink, compute and latency do not depend on the provider here.
    assert_eq!(zip.summary.latency, hdfs.summary.latency);
}
