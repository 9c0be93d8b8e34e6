//! The micro-batch loop on a virtual clock: the trigger decides when a batch starts and
//! which rows it may take, the batch runs the stateful operator and ends after the
//! batch-duration model's time. No wall clock, no OS randomness.

use crate::microbatch::MicroBatchQuery;
use crate::operator::Row;
use crate::report::{BatchColumns, Report, Summary};
use crate::scenario::Scenario;
use crate::time::Micros;
use crate::trigger::{POLLING_DELAY, Runs, Trigger};
use crate::workload::{Event, EventStream};
use std::iter::Peekable;

/// Runs a scenario to the end of its event stream.
pub fn simulate(sc: &Scenario) -> Report {
    let mut sim = Sim::new(sc);
    match sc.trigger {
        Trigger::Default | Trigger::ProcessingTime(_) => sim.run_streaming(),
        Trigger::Runs(runs) => sim.run_scheduled(runs),
        Trigger::Continuous(epoch) => sim.run_continuous(epoch),
    }
    sim.finish()
}

struct Sim<'a> {
    sc: &'a Scenario,
    events: Peekable<EventStream>,
    /// A second copy of the stream, advanced only to count arrivals (for the backlog).
    counter: Peekable<EventStream>,
    arrived: u64,
    taken: u64,
    query: MicroBatchQuery,
    rows: Vec<Row>,
    cols: BatchColumns,
    sum: Summary,
    first_arrival: Option<Micros>,
}

impl<'a> Sim<'a> {
    fn new(sc: &'a Scenario) -> Self {
        let events = EventStream::new(sc.workload, sc.seed);
        let mut s = Self {
            sc,
            counter: events.clone().peekable(),
            events: events.peekable(),
            arrived: 0,
            taken: 0,
            query: MicroBatchQuery::new(&sc.query, sc.engine),
            rows: Vec::new(),
            cols: BatchColumns::default(),
            sum: Summary::default(),
            first_arrival: None,
        };
        s.first_arrival = s.events.peek().map(|e| e.arrival);
        s
    }

    /// Rows that have arrived by `t` and wait to be taken.
    fn backlog_at(&mut self, t: Micros) -> u64 {
        while self.counter.next_if(|e: &Event| e.arrival <= t).is_some() {
            self.arrived += 1;
        }
        self.arrived - self.taken
    }

    /// Takes up to `limit` rows that arrived by `bound` into `self.rows`.
    fn take(&mut self, bound: Micros, limit: Option<u64>) {
        self.rows.clear();
        let limit = limit.unwrap_or(u64::MAX);
        while (self.rows.len() as u64) < limit {
            let Some(e) = self.events.next_if(|e: &Event| e.arrival <= bound) else {
                break;
            };
            self.rows.push(Row {
                id: e.id,
                key: e.key,
                event_time: e.event_time,
            });
        }
        self.taken += self.rows.len() as u64;
    }

    /// Runs the batch in `self.rows` starting at `start`; returns its end.
    fn batch(&mut self, start: Micros, interval: Option<Micros>) -> Micros {
        let run = self.query.run_batch(&self.rows);
        let out = &run.outcome;
        let n = self.rows.len() as u64;
        let duration = self.sc.overhead + (n as f64 * self.sc.per_row_us).round() as i64;
        let end = start + duration;
        let backlog = self.backlog_at(end);
        let c = &mut self.cols;
        c.id.push(c.id.len() as u64);
        c.start_us.push(start);
        c.end_us.push(end);
        c.input_rows.push(n);
        c.watermark_us.push(run.watermark.unwrap_or(i64::MIN));
        c.dropped_late.push(out.dropped_late);
        c.state_rows_total.push(out.state.total);
        c.state_rows_updated.push(out.state.updated);
        c.state_rows_removed.push(out.state.removed);
        c.output_rows.push(out.output.len() as u64);
        c.backlog_rows.push(backlog);
        let s = &mut self.sum;
        s.events += n;
        s.no_data_batches += u64::from(n == 0);
        s.falling_behind_batches += u64::from(interval.is_some_and(|iv| duration > iv));
        s.dropped_late += out.dropped_late;
        s.output_rows += out.output.len() as u64;
        s.peak_state_rows = s.peak_state_rows.max(out.state.total);
        s.max_backlog_rows = s.max_backlog_rows.max(backlog);
        end
    }

    /// `Default` and `ProcessingTime`: a long-running query.
    fn run_streaming(&mut self) {
        let trigger = self.sc.trigger;
        let interval = match trigger {
            Trigger::ProcessingTime(iv) => Some(iv),
            _ => None,
        };
        let Some(first) = self.first_arrival else { return };
        let mut now = trigger.next_poll(first);
        loop {
            self.take(now, self.sc.max_rows_per_batch);
            if self.rows.is_empty() && !self.query.wants_no_data_batch() {
                // Nothing to do until the next event arrives.
                let Some(next) = self.events.peek() else { break };
                now = match trigger {
                    Trigger::ProcessingTime(_) => trigger.next_poll(next.arrival),
                    _ => now.max(round_up(next.arrival, POLLING_DELAY)),
                };
                continue;
            }
            let end = self.batch(now, interval);
            now = trigger.next_start(now, end);
        }
    }

    /// `Once`, `AvailableNow` and scheduled jobs: each run starts a cluster, processes what
    /// had arrived when the query started, and stops. State and watermark persist between
    /// runs (the checkpoint).
    fn run_scheduled(&mut self, runs: Runs) {
        if self.first_arrival.is_none() {
            return;
        }
        let start = self.sc.workload.start;
        let mut tick = match runs.first {
            Some(at) => start + at,
            None => self.last_arrival(),
        };
        loop {
            let query_start = tick + runs.startup;
            let mut now = query_start;
            if runs.once {
                self.take(query_start, None);
                if !self.rows.is_empty() {
                    now = self.batch(now, None);
                }
            } else {
                loop {
                    self.take(query_start, self.sc.max_rows_per_batch);
                    if self.rows.is_empty() {
                        break;
                    }
                    now = self.batch(now, None);
                }
                if self.query.wants_no_data_batch() {
                    now = self.batch(now, None);
                }
            }
            self.sum.runs += 1;
            let Some(every) = runs.every else { break };
            if self.events.peek().is_none() && !self.query.wants_no_data_batch() {
                break;
            }
            let next_tick = tick + every;
            if now > next_tick {
                // The run outlasted its period; the scheduler starts the next one when
                // this one ends.
                self.sum.overlapping_runs += 1;
                tick = now;
            } else {
                tick = next_tick;
            }
        }
    }

    /// Continuous processing: every row is processed as it arrives; an epoch commits
    /// every `epoch` µs. Reported as one "batch" per epoch.
    fn run_continuous(&mut self, epoch: Micros) {
        let Some(first) = self.first_arrival else { return };
        let mut epoch_start = first - first.rem_euclid(epoch);
        while self.events.peek().is_some() {
            let epoch_end = epoch_start + epoch;
            self.take(epoch_end - 1, None);
            let run = self.query.run_batch(&self.rows);
            let n = self.rows.len() as u64;
            let c = &mut self.cols;
            c.id.push(c.id.len() as u64);
            c.start_us.push(epoch_start);
            c.end_us.push(epoch_end);
            c.input_rows.push(n);
            c.watermark_us.push(run.watermark.unwrap_or(i64::MIN));
            c.dropped_late.push(0);
            c.state_rows_total.push(0);
            c.state_rows_updated.push(0);
            c.state_rows_removed.push(0);
            c.output_rows.push(run.outcome.output.len() as u64);
            c.backlog_rows.push(0);
            self.sum.events += n;
            self.sum.output_rows += run.outcome.output.len() as u64;
            epoch_start = match self.events.peek() {
                Some(e) => e.arrival - e.arrival.rem_euclid(epoch),
                None => epoch_end,
            };
        }
    }

    /// Arrival of the last event (runs the counting copy of the stream to its end).
    fn last_arrival(&self) -> Micros {
        self.counter
            .clone()
            .last()
            .map_or(self.sc.workload.start, |e| e.arrival)
    }

    fn finish(mut self) -> Report {
        self.sum.batches = self.cols.len() as u64;
        self.sum.unprocessed_events = self.events.by_ref().count() as u64;
        self.sum.final_state_rows = self.query.state_rows();
        if let (Some(first), Some(last_end)) = (self.first_arrival, self.cols.end_us.last()) {
            self.sum.processing_span_s = (last_end - first) as f64 / 1e6;
        }
        Report {
            summary: self.sum,
            batches: self.cols,
        }
    }
}

/// `t` rounded up to a multiple of `step` (> 0).
fn round_up(t: i64, step: i64) -> i64 {
    let r = t.rem_euclid(step);
    if r == 0 { t } else { t - r + step }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioSpec;

    fn run(json: &str) -> Report {
        simulate(&ScenarioSpec::from_json(json).unwrap())
    }

    fn generated(json: &str) -> u64 {
        let sc = ScenarioSpec::from_json(json).unwrap();
        EventStream::new(sc.workload, sc.seed).count() as u64
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
        let once =
            run(r#"{"seed": 2, "trigger": {"kind": "once"}, "source": {"max_rows_per_trigger": 1000}}"#);
        assert_eq!(once.summary.batches, 1, "once ignores the rate limit");
        assert_eq!(once.summary.runs, 1);
        let an = run(
            r#"{"seed": 2, "trigger": {"kind": "available_now"}, "source": {"max_rows_per_trigger": 1000}}"#,
        );
        assert!(an.summary.batches > 30);
        assert!(an.batches.input_rows.iter().all(|&n| n <= 1000));
        assert_eq!(an.batches.input_rows.last(), Some(&0), "final no-data batch");
        assert_eq!(an.summary.no_data_batches, 1);
    }

    #[test]
    fn scheduled_job_starts_after_startup_and_keeps_state() {
        let r = run(r#"{"seed": 4, "trigger": {"kind": "scheduled", "every_s": 120, "startup_s": 30}}"#);
        // runs at 120 s, 240 s, … after the start, each 30 s after its tick
        let start = r.batches.start_us[0] - crate::time::parse_rfc3339("2024-01-01T00:00:00Z").unwrap();
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
}
