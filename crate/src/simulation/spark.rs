//! The micro-batch loop on a virtual clock: the trigger decides when a batch starts and
//! which rows it may take, the batch runs the stateful operator and ends after the
//! batch-duration model's time. No wall clock, no OS randomness.

use crate::base::error::InputError;
use crate::base::time::Micros;
use crate::cost::bill::{CostModel, Timeline};
use crate::engine::spark::microbatch::MicroBatchQuery;
use crate::engine::spark::trigger::{POLLING_DELAY, Runs, Trigger};
use crate::operators::operator::{Fate, FateLog, FateSink, Row, RowSpan};
use crate::operators::visible_list::VisibleList;
use crate::report::latency::Histogram;
use crate::report::summary::{BatchColumns, EventColumns, HistogramColumns, Report, Summary};
use crate::scenario::budget::{MAX_TABLE_STEPS, RUNTIME_MAX_BATCHES, RUNTIME_MAX_RUNS};
use crate::scenario::spec::Scenario;
use crate::workload::shared_stream::{Feed, Shared};
use crate::workload::stream::EventStream;

/// Runs a scenario to the end of its event stream. An error only when the run would go
/// past its budget (`budget.rs`): the simulated clock beyond the horizon's limit (batches
/// that fall far behind), or more batches or runs than one run may record.
pub fn simulate(sc: &Scenario) -> Result<Report, InputError> {
    run(sc, None)
}

/// [`simulate`], calling `progress` with the fraction of the expected events taken so far
/// (0..1, about every 1 % and at least every 65 536 events; not part of the report).
pub fn simulate_with_progress(sc: &Scenario, progress: &mut dyn FnMut(f64)) -> Result<Report, InputError> {
    run(sc, Some(progress))
}

fn run<'a>(sc: &'a Scenario, progress: Option<&'a mut dyn FnMut(f64)>) -> Result<Report, InputError> {
    let mut report = run_in_chunks(sc, progress, CHUNK_ROWS)?;
    // A scaled run's timeline shows exact events: those of an exact run of its first slice.
    if let (Some(slice), Some(scaled)) = (&sc.timeline_slice, report.scaled.as_mut()) {
        let exact = run_in_chunks(slice, None, CHUNK_ROWS)?;
        scaled.timeline_slice_s = (slice.workload.end - slice.workload.start) as f64 / 1e6;
        report.events = exact.events;
    }
    Ok(report)
}

/// [`simulate_with_progress`] with batches fed in chunks of at most `chunk_rows` rows.
fn run_in_chunks<'a>(
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

/// Runs scenarios that differ only in their trigger (and cost or sink settings) over **one**
/// generated event stream, in lock-step: each simulation steps (one batch, run or epoch)
/// while the events its step needs are generated, then the stream grows by a chunk, and
/// chunks every simulation has passed are dropped. Each result equals [`simulate`] of its
/// scenario, bit for bit. Scenarios whose workload or seed differ from the first's are
/// refused (`workload`, `seed`); a scheduled trigger without a first run (it starts at the
/// last arrival, which needs the whole stream) runs on a stream of its own. A large batch
/// does not hold the shared stream back: its full chunks are fed ahead (`pretake`).
/// `progress` gets the fraction of the expected events generated.
pub fn simulate_many(scs: &[Scenario], progress: Option<&mut dyn FnMut(f64)>) -> ManyRuns {
    simulate_many_in_chunks(scs, progress, CHUNK_ROWS)
}

/// [`simulate_many`] with batches fed in chunks of at most `chunk_rows` rows.
fn simulate_many_in_chunks(
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
    }
}

/// The results of [`simulate_many`], in the scenarios' order, and how the work was shared.
#[derive(Debug, Default)]
pub struct ManyRuns {
    pub reports: Vec<Result<Report, InputError>>,
    /// Event streams generated: 1 (the shared one) + one per scenario that needed its own.
    pub streams: u32,
    /// Events the shared stream generated (once, whatever the number of scenarios).
    pub shared_events: u64,
    /// Most events held at once after a round: the shared stream's chunks (whole) and the
    /// rows the simulations took ahead.
    pub peak_held_rows: usize,
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
    /// Rows a file source's batches took so far (real rows): its directory's files.
    source_rows: u64,
    /// Scratch: the fates of the chunk in `rows`, as its operator logged them.
    fate_log: FateLog,
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
pub const CHUNK_ROWS: u64 = 1 << 18;

/// Progress is reported at least every this many events.
const PROGRESS_EVERY: u64 = 1 << 16;

/// Fate code of an event counted but never made visible (see [`EventColumns::fate`]).
const FATE_IN_STATE: u8 = 4;
const FATE_UNPROCESSED: u8 = 5;

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
        let key_len = match &sc.workload.key_names {
            Some(n) if !n.is_empty() => n.iter().map(|k| k.len() as f64).sum::<f64>() / n.len() as f64,
            _ => {
                // "k0".."k{n-1}": 1 + digits.
                let n = u64::from(sc.workload.keys.max(1));
                let mut total = 0u64;
                let mut lo = 1u64;
                let mut digits = 1u64;
                while lo <= n {
                    let hi = (lo * 10).min(n + 1);
                    let from = if digits == 1 { 0 } else { lo };
                    total += (hi - from) * (1 + digits);
                    lo *= 10;
                    digits += 1;
                }
                total as f64 / n as f64
            }
        };
        let stride = ((sc.workload.expected_events() / sc.detail_events.max(1) as f64)
            .ceil()
            .max(1.0) as u64)
            .next_power_of_two();
        let mut query = MicroBatchQuery::new(&sc.query, sc.engine);
        query.set_sample_mask(stride - 1);
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
            source_rows: 0,
            fate_log: FateLog::default(),
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
    /// clock passes the horizon's limit or the batches or runs pass the engine's stop.
    fn within_budget(&mut self, t: Micros) -> bool {
        if self.stopped.is_some() {
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
                    "{why}: the simulated clock passed {:.1} days, its limit for this workload \
                     (expected end: {:.1} days): make batches cheaper, the trigger longer, or \
                     the workload shorter",
                    days(h.limit - h.start),
                    days(h.expected_end - h.start)
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

    /// Records the backlog of pending batch `i` (the front of `pending`) and drops it. (Over
    /// fields, not `self`: `take_more` calls it while it reads the feed's buffer.)
    fn settle(
        cols: &mut BatchColumns,
        sum: &mut Summary,
        pending: &mut std::collections::VecDeque<(usize, Micros, u64)>,
        i: usize,
        backlog: u64,
    ) {
        cols.backlog_rows[i] = backlog;
        sum.max_backlog_rows = sum.max_backlog_rows.max(backlog);
        pending.pop_front();
    }

    /// Finalizes the backlog of every pending batch that ended before `next_arrival` (the
    /// arrival of the next unconsumed event; None: the stream is exhausted).
    fn settle_backlog(&mut self, next_arrival: Option<Micros>) {
        while let Some(&(i, end, taken_then)) = self.pending_backlog.front() {
            if next_arrival.is_some_and(|a| a <= end) {
                break;
            }
            let backlog = self.taken - taken_then;
            Self::settle(
                &mut self.cols,
                &mut self.sum,
                &mut self.pending_backlog,
                i,
                backlog,
            );
        }
    }

    /// Takes up to `limit` rows that arrived by `bound` into `self.rows`. The stream comes
    /// in arrival order, so a buffered run of it is taken at once (a binary search for the
    /// bound), and a pending batch's backlog is settled at the first row that arrived after
    /// its end.
    fn take(&mut self, bound: Micros, limit: Option<u64>) {
        assert!(
            self.pretaken.is_none_or(|b| b == bound),
            "rows taken ahead are for this step's first take"
        );
        if self.pretaken != Some(bound) {
            self.rows.clear();
            self.span = None;
        }
        self.pretaken = None;
        self.take_more(bound, limit, true);
    }

    /// Takes ahead, into `self.rows`, the events of the next step's first take that are
    /// ready without generating more (a shared stream's chunks can then be dropped, since
    /// the rows hold them anyway). The step's `take` goes on from there: the same rows in
    /// the same order, the same backlogs.
    fn pretake(&mut self) {
        let (bound, limit) = match self.phase {
            Phase::Streaming { now } => (now, self.sc.max_rows_per_batch),
            Phase::Scheduled { runs, tick } => (
                tick.saturating_add(runs.startup),
                if runs.once {
                    None
                } else {
                    self.sc.max_rows_per_batch
                },
            ),
            Phase::Continuous { epoch, epoch_start } => (epoch_start.saturating_add(epoch) - 1, None),
            Phase::Start | Phase::Done => return,
        };
        if self.pretaken != Some(bound) {
            debug_assert!(self.open.is_none(), "a batch begun ahead is for this bound");
            self.rows.clear();
            self.span = None;
        }
        self.pretaken = Some(bound);
        loop {
            self.take_more(bound, self.row_limit(limit), false);
            if !self.query.chunkable() || (self.rows.len() as u64) < self.chunk_rows {
                break;
            }
            // A full chunk of the next batch: feed it now (its watermarks are set), so that
            // the shared stream need not hold the batch's rows until the step.
            self.feed_chunk();
            self.rows.clear();
            self.span = None;
        }
    }

    /// Appends to `self.rows` (up to `limit` in all) the events that arrived by `bound`;
    /// without `generate`, only those ready in the feed.
    fn take_more(&mut self, bound: Micros, limit: Option<u64>, generate: bool) {
        let limit = limit.unwrap_or(u64::MAX);
        while (self.rows.len() as u64) < limit {
            if !generate && !self.events.ready() {
                break;
            }
            if self.events.peek().is_none() {
                break;
            }
            let buf = self.events.buffered();
            let room = usize::try_from(limit - self.rows.len() as u64).unwrap_or(usize::MAX);
            let n = buf.partition_point(|e| e.arrival <= bound).min(room);
            if n == 0 {
                break;
            }
            let taken = &buf[..n];
            while let Some(&(i, end, taken_then)) = self.pending_backlog.front() {
                let k = taken.partition_point(|e| e.arrival <= end);
                if k == n {
                    break; // every row taken here had arrived by the batch's end
                }
                let backlog = self.taken + k as u64 - taken_then;
                Self::settle(
                    &mut self.cols,
                    &mut self.sum,
                    &mut self.pending_backlog,
                    i,
                    backlog,
                );
            }
            let mut span = self.span.unwrap_or_else(|| RowSpan::at(&taken[0]));
            self.rows.extend(taken.iter().map(|e| {
                span = span.with(e);
                *e
            }));
            self.span = Some(span);
            self.events.consume(n);
            self.taken += n as u64;
            if self.taken >= self.next_progress {
                self.report_progress();
            }
        }
        // Settled here only when the next event is at hand (a later take settles the rest
        // at the same position).
        if !self.pending_backlog.is_empty() && (generate || self.events.ready()) {
            let next = self.events.peek().map(|e| e.arrival);
            self.settle_backlog(next);
        }
    }

    fn report_progress(&mut self) {
        let expected = self.sc.workload.expected_events().max(1.0);
        self.next_progress = self.taken + PROGRESS_EVERY.max((expected / 100.0) as u64);
        if let Some(p) = self.progress.as_mut() {
            p((self.taken as f64 / expected).min(0.99));
        }
    }

    /// The row limit of a take: a chunkable query's batch is taken (and run) in chunks of
    /// at most `chunk_rows`, and its rows already fed count toward `limit`.
    fn row_limit(&self, limit: Option<u64>) -> Option<u64> {
        if self.query.chunkable() {
            let fed = self.open.as_ref().map_or(0, |o| o.n);
            Some(self.chunk_rows.min(limit.unwrap_or(u64::MAX) - fed))
        } else {
            limit
        }
    }

    /// Feeds the chunk in `self.rows` to the batch in progress (begun here if none is).
    fn feed_chunk(&mut self) {
        let mut open = self.open.take().unwrap_or_else(|| OpenBatch {
            wm: self.query.batch_watermarks(),
            n: 0,
            max_event_time: None,
            visible: Vec::new(),
        });
        let batch_id = self.cols.id.len() as i64;
        let mut log = std::mem::take(&mut self.fate_log);
        log.mask = self.detail.stride - 1;
        log.not_on_time = [0; 4];
        log.sampled.clear();
        let mut visible = VisibleList::default();
        self.query
            .feed(open.wm, &self.rows, self.span, &mut log, &mut visible);
        if !visible.is_empty() {
            open.visible.push(visible);
        }
        self.record_fate_log(&log, self.rows.len() as u64, batch_id, open.wm.late);
        self.fate_log = log;
        open.n += self.rows.len() as u64;
        if let Some(s) = self.span {
            open.max_event_time = Some(
                open.max_event_time
                    .map_or(s.max_event_time, |m| m.max(s.max_event_time)),
            );
        }
        self.open = Some(open);
    }

    /// Whether the next step has a batch to run: rows taken, or chunks fed ahead.
    fn has_rows(&self) -> bool {
        !self.rows.is_empty() || self.open.is_some()
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
            self.record_fates(&run.outcome.fates, batch_id, run.late_watermark);
            (run, self.rows.len() as u64, Vec::new())
        };
        // Saturating: a scaled row's cost (per-row µs × k) can make a batch outlast any
        // clock; the budget then stops the run at its horizon (`within_budget`).
        let duration = self
            .sc
            .overhead
            .saturating_add((n as f64 * self.sc.per_row_us).round() as i64);
        let end = start.saturating_add(duration);
        if let Some(per_file) = self.sc.source.file_rows {
            // The input files that arrived so far (real rows in a scaled run), all listed.
            self.source_rows = self.source_rows.saturating_add(n.saturating_mul(self.sc.scale));
            self.cost.source_listing(self.source_rows.div_ceil(per_file));
        }
        self.pending_backlog
            .push_back((self.cols.id.len(), end, self.taken));
        for list in &visible {
            self.record_visible(list, Visibility::AtCommit(end));
        }
        self.record_visible(&run.outcome.visible, Visibility::AtCommit(end));
        let out = &run.outcome;
        self.cols.push(start, end, n, run.watermark, out); // backlog settled when the stream passes `end`
        self.write_files(start, end, out);
        let s = &mut self.sum;
        s.events += n;
        s.no_data_batches += u64::from(n == 0);
        s.falling_behind_batches += u64::from(interval.is_some_and(|iv| duration > iv));
        s.dropped_late += out.dropped_late;
        s.output_rows += out.output.len() as u64;
        s.peak_state_rows = s.peak_state_rows.max(out.state.total);
        end
    }

    /// The batch's files: with a sink its data files (and their sizes), always its
    /// checkpoint; all to the cost model.
    fn write_files(&mut self, start: Micros, end: Micros, out: &crate::operators::operator::BatchOutcome) {
        // A scaled run's row of a row-preserving query (a select's, a deduplication's kept
        // id) stands for k rows; a group's row stands for itself (`scale.rs`).
        let weight = if crate::scenario::scale::row_preserving(&self.sc.query.operator) {
            self.sc.scale
        } else {
            1
        };
        let state_rows = self.query.state_rows() * weight;
        let mut out_state = out.state;
        out_state.updated *= weight;
        out_state.removed *= weight;
        if let Some(c) = self.cols.newest_visible_us.last_mut() {
            *c = self.newest_visible;
        }
        let Some(sink) = &self.sc.sink else {
            self.cost
                .batch(start, end, None, out_state.updated, out_state.removed, state_rows);
            return;
        };
        let names = self.sc.workload.key_names.clone();
        let name = |k: u32| match &names {
            Some(n) => n.get(k as usize).cloned().unwrap_or_default(),
            None => format!("k{k}"),
        };
        let p = self.sc.engine.shuffle_partitions;
        let grouping = crate::storage::sink::grouping(&self.sc.query);
        let files = if grouping == crate::storage::sink::Grouping::Source {
            let tasks = self.source_tasks(&name);
            crate::storage::sink::files_by_task_weighted(
                tasks
                    .iter()
                    .zip(&out.output)
                    .map(|(&t, r)| Some((t, crate::storage::sink::key_of(r), weight))),
                sink.partition_by_key,
                sink.max_records_per_file,
            )
        } else {
            // A deduplicated row's k real rows have k ids, hashed to tasks of their own:
            // in a sparse batch spread over `copies` of them (`scale::copies`).
            let copies = crate::scenario::scale::copies(weight, out.output.len() as u64, p);
            crate::storage::sink::files_by_task_weighted(
                out.output.iter().flat_map(|r| {
                    let name = &name;
                    (0..copies).map(move |j| {
                        let row = crate::scenario::scale::copy_of(r, j, weight);
                        crate::storage::sink::task_of(&row, grouping, name, p).map(|t| {
                            (
                                t,
                                crate::storage::sink::key_of(r),
                                crate::scenario::scale::copy_weight(weight, copies, j),
                            )
                        })
                    })
                }),
                sink.partition_by_key,
                sink.max_records_per_file,
            )
        }
        .expect("every output row has a write task");
        let window = matches!(
            self.sc.query.operator,
            crate::operators::query::Operator::WindowCount(_)
        );
        let row_bytes = sink.row_bytes.unwrap_or(if window {
            // window struct (2 × 8) + key (4 + length) + count (8) [+ sum or avg (8)]
            16.0 + 4.0
                + self.key_len
                + 8.0
                + if self.sc.query.aggregate == crate::operators::query::Aggregate::Count {
                    0.0
                } else {
                    8.0
                }
        } else {
            f64::from(self.sc.workload.row_bytes)
        });
        let (ratio, footer) = if window {
            crate::storage::sink::WINDOW_FILE
        } else {
            crate::storage::sink::EVENT_FILE
        };
        let ratio = sink.compression_ratio.unwrap_or(ratio);
        let footer = sink.footer_bytes.unwrap_or(footer);
        let sizes: Vec<u64> = files
            .file_rows
            .iter()
            .map(|&r| crate::storage::sink::file_bytes(r, row_bytes, ratio, footer))
            .collect();
        if let Some(d) = self.cols.data_files.last_mut() {
            *d = files.data_files;
        }
        if let Some(e) = self.cols.empty_files.last_mut() {
            *e = files.empty_files;
        }
        if let Some(b) = self.cols.data_bytes.last_mut() {
            *b = sizes.iter().sum();
        }
        let f = &mut self.sum.files;
        f.data_files += files.data_files;
        f.empty_data_files += files.empty_files;
        f.partition_dirs_max = f.partition_dirs_max.max(files.partition_dirs);
        self.cost.batch(
            start,
            end,
            Some((&sizes, files.empty_files as usize, files.partition_dirs)),
            out.state.updated,
            out.state.removed,
            state_rows,
        );
    }

    /// The read task of each row of a stateless batch (its output, in input order): the
    /// Kafka partitions with rows, numbered in partition order; or, for a file source,
    /// Spark's packed splits of the batch's input files.
    fn source_tasks(&self, name: &dyn Fn(u32) -> String) -> Vec<u32> {
        let n = self.rows.len() as u64;
        match self.sc.source.file_rows {
            None => {
                let parts = self.sc.source.kafka_partitions;
                // A key's partition, hashed once per batch rather than once per row.
                let mut by_key: rustc_hash::FxHashMap<u32, u32> = rustc_hash::FxHashMap::default();
                let of: Vec<u32> = self
                    .rows
                    .iter()
                    .map(|r| {
                        *by_key.entry(r.key).or_insert_with(|| {
                            crate::storage::sink::kafka_partition(name(r.key).as_bytes(), parts)
                        })
                    })
                    .collect();
                let mut used: Vec<u32> = of.clone();
                used.sort_unstable();
                used.dedup();
                of.iter()
                    .map(|p| used.binary_search(p).expect("a used partition") as u32)
                    .collect()
            }
            Some(per_file) => {
                // Scaled: the input files of the real rows; each thinned row stands for
                // k of them, so a split of `bytes` takes bytes ÷ (row bytes × k) rows.
                let k = self.sc.scale;
                let real = n * k;
                let rb = u64::from(self.sc.workload.row_bytes);
                let mut file_bytes = vec![per_file * rb; (real / per_file) as usize];
                if real % per_file != 0 {
                    file_bytes.push((real % per_file) * rb);
                }
                // spark.sql.files.maxPartitionBytes 128 MiB, openCostInBytes 4 MiB (defaults).
                let splits =
                    crate::storage::sink::file_splits(&file_bytes, 128 << 20, 4 << 20, self.sc.engine.cores);
                let mut tasks = Vec::with_capacity(n as usize);
                for (t, bytes) in splits.iter().enumerate() {
                    tasks.extend(std::iter::repeat_n(t as u32, (bytes / (rb.max(1) * k)) as usize));
                }
                tasks.resize(n as usize, splits.len().saturating_sub(1) as u32);
                tasks
            }
        }
    }

    /// Folds the fates of the rows in `self.rows` (a whole batch) into the summary and the
    /// sampled per-event columns.
    fn record_fates(&mut self, fates: &[Fate], batch: i64, late_wm: Option<Micros>) {
        debug_assert_eq!(fates.len(), self.rows.len(), "a fate per row");
        let mut log = FateLog::new(self.detail.stride - 1);
        for (r, fate) in self.rows.iter().zip(fates) {
            log.put(r, *fate);
        }
        self.record_fate_log(&log, self.rows.len().min(fates.len()) as u64, batch, late_wm);
    }

    /// Folds the fates of `n` rows (a batch or one of its chunks), as their operator logged
    /// them, into the summary and the sampled per-event columns.
    fn record_fate_log(&mut self, log: &FateLog, n: u64, batch: i64, late_wm: Option<Micros>) {
        debug_assert_eq!(log.mask, self.detail.stride - 1);
        for (r, fate) in &log.sampled {
            if let Some(i) = detail_slot(&mut self.detail, r.id, r.event_time, r.arrival) {
                let d = &mut self.detail;
                d.batch[i] = batch;
                d.fate[i] = *fate as u8;
                d.late_watermark_us[i] = late_wm.unwrap_or(i64::MIN);
            }
        }
        let by_fate = &log.not_on_time;
        let on_time = n - by_fate.iter().sum::<u64>();
        let late = by_fate[Fate::LateCounted as usize];
        let f = &mut self.sum.fates;
        f.on_time += on_time;
        f.late_counted += late;
        f.dropped_late += by_fate[Fate::DroppedLate as usize];
        f.duplicate += by_fate[Fate::Duplicate as usize];
        self.counted += on_time + late;
    }

    /// Folds events made visible into the latency histogram and the sample's columns.
    fn record_visible(&mut self, list: &VisibleList, visibility: Visibility) {
        let at = |arrival: Micros| match visibility {
            Visibility::AtCommit(end) => end,
            Visibility::OnArrival => arrival + CONTINUOUS_LATENCY,
        };
        let (Some(first), Some(last)) = (list.min_arrival(), list.max_arrival()) else {
            return;
        };
        match visibility {
            Visibility::AtCommit(end) => {
                self.latency
                    .record_all(list.arrivals().map(|a| end - a), end - last, end - first)
            }
            Visibility::OnArrival => self.latency.record_all(
                list.arrivals().map(|_| CONTINUOUS_LATENCY),
                CONTINUOUS_LATENCY,
                CONTINUOUS_LATENCY,
            ),
        }
        self.newest_visible = self.newest_visible.max(last);
        let mask = self.detail.stride - 1;
        let shift = self.detail.stride.trailing_zeros();
        for v in list.sampled() {
            if v.id & mask == 0 {
                if let Some(slot) = self.detail.visible_us.get_mut((v.id >> shift) as usize) {
                    *slot = at(v.arrival);
                }
            }
        }
        self.visible += list.len();
    }

    /// `Default` and `ProcessingTime`, a long-running query: one batch at `now`, or a wait
    /// for the next arrival.
    fn step_streaming(&mut self, now: Micros) -> Phase {
        let trigger = self.sc.trigger;
        let interval = match trigger {
            Trigger::ProcessingTime(iv) => Some(iv),
            _ => None,
        };
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
        Phase::Streaming {
            now: trigger.next_start(now, end),
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
                if !self.within_budget(now) {
                    return Phase::Done;
                }
            }
            if self.query.wants_no_data_batch() {
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
        self.record_fates(&out.fates, batch_id, None);
        self.record_visible(&out.visible, Visibility::OnArrival);
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
    /// always reads a stream of its own, see [`simulate_many`]).
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
        let mut hist = HistogramColumns::default();
        for (lo, hi, n) in self.latency.buckets() {
            hist.low_us.push(lo);
            hist.high_us.push(hi);
            hist.count.push(n);
        }
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
            summary: self.sum,
            batches: self.cols,
            events: self.detail,
            latency_histogram: hist,
            data: self.sc.data.as_deref().cloned(),
            scaled: None,
        };
        if self.sc.scale > 1 {
            report.scaled = Some(crate::simulation::weigh::weigh(&mut report, self.sc));
        }
        report
    }
}

/// The sample row of event `id`, created on first use; None when `id` is not sampled.
fn detail_slot(d: &mut EventColumns, id: u64, event_time: Micros, arrival: Micros) -> Option<usize> {
    let stride = d.stride;
    if id & (stride - 1) != 0 {
        return None;
    }
    let i = (id >> stride.trailing_zeros()) as usize;
    if d.id.len() <= i {
        let n = i + 1;
        d.id.resize(n, 0);
        d.event_time_us.resize(n, 0);
        d.arrival_us.resize(n, 0);
        d.batch.resize(n, -1);
        d.fate.resize(n, FATE_UNPROCESSED);
        d.late_watermark_us.resize(n, i64::MIN);
        d.visible_us.resize(n, -1);
    }
    d.id[i] = id;
    d.event_time_us[i] = event_time;
    d.arrival_us[i] = arrival;
    Some(i)
}

/// `t` rounded up to a multiple of `step` (> 0).
fn round_up(t: i64, step: i64) -> i64 {
    let r = t.rem_euclid(step);
    if r == 0 { t } else { t - r + step }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::spec::ScenarioSpec;

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
        let base = r#""workload": {"lateness": {"kind": "none"}}, "batch_cost": {"overhead_s": 0.5, "per_row_us": 0}"#;
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
        let sc =
            ScenarioSpec::from_json(r#"{"seed": 4, "workload": {"duration_s": 3600, "rate_per_s": 100}}"#)
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
        // Batches fed ahead in chunks of 500 rows: the same reports, and the day's job (one
        // batch of all 216,000 events) does not hold the shared stream back.
        let many = check_shared_in_chunks(&scenarios(base, &triggers), 500);
        let whole = check_shared_in_chunks(&scenarios(base, &triggers), CHUNK_ROWS);
        assert!(
            many.peak_held_rows <= 4 * crate::workload::shared_stream::CHUNK
                && whole.peak_held_rows > 200_000,
            "held {} rows (whole batches: {})",
            many.peak_held_rows,
            whole.peak_held_rows
        );
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
        let once =
            run(r#"{"seed": 2, "trigger": {"kind": "once"}, "source": {"max_rows_per_trigger": 1000}}"#);
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
}
