//! An injected driver failure in the micro-batch loop (`engine/spark/recovery.rs` has
//! Spark's rule, `storage/rerun.rs` the sink's): the batch in flight fails at the failure's
//! instant and is re-run with the same rows after the restart delay and the state's
//! restore; a failure between batches delays the next one. The outage, the catch-up and
//! what the sink was left with go to the report's `recovery` section.

use super::*;
use crate::engine::spark::recovery::{Failure, When, restore_time};
use crate::report::recovery::{FailedDuring, Recovery};
use crate::storage::rerun::rerun;

/// The failure's progress through a run.
#[derive(Debug)]
pub(super) struct FailureRun {
    failure: Failure,
    /// None before the failure; then the report being filled.
    recovery: Option<Recovery>,
    /// From the restart until caught up: latencies of the events made visible.
    latency: Option<Histogram>,
    /// The re-run batch's index, not yet judged for catch-up.
    rerun: Option<usize>,
    caught_up: bool,
}

impl FailureRun {
    pub(super) fn new(failure: Failure) -> Self {
        Self {
            failure,
            recovery: None,
            latency: None,
            rerun: None,
            caught_up: false,
        }
    }

    /// The latency histogram while recovering.
    pub(super) fn recovering(&mut self) -> Option<&mut Histogram> {
        self.latency.as_mut().filter(|_| !self.caught_up)
    }
}

impl Sim<'_> {
    /// The failure's instant, while it has not happened.
    fn pending_failure(&self) -> Option<Micros> {
        self.failure
            .as_ref()
            .filter(|f| f.recovery.is_none())
            .map(|f| f.failure.at)
    }

    /// The query fails at `at`: it stops (no state maintenance while down) and resumes
    /// after the restart delay and the state's restore. Returns when it resumes.
    fn fail(&mut self, at: Micros, during: FailedDuring, failed_batch: Option<u64>, lost: Micros) -> Micros {
        let f = self.failure.as_ref().expect("a failure to inject").failure;
        let state_rows = self.query.state_rows();
        self.cost.query_stopped(at, state_rows);
        let partitions = if self.sc.query.operator != crate::operators::query::Operator::Select {
            u64::from(self.sc.engine.shuffle_partitions)
        } else {
            0
        };
        let deltas = self.cost.deltas_since_snapshot();
        let restore = restore_time(partitions, deltas, state_rows, self.sc.sizing.executor_cores);
        let resumed = at.saturating_add(f.restart).saturating_add(restore);
        self.cost.query_started(resumed);
        let last_commit = self.cols.end_us.iter().rev().copied().find(|&e| e <= at);
        let run = self.failure.as_mut().expect("a failure to inject");
        run.recovery = Some(Recovery {
            during,
            failed_at_us: at,
            failed_batch,
            lost_s: lost as f64 / 1e6,
            restart_s: f.restart as f64 / 1e6,
            restore_s: restore as f64 / 1e6,
            restore_deltas: if partitions > 0 { deltas } else { 0 },
            resumed_at_us: resumed,
            last_commit_before_us: last_commit,
            ..Recovery::default()
        });
        run.latency = Some(Histogram::default());
        resumed
    }

    /// Before a streaming step at `now`: a failure due by then, with no batch in flight,
    /// delays the step to the restarted query's first trigger. Returns the step's start.
    pub(super) fn failure_before_step(&mut self, now: Micros) -> Micros {
        match self.pending_failure() {
            Some(at) if at <= now => {
                let resumed = self.fail(at, FailedDuring::Idle, None, 0);
                now.max(resumed)
            }
            _ => now,
        }
    }

    /// A batch planned from `start`, lasting `duration`: if the failure falls inside it,
    /// the failed attempt's files (orphans or duplicates, `rerun.rs`) are written and the
    /// batch is re-run after the restart. Returns the batch's start and duration, and when
    /// its output became visible if the failed attempt's sink commit stands: the sink then
    /// skips the re-run, which runs no rows (the recovery cases: a logged batch re-runs with
    /// 0 input rows and no state work) and takes the fixed overhead only.
    pub(super) fn failure_in_batch(
        &mut self,
        start: Micros,
        duration: Micros,
        out: &crate::operators::operator::BatchOutcome,
    ) -> (Micros, Micros, Option<Micros>) {
        let Some(at) = self.pending_failure() else {
            return (start, duration, None);
        };
        if at >= start.saturating_add(duration) {
            return (start, duration, None);
        }
        let batch = self.cols.len() as u64;
        let resumed = self.fail(at, FailedDuring::Batch, Some(batch), at - start);
        self.failure.as_mut().expect("a failure").rerun = Some(batch as usize);
        let when = self.failure.as_ref().expect("a failure to inject").failure.when;
        let Some(sink) = &self.sc.sink else {
            return (resumed, duration, None);
        };
        let r = rerun(sink.format, sink.writer, when);
        let weight = self.row_weight();
        let rec = self
            .failure
            .as_mut()
            .and_then(|f| f.recovery.as_mut())
            .expect("the failure was just recorded");
        rec.write_skipped = when != When::BeforeWrite && !r.orphans && !r.duplicates;
        if rec.write_skipped {
            return (resumed, self.sc.overhead.min(duration), Some(at));
        }
        if r.orphans || r.duplicates {
            let (files, sizes) = self.files_of(out);
            if r.orphans {
                self.cost.orphan_files(at, &sizes);
                let rec = self.recovery_mut();
                rec.orphan_files = sizes.len() as u64;
                rec.orphan_bytes = sizes.iter().sum();
            } else {
                self.cost
                    .extra_commit(at, (&sizes, files.empty_files as usize, files.partition_dirs));
                self.sum.files.data_files += files.data_files;
                self.sum.files.empty_data_files += files.empty_files;
                self.recovery_mut().duplicate_rows = out.output.len() as u64 * weight;
            }
        }
        (resumed, duration, None)
    }

    fn recovery_mut(&mut self) -> &mut Recovery {
        self.failure
            .as_mut()
            .and_then(|f| f.recovery.as_mut())
            .expect("the failure happened")
    }

    /// After batch `i` (`n` rows, cut by the rate limit or not) was recorded: the
    /// recovery's first commit and whether the query has caught up.
    pub(super) fn failure_after_batch(
        &mut self,
        i: usize,
        n: u64,
        limit: Option<u64>,
        interval: Option<Micros>,
    ) {
        let Some(run) = self.failure.as_mut() else { return };
        let Some(rec) = run.recovery.as_mut() else { return };
        if run.caught_up {
            return;
        }
        let (start, end) = (self.cols.start_us[i], self.cols.end_us[i]);
        if start < rec.resumed_at_us {
            return; // a batch before the failure
        }
        rec.first_commit_after_us.get_or_insert(end);
        let is_rerun = run.rerun == Some(i);
        if !is_rerun && rec.catch_up_batches == u64::from(run.rerun.is_some()) {
            // The first batch of new rows: what piled up while the query was down.
            rec.backlog_rows = n * self.sc.scale;
        }
        rec.catch_up_batches += 1;
        let cut = limit.is_some_and(|l| n >= l);
        let on_time = interval.is_none_or(|iv| end - start <= iv);
        if !is_rerun && !cut && on_time {
            run.caught_up = true;
            rec.caught_up_at_us = Some(end);
        }
    }

    /// The report's `recovery` section (None without a failure).
    pub(super) fn recovery_report(&mut self) -> Option<Recovery> {
        let run = self.failure.take()?;
        let mut rec = run.recovery.unwrap_or_else(|| Recovery {
            during: FailedDuring::AfterEnd,
            failed_at_us: run.failure.at,
            restart_s: run.failure.restart as f64 / 1e6,
            resumed_at_us: run.failure.at.saturating_add(run.failure.restart),
            last_commit_before_us: self.cols.end_us.last().copied(),
            ..Recovery::default()
        });
        if let (Some(a), Some(b)) = (rec.last_commit_before_us, rec.first_commit_after_us) {
            rec.no_commit_s = Some((b - a) as f64 / 1e6);
        }
        rec.recovery_s = rec.caught_up_at_us.map(|c| (c - rec.failed_at_us) as f64 / 1e6);
        if let Some(h) = &run.latency {
            let s = h.summary();
            rec.latency_p95_s = s.p95_s;
            rec.latency_max_s = s.max_s;
        }
        Some(rec)
    }
}
