//! A Flink DataStream job on a virtual clock, event at a time: the Kafka source hands each
//! element on at its arrival; the bounded-out-of-orderness watermark is emitted at the
//! periodic ticks (`engine/flink/periodic.rs`); the event-time `WindowOperator`
//! (`engine/flink/operator.rs`) adds, fires, re-fires and drops; a `FileSink` (bulk
//! format, `OnCheckpointRollingPolicy`) writes each result into the in-progress part file
//! of its subtask and bucket. No wall clock, no OS randomness.
//!
//! Rules of the job around the operator:
//! - **The source** reads `source.kafka_partitions` partitions (a record's partition by
//!   Kafka's murmur2 of its key): one watermark generator per partition, combined by min,
//!   with `withIdleness` if set (`partitions.rs`, `idleness.rs`); so a partition that gets
//!   no record holds every window back — unless idleness lets it go. (Several source
//!   subtasks combine the same partitions' watermarks again by min downstream; one reader
//!   holding them all gives the same watermark.)
//! - **Checkpoints** are triggered every `checkpoint_interval` of processing time from the
//!   job's start (barriers at `start + k · interval`) and complete `checkpoint_duration`
//!   later. At its barrier every non-empty in-progress part file rolls (a subtask with no
//!   record since the last barrier has no part file: Flink opens one on the first record);
//!   at completion (`notifyCheckpointComplete`) the rolled files are committed and become
//!   visible. So a result written at t is visible at the completion of the first barrier
//!   after t.
//! - **Order at one instant**: a barrier at t comes before a watermark tick at t, which
//!   comes before an element arriving at t (an element at a tick comes after it:
//!   `periodic.rs`).
//! - **Subtasks and buckets**: a window result is written by the subtask that holds its key
//!   (`key_group.rs`, the window operator and the sink chained at one parallelism); a
//!   select's row by its Kafka partition's reader (partition mod parallelism: the
//!   enumerator's topic-hash start offset taken as 0). Buckets: Flink's default
//!   `DateTimeBucketAssigner` (`yyyy-MM-dd--HH` of the processing time, UTC), or one per
//!   key when the sink partitions by key.
//! - **The end**: an unbounded source has no end of input, so no `MAX_WATERMARK`: after the
//!   last element the next tick emits the last watermark, and the run ends when the first
//!   checkpoint after it completes. Windows it did not close stay in state (as a Spark
//!   stream's do).
//!
//! Per event: on time (event time after the operator's watermark when processed), late
//! but counted (behind it, yet some window took it), or late and not counted (dropped or
//! side output: fate 2); its latency is arrival → the completion that committed the
//! first result counting it.

use crate::base::error::InputError;
use crate::base::time::Micros;
use crate::cost::bill::{CostModel, Timeline};
use crate::engine::flink::conf::FlinkConf;
use crate::engine::flink::operator::{Element, FiredBy, Firing, Late, WindowOperator, WindowSpec};
use crate::engine::flink::partitions::PartitionedWatermarks;
use crate::engine::flink::watermark::MIN_WATERMARK;
use crate::engine::flink::window::Assigner;
use crate::operators::query::Operator;
use crate::operators::window::WindowKind;
use crate::report::flink_trace::{FIRED_BY_ELEMENT, FIRED_BY_WATERMARK, FlinkTrace};
use crate::report::latency::Histogram;
use crate::report::summary::{
    BatchColumns, EventColumns, FATE_IN_STATE, FlinkSummary, HistogramColumns, Report, Summary,
};
use crate::scenario::spec::Scenario;
use crate::workload::stream::EventStream;
use std::collections::BTreeMap;

/// What a window keeps of an element: its id and arrival (for its latency).
type Payload = (u64, Micros);

/// Key indices below this are routed through a vector.
const DENSE_KEYS: usize = 1 << 20;

/// Progress is reported at least every this many events.
const PROGRESS_EVERY: u64 = 1 << 16;

/// A Flink run of `sc` (`simulation::simulate`). `sc.flink` must be set.
pub(super) fn run(sc: &Scenario, progress: Option<&mut dyn FnMut(f64)>) -> Result<Report, InputError> {
    let conf = sc.flink.expect("a Flink scenario has its flink section");
    let mut job = Job::new(sc, conf);
    let mut stream = EventStream::new(sc.workload.clone(), sc.seed);
    let expected = sc.workload.expected_events().max(1.0);
    let mut progress = progress;
    let mut next_progress = PROGRESS_EVERY;
    let mut last_arrival = None;
    while let Some(&e) = stream.peek() {
        stream.consume(1);
        job.before(e.arrival, last_arrival);
        job.element(e.id, e.key, e.event_time, e.arrival);
        last_arrival = Some(e.arrival);
        if job.events >= next_progress {
            next_progress = job.events + (expected / 100.0) as u64 + PROGRESS_EVERY;
            if let Some(p) = progress.as_mut() {
                p((job.events as f64 / expected).min(0.99));
            }
        }
    }
    let report = job.finish(last_arrival);
    if let Some(p) = progress.as_mut() {
        p(1.0);
    }
    Ok(report)
}

struct Job<'a> {
    sc: &'a Scenario,
    conf: FlinkConf,
    /// The window operator (None: a select).
    op: Option<WindowOperator<Payload>>,
    /// The Kafka source: a watermark generator per partition, combined by min.
    source: PartitionedWatermarks,
    /// (Kafka partition, subtask) of each key index seen, computed on first sight (a
    /// workload may name billions of keys and use a few).
    /// Keys below [`DENSE_KEYS`] in a vector (`u32::MAX`: not seen yet), others hashed.
    key_route_dense: Vec<(u32, u32)>,
    key_route: rustc_hash::FxHashMap<u32, (u32, u32)>,
    /// Key names: the workload's, or `k{index}`.
    names: Option<std::sync::Arc<[String]>>,
    /// The job's start: the tick and checkpoint grids count from it.
    start: Micros,
    /// The next checkpoint barrier.
    next_barrier: Micros,
    /// In-progress part files since the last barrier: (subtask, bucket) → rows.
    open: BTreeMap<(u32, i64), u64>,
    /// Elements and output rows since the last barrier, and the newest arrival they made
    /// visible-to-be.
    interval_inputs: u64,
    interval_outputs: u64,
    interval_dropped: u64,
    interval_newest: Micros,
    newest_visible: Micros,
    /// Events each subtask's keys had so far (its share of the state in a snapshot).
    subtask_events: Vec<u64>,
    /// Events whose first result was written: a bit per id.
    fired: Vec<u64>,
    events: u64,
    counted: u64,
    visible: u64,
    latency: Histogram,
    cols: BatchColumns,
    sum: Summary,
    flink: FlinkSummary,
    /// Forwarded watermarks and window firings, bounded and thinned (for the timeline).
    trace: FlinkTrace,
    detail: EventColumns,
    cost: CostModel,
    first_arrival: Option<Micros>,
    /// Output row bytes, compression ratio and empty-file bytes of the sink's files.
    file_model: (f64, f64, f64),
    /// Real rows per output row (a scaled select's row stands for k).
    weight: u64,
}

impl<'a> Job<'a> {
    fn new(sc: &'a Scenario, conf: FlinkConf) -> Self {
        let op = match sc.query.operator {
            Operator::WindowCount(kind) => {
                let assigner = match kind {
                    WindowKind::Fixed(w) if w.size == w.slide => Assigner::Tumbling { size: w.size },
                    WindowKind::Fixed(w) => Assigner::Sliding {
                        size: w.size,
                        slide: w.slide,
                    },
                    WindowKind::Session { gap } => Assigner::Session { gap },
                };
                Some(WindowOperator::new(WindowSpec {
                    assigner,
                    allowed_lateness: conf.allowed_lateness,
                    late_side_output: conf.late_side_output,
                }))
            }
            _ => None,
        };
        let mut cost = CostModel::new(
            sc.cost,
            sc.sink.as_ref(),
            0,
            sc.workload.start,
            sc.workload.end,
            crate::cost::month::Rhythm::of(sc),
        );
        cost.use_flink(conf.retained_checkpoints, conf.state_inline_bytes);
        let p = conf.parallelism;
        let names = sc.workload.key_names.clone();
        let stride = EventColumns::stride_for(sc.workload.expected_events(), sc.detail_events);
        let window = op.is_some();
        let key_len = crate::storage::sink::mean_key_len(&sc.workload);
        let file_model = sc.sink.as_ref().map_or((0.0, 0.0, 0.0), |s| {
            crate::storage::sink::file_model(s, &sc.query, key_len, f64::from(sc.workload.row_bytes))
        });
        let start = sc.workload.start;
        // The trace's watermark stride is chosen up front from a bound of the forwarded
        // watermarks: one a tick over the workload's span and, without idleness (a watermark
        // advances only after an element), one an element. (Past it, the stride doubles.)
        let ticks = ((sc.workload.end - start).max(0) / conf.watermark_interval + 1) as u64;
        let ticks = if conf.idleness.is_some() {
            ticks
        } else {
            ticks.min(sc.workload.expected_events() as u64 + 1)
        };
        Self {
            sc,
            conf,
            op,
            source: PartitionedWatermarks::new(
                sc.source.kafka_partitions as usize,
                sc.query.watermark_delay.unwrap_or(0),
                conf.idleness,
            ),
            key_route_dense: Vec::new(),
            key_route: rustc_hash::FxHashMap::default(),
            names: names.clone(),
            start,
            next_barrier: start + conf.checkpoint_interval,
            open: BTreeMap::new(),
            interval_inputs: 0,
            interval_outputs: 0,
            interval_dropped: 0,
            interval_newest: i64::MIN,
            newest_visible: i64::MIN,
            subtask_events: vec![0; p as usize],
            fired: Vec::new(),
            events: 0,
            counted: 0,
            visible: 0,
            latency: Histogram::default(),
            cols: BatchColumns::default(),
            sum: Summary::default(),
            flink: FlinkSummary {
                checkpoint_interval_s: conf.checkpoint_interval as f64 / 1e6,
                checkpoint_duration_s: conf.checkpoint_duration as f64 / 1e6,
                watermark_interval_ms: conf.watermark_interval as f64 / 1e3,
                parallelism: p,
                ..FlinkSummary::default()
            },
            trace: FlinkTrace::new(ticks),
            detail: EventColumns {
                stride,
                ..EventColumns::default()
            },
            cost,
            first_arrival: None,
            file_model,
            weight: if window { 1 } else { sc.scale },
        }
    }

    /// The completion time of the checkpoint that commits a result written at `t`: the
    /// first barrier after `t`, plus the duration.
    fn visible_at(&self, t: Micros) -> Micros {
        let ci = self.conf.checkpoint_interval;
        let k = (t - self.start).div_euclid(ci) + 1;
        self.start + k * ci + self.conf.checkpoint_duration
    }

    /// Everything due before an element arriving at `arrival` (the previous one at `prev`):
    /// barriers, and the first watermark tick after `prev`, in time order.
    fn before(&mut self, arrival: Micros, prev: Option<Micros>) {
        if self.first_arrival.is_none() {
            self.first_arrival = Some(arrival);
        }
        if let Some(prev) = prev {
            // Without idleness only the first tick after an element can emit anything new;
            // with it, a quiet partition turns idle within timeout + 2 intervals, and once
            // all are idle nothing changes until the next element.
            let ticks = self
                .conf
                .idleness
                .map_or(1, |t| t / self.conf.watermark_interval + 3);
            let mut tick = self.tick_after(prev);
            for _ in 0..ticks {
                if tick > arrival {
                    break;
                }
                self.barriers_through(tick);
                self.tick(tick);
                if self.source.all_idle() {
                    break;
                }
                tick += self.conf.watermark_interval;
            }
        }
        self.barriers_through(arrival);
    }

    /// The first periodic tick after `t` (ticks at `start + k · interval`, k ≥ 1; as
    /// `periodic.rs`: an element at a tick comes after it).
    fn tick_after(&self, t: Micros) -> Micros {
        let i = self.conf.watermark_interval;
        let k = (t - self.start).div_euclid(i) + 1;
        self.start + k.max(1) * i
    }

    /// A periodic tick at `t`: the generator's watermark, forwarded if it advances.
    fn tick(&mut self, t: Micros) {
        let now_ms = (t - self.start).div_euclid(1000);
        if let Some(w) = self.source.on_tick(now_ms) {
            self.flink.watermarks += 1;
            self.trace.watermark(t, w);
            if let Some(op) = self.op.as_mut() {
                let firings = op.process_watermark(w);
                for f in firings {
                    self.write_firing(f, t);
                }
            }
        }
    }

    /// One element at its arrival.
    fn element(&mut self, id: u64, key: u32, event_time: Micros, arrival: Micros) {
        // A Flink record's timestamp is a `long` of ms: the event time, truncated.
        let ts = event_time - event_time.rem_euclid(1000);
        self.events += 1;
        let (_, subtask) = self.route(key);
        self.subtask_events[subtask as usize] += 1;
        self.interval_inputs += 1;
        let slot = self.detail.slot(id, event_time, arrival);
        let Some(op) = self.op.as_mut() else {
            // A select: written at once.
            self.counted += 1;
            self.sum.fates.on_time += 1;
            let visible = self.visible_at(arrival);
            self.latency.record(visible - arrival);
            self.visible += 1;
            self.interval_newest = self.interval_newest.max(arrival);
            self.write_row(key, arrival, self.weight);
            if let Some(i) = slot {
                self.detail.fate[i] = 0;
                self.detail.visible_us[i] = visible;
                self.detail.batch[i] = self.checkpoint_index(arrival);
            }
            return;
        };
        let watermark = op.watermark();
        let (firings, late) = op.process_element(&Element {
            id: (id, arrival),
            key,
            timestamp: ts,
        });
        let behind = watermark != MIN_WATERMARK && ts <= watermark;
        let fate = match late {
            Some(l) => {
                self.interval_dropped += 1;
                self.sum.fates.dropped_late += 1;
                match l {
                    Late::SideOutput => self.flink.late_side_output += 1,
                    Late::Dropped => self.flink.late_dropped += 1,
                }
                2
            }
            None if behind => {
                self.counted += 1;
                self.sum.fates.late_counted += 1;
                1
            }
            None => {
                self.counted += 1;
                self.sum.fates.on_time += 1;
                0
            }
        };
        if let Some(i) = slot {
            self.detail.fate[i] = fate;
            self.detail.late_watermark_us[i] = watermark;
        }
        for f in firings {
            self.write_firing(f, arrival);
        }
        let (partition, _) = self.route(key);
        self.source.on_event(partition as usize, ts);
    }

    /// A key's (Kafka partition, subtask): its murmur2 partition; the subtask holding its
    /// key group (a window) or reading its partition (a select).
    fn route(&mut self, key: u32) -> (u32, u32) {
        let dense = (key as usize) < DENSE_KEYS;
        if dense {
            if let Some(&r) = self.key_route_dense.get(key as usize).filter(|r| r.0 != u32::MAX) {
                return r;
            }
        } else if let Some(&r) = self.key_route.get(&key) {
            return r;
        }
        let name = match &self.names {
            Some(n) => n.get(key as usize).cloned().unwrap_or_default(),
            None => format!("k{key}"),
        };
        let partition =
            crate::storage::sink::kafka_partition(name.as_bytes(), self.sc.source.kafka_partitions);
        let p = self.conf.parallelism;
        let subtask = if self.op.is_some() {
            crate::engine::flink::key_group::subtask_of(&name, self.conf.max_parallelism, p)
        } else {
            partition % p
        };
        if dense {
            if self.key_route_dense.len() <= key as usize {
                self.key_route_dense.resize(key as usize + 1, (u32::MAX, 0));
            }
            self.key_route_dense[key as usize] = (partition, subtask);
        } else {
            self.key_route.insert(key, (partition, subtask));
        }
        (partition, subtask)
    }

    /// Index of the checkpoint that commits what is written at `t`.
    fn checkpoint_index(&self, t: Micros) -> i64 {
        (t - self.start).div_euclid(self.conf.checkpoint_interval)
    }

    /// A window result written at `t`: its row, and the latency of the elements it is the
    /// first result of.
    fn write_firing(&mut self, f: Firing<Payload>, t: Micros) {
        let by = match f.by {
            FiredBy::Watermark => {
                self.flink.watermark_firings += 1;
                FIRED_BY_WATERMARK
            }
            FiredBy::Element => {
                self.flink.element_firings += 1;
                FIRED_BY_ELEMENT
            }
        };
        self.trace.firing(t, f.window.end, by);
        let visible = self.visible_at(t);
        let batch = self.checkpoint_index(t);
        let mask = self.detail.stride - 1;
        let shift = self.detail.stride.trailing_zeros();
        for &(id, arrival) in &f.ids {
            let (word, bit) = ((id >> 6) as usize, 1u64 << (id & 63));
            if self.fired.len() <= word {
                self.fired.resize(word + 1, 0);
            }
            if self.fired[word] & bit != 0 {
                continue;
            }
            self.fired[word] |= bit;
            self.latency.record(visible - arrival);
            self.visible += 1;
            self.interval_newest = self.interval_newest.max(arrival);
            if id & mask == 0 {
                let i = (id >> shift) as usize;
                if let Some(v) = self.detail.visible_us.get_mut(i) {
                    *v = visible;
                    self.detail.batch[i] = batch;
                }
            }
        }
        self.write_row(f.key, t, 1);
    }

    /// One output row of `key` written at `t`, standing for `weight` real rows.
    fn write_row(&mut self, key: u32, t: Micros, weight: u64) {
        self.interval_outputs += 1;
        if self.sc.sink.is_none() {
            return;
        }
        let (_, subtask) = self.route(key);
        let bucket = if self.sc.sink.as_ref().is_some_and(|s| s.partition_by_key) {
            i64::from(key)
        } else {
            t.div_euclid(3_600_000_000)
        };
        *self.open.entry((subtask, bucket)).or_default() += weight;
    }

    /// Runs every checkpoint whose barrier is at or before `t`.
    fn barriers_through(&mut self, t: Micros) {
        while self.next_barrier <= t {
            let b = self.next_barrier;
            self.checkpoint(b);
            self.next_barrier = b + self.conf.checkpoint_interval;
        }
    }

    /// The checkpoint whose barrier is at `b`: its part files roll, and it completes
    /// (committing them) `checkpoint_duration` later.
    fn checkpoint(&mut self, b: Micros) {
        let end = b + self.conf.checkpoint_duration;
        let state_rows = self.op.as_ref().map_or(0, |o| o.state_windows() as u64);
        self.cols.id.push(self.cols.id.len() as u64);
        self.cols.start_us.push(b);
        self.cols.end_us.push(end);
        self.cols.input_rows.push(self.interval_inputs);
        self.cols
            .watermark_us
            .push(self.op.as_ref().map_or(i64::MIN, |o| o.watermark()));
        self.cols.dropped_late.push(self.interval_dropped);
        self.cols.state_rows_total.push(state_rows);
        self.cols.state_rows_updated.push(0);
        self.cols.state_rows_removed.push(0);
        self.cols.output_rows.push(self.interval_outputs);
        self.cols.backlog_rows.push(0);
        self.newest_visible = self.newest_visible.max(self.interval_newest);
        self.cols.newest_visible_us.push(self.newest_visible);
        self.sum.peak_state_rows = self.sum.peak_state_rows.max(state_rows);
        if self.interval_inputs == 0 {
            self.sum.no_data_batches += 1;
        }
        self.sum.dropped_late += self.interval_dropped;
        self.sum.output_rows += self.interval_outputs;
        let (row, ratio, footer) = self.file_model;
        let open = std::mem::take(&mut self.open);
        let sizes: Vec<u64> = open
            .values()
            .map(|&rows| crate::storage::sink::file_bytes(rows, row, ratio, footer))
            .collect();
        let mut dirs: Vec<i64> = open.keys().map(|&(_, b)| b).collect();
        dirs.sort_unstable();
        dirs.dedup();
        let n = sizes.len() as u64;
        self.cols.data_files.push(n);
        self.cols.empty_files.push(0);
        self.cols.data_bytes.push(sizes.iter().sum());
        self.sum.files.data_files += n;
        self.sum.files.partition_dirs_max = self.sum.files.partition_dirs_max.max(dirs.len() as u64);
        self.flink.max_files_per_checkpoint = self.flink.max_files_per_checkpoint.max(n);
        let row_bytes = self.sc.cost.checkpoint.state_row_bytes;
        let total = self.subtask_events.iter().sum::<u64>().max(1) as f64;
        let subtask_bytes: Vec<u64> = self
            .subtask_events
            .iter()
            .map(|&n| (state_rows as f64 * (n as f64 / total) * row_bytes).round() as u64)
            .collect();
        self.cost.period(b);
        let files = self
            .sc
            .sink
            .as_ref()
            .map(|_| (sizes.as_slice(), 0usize, dirs.len() as u64));
        self.cost.flink_checkpoint(end, files, &subtask_bytes, state_rows);
        self.flink.checkpoints += 1;
        self.interval_inputs = 0;
        self.interval_outputs = 0;
        self.interval_dropped = 0;
    }

    fn finish(mut self, last_arrival: Option<Micros>) -> Report {
        // After the last element: its tick, then the checkpoint that commits its output.
        if let Some(last) = last_arrival {
            let t = self.tick_after(last);
            self.barriers_through(t);
            self.tick(t);
            let b = self.next_barrier;
            self.barriers_through(b);
        } else {
            let b = self.next_barrier;
            self.barriers_through(b);
        }
        self.trace.finish();
        let k = self.sc.scale;
        self.flink.late_side_output = self.flink.late_side_output.saturating_mul(k);
        self.flink.late_dropped = self.flink.late_dropped.saturating_mul(k);
        self.sum.events = self.events;
        self.sum.batches = self.cols.len() as u64;
        self.sum.fates.in_state_at_end = self.counted - self.visible.min(self.counted);
        self.sum.latency = self.latency.summary();
        for (fate, visible) in self.detail.fate.iter_mut().zip(&self.detail.visible_us) {
            if *fate <= 1 && *visible < 0 {
                *fate = FATE_IN_STATE;
            }
        }
        let hist = HistogramColumns::of(&self.latency);
        let state_rows = self.op.as_ref().map_or(0, |o| o.state_windows() as u64);
        self.sum.final_state_rows = state_rows;
        if let (Some(first), Some(&last_end)) = (self.first_arrival, self.cols.end_us.last()) {
            self.sum.processing_span_s = (last_end - first) as f64 / 1e6;
        }
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
            runs: &[],
            long_running: true,
            p95_latency_us: self.sum.latency.p95_s.map(|s| (s * 1e6).round() as i64),
        };
        let mut cost = self.cost.finish(&tl, state_rows);
        cost.cluster = self.sc.sizing;
        let mut report = Report {
            cost,
            state_memory: None,
            summary: self.sum,
            batches: self.cols,
            events: self.detail,
            latency_histogram: hist,
            data: self.sc.data.as_deref().cloned(),
            scaled: None,
            flink: Some(self.flink),
            flink_trace: Some(self.trace),
            #[cfg(feature = "recovery")]
            recovery: None,
        };
        if self.sc.scale > 1 {
            report.scaled = Some(crate::simulation::weigh::weigh(&mut report, self.sc));
        }
        report
    }
}

#[cfg(test)]
mod tests;
