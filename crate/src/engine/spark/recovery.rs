//! A query that fails and is restarted on the same checkpoint: Spark's recovery rule, as
//! `MicroBatchExecution` applies it (Spark 4.3; shown on real Spark by the recovery cases
//! in `tests/conformance/recovery/`, issue #17).
//!
//! The rule:
//! - Batch N writes `offsets/N` before it runs and `commits/N` after its sink committed.
//!   A driver (query) failure while N runs leaves `offsets/N` without `commits/N`.
//! - On restart (`populateStartOffsets`) the query reads the offsets log and **re-runs
//!   batch N with the same offsets**: the same rows, the same watermark, on the state of
//!   version N (what the committed batches left). So the re-run's output equals the failed
//!   attempt's; only when it becomes visible changes.
//! - The state store is loaded on the executors: each partition reads its latest snapshot
//!   and replays the deltas written since (`HDFSBackedStateStoreProvider.loadMap`), so the
//!   restore takes longer the more deltas piled up since the last snapshot — the reason
//!   snapshots exist.
//! - The first trigger after the restart runs at once (`ProcessingTimeExecutor` runs its
//!   first batch when the query starts); the next batch takes everything that arrived
//!   during the outage — one batch without a rate limit, or `maxOffsetsPerTrigger` rows a
//!   batch with one, back to back until the query has caught up.
//! - A failure between batches (nothing in flight) re-runs nothing: the restarted query's
//!   first batch reads the backlog.
//! - What the sink does with the re-run depends on the sink and on where the failed
//!   attempt stopped ([`When`]; `storage/rerun.rs`).
//!
//! Invariants: the re-run batch has the failed attempt's rows and outcome; its start is at
//! or after the failure plus the restart delay and the restore; every event is processed
//! exactly once by the state (the failure changes times, duplicates and files, never the
//! state's rows).
//!
//! The restore time is a model (assumptions, docs/model.md §14): per partition, one GET of
//! the snapshot and one per delta since it, [`GET_LATENCY`] each, the partitions loaded
//! `cores` at a time, plus [`LOAD_US_PER_ROW`] of one core per state row.

use crate::base::error::{InputError, Unit, duration};
use crate::base::time::Micros;
use serde::Serialize;

/// Where the failed attempt of the batch in flight stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum When {
    /// While processing, before the sink's tasks wrote anything.
    BeforeWrite,
    /// After the sink's tasks wrote their files, before the sink committed them (the file
    /// sink's `_spark_metadata/N`, Delta's or Iceberg's commit; a `foreachBatch` function's
    /// write did complete).
    #[default]
    AfterWrite,
    /// After the sink committed, while writing `commits/N`.
    CommitLog,
}

/// A driver failure and the restart, as written in the scenario (`failure`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct FailureSpec {
    /// When the driver fails, s after `workload.start`.
    pub at_s: f64,
    /// From the failure to the restarted query's start, s: detection, a job retry, a
    /// cluster start-up. Default 300 (an assumption: a job cluster's start-up, a few
    /// minutes).
    pub restart_s: f64,
    /// Where the batch in flight stopped (`before_write`, `after_write`, `commit_log`).
    pub when: When,
}

impl Default for FailureSpec {
    fn default() -> Self {
        Self {
            at_s: 0.0,
            restart_s: 300.0,
            when: When::AfterWrite,
        }
    }
}

/// A validated failure, in the core's units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure {
    /// The instant the driver fails.
    pub at: Micros,
    /// From the failure to the restarted query's start.
    pub restart: Micros,
    pub when: When,
}

impl FailureSpec {
    /// `start`/`end`: the workload's event-time span; the failure must fall in it.
    pub fn validate(&self, field: &str, start: Micros, end: Micros) -> Result<Failure, InputError> {
        let at = duration(&format!("{field}.at_s"), self.at_s, Unit::Seconds, true)?;
        let restart = duration(&format!("{field}.restart_s"), self.restart_s, Unit::Seconds, true)?;
        if restart > MAX_RESTART {
            return Err(InputError::new(
                format!("{field}.restart_s"),
                format!("must be at most a day ({} s)", MAX_RESTART / 1_000_000),
            ));
        }
        let span = end.saturating_sub(start);
        if at > span {
            return Err(InputError::new(
                format!("{field}.at_s"),
                format!(
                    "must fall within the workload ({} s), got {}",
                    span / 1_000_000,
                    crate::base::error::show(self.at_s)
                ),
            ));
        }
        Ok(Failure {
            at: start.saturating_add(at),
            restart,
            when: self.when,
        })
    }
}

/// Longest restart delay: a day.
const MAX_RESTART: Micros = 86_400_000_000;

/// One GET's first-byte latency on object storage, µs: 100 ms. AWS, "Performance design
/// patterns for Amazon S3" (read 2026-11): small objects see first-byte latencies of about
/// 100–200 ms; the low end, as the restore's reads run in parallel. An assumption for the
/// restore, not measured here.
pub const GET_LATENCY: Micros = 100_000;

/// One core's time to load a state row into the provider's map, µs: 1 (an assumption, not
/// measured: deserialising a small `UnsafeRow` key and value).
pub const LOAD_US_PER_ROW: f64 = 1.0;

/// How long the state store's restore takes: `partitions` stores, each reading its snapshot
/// and `deltas` delta files (GET each, `cores` partitions at a time), and `rows` state rows
/// loaded over `cores` cores. 0 for a stateless query (`partitions` 0).
pub fn restore_time(partitions: u64, deltas: u64, rows: u64, cores: u32) -> Micros {
    if partitions == 0 {
        return 0;
    }
    let cores = u64::from(cores.max(1));
    let rounds = partitions.div_ceil(cores);
    let reads = rounds.saturating_mul(1 + deltas);
    let gets = (reads as i64).saturating_mul(GET_LATENCY);
    let load = (rows as f64 * LOAD_US_PER_ROW / cores as f64).round() as i64;
    gets.saturating_add(load)
}

crate::read_names!(When {
    "before_write" => BeforeWrite,
    "after_write" => AfterWrite,
    "commit_log" => CommitLog,
});
crate::read_defaults!(FailureSpec {
    at_s,
    restart_s,
    when
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_grows_with_the_deltas_since_the_snapshot() {
        // 200 partitions on 4 cores: 50 rounds of reads.
        let none = restore_time(200, 0, 0, 4);
        assert_eq!(none, 50 * GET_LATENCY);
        let ten = restore_time(200, 10, 0, 4);
        assert_eq!(ten, 50 * 11 * GET_LATENCY);
        assert!(restore_time(200, 10, 4_000_000, 4) - ten == 1_000_000);
        assert_eq!(restore_time(0, 10, 100, 4), 0);
    }

    #[test]
    fn the_failure_must_fall_in_the_workload() {
        let f = FailureSpec {
            at_s: 700.0,
            ..FailureSpec::default()
        };
        let e = f.validate("failure", 0, 600_000_000).unwrap_err();
        assert_eq!(e.field, "failure.at_s");
        let f = FailureSpec {
            restart_s: 1e6,
            ..FailureSpec::default()
        };
        assert_eq!(
            f.validate("failure", 0, 600_000_000).unwrap_err().field,
            "failure.restart_s"
        );
        let ok = FailureSpec {
            at_s: 60.0,
            ..FailureSpec::default()
        }
        .validate("failure", 5, 600_000_000)
        .unwrap();
        assert_eq!((ok.at, ok.restart), (60_000_005, 300_000_000));
    }
}
