//! The micro-batch loop on a virtual clock: the trigger decides when a batch starts and
//! which rows it may take, the batch runs the stateful operator and ends after the
//! batch-duration model's time. No wall clock, no OS randomness.
//!
//! The step machine (`Sim`, its phases and the three trigger kinds' steps) is this file;
//! taking a batch's rows is `take.rs`, what a batch writes `files.rs`, the per-event fates
//! and latencies `record.rs`.

use crate::base::error::InputError;
use crate::base::time::Micros;
use crate::cost::bill::{CostModel, Timeline};
use crate::engine::spark::microbatch::MicroBatchQuery;
use crate::engine::spark::trigger::{POLLING_DELAY, Runs, Trigger};
use crate::operators::operator::{Fate, Row, RowSpan};
use crate::operators::visible_list::VisibleList;
use crate::report::latency::Histogram;
use crate::report::summary::{BatchColumns, EventColumns, HistogramColumns, Report, Summary};
use crate::scenario::budget::{MAX_TABLE_STEPS, RUNTIME_MAX_BATCHES, RUNTIME_MAX_RUNS};
use crate::scenario::spec::Scenario;
use crate::simulation::runs::ManyRuns;
use crate::workload::shared_stream::{Feed, Shared};
use crate::workload::stream::EventStream;

/// A Spark run of `sc` with batches fed in chunks of at most `chunk_rows` rows
/// (`simulation::simulate`).
pub(super) fn run_in_chunks<'a>(
    sc: &'a Scenario,
    progress: Option<&'a mut dyn FnMut(f64)>,
    chunk_rows: u64,
) -> Result<Report, InputError> {
    let mut sim = Sim::new(
        sc,
        Feed::Own(Box::new(EventStream::new(sc.workload.clone(), sc.seed))),
    );
    sim.chunk_rows = chunk_rows;
    sim.progress = progress;
    while sim.step() {}
    sim.drain(true);
    sim.result()
}

/// Spark runs of `scs` over one shared stream, batches fed in chunks of at most
/// `chunk_rows` rows (`simulation::simulate_many`).
pub(super) fn simulate_many_in_chunks(
    scs: &[Scenario],
    progress: Option<&mut dyn FnMut(f64)>,
    chunk_rows: u64,
) -> ManyRuns {
    let Some(first) = scs.first() else {
        return ManyRuns::default();
    };
    let mut streams = 1;
    let shared = Shared::new(EventStream::new(first.workload.clone(), first.seed));
    let mut sims: Vec<Option<Sim>> = scs
        .iter()
        .map(|sc| {
            let own = matches!(sc.trigger, Trigger::Runs(r) if r.first.is_none());
            let feed = if own {
                streams += 1;
                Feed::Own(Box::new(EventStream::new(sc.workload.clone(), sc.seed)))
            } else {
                shared.reader()
            };
            let mut sim = Sim::new(sc, feed);
            sim.chunk_rows = chunk_rows;
            Some(sim)
        })
        .collect();
    let mut peak_held_rows = 0;
    let mut results: Vec<Option<Result<Report, InputError>>> = scs.iter().map(|_| None).collect();
    let expected = first.workload.expected_events().max(1.0);
    let mut progress = progress;
    let mut next_report = 0u64;
    loop {
        let (frontier, exhausted) = shared.frontier();
        let mut open = 0;
        for (slot, out) in sims.iter_mut().zip(results.iter_mut()) {
            let Some(sim) = slot else { continue };
            // Step while every event the step needs (arrived by its horizon, and the one
            // after) is made: the newest generated event arrives after the horizon.
            while let Some(h) = sim.horizon() {
                let ready = exhausted || sim.own_feed() || frontier.is_some_and(|f| f > h);
                if !ready || !sim.step() {
                    break;
                }
            }
            if sim.horizon().is_some() {
                sim.pretake();
            } else {
                sim.drain(exhausted || sim.own_feed());
                if sim.drained() {
                    *out = Some(slot.take().expect("a simulation in its slot").result());
                    continue;
                }
            }
            open += 1;
        }
        if open == 0 {
            break;
        }
        shared.trim();
        let taken_ahead: usize = sims.iter().flatten().map(|s| s.rows.len()).sum();
        peak_held_rows =
            peak_held_rows.max(shared.stats().1 * crate::workload::shared_stream::CHUNK + taken_ahead);
        if !shared.advance() && exhausted {
            // Nothing more to make and every simulation saw the end: finish them.
            for (slot, out) in sims.iter_mut().zip(results.iter_mut()) {
                if let Some(mut sim) = slot.take() {
                    while sim.step() {}
                    sim.drain(true);
                    *out = Some(sim.result());
                }
            }
            break;
        }
        let (generated, _) = shared.stats();
        if let Some(p) = progress.as_mut() {
            if generated >= next_report {
                next_report = generated + (expected / 100.0) as u64 + 1;
                p((generated as f64 / expected).min(0.99));
            }
        }
    }
    if let Some(p) = progress.as_mut() {
        p(1.0);
    }
    ManyRuns {
        reports: results
            .into_iter()
            .map(|r| r.expect("every simulation finished"))
            .collect(),
        streams,
        shared_events: shared.stats().0,
        peak_held_rows,
        digested_chunks: shared.memos(),
    }
}

/// What the simulation does next.
#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Not started: the first step reads the first arrival.
    Start,
    /// A long-running query; the next batch starts at `now`.
    Streaming { now: Micros },
    /// Run-and-stop jobs; the next run is scheduled at `tick`.
    Scheduled { runs: Runs, tick: Micros },
    /// Continuous processing; the next epoch starts at `epoch_start`.
    Continuous { epoch: Micros, epoch_start: Micros },
    /// No more batches (the stream may still hold unprocessed events).
    Done,
}

struct Sim<'a> {
    sc: &'a Scenario,
    events: Feed,
    phase: Phase,
    /// Whether `drain` has seen the end of the stream.
    drained: bool,
    /// Events consumed from the stream so far (taken by batches).
    taken: u64,
    /// Batches whose backlog is not known yet: (batch index, end, rows taken up to it).
    /// The stream comes in arrival order, so once the next unconsumed event arrives after a
    /// batch's end, every event that had arrived by then is consumed: backlog = consumed −
    /// taken by that batch. Needs no second pass over the stream and no buffer.
    pending_backlog: std::collections::VecDeque<(usize, Micros, u64)>,
    query: MicroBatchQuery,
    rows: Vec<Row>,
    /// `RowSpan::of(&rows)`, gathered by `take`.
    span: Option<RowSpan>,
    /// The bound of the take that `rows` were taken ahead for (`pretake`).
    pretaken: Option<Micros>,
    /// Most rows of a chunkable batch held at once ([`CHUNK_ROWS`]; tests set less).
    chunk_rows: u64,
    /// Whether taken rows are fed as they are taken, straight from a shared stream's
    /// chunk, instead of copied into `rows` first (a sweep's points: the copy was 16 % of
    /// a 16-point day). Only a chunkable query on a shared stream, without a failure (whose
    /// restart may take a step's rows differently from what was taken ahead) and not in
    /// continuous mode (its epochs run whole).
    direct: bool,
    /// Rows a file source's batches took so far (real rows): its directory's files.
    source_rows: u64,
    /// Scratch: the fates of the chunk in `rows`.
    fates: Vec<Fate>,
    /// The chunkable batch of the next step, begun ahead (`pretake`) when a full chunk of
    /// it was ready: fed chunks let a shared stream drop theirs.
    open: Option<OpenBatch>,
    cols: BatchColumns,
    sum: Summary,
    first_arrival: Option<Micros>,
    latency: Histogram,
    /// Visible events, to count those left in state at the end.
    visible: u64,
    counted: u64,
    detail: EventColumns,
    cost: CostModel,
    /// Run-and-stop triggers: (scheduled tick, end) per run.
    runs: Vec<(Micros, Micros)>,
    /// Newest arrival made visible so far (`i64::MIN`: none).
    newest_visible: Micros,
    /// Mean key length in bytes, for the output row size.
    key_len: f64,
    progress: Option<&'a mut dyn FnMut(f64)>,
    /// `taken` at which progress is reported next.
    next_progress: u64,
    /// Why the run stopped early: it went past its budget.
    stopped: Option<InputError>,
    /// An injected driver failure (`failure.rs`).
    failure: Option<failure::FailureRun>,
    /// The state's memory and its line (`memory.rs`).
    memory: crate::cost::state_memory::StateMemory,
}

/// A chunkable batch in progress: the chunks fed so far.
#[derive(Debug)]
struct OpenBatch {
    /// The watermarks of the batch (fixed when it begins: the previous batch set them).
    wm: crate::operators::operator::BatchWatermarks,
    /// Rows fed.
    n: u64,
    max_event_time: Option<Micros>,
    /// The rows visible at the batch's commit, a list per chunk (no single list of the
    /// whole batch to grow and copy).
    visible: Vec<VisibleList>,
}

/// When the events a batch makes visible can be read downstream.
#[derive(Debug, Clone, Copy)]
enum Visibility {
    /// At the micro-batch's commit (its end).
    AtCommit(Micros),
    /// Continuous processing: right after arrival.
    OnArrival,
}

/// Processing latency of continuous mode, µs: Spark's guide cites end-to-end latencies
/// "as low as 1 millisecond" (Structured Streaming Programming Guide, Continuous Processing,
/// read 2026-11).
const CONTINUOUS_LATENCY: Micros = 1_000;

/// Most rows of a batch held at once when the query runs a batch in chunks
/// (`MicroBatchQuery::chunkable`): 262,144 rows of 40 bytes, about 10 MiB, whatever the
/// batch's size (a day's job at 1,000 events/s is 86.4 M rows).
pub(super) const CHUNK_ROWS: u64 = 1 << 18;

/// Progress is reported at least every this many events.
const PROGRESS_EVERY: u64 = 1 << 16;

use crate::report::summary::FATE_IN_STATE;

impl<'a> Sim<'a> {
    fn new(sc: &'a Scenario, events: Feed) -> Self {
        let stateful = u64::from(sc.query.operator != crate::operators::query::Operator::Select);
        let cost = CostModel::new(
            sc.cost,
            sc.sink.as_ref(),
            stateful * u64::from(sc.engine.shuffle_partitions),
            sc.workload.start,
            sc.workload.end,
            crate::cost::month::Rhythm::of(sc),
        );
        let key_len = crate::storage::sink::mean_key_len(&sc.workload);
        let stride = EventColumns::stride_for(sc.workload.expected_events(), sc.detail_events);
        let mut query = MicroBatchQuery::new(&sc.query, sc.engine);
        query.set_sample_mask(stride - 1);
        let direct = matches!(events, Feed::Shared { .. })
            && query.chunkable()
            && sc.failure.is_none()
            && !matches!(sc.trigger, Trigger::Continuous(_));
        Self {
            sc,
            events,
            phase: Phase::Start,
            drained: false,
            taken: 0,
            pending_backlog: std::collections::VecDeque::new(),
            query,
            rows: Vec::new(),
            span: None,
            pretaken: None,
            chunk_rows: CHUNK_ROWS,
            direct,
            source_rows: 0,
            fates: Vec::new(),
            open: None,
            cols: BatchColumns::default(),
            sum: Summary::default(),
            first_arrival: None,
            latency: Histogram::default(),
            visible: 0,
            counted: 0,
            detail: EventColumns {
                // A power of two, so that "is this id sampled" is a mask, not a division.
                stride,
                ..EventColumns::default()
            },
            cost,
            runs: Vec::new(),
            newest_visible: i64::MIN,
            key_len,
            progress: None,
            next_progress: PROGRESS_EVERY,
            stopped: None,
            failure: sc.failure.map(failure::FailureRun::new),
            memory: memory::of(sc, key_len),
        }
    }

    /// Whether this simulation reads a stream of its own (not a shared one).
    fn own_feed(&self) -> bool {
        matches!(self.events, Feed::Own(_))
    }

    /// The latest arrival the next step reads up to (it also peeks at the event after);
    /// None when no step is left.
    fn horizon(&self) -> Option<Micros> {
        match self.phase {
            Phase::Start => Some(self.sc.workload.start),
            Phase::Streaming { now } => Some(now),
            Phase::Scheduled { runs, tick } => Some(tick.saturating_add(runs.startup)),
            Phase::Continuous { epoch, epoch_start } => Some(epoch_start.saturating_add(epoch)),
            Phase::Done => None,
        }
    }

    /// One step: a batch (or a skip to the next arrival), a whole scheduled run, or an
    /// epoch. False when no step is left.
    fn step(&mut self) -> bool {
        self.phase = match self.phase {
            Phase::Start => self.start(),
            Phase::Streaming { now } => self.step_streaming(now),
            Phase::Scheduled { runs, tick } => self.step_scheduled(runs, tick),
            Phase::Continuous { epoch, epoch_start } => self.step_continuous(epoch, epoch_start),
            Phase::Done => Phase::Done,
        };
        !matches!(self.phase, Phase::Done)
    }

    fn start(&mut self) -> Phase {
        self.first_arrival = self.events.peek().map(|e| e.arrival);
        let Some(first) = self.first_arrival else {
            return Phase::Done;
        };
        match self.sc.trigger {
            t @ (Trigger::Default | Trigger::ProcessingTime(_)) => Phase::Streaming {
                now: t.next_poll(first),
            },
            Trigger::Runs(runs) => Phase::Scheduled {
                runs,
                tick: match runs.first {
                    Some(at) => self.sc.workload.start + at,
                    None => self.last_arrival(),
                },
            },
            Trigger::Continuous(epoch) => Phase::Continuous {
                epoch,
                epoch_start: first - first.rem_euclid(epoch),
            },
        }
    }

    /// Whether the run may go on with its clock at `t`: false (and the reason kept) once the
    /// clock passes the horizon's limit or the batches or runs pass the engine's stop; false
    /// once the query died of its state's memory (`memory.rs`: a report, not an error).
    fn within_budget(&mut self, t: Micros) -> bool {
        if self.stopped.is_some() || self.memory.out_of_memory() {
            return false;
        }
        let h = self.sc.horizon;
        let days = |us: i64| us as f64 / 86_400e6;
        if t > h.limit {
            let behind = self.sum.falling_behind_batches > 0;
            let (field, why) = if behind {
                (
                    if self.sc.overhead as f64
                        >= self.sc.per_row_us * self.sum.events.max(1) as f64 / self.cols.len().max(1) as f64
                    {
                        "batch_cost.overhead_s"
                    } else {
                        "batch_cost.per_row_us"
                    },
                    "the micro-batches take longer than the trigger allows and fall ever further behind",
                )
            } else {
                (
                    "workload.lateness",
                    "events arrive later than the lateness model's bound",
                )
            };
            self.stopped = Some(InputError::new(
                field,
                format!(
                    "{why}: the simulated clock passed {} days, its limit for this workload \
                     (expected end: {} days): make batches cheaper, the trigger longer, or \
                     the workload shorter",
                    crate::base::number::fixed(days(h.limit - h.start), 1),
                    crate::base::number::fixed(days(h.expected_end - h.start), 1)
                ),
            ));
            return false;
        }
        let (scans, compactions) = self.cost.table_steps();
        if scans > MAX_TABLE_STEPS || compactions > MAX_TABLE_STEPS {
            let (field, what) = if scans > compactions {
                (
                    "cost.reader.lookback_h",
                    "the dashboard reader scans too many commits (each query walks every commit in its look-back)",
                )
            } else {
                (
                    "sink",
                    "the table's compaction walks too many files (every live commit at each compaction)",
                )
            };
            self.stopped = Some(InputError::new(
                field,
                format!(
                    "{what}: more than {MAX_TABLE_STEPS} steps; use a longer trigger interval, a shorter \
                     look-back or fewer reader queries, or a shorter workload"
                ),
            ));
            return false;
        }
        if self.cols.len() > RUNTIME_MAX_BATCHES {
            self.stopped = Some(InputError::new(
                "trigger",
                format!(
                    "the run recorded more than {RUNTIME_MAX_BATCHES} micro-batches, the most one run \
                     may: use a longer trigger interval or a shorter workload"
                ),
            ));
            return false;
        }
        if self.runs.len() > RUNTIME_MAX_RUNS {
            self.stopped = Some(InputError::new(
                "trigger.every_s",
                format!(
                    "the job ran more than {RUNTIME_MAX_RUNS} times, the most one run may: run it \
                     less often or simulate a shorter workload"
                ),
            ));
            return false;
        }
        true
    }

    /// Runs the batch starting at `start` whose (first) rows are in `self.rows`: the rows
    /// that arrived by `bound`, at most `limit`. A chunkable query takes and feeds the rest
    /// chunk by chunk; its commit (and so every latency) is known once all are counted.
    /// Returns the batch's end.
    fn batch(
        &mut self,
        start: Micros,
        interval: Option<Micros>,
        bound: Micros,
        limit: Option<u64>,
    ) -> Micros {
        let (run, n, visible) = if self.query.chunkable() {
            let limit = limit.unwrap_or(u64::MAX);
            loop {
                self.feed_chunk();
                let fed = self.open.as_ref().map_or(0, |o| o.n);
                if fed >= limit || (self.rows.len() as u64) < self.chunk_rows {
                    break; // the limit, or the take stopped at the bound
                }
                self.rows.clear();
                self.span = None;
                self.take_more(bound, Some(self.chunk_rows.min(limit - fed)), true);
                if self.rows.is_empty() {
                    break;
                }
            }
            let open = self.open.take().expect("a chunk was just fed");
            (
                self.query.finish(open.wm, open.max_event_time),
                open.n,
                open.visible,
            )
        } else {
            let batch_id = self.cols.id.len() as i64;
            let run = self.query.run_batch_with(&self.rows, self.span);
            self.record_fates(None, &run.outcome.fates, batch_id, run.late_watermark);
            (run, self.rows.len() as u64, Vec::new())
        };
        // Saturating: a scaled row's cost (per-row µs × k) can make a batch outlast any
        // clock; the budget then stops the run at its horizon (`within_budget`).
        let duration = self
            .sc
            .overhead
            .saturating_add((n as f64 * self.sc.per_row_us).round() as i64);
        // A failure inside the batch re-runs it, the same rows, after the restart (or only
        // its fixed part when the sink had committed it, its output visible since then).
        let (start, duration, committed) = self.failure_in_batch(start, duration, &run.outcome);
        let end = start.saturating_add(duration);
        let visible_at = committed.unwrap_or(end);
        if let Some(per_file) = self.sc.source.file_rows {
            // The input files that arrived so far (real rows in a scaled run), all listed.
            self.source_rows = self.source_rows.saturating_add(n.saturating_mul(self.sc.scale));
            self.cost.source_listing(self.source_rows.div_ceil(per_file));
        }
        self.pending_backlog
            .push_back((self.cols.id.len(), end, self.taken));
        for list in &visible {
            self.record_visible(list, Visibility::AtCommit(visible_at));
        }
        for list in run.outcome.visible_lists() {
            self.record_visible(list, Visibility::AtCommit(visible_at));
        }
        let out = &run.outcome;
        self.cols.push(start, end, n, run.watermark, out); // backlog settled when the stream passes `end`
        self.write_files(start, end, out);
        self.failure_after_batch(self.cols.len() - 1, n, limit, interval);
        let s = &mut self.sum;
        s.events += n;
        s.no_data_batches += u64::from(n == 0);
        s.falling_behind_batches += u64::from(interval.is_some_and(|iv| duration > iv));
        s.dropped_late += out.dropped_late;
        s.output_rows += out.output.len() as u64;
        s.peak_state_rows = s.peak_state_rows.max(out.state.total);
        self.observe_memory(out.state.total, end);
        end
    }

    /// `Default` and `ProcessingTime`, a long-running query: one batch at `now`, or a wait
    /// for the next arrival.
    fn step_streaming(&mut self, now: Micros) -> Phase {
        let trigger = self.sc.trigger;
        let interval = match trigger {
            Trigger::ProcessingTime(iv) => Some(iv),
            _ => None,
        };
        // A failure while no batch runs: the restarted query's first trigger reads on.
        let now = self.failure_before_step(now);
        self.take(now, self.row_limit(self.sc.max_rows_per_batch));
        if !self.has_rows() && !self.query.wants_no_data_batch() {
            // Nothing to do until the next event arrives.
            let Some(next) = self.events.peek() else {
                return Phase::Done;
            };
            let next_now = match trigger {
                Trigger::ProcessingTime(_) => trigger.next_poll(next.arrival),
                _ => now.max(round_up(next.arrival, POLLING_DELAY)),
            };
            if self.sc.source.file_rows.is_some() {
                // Every trigger from `now` until the file arrives lists the directory.
                self.cost.source_idle(now, next_now, interval.unwrap_or(0));
            }
            if !self.within_budget(next_now) {
                return Phase::Done;
            }
            return Phase::Streaming { now: next_now };
        }
        self.cost.period(now);
        let end = self.batch(now, interval, now, self.sc.max_rows_per_batch);
        if !self.within_budget(end) {
            return Phase::Done;
        }
        // A re-run batch started later than planned: the trigger counts from its start.
        let started = self.cols.start_us.last().copied().unwrap_or(now);
        Phase::Streaming {
            now: trigger.next_start(started, end),
        }
    }

    /// `Once`, `AvailableNow` and scheduled jobs: each run starts a cluster, processes what
    /// had arrived when the query started, and stops. State and watermark persist between
    /// runs (the checkpoint). One step is one run.
    fn step_scheduled(&mut self, runs: Runs, tick: Micros) -> Phase {
        let query_start = tick + runs.startup;
        let mut now = query_start;
        self.cost.period(tick);
        self.cost.query_started(query_start);
        let batches_before = self.cols.len();
        if runs.once {
            self.take(query_start, self.row_limit(None));
            if self.has_rows() {
                now = self.batch(now, None, query_start, None);
            }
        } else {
            loop {
                self.take(query_start, self.row_limit(self.sc.max_rows_per_batch));
                if !self.has_rows() {
                    break;
                }
                now = self.batch(now, None, query_start, self.sc.max_rows_per_batch);
                if self.memory.out_of_memory() {
                    break; // the run failed: it ends (and is billed) here
                }
                if !self.within_budget(now) {
                    return Phase::Done;
                }
            }
            if self.query.wants_no_data_batch() && !self.memory.out_of_memory() {
                now = self.batch(now, None, query_start, None);
            }
        }
        if self.sc.source.file_rows.is_some() && self.cols.len() == batches_before {
            // A run that found no new file still listed the directory to know it.
            self.cost.source_run_listing();
        }
        self.sum.runs += 1;
        self.runs.push((tick, now));
        self.cost.query_stopped(now, self.query.state_rows());
        if !self.within_budget(now) {
            return Phase::Done;
        }
        let Some(every) = runs.every else {
            return Phase::Done;
        };
        // Nothing left to arrive: later runs would find no data. `once` runs no no-data
        // batch, so a watermark it could still advance never matters.
        if self.events.peek().is_none() && (runs.once || !self.query.wants_no_data_batch()) {
            return Phase::Done;
        }
        let next_tick = tick + every;
        let tick = if now > next_tick {
            // The run outlasted its period; the scheduler starts the next one when
            // this one ends.
            self.sum.overlapping_runs += 1;
            now
        } else {
            next_tick
        };
        Phase::Scheduled { runs, tick }
    }

    /// Continuous processing: every row is processed as it arrives; an epoch commits
    /// every `epoch` µs. Reported as one "batch" per epoch; one step is one epoch.
    fn step_continuous(&mut self, epoch: Micros, epoch_start: Micros) -> Phase {
        if self.events.peek().is_none() {
            return Phase::Done;
        }
        let epoch_end = epoch_start + epoch;
        self.cost.period(epoch_start);
        self.take(epoch_end - 1, None);
        let run = self.query.run_batch_with(&self.rows, self.span);
        let n = self.rows.len() as u64;
        let out = run.outcome;
        let batch_id = self.cols.id.len() as i64;
        self.record_fates(None, &out.fates, batch_id, None);
        for list in out.visible_lists() {
            self.record_visible(list, Visibility::OnArrival);
        }
        self.cols.push(epoch_start, epoch_end, n, run.watermark, &out);
        if let Some(c) = self.cols.newest_visible_us.last_mut() {
            *c = self.newest_visible;
        }
        self.cost.batch(epoch_start, epoch_end, None, 0, 0, 0);
        self.sum.events += n;
        self.sum.output_rows += out.output.len() as u64;
        if !self.within_budget(epoch_end) {
            return Phase::Done;
        }
        let epoch_start = match self.events.peek() {
            Some(e) => e.arrival - e.arrival.rem_euclid(epoch),
            None => epoch_end,
        };
        Phase::Continuous { epoch, epoch_start }
    }

    /// Arrival of the last event (runs a copy of the stream to its end; such a simulation
    /// always reads a stream of its own, see `simulation::simulate_many`).
    fn last_arrival(&self) -> Micros {
        match &self.events {
            Feed::Own(s) => s.clone().last().map_or(self.sc.workload.start, |e| e.arrival),
            Feed::Shared { .. } => unreachable!("a run at the last arrival reads its own stream"),
        }
    }

    /// Counts the events never taken (they still count toward the backlogs of the batches
    /// they arrived before the end of): all of them when `all`, else those ready without
    /// generating more. Only once no step is left.
    fn drain(&mut self, all: bool) {
        if self.stopped.is_some() {
            self.drained = true; // an error, not a report: nothing to count
            return;
        }
        while all || self.events.ready() {
            if self.events.peek().is_none() {
                self.settle_backlog(None);
                self.drained = true;
                return;
            }
            let n = self.events.buffered().len();
            for i in 0..n {
                let e = self.events.buffered()[i];
                detail_slot(&mut self.detail, e.id, e.event_time, e.arrival);
                self.settle_backlog(Some(e.arrival));
                self.taken += 1;
                self.sum.unprocessed_events += 1;
            }
            self.events.consume(n);
        }
    }

    fn drained(&self) -> bool {
        self.drained
    }

    /// The report, or why the run stopped (after `drain(true)` or a full drain).
    fn result(mut self) -> Result<Report, InputError> {
        match self.stopped.take() {
            Some(e) => Err(e),
            None => Ok(self.finish()),
        }
    }

    fn finish(mut self) -> Report {
        self.sum.batches = self.cols.len() as u64;
        debug_assert!(self.drained, "every event was counted (drain) first");
        self.sum.fates.in_state_at_end = self.counted - self.visible.min(self.counted);
        self.sum.latency = self.latency.summary();
        for (fate, visible) in self.detail.fate.iter_mut().zip(&self.detail.visible_us) {
            if *fate <= Fate::LateCounted as u8 && *visible < 0 {
                *fate = FATE_IN_STATE;
            }
        }
        let hist = HistogramColumns::of(&self.latency);
        #[cfg(feature = "recovery")]
        let recovery = self.recovery_report();
        self.sum.final_state_rows = self.query.state_rows();
        if let (Some(first), Some(last_end)) = (self.first_arrival, self.cols.end_us.last()) {
            self.sum.processing_span_s = (last_end - first) as f64 / 1e6;
        }
        let long_running = !matches!(self.sc.trigger, Trigger::Runs(_));
        let end = self
            .cols
            .end_us
            .last()
            .copied()
            .unwrap_or(self.sc.workload.end)
            .max(self.sc.workload.end);
        let tl = Timeline {
            start: self.sc.workload.start,
            end,
            batch_start: &self.cols.start_us,
            batch_end: &self.cols.end_us,
            newest_visible: &self.cols.newest_visible_us,
            runs: &self.runs,
            long_running,
            p95_latency_us: self.sum.latency.p95_s.map(|s| (s * 1e6).round() as i64),
        };
        let mut cost = self.cost.finish(&tl, self.query.state_rows());
        cost.cluster = self.sc.sizing;
        if let Some(p) = self.progress.as_mut() {
            p(1.0);
        }
        let mut report = Report {
            cost,
            state_memory: self.memory.report(),
            summary: self.sum,
            batches: self.cols,
            events: self.detail,
            latency_histogram: hist,
            data: self.sc.data.as_deref().cloned(),
            scaled: None,
            #[cfg(feature = "flink")]
            flink: None,
            #[cfg(feature = "flink")]
            flink_trace: None,
            #[cfg(feature = "recovery")]
            recovery,
        };
        if self.sc.scale > 1 {
            report.scaled = Some(crate::simulation::weigh::weigh(&mut report, self.sc));
        }
        report
    }
}

/// `t` rounded up to a multiple of `step` (> 0).
fn round_up(t: i64, step: i64) -> i64 {
    let r = t.rem_euclid(step);
    if r == 0 { t } else { t - r + step }
}

#[cfg_attr(not(feature = "recovery"), path = "failure_off.rs")]
mod failure;
mod files;
mod memory;
mod record;
use record::detail_slot;
#[cfg(all(test, feature = "recovery"))]
mod failure_tests;
mod take;
#[cfg(test)]
mod tests;
