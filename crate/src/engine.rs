//! The micro-batch loop on a virtual clock: the trigger decides when a batch starts,
//! the batch takes every row that has arrived by then, runs the stateful operator, and
//! ends after the batch-duration model's time. No wall clock, no OS randomness.

use crate::microbatch::MicroBatchQuery;
use crate::operator::Row;
use crate::report::{BatchColumns, Report, Summary};
use crate::scenario::Scenario;
use crate::trigger::{POLLING_DELAY, Trigger};
use crate::workload::{Event, EventStream};
use std::iter::Peekable;

/// Runs a scenario to the end of its event stream.
pub fn simulate(sc: &Scenario) -> Report {
    let mut events: Peekable<EventStream> = EventStream::new(sc.workload, sc.seed).peekable();
    let mut query = MicroBatchQuery::new(&sc.query, sc.engine);
    let mut cols = BatchColumns::default();
    let mut sum = Summary::default();
    let mut rows: Vec<Row> = Vec::new();
    let interval = match sc.trigger {
        Trigger::ProcessingTime(iv) => Some(iv),
        Trigger::Default => None,
    };

    let Some(first) = events.peek().copied() else {
        return Report::default();
    };
    let mut now = sc.trigger.next_poll(first.arrival);

    loop {
        rows.clear();
        // Every row that arrived by the previous batch's end is taken now (the next start
        // is never earlier), so that batch's backlog is exactly these rows.
        let prev_end = cols.end_us.last().copied();
        let mut backlog_of_prev = 0u64;
        while let Some(e) = events.next_if(|e: &Event| e.arrival <= now) {
            backlog_of_prev += u64::from(prev_end.is_some_and(|p| e.arrival <= p));
            rows.push(Row {
                id: e.id,
                key: e.key,
                event_time: e.event_time,
            });
        }
        if rows.is_empty() && !query.wants_no_data_batch() {
            // Nothing to do until the next event arrives.
            let Some(next) = events.peek() else { break };
            now = match sc.trigger {
                Trigger::Default => now.max(round_up(next.arrival, POLLING_DELAY)),
                Trigger::ProcessingTime(_) => sc.trigger.next_poll(next.arrival),
            };
            continue;
        }

        let run = query.run_batch(&rows);
        let out = &run.outcome;
        let n = rows.len() as u64;
        let duration = sc.overhead + (n as f64 * sc.per_row_us).round() as i64;
        let end = now + duration;

        if let Some(b) = cols.backlog_rows.last_mut() {
            *b = backlog_of_prev;
            sum.max_backlog_rows = sum.max_backlog_rows.max(backlog_of_prev);
        }
        let id = cols.len() as u64;
        cols.id.push(id);
        cols.start_us.push(now);
        cols.end_us.push(end);
        cols.input_rows.push(n);
        cols.watermark_us.push(run.watermark.unwrap_or(i64::MIN));
        cols.dropped_late.push(out.dropped_late);
        cols.state_rows_total.push(out.state.total);
        cols.state_rows_updated.push(out.state.updated);
        cols.state_rows_removed.push(out.state.removed);
        cols.output_rows.push(out.output.len() as u64);
        cols.backlog_rows.push(0); // filled in when the next batch takes its rows

        sum.events += n;
        sum.no_data_batches += u64::from(n == 0);
        sum.falling_behind_batches += u64::from(interval.is_some_and(|iv| duration > iv));
        sum.dropped_late += out.dropped_late;
        sum.output_rows += out.output.len() as u64;
        sum.peak_state_rows = sum.peak_state_rows.max(out.state.total);
        now = sc.trigger.next_start(now, end);
    }

    sum.batches = cols.len() as u64;
    sum.final_state_rows = query.state_rows();
    if let Some(last_end) = cols.end_us.last() {
        sum.processing_span_s = (last_end - first.arrival) as f64 / 1e6;
    }
    Report {
        summary: sum,
        batches: cols,
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

    #[test]
    fn every_event_is_in_exactly_one_batch_and_watermark_never_decreases() {
        let r = run(r#"{"seed": 3}"#);
        let total: u64 = r.batches.input_rows.iter().sum();
        assert_eq!(total, r.summary.events);
        assert!(r.summary.events > 25_000);
        assert!(r.batches.watermark_us.windows(2).all(|w| w[0] <= w[1]));
        assert!(r.batches.start_us.windows(2).all(|w| w[0] < w[1]));
        assert!(r.summary.output_rows > 0);
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
}
