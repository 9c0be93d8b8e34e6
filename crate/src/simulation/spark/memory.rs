//! The state's memory batch by batch, against the line where it no longer fits
//! (`cost/state_memory.rs` states the rule). With the HDFS provider the batch that passes
//! the line fails with `java.lang.OutOfMemoryError` and the query stops: no batch after it,
//! the events not yet taken counted as never processed (`Sim::within_budget` ends the run).

use super::*;
use crate::cost::state_memory::{Line, StateMemory};

/// The tracker of `sc`'s state, its keys `key_len` bytes long on average.
pub(super) fn of(sc: &Scenario, key_len: f64) -> StateMemory {
    let line = Line::new(
        &sc.query.operator,
        sc.engine.state_store,
        key_len,
        sc.sizing.nodes,
        sc.engine.shuffle_partitions,
        sc.cost.compute.executor_heap_bytes,
    );
    StateMemory::new(line, crate::simulation::weigh::state_row_weight(sc))
}

impl Sim<'_> {
    /// Folds in the state of the batch just recorded, ended at `end`, of `rows` simulated
    /// rows: its bytes into the batch's column, a crossing of the line into the tracker.
    pub(super) fn observe_memory(&mut self, rows: u64, end: Micros) {
        let batch = self.cols.len().saturating_sub(1) as u64;
        let bytes = self.memory.observe(batch, end, rows);
        if let Some(b) = self.cols.state_memory_bytes.last_mut() {
            *b = bytes;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::spec::ScenarioSpec;

    /// An unbounded `dropDuplicates("id")` (no watermark: its state only grows), 2 000
    /// events/s for 10 min in 10 s batches, on 2 nodes whose executor heap is 0.5 GiB: the
    /// line is 0.8 × (512 − 300) MiB ÷ 178.9 B ≈ 994 k rows, about the 50th batch.
    fn dedup(store: &str, heap_gib: f64, trigger: &str) -> (Scenario, Report) {
        dedup_scaled(store, heap_gib, trigger, 1)
    }

    fn dedup_scaled(store: &str, heap_gib: f64, trigger: &str, k: u64) -> (Scenario, Report) {
        let json = format!(
            r#"{{"seed": 5, "workload": {{"duration_s": 600, "rate_per_s": 2000, "scale": {k}}},
            "trigger": {trigger},
            "query": {{"operator": "dedup", "dedup_columns": ["id"], "watermark_delay_s": null}},
            "engine": {{"shuffle_partitions": 4, "state_store": "{store}"}},
            "cost": {{"compute": {{"nodes": 2, "executor_memory_gib": {heap_gib}}}}}}}"#
        );
        let sc = ScenarioSpec::from_json(&json).expect("a valid scenario");
        let r = crate::simulation::simulate(&sc).expect("a report, not an error");
        (sc, r)
    }

    fn generated(sc: &Scenario) -> u64 {
        EventStream::new(sc.workload.clone(), sc.seed).count() as u64
    }

    const EVERY_10_S: &str = r#"{"kind": "processing_time", "interval_s": 10}"#;

    #[test]
    fn an_unbounded_dedup_dies_at_the_first_batch_over_the_line_on_hdfs() {
        let (sc, r) = dedup("hdfs", 0.5, EVERY_10_S);
        let m = r.state_memory.as_ref().expect("a stateful query");
        let c = m.out_of_memory.expect("the state passed the line");
        let b = &r.batches;
        let i = c.batch as usize;
        // The failing batch is the last: the query stopped there.
        assert_eq!(b.len(), i + 1);
        assert_eq!(r.summary.batches, c.batch + 1);
        assert!(i > 40 && i < 55, "{c:?}");
        assert_eq!(c.at_us, b.end_us[i]);
        assert_eq!(c.state_rows, b.state_rows_total[i]);
        // It is the first batch over the line, in rows and in bytes.
        assert!(b.state_rows_total[i] > m.line_rows && b.state_rows_total[i - 1] <= m.line_rows);
        assert!(b.state_memory_bytes[i] > m.line_bytes && b.state_memory_bytes[i - 1] <= m.line_bytes);
        assert_eq!(m.peak_bytes, b.state_memory_bytes[i]);
        assert!((993_000..995_000).contains(&m.line_rows), "{m:?}");
        assert_eq!(m.block_cache_exceeded, None);
        // The rest of the stream was never processed; every event is counted once.
        assert!(r.summary.unprocessed_events > 100_000, "{:?}", r.summary);
        assert_eq!(r.summary.events + r.summary.unprocessed_events, generated(&sc));
        // The same run among others over a shared stream (a sweep) ends the same way.
        let many = crate::simulation::simulate_many(std::slice::from_ref(&sc), None);
        let again = many.reports[0].as_ref().expect("a report");
        assert_eq!(again.digest(), r.digest());
    }

    #[test]
    fn the_same_dedup_runs_to_the_end_with_rocksdb_or_a_larger_heap() {
        for (store, heap) in [("rocksdb", 0.5), ("hdfs", 10.9)] {
            let (sc, r) = dedup(store, heap, EVERY_10_S);
            let m = r.state_memory.as_ref().expect("a stateful query");
            assert_eq!(m.out_of_memory, None, "{store}");
            assert_eq!(r.summary.unprocessed_events, 0, "{store}");
            assert_eq!(r.summary.events, generated(&sc), "{store}");
            assert!(r.batches.len() >= 60, "{store}: {}", r.batches.len());
            assert_eq!(
                m.peak_bytes,
                *r.batches.state_memory_bytes.iter().max().expect("batches")
            );
        }
        // RocksDB keeps ~1.2 M rows of 14.6 B on disk: past 4 × 8 MiB of block cache? No.
        let (_, r) = dedup("rocksdb", 0.5, EVERY_10_S);
        let m = r.state_memory.expect("a stateful query");
        assert!(
            m.peak_bytes < m.line_bytes && m.block_cache_exceeded.is_none(),
            "{m:?}"
        );
        assert_eq!(m.native_bytes_per_executor, 35_554_432);
    }

    #[test]
    fn a_scaled_run_weighs_its_state_rows_up_to_the_real_ones() {
        // Each simulated id stands for 4 real ones: the line is crossed at about the same
        // batch, by about as many real rows, as in the exact run.
        let (_, exact) = dedup("hdfs", 0.5, EVERY_10_S);
        let (_, scaled) = dedup_scaled("hdfs", 0.5, EVERY_10_S, 4);
        assert_eq!(scaled.scaled.as_ref().map(|s| s.factor), Some(4));
        let crossing = |r: &Report| {
            r.state_memory
                .as_ref()
                .and_then(|m| m.out_of_memory)
                .expect("the state passed the line")
        };
        let (e, s) = (crossing(&exact), crossing(&scaled));
        assert!(e.batch.abs_diff(s.batch) <= 1, "{e:?} {s:?}");
        assert!(
            (s.state_rows as f64 / e.state_rows as f64 - 1.0).abs() < 0.03,
            "{e:?} {s:?}"
        );
        assert_eq!(s.state_rows % 4, 0);
    }

    #[test]
    fn a_scheduled_run_that_dies_is_billed_and_no_run_follows() {
        let trigger = r#"{"kind": "scheduled", "every_s": 120, "startup_s": 30}"#;
        let (sc, r) = dedup("hdfs", 0.5, trigger);
        let m = r.state_memory.as_ref().expect("a stateful query");
        let c = m.out_of_memory.expect("the state passed the line");
        assert_eq!(r.batches.len() as u64, c.batch + 1);
        // Runs every 120 s of ~240 k rows each: the line falls in the fourth run (one batch
        // each), which is counted and billed (a job cluster: at least 60 s a run).
        assert_eq!(r.summary.runs, 4, "{:?}", r.summary);
        assert_eq!(c.batch, 3);
        assert!(
            r.cost.billed_compute_s >= 4.0 * 60.0,
            "{:?}",
            r.cost.billed_compute_s
        );
        assert!(r.summary.unprocessed_events > 0);
        assert_eq!(r.summary.events + r.summary.unprocessed_events, generated(&sc));
    }
}
