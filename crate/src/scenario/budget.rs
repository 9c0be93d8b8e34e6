//! The resource budget: what one run may cost, checked before any work starts, so that no
//! input — a scenario, a link, a lesson, a sweep point — can make the core hang, trap or
//! run out of memory. The same limits hold natively and in wasm (the browser adds one of
//! its own: the largest batch, a windowed count's groups and a deduplication's state,
//! `Scenario::check_memory`).
//!
//! The rule: every loop of the simulation is bounded by a number this budget checked.
//! - Events: the generator's expected count (`workload::MAX_EVENTS`), or the explicit /
//!   loaded events.
//! - The simulated clock: from the workload's start to a [`Horizon`] `limit` derived from
//!   the scenario before the run (last arrival's bound + the trigger's period + one
//!   batch, with room for batches that fall behind). The engine refuses to run past it
//!   (`engine::simulate` returns the error), so every clock-driven loop (trigger ticks,
//!   scheduled runs, cost-series samples, state-store maintenance, reader queries, table
//!   maintenance) has at most `limit ÷ its period` steps, each checked here.
//! - Batches: at most one per event and one no-data batch after each, and at most one per
//!   trigger period (or per polling delay) over the horizon.
//! - Per event: the windows a row falls in (`size ÷ slide`), and the rows the report keeps.
//!
//! Invariants: a scenario that passes [`check`] allocates O(budget) memory and takes
//! O(budget) steps; a refusal names the field to change and the limit it broke.

use crate::base::error::{InputError, MAX_DURATION_S};
use crate::base::number::{display, fixed};
use crate::base::time::{MICROS_PER_S, Micros};
use crate::engine::spark::trigger::{POLLING_DELAY, Trigger};
use crate::operators::query::{Operator, OutputMode};
use crate::operators::window::WindowKind;
use crate::scenario::spec::{Horizon, Scenario};
use crate::workload::spec::MAX_EVENTS;

/// Longest simulated clock span, µs (20 years): the horizon's limit never exceeds it.
pub const MAX_SPAN_US: Micros = (MAX_DURATION_S as i64) * MICROS_PER_S;
/// Most micro-batches (or continuous epochs) one run may record: about 120–240 B each in
/// the report's columns, so at most a few hundred MB.
pub const MAX_BATCHES: f64 = 2_000_000.0;
/// Most runs of a scheduled job.
pub const MAX_RUNS: f64 = 1_000_000.0;
/// The engine's own stop for batches and runs: twice the estimates' limits (the estimate
/// is of the expected span; batches that fall behind make the real one longer).
pub const RUNTIME_MAX_BATCHES: usize = 2 * MAX_BATCHES as usize;
pub const RUNTIME_MAX_RUNS: usize = 2 * MAX_RUNS as usize;
/// Most checkpoints of a Flink run (about 250 B each in the report and the ledger).
pub const MAX_FLINK_CHECKPOINTS: f64 = 600_000.0;
/// Most samples of the report's cost and storage series.
pub const MAX_SERIES_SAMPLES: f64 = 1_000_000.0;
/// Most ticks of one periodic task (state-store maintenance, a reader's queries, a
/// table's OPTIMIZE/VACUUM/rewrite/expire) over the horizon.
pub const MAX_TICKS: f64 = 20_000_000.0;
/// Most windows one row falls in (`size ÷ slide` of a sliding window).
pub const MAX_WINDOWS_PER_ROW: f64 = 10_000.0;
/// Most (row, window) assignments of a run: events × windows per row.
pub const MAX_WINDOW_ASSIGNMENTS: f64 = 2e9;
/// Most steps the table's readers' scans, or its compactions, may walk over the live
/// commits (each about a nanosecond): the engine stops past it. These grow with commits ×
/// reads (or × compactions), which no single field bounds.
pub const MAX_TABLE_STEPS: u64 = 2_000_000_000;
/// Most per-event rows the report keeps (`report.detail_events`).
pub const MAX_DETAIL_EVENTS: u64 = 5_000_000;
/// Most shuffle partitions, Kafka partitions or cores.
pub const MAX_PARTITIONS: u32 = 100_000;
/// Room the horizon leaves for batches that fall behind: the limit is the expected span
/// × this, and at least the expected span + 30 days.
const FALL_BEHIND_FACTOR: i64 = 4;
const FALL_BEHIND_MIN: Micros = 30 * 86_400 * MICROS_PER_S;

/// Which part of a scenario makes its clock span long, to name in a refusal.
fn span_culprit(sc: &Scenario) -> &'static str {
    let w = &sc.workload;
    let lateness = w.lateness_bound_us();
    let data = w.end - w.start;
    let trigger = trigger_period(sc);
    if lateness >= data && lateness >= trigger {
        "workload.lateness"
    } else if trigger >= data {
        "trigger"
    } else if sc.workload.is_given() {
        "workload.data"
    } else {
        "workload.duration_s"
    }
}

/// The trigger's own contribution to the clock: a period, a first run and a start-up.
fn trigger_period(sc: &Scenario) -> Micros {
    match sc.trigger {
        Trigger::Default => POLLING_DELAY,
        Trigger::ProcessingTime(iv) | Trigger::Continuous(iv) => iv,
        Trigger::Runs(r) => r
            .first
            .unwrap_or(0)
            .saturating_add(r.every.unwrap_or(0))
            .saturating_add(r.startup),
    }
}

impl Horizon {
    /// The horizon of a validated scenario, or the field that makes it longer than
    /// [`MAX_SPAN_US`].
    pub fn of(sc: &Scenario) -> Result<Horizon, InputError> {
        let w = &sc.workload;
        let start = w.start;
        let rows = sc.expected_batch_rows();
        let one_batch = sc
            .overhead
            .saturating_add((rows * sc.per_row_us).min(MAX_SPAN_US as f64) as Micros);
        // A failure adds its restart delay, the restore and the backlog's batches (an hour
        // of room for those: `recovery.rs` bounds the restore by the state's files).
        let outage = sc.failure.map_or(0, |f| f.restart.saturating_add(3_600_000_000));
        let expected_end = w
            .last_arrival_bound()
            .saturating_add(trigger_period(sc))
            .saturating_add(one_batch)
            .saturating_add(outage);
        let span = expected_end.saturating_sub(start);
        if span > MAX_SPAN_US {
            return Err(InputError::new(
                span_culprit(sc),
                format!(
                    "the simulated clock would span about {} years (the data, its lateness and the \
                     trigger together); at most {} years are simulated: shorten it",
                    fixed(span as f64 / (365.25 * 86_400e6), 1),
                    display(MAX_DURATION_S / (365.25 * 86_400.0))
                ),
            ));
        }
        let room = span
            .saturating_mul(FALL_BEHIND_FACTOR)
            .max(span.saturating_add(FALL_BEHIND_MIN))
            .min(MAX_SPAN_US);
        Ok(Horizon {
            start,
            expected_end,
            limit: start.saturating_add(room),
        })
    }

    /// The span up to the limit, µs.
    pub fn limit_span(&self) -> f64 {
        (self.limit - self.start) as f64
    }
}

/// A refusal: `what` would be `n`, more than `max`.
fn over(field: &str, what: &str, n: f64, max: f64, fix: &str) -> InputError {
    InputError::new(
        field,
        format!(
            "{what} would be about {}, more than the {} one run may take: {fix}",
            fixed(n, 0),
            fixed(max, 0)
        ),
    )
}

/// Refuses `n` (of `what`, at `field`) above `max`.
fn at_most(field: &str, what: &str, n: f64, max: f64, fix: &str) -> Result<(), InputError> {
    if n > max {
        Err(over(field, what, n, max, fix))
    } else {
        Ok(())
    }
}

/// Ticks of a task every `period` µs over the horizon's limit.
fn ticks(h: &Horizon, period: Micros) -> f64 {
    h.limit_span() / period.max(1) as f64
}

/// Checks a validated scenario against the budget; returns its horizon.
pub fn check(sc: &Scenario) -> Result<Horizon, InputError> {
    let h = Horizon::of(sc)?;
    let events = sc.workload.events_bound();
    if events > MAX_EVENTS {
        let bursty = events > 1.5 * sc.workload.expected_events();
        return Err(InputError::new(
            if bursty {
                "workload.shape"
            } else {
                "workload.rate_per_s"
            },
            format!(
                "about {} events (the rate{} over the duration); at most {} are simulated",
                fixed(events, 0),
                if bursty {
                    " boosted by the shape's on-phase"
                } else {
                    ""
                },
                fixed(MAX_EVENTS, 0)
            ),
        ));
    }
    let e = &sc.engine;
    for (field, v) in [
        ("engine.shuffle_partitions", e.shuffle_partitions),
        ("engine.cores", e.cores),
        ("source.kafka_partitions", sc.source.kafka_partitions),
    ] {
        if v > MAX_PARTITIONS {
            return Err(InputError::new(
                field,
                format!("must be at most {MAX_PARTITIONS}, got {v}"),
            ));
        }
    }
    if sc.detail_events > MAX_DETAIL_EVENTS {
        return Err(InputError::new(
            "report.detail_events",
            format!(
                "must be at most {MAX_DETAIL_EVENTS} (the report keeps a sample beyond it), got {}",
                sc.detail_events
            ),
        ));
    }
    // Batches and runs: one per period over the horizon's expected span, and never more
    // batches than the events (each takes one at least) plus the runs; ×2 for no-data
    // batches. The engine stops a run that goes past twice these (`RUNTIME_*`).
    let span = (h.expected_end - h.start) as f64;
    let (per_period, field, fix) = match sc.trigger {
        Trigger::ProcessingTime(iv) => (
            span / iv as f64,
            "trigger.interval_s",
            "use a longer interval or a shorter workload",
        ),
        Trigger::Continuous(iv) => (
            span / iv as f64,
            "trigger.checkpoint_interval_s",
            "use a longer interval or a shorter workload",
        ),
        Trigger::Default => (
            span / (sc.overhead.max(POLLING_DELAY)) as f64,
            "trigger",
            "use a processing-time trigger or a shorter workload",
        ),
        Trigger::Runs(r) => {
            let runs = r.every.map_or(1.0, |every| span / every as f64);
            at_most(
                "trigger.every_s",
                "the job's runs",
                runs,
                MAX_RUNS,
                "run it less often or simulate a shorter workload",
            )?;
            let limited = sc.max_rows_per_batch.map_or(runs, |m| events / m as f64 + runs);
            (
                limited,
                "source.max_rows_per_trigger",
                "allow more rows per batch, or simulate fewer events",
            )
        }
    };
    let batches = 2.0 * per_period.min(events + 1.0);
    at_most(field, "the micro-batches", batches, MAX_BATCHES, fix)?;
    // The default step is the workload's span ÷ 240 rounded up to a minute: a long
    // lateness can make the run much longer than the workload.
    let (step, what, fix) = match sc.cost.series_step {
        Some(step) => (
            step,
            "the cost series' samples",
            "use a longer step (or null for 240 samples)",
        ),
        None => (
            crate::cost::bill::default_series_step(sc.workload.end - sc.workload.start),
            "the cost series' samples (the default step is the workload's span ÷ 240)",
            "set a longer step",
        ),
    };
    at_most(
        "cost.series_step_s",
        what,
        ticks(&h, step),
        MAX_SERIES_SAMPLES,
        fix,
    )?;
    if sc.query.operator != Operator::Select {
        let interval = crate::base::time::secs_to_micros(sc.cost.checkpoint.maintenance_interval_s);
        let n = ticks(&h, interval);
        at_most(
            "cost.checkpoint.maintenance_interval_s",
            "the state-store maintenance ticks",
            n,
            MAX_TICKS,
            "use a longer interval (Spark's default is 60 s)",
        )?;
    }
    #[cfg(feature = "flink")]
    if let Some(f) = sc.flink {
        // A Flink job checkpoints every interval, data or not (each one a report row and
        // its files in the ledger), up to the tick after the last arrival.
        let span = (h.expected_end - h.start).saturating_add(f.watermark_interval) as f64;
        at_most(
            "flink.checkpoint_interval_s",
            "the checkpoints",
            span / f.checkpoint_interval.max(1) as f64,
            MAX_FLINK_CHECKPOINTS,
            "use a longer checkpoint interval or a shorter workload",
        )?;
    }
    #[cfg(feature = "flink")]
    if let Some(f) = sc.flink.filter(|f| f.idleness.is_some()) {
        // With idleness every watermark tick counts (a quiet partition turns idle on one).
        // A Flink job does not fall behind: its clock ends near the expected end.
        let span = (h.expected_end - h.start) as f64;
        let n = span / f.watermark_interval.max(1) as f64 * f64::from(sc.source.kafka_partitions);
        at_most(
            "flink.watermark_interval_ms",
            "the watermark ticks × Kafka partitions that idleness checks",
            n,
            MAX_TICKS,
            "use a longer interval (Flink's default is 200 ms), fewer partitions or a shorter workload",
        )?;
    }
    if let (Some(m), Some(_)) = (sc.cost.reader.every_min, &sc.sink) {
        let n = ticks(&h, crate::base::time::secs_to_micros(m * 60.0));
        at_most(
            "cost.reader.every_min",
            "the reader's queries",
            n,
            MAX_TICKS,
            "query less often",
        )?;
        // Each query walks the commits in its look-back: at most one a batch, over the
        // look-back or the whole run.
        let reads = span / crate::base::time::secs_to_micros(m * 60.0).max(1) as f64;
        let lookback = crate::base::time::secs_to_micros(sc.cost.reader.lookback_h * 3600.0) as f64;
        let commits = (batches / 2.0) * (lookback / span.max(1.0)).min(1.0);
        at_most(
            "cost.reader.lookback_h",
            "the commits the reader's queries walk (queries × commits in a look-back)",
            reads * commits,
            MAX_TABLE_STEPS as f64,
            "shorten the look-back, query less often, or use a longer trigger interval",
        )?;
    }
    if let Some(sink) = &sc.sink {
        for (field, hours) in sink.maintenance_periods_h() {
            let n = ticks(&h, crate::base::time::secs_to_micros(hours * 3600.0));
            at_most(
                &field,
                "the table maintenance jobs",
                n,
                MAX_TICKS,
                "run it less often",
            )?;
        }
    }
    if let Operator::WindowCount(WindowKind::Fixed(w)) = sc.query.operator {
        let per_row = (w.size as f64 / w.slide as f64).ceil();
        if per_row > MAX_WINDOWS_PER_ROW {
            return Err(InputError::new(
                "query.window.slide_s",
                format!(
                    "each row would fall in {} windows (size ÷ slide); at most \
                     {}: use a longer slide",
                    fixed(per_row, 0),
                    fixed(MAX_WINDOWS_PER_ROW, 0)
                ),
            ));
        }
        at_most(
            "query.window.slide_s",
            "the (row, window) updates",
            per_row * events,
            MAX_WINDOW_ASSIGNMENTS,
            "use a longer slide or fewer events",
        )?;
    }
    Ok(h)
}

impl Scenario {
    /// About how many rows the largest micro-batch takes at the mean rate: a whole run's
    /// arrivals for a run-and-stop trigger without a rate limit, an interval's for a
    /// processing-time trigger. (Bursts and backlogs can exceed it.)
    pub fn expected_batch_rows(&self) -> f64 {
        let w = &self.workload;
        let total = w.expected_events();
        let span_us = (w.end - w.start).max(1) as f64;
        let per = |us: i64| (total * us as f64 / span_us).min(total);
        let rows = match self.trigger {
            Trigger::Runs(r) if r.once || self.max_rows_per_batch.is_none() => match r.every {
                Some(every) => per(every),
                None => total,
            },
            Trigger::ProcessingTime(iv) => per(iv),
            _ => per(1_000_000),
        };
        self.max_rows_per_batch.map_or(rows, |m| rows.min(m as f64))
    }

    /// Bytes one row of a batch holds while the batch runs. Measured as native peak RSS
    /// over rows of the largest batch (a day at 1,000 events/s, 2026-11-28): a windowed
    /// aggregation takes its batch in chunks and keeps ~2 bytes an event (its compact
    /// visible lists, `visible_list.rs`: a gap between arrivals under 65.5 ms takes 2 bytes,
    /// a longer one 6, plus a 256th of a 16-byte run header; 196 MB for 86.4 M rows
    /// measured, 2.5 assumed; 3.5 below 100 events/s, where 27 % of gaps are long at 20/s;
    /// 6.5 below 20 events/s, where most are); select and
    /// dedup keep every row with its output (113 measured, 120 assumed); session windows
    /// also their per-session lists (194 measured, 200 assumed).
    pub fn batch_bytes_per_row(&self) -> f64 {
        let w = &self.workload;
        let rate = w.expected_events() / ((w.end - w.start).max(1) as f64 / 1e6);
        match self.query.operator {
            Operator::WindowCount(WindowKind::Fixed(_)) => {
                if rate >= 100.0 {
                    2.5
                } else if rate >= 20.0 {
                    3.5
                } else {
                    6.5
                }
            }
            Operator::WindowCount(WindowKind::Session { .. }) => 200.0,
            Operator::Select | Operator::Dedup(_) | Operator::DedupWithinWatermark(_) => 120.0,
        }
    }

    /// About how many (window, key) groups a windowed count holds at its peak: the windows
    /// that a batch's rows, the watermark's delay and the lateness keep open (every window
    /// of the run without a watermark or in complete mode: nothing is evicted), times the
    /// keys one window sees (at most its events). None for the other operators.
    pub fn expected_window_groups(&self) -> Option<f64> {
        let Operator::WindowCount(WindowKind::Fixed(win)) = self.query.operator else {
            return None;
        };
        let w = &self.workload;
        let total = w.expected_events();
        let run_us = (w.end - w.start).max(1) as f64;
        let rate = total / run_us;
        let evicts = self.query.watermark_delay.is_some() && self.query.output_mode != OutputMode::Complete;
        let open_us = if evicts {
            let batch_us = self.expected_batch_rows() / rate.max(f64::MIN_POSITIVE);
            let delay = self.query.watermark_delay.unwrap_or(0) as f64;
            (batch_us + delay + w.lateness_bound_us() as f64).min(run_us)
        } else {
            run_us
        };
        let windows = ((open_us + win.size as f64) / win.slide as f64).ceil();
        let keys = f64::from(w.keys.max(1)).min((rate * win.size as f64).max(1.0));
        Some(windows * keys)
    }

    /// About how many rows a deduplication keeps in state at its peak: every distinct
    /// value of its columns while nothing evicts them (no watermark, or `dropDuplicates`
    /// without `event_time` among them), else those of a watermark's span of events
    /// (delay + lateness, twice the delay within the watermark) and one batch. None
    /// for the other operators (their state is windows × keys).
    pub fn expected_dedup_state_rows(&self) -> Option<f64> {
        let (cols, span_us) = match self.query.operator {
            Operator::Dedup(c) => (
                c,
                (c.event_time && self.query.watermark_delay.is_some()).then_some(0),
            ),
            Operator::DedupWithinWatermark(c) => (c, self.query.watermark_delay),
            _ => return None,
        };
        let w = &self.workload;
        let total = w.expected_events();
        let per_event = cols.id || cols.event_time;
        let distinct = if per_event {
            total
        } else {
            f64::from(w.keys.max(1)).min(total)
        };
        let rows = match span_us {
            None => distinct,
            Some(extra) => {
                // A watermark's span of arrivals, and one batch's rows (the rows of a batch
                // enter state before its watermark evicts any).
                let delay = self.query.watermark_delay.unwrap_or(0);
                let span = delay.saturating_add(extra).saturating_add(w.lateness_bound_us());
                let rate = total / (w.end - w.start).max(1) as f64;
                (rate * span as f64 + self.expected_batch_rows()).min(distinct)
            }
        };
        Some(rows)
    }

    /// About how many bytes a run holds at its peak, to pack a sweep's points into its
    /// workers (`www/sweep-pool.js`; the points of a group run side by side in one wasm
    /// memory): its largest batch's rows or, for a windowed count in append mode, the rows
    /// waiting for their window's emission if more, plus its (window, key) groups and its
    /// deduplication state. A row waits until a batch's watermark passes its window's end:
    /// up to two trigger periods, a window, the watermark's delay and the lateness after it
    /// arrived, at most the run. (Measured at 1,000 events/s over a day, wasm memory less
    /// the 20 MiB of a one-minute trigger: a 12 h trigger holds 212 MiB, as much as a daily
    /// one, 214; a 6 h one 105; 2 h 30.) An estimate at the mean rate, not a bound.
    pub fn expected_held_bytes(&self) -> f64 {
        let w = &self.workload;
        let run_us = (w.end - w.start).max(1) as f64;
        let rate = w.expected_events() / run_us;
        let batch = self.expected_batch_rows();
        let mut rows = batch;
        if let (Operator::WindowCount(WindowKind::Fixed(win)), OutputMode::Append) =
            (self.query.operator, self.query.output_mode)
        {
            let batch_us = batch / rate.max(f64::MIN_POSITIVE);
            let delay = self.query.watermark_delay.unwrap_or(0) as f64;
            let wait_us = 2.0 * batch_us + win.size as f64 + delay + w.lateness_bound_us() as f64;
            rows = rows.max(rate * wait_us.min(run_us));
        }
        rows * self.batch_bytes_per_row()
            + self.expected_window_groups().unwrap_or(0.0) * WINDOW_GROUP_BYTES
            + self.expected_dedup_state_rows().unwrap_or(0.0) * DEDUP_STATE_BYTES_PER_ROW
    }

    /// Refuses a scenario whose largest batch, or whose deduplication state, would need
    /// more than `max_bytes` (the browser's budget: wasm memory is never given back, and a
    /// page should stay within a few hundred MB). Names the field to change.
    pub fn check_memory(&self, max_bytes: f64) -> Result<(), InputError> {
        let rows = self.expected_batch_rows();
        within(
            "trigger",
            rows,
            self.batch_bytes_per_row(),
            max_bytes,
            |n, mb, max| {
                format!(
                    "one micro-batch would take about {n} million rows, about {mb} MB while it runs, \
                 more than the {max} MB this simulator gives a batch in the browser: set \
                 source.max_rows_per_trigger (Spark's maxOffsetsPerTrigger), a shorter interval, \
                 or fewer events (or use the CLI)"
                )
            },
        )?;
        if let Some(groups) = self.expected_window_groups() {
            within("trigger", groups, WINDOW_GROUP_BYTES, max_bytes, |n, mb, max| {
                format!(
                    "the windowed count would hold about {n} million (window, key) groups \
                     (about {mb} MB), more than the {max} MB this simulator gives state in the \
                     browser: run batches more often, or use fewer keys or longer windows"
                )
            })?;
        }
        if let Some(state) = self.expected_dedup_state_rows() {
            within(
                "query.dedup_columns",
                state,
                DEDUP_STATE_BYTES_PER_ROW,
                max_bytes,
                |n, mb, max| {
                    format!(
                        "the deduplication would keep about {n} million rows in state (about {mb} MB), \
                     more than the {max} MB this simulator gives state in the browser: deduplicate on \
                     event_time with a watermark (so that state is evicted), or on fewer distinct \
                     values, or simulate fewer events (or use the CLI)"
                    )
                },
            )?;
        }
        Ok(())
    }
}

/// `count` items of `per` bytes each within `max_bytes`, or the refusal naming `field`
/// whose message `say` words from the count in millions, its MB and the budget's MB.
fn within(
    field: &str,
    count: f64,
    per: f64,
    max_bytes: f64,
    say: impl Fn(String, String, String) -> String,
) -> Result<(), InputError> {
    let bytes = count * per;
    if bytes > max_bytes {
        let message = say(
            fixed(count / 1e6, 1),
            fixed(bytes / 1e6, 0),
            fixed(max_bytes / 1e6, 0),
        );
        return Err(InputError::new(field, message));
    }
    Ok(())
}

/// Bytes a windowed count's (window, key) group takes while its batch runs (its state
/// entry, its partial aggregate and its output row): 186 measured (native peak RSS, one
/// 2-hour job at 1,000 events/s over 10,000 keys, 1.2 M groups, against the same job over
/// 10 keys, 2026-11-29), 200 assumed.
pub const WINDOW_GROUP_BYTES: f64 = 200.0;

/// Bytes a deduplication's state row takes: 68 measured (native peak RSS over 86.4 M
/// rows of `dropDuplicates("id")`, 2026-11-28), 70 assumed.
pub const DEDUP_STATE_BYTES_PER_ROW: f64 = 70.0;

#[cfg(test)]
mod tests {
    use crate::scenario::spec::ScenarioSpec;

    fn refused(json: &str) -> String {
        match ScenarioSpec::from_json(json) {
            Ok(_) => panic!("accepted: {json}"),
            Err(e) => e.field,
        }
    }

    #[test]
    fn held_bytes_count_the_rows_waiting_for_their_window() {
        let held = |interval_s: u32, mode: &str| {
            let json = format!(
                r#"{{"seed": 1, "workload": {{"duration_s": 86400, "rate_per_s": 1000, "lateness": {{"kind": "fixed", "s": 5}}}},
                    "trigger": {{"kind": "processing_time", "interval_s": {interval_s}}},
                    "query": {{"operator": "window_count", "window": {{"kind": "tumbling", "size_s": 60}},
                               "watermark_delay_s": 60, "output_mode": "{mode}"}}}}"#
            );
            ScenarioSpec::from_json(&json).unwrap().expected_held_bytes() / 1e6
        };
        // Append: a 12 h trigger holds a day's rows, as a daily one does (2.5 bytes a row,
        // plus the (window, key) groups); a 6 h one, 12 h and a bit.
        let (day, half, quarter) = (
            held(86_400, "append"),
            held(43_200, "append"),
            held(21_600, "append"),
        );
        assert!((216.0..230.0).contains(&day), "{day}");
        assert!((half - day).abs() < 3.0, "{half} {day}");
        assert!((108.0..115.0).contains(&quarter), "{quarter}");
        // Update mode emits every batch: one batch's rows.
        let update = held(21_600, "update");
        assert!((54.0..60.0).contains(&update), "{update}");
        // A one-minute trigger: a few minutes of rows.
        assert!(held(60, "append") < 2.0);
    }

    #[test]
    fn defaults_and_a_real_day_fit() {
        let h = super::check(&ScenarioSpec::from_json(r#"{"seed": 1}"#).unwrap()).unwrap();
        assert!(h.limit > h.expected_end && h.expected_end > h.start);
        let day = r#"{"seed": 1, "workload": {"duration_s": 86400, "rate_per_s": 1000},
                      "trigger": {"kind": "processing_time", "interval_s": 1}}"#;
        assert!(ScenarioSpec::from_json(day).is_ok());
    }

    #[test]
    fn the_issues_inputs_are_refused_with_their_field() {
        for (json, field) in [
            (
                r#"{"seed":1,"trigger":{"kind":"processing_time","interval_s":4294967295}}"#,
                "trigger.interval_s",
            ),
            (
                r#"{"seed":1,"workload":{"lateness":{"kind":"fixed","s":3e10}}}"#,
                "workload.lateness.s",
            ),
            (
                r#"{"seed":1,"batch_cost":{"overhead_s":31536000000}}"#,
                "batch_cost.overhead_s",
            ),
            (
                r#"{"seed":1,"cost":{"series_step_s":1e19}}"#,
                "cost.series_step_s",
            ),
            (
                r#"{"seed":1,"cost":{"series_step_s":0.001}}"#,
                "cost.series_step_s",
            ),
            (
                r#"{"seed":1,"cost":{"checkpoint":{"maintenance_interval_s":1e-6}}}"#,
                "cost.checkpoint.maintenance_interval_s",
            ),
            (
                r#"{"seed":1,"query":{"window":{"kind":"sliding","size_s":86400,"slide_s":0.000001}}}"#,
                "query.window.slide_s",
            ),
            (
                r#"{"seed":1,"query":{"window":{"kind":"tumbling","size_s":1e308}}}"#,
                "query.window.size_s",
            ),
            (
                r#"{"seed":1,"workload":{"lateness":{"kind":"fixed","s":1e308}}}"#,
                "workload.lateness.s",
            ),
            (
                r#"{"seed":1,"workload":{"idle":[{"from_s":0,"to_s":1e308}]}}"#,
                "workload.idle[0].to_s",
            ),
            (
                r#"{"seed":1,"workload":{"shape":{"kind":"bursty","on_s":1e-7,"off_s":0}}}"#,
                "workload.shape.on_s",
            ),
            (
                r#"{"seed":1,"workload":{"shape":{"kind":"bursty","on_s":1e-7,"off_s":1}}}"#,
                "workload.shape.on_s",
            ),
            (
                r#"{"seed":1,"trigger":{"kind":"scheduled","every_s":0.001}}"#,
                "trigger.every_s",
            ),
            (
                r#"{"seed":1,"trigger":{"kind":"processing_time","interval_s":0.001},"workload":{"duration_s":86400}}"#,
                "trigger.interval_s",
            ),
            (
                r#"{"seed":1,"report":{"detail_events":1000000000000}}"#,
                "report.detail_events",
            ),
            (
                r#"{"seed":1,"engine":{"shuffle_partitions":4294967295}}"#,
                "engine.shuffle_partitions",
            ),
            (
                // Found while hardening: every query walked 900 000 commits (minutes).
                r#"{"seed": 1, "workload": {"duration_s": 900000, "rate_per_s": 2},
                    "trigger": {"kind": "processing_time", "interval_s": 1}, "sink": {"format": "parquet"},
                    "cost": {"reader": {"every_min": 0.1, "lookback_h": 400}}}"#,
                "cost.reader.lookback_h",
            ),
        ] {
            assert_eq!(refused(json), field, "{json}");
        }
    }
}
