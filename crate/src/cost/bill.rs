//! The cost model: storage requests and bytes at rest (through the [`Ledger`]), the
//! table's maintenance, downstream readers and the cluster, over the simulated horizon and
//! scaled to a 30-day month. Driven batch by batch by the engine, so that it needs no
//! per-file memory: a day of one-second batches is fine.
//!
//! Monthly figures are the steady month of `month.rs` (rates measured between two
//! trigger-period starts after the warm-up), so they do not depend on the horizon.
//! Every formula is in docs/model.md.

use crate::base::time::{Micros, secs_to_micros};
use crate::cost::compute::ComputeKind;
use crate::cost::freshness::{SlaClass, sla_class, staleness_before_commits};
use crate::cost::month::{MonthBasis, MonthInput, SteadyMonth, TableFacts, Tally};
use crate::cost::spec::{Cost, Dollars, idle_poll_us};
use crate::storage::broker::BrokerSummary;
use crate::storage::checkpoint::Checkpoint;
#[cfg(feature = "flink")]
use crate::storage::flink_checkpoint::FlinkCheckpoints;
use crate::storage::object_store::{COMPONENTS, Component, Ledger, MONTH_US, Ops};
use crate::storage::sink::Sink;
#[cfg(feature = "flink")]
use crate::storage::table_format::Writer;
use crate::storage::table_format::{MaintenanceWork, Table};
use serde::Serialize;

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct RequestCounts {
    pub sink: Ops,
    pub checkpoint: Ops,
    pub maintenance: Ops,
    pub readers: Ops,
    pub source: Ops,
    /// All requests (PUT + GET + LIST + DELETE) of all components.
    pub total: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StorageSummary {
    /// Data files written by micro-batches (after Delta's optimized write), empty included.
    pub data_files_written: u64,
    pub data_bytes_written: u64,
    /// Of those, files under the sink's small-file threshold.
    pub small_data_files_written: u64,
    /// Data files the table references at the end, and their bytes.
    pub live_data_files: u64,
    pub live_data_bytes: u64,
    /// Every object stored at the end (data, logs, checkpoint, removed-not-vacuumed).
    pub stored_objects: u64,
    pub stored_bytes: u64,
    pub peak_stored_bytes: u64,
    pub table_commits: u64,
    pub table_log_files: u64,
    pub checkpoint_offsets: u64,
    pub checkpoint_commits: u64,
    /// State files written: the HDFS provider's `V.delta` and `V.snapshot` (a Flink run's
    /// state snapshot files in the latter).
    pub state_delta_files: u64,
    pub state_snapshot_files: u64,
    /// The RocksDB provider's `V.changelog`, `V.zip` and `SSTs/*.sst` files written (an SST
    /// uploaded again counted again); not in the JSON when 0, as under the HDFS provider.
    #[serde(skip_serializing_if = "is_zero")]
    pub state_changelog_files: u64,
    #[serde(skip_serializing_if = "is_zero")]
    pub state_zip_files: u64,
    #[serde(skip_serializing_if = "is_zero")]
    pub state_sst_files: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ReaderSummary {
    pub queries: u64,
    /// Files one query opened: mean and max.
    pub files_per_query_mean: f64,
    pub files_per_query_max: u64,
    /// Query time, s.
    pub query_s_mean: f64,
    pub query_s_max: f64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct FreshnessSummary {
    pub sla_class: SlaClass,
    /// p95 arrival → visible latency, s (-1: nothing visible).
    pub p95_latency_s: f64,
    /// Age of the newest visible data just before a commit: mean and max, s.
    pub staleness_mean_s: f64,
    pub staleness_max_s: f64,
}

/// Time series at a fixed step; each column one value per sample, taken at `t_us`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SeriesColumns {
    pub step_us: i64,
    pub t_us: Vec<i64>,
    pub live_data_files: Vec<u64>,
    pub stored_bytes: Vec<u64>,
    /// Cumulative $: requests (all components), bytes at rest, the query's cluster.
    pub requests_usd: Vec<f64>,
    pub at_rest_usd: Vec<f64>,
    pub compute_usd: Vec<f64>,
}

/// Written data files by size, [low, high) bytes, powers of two.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SizeHistogram {
    pub low_bytes: Vec<u64>,
    pub high_bytes: Vec<u64>,
    pub count: Vec<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CostReport {
    pub horizon_s: f64,
    /// 30 days ÷ horizon (what `usd` would be scaled by for a month like the horizon).
    pub month_factor: f64,
    /// How `usd_per_month` and the per-day figures were made (the steady month).
    pub month: MonthBasis,
    pub compute_kind: ComputeKind,
    /// The cluster: its nodes (chosen or given) and how busy the peak keeps it.
    pub cluster: crate::cost::cluster::Sizing,
    /// $ per node-hour of the cluster.
    pub node_hour_usd: f64,
    /// Cluster seconds billed (query) and maintenance seconds.
    pub billed_compute_s: f64,
    pub maintenance_compute_s: f64,
    /// Over the simulated horizon.
    pub usd: Dollars,
    /// A steady 30-day month (`month.rs`).
    pub usd_per_month: Dollars,
    pub requests: RequestCounts,
    /// Counts per day in the steady month.
    pub requests_per_day: f64,
    pub data_files_per_day: f64,
    pub small_data_files_per_day: f64,
    pub storage: StorageSummary,
    pub maintenance: MaintenanceWork,
    pub readers: ReaderSummary,
    pub freshness: FreshnessSummary,
    /// A Kafka source's brokers and their price.
    pub brokers: BrokerSummary,
    pub series: SeriesColumns,
    pub file_sizes: SizeHistogram,
}

/// What the engine knows of the query's timeline at the end.
#[derive(Debug)]
pub struct Timeline<'a> {
    pub start: Micros,
    pub end: Micros,
    pub batch_start: &'a [i64],
    pub batch_end: &'a [i64],
    /// Newest arrival visible after each batch (`i64::MIN`: none yet).
    pub newest_visible: &'a [i64],
    /// Run-and-stop triggers: (scheduled tick, end) per run.
    pub runs: &'a [(i64, i64)],
    pub long_running: bool,
    pub p95_latency_us: Option<i64>,
}

/// The cost model, driven by the engine.
#[derive(Debug)]
pub struct CostModel {
    cost: Cost,
    ledger: Ledger,
    table: Option<Table>,
    small_file_bytes: u64,
    checkpoint: Checkpoint,
    /// A Flink job's checkpoints (`use_flink`); Spark's `checkpoint` then stays unused.
    #[cfg(feature = "flink")]
    flink: Option<FlinkCheckpoints>,
    next_read: Option<Micros>,
    read_every: Micros,
    reads: Vec<(u64, f64)>,
    step: Micros,
    next_sample: Micros,
    series: SeriesColumns,
    storage: StorageSummary,
    sizes: [u64; 64],
    start: Micros,
    /// Trigger periods starting at or after this count for the steady window, up to
    /// `workload_end`.
    steady_from: Micros,
    workload_end: Micros,
    warm_up: Micros,
    /// The steady window spans whole cycles of this (`month::cycle`).
    cycle: Micros,
    /// The trigger period, and whether every period start so far fell on its grid from
    /// the first (a stream that keeps up). On the grid the window must span whole cycles,
    /// or the run is short; off it (batches back to back, runs that overlap or fall
    /// behind) the cycle cannot be kept and the last period start closes the window.
    period: Micros,
    on_grid: bool,
    /// Counters at the steady window's first period start, and at the last one so far
    /// (any, and a whole number of cycles after the first).
    first: Option<Tally>,
    last: Option<Tally>,
    last_whole: Option<Tally>,
    reads_done: u64,
    reader_log: Ops,
    /// A file source's listings so far, and the input files its directory held at the
    /// last one.
    listings: u64,
    source_files: u64,
    /// A file source's idle time between batches (every trigger in it lists the directory
    /// and finds nothing new), µs so far.
    idle_us: u64,
}

impl CostModel {
    /// `state_partitions`: state files a batch writes (shuffle partitions × stateful
    /// operators). `expected_end`: the workload's end, for the series step.
    pub fn new(
        cost: Cost,
        sink: Option<&Sink>,
        state_partitions: u64,
        start: Micros,
        expected_end: Micros,
        rhythm: crate::cost::month::Rhythm,
    ) -> Self {
        let crate::cost::month::Rhythm {
            warm_up,
            cycle,
            period,
        } = rhythm;
        let table = sink.map(|s| Table::new(s.format, s.delta, s.iceberg, 1, start));
        let read_every = cost
            .reader
            .every_min
            .map_or(0, |m| secs_to_micros(m * 60.0).max(1));
        let step = cost
            .series_step
            .unwrap_or_else(|| default_series_step(expected_end - start));
        Self {
            ledger: Ledger::default(),
            table,
            small_file_bytes: sink.map_or(0, |s| s.small_file_bytes),
            checkpoint: Checkpoint::new(
                cost.checkpoint,
                cost.rename,
                cost.state_store,
                state_partitions,
                start,
            ),
            #[cfg(feature = "flink")]
            flink: None,
            next_read: (read_every > 0 && sink.is_some()).then_some(start + read_every),
            read_every,
            reads: Vec::new(),
            step,
            next_sample: start,
            series: SeriesColumns {
                step_us: step,
                ..SeriesColumns::default()
            },
            storage: StorageSummary::default(),
            sizes: [0; 64],
            cost,
            start,
            steady_from: start.saturating_add(warm_up),
            workload_end: expected_end,
            warm_up,
            cycle,
            period,
            on_grid: period > 0,
            first: None,
            last: None,
            last_whole: None,
            reads_done: 0,
            reader_log: Ops::default(),
            listings: 0,
            source_files: 0,
            idle_us: 0,
        }
    }

    /// A trigger period (a batch, a scheduled run's tick, an epoch) starts at `t`: the
    /// steady window's bounds are taken here.
    pub fn period(&mut self, t: Micros) {
        if t < self.steady_from || t > self.workload_end {
            return;
        }
        let now = self.tally(t);
        let first = *self.first.get_or_insert(now);
        if self.period <= 0 || (t - first.t) % self.period != 0 {
            self.on_grid = false;
        }
        if self.cycle > 0 && (t - first.t) % self.cycle == 0 {
            self.last_whole = Some(now);
        }
        self.last = Some(now);
    }

    /// A file source lists its input directory, holding `files` files, for a micro-batch
    /// (Spark's `FileStreamSource` lists the whole path every batch; S3's ListObjectsV2
    /// returns 1,000 keys a request). The processed files stay (`cleanSource` off, the
    /// default), so the directory only grows.
    pub fn source_listing(&mut self, files: u64) {
        self.ledger.list(Component::Source, files);
        self.listings += 1;
        self.source_files = files;
    }

    /// A file source's idle stream from `from` to `to`: Spark's `FileStreamSource` lists the
    /// directory on every trigger, and a trigger that finds no new file runs no batch
    /// (`MicroBatchExecution` sleeps `pollingDelay`, 10 ms, and tries again at the next
    /// trigger). The directory does not change while idle: one listing every
    /// [`idle_poll_us`] (`interval` 0: the default trigger).
    pub fn source_idle(&mut self, from: Micros, to: Micros, interval: Micros) {
        let gap = to.saturating_sub(from).max(0);
        if gap == 0 {
            return;
        }
        let polls = (gap as u64).div_ceil(idle_poll_us(interval, self.source_files) as u64);
        self.ledger.list_dirs(Component::Source, polls, self.source_files);
        self.idle_us = self.idle_us.saturating_add(gap as u64);
    }

    /// A scheduled run that found no new file: it listed the directory once to know it.
    pub fn source_run_listing(&mut self) {
        self.source_listing(self.source_files);
    }

    /// The counters now, stamped `t`.
    fn tally(&self, t: Micros) -> Tally {
        let p = &self.cost.prices;
        let l = &self.ledger;
        let mut k = Tally {
            t,
            ops: l.ops,
            reads: self.reads_done,
            reader_log: self.reader_log,
            objects: l.live_objects,
            stored: if p.min_object_128k {
                l.live_bytes_min_object
            } else {
                l.live_bytes
            },
            early: l.early_charges(p.min_object_128k, p.min_storage_days),
            data_files: self.storage.data_files_written,
            small_data_files: self.storage.small_data_files_written,
            listings: self.listings,
            source_files: self.source_files,
            idle_us: self.idle_us,
            ..Tally::default()
        };
        if let Some(tb) = &self.table {
            k.maintenance_read = tb.work.bytes_read;
            k.maintenance_written = tb.work.bytes_written;
            k.optimize = tb.optimize;
            k.vacuum = tb.vacuum;
            k.pending = if p.min_object_128k {
                tb.pending_removed_bytes_min_object
            } else {
                tb.pending_removed_bytes
            };
            k.removed_bytes = tb.removed_bytes;
            k.removed_files = tb.removed_files;
            k.live_files = tb.live_files;
            k.live_bytes = tb.live_bytes;
        }
        k
    }

    /// Runs readers, table and state maintenance, and samples due by `t`, in time order.
    pub fn advance(&mut self, t: Micros, state_rows: u64) {
        loop {
            let read = self.next_read.filter(|&r| r <= t);
            let sample = Some(self.next_sample).filter(|&s| s <= t);
            let at = match (read, sample) {
                (Some(r), Some(s)) => r.min(s),
                (Some(r), None) => r,
                (None, Some(s)) => s,
                (None, None) => break,
            };
            self.checkpoint.maintain(&mut self.ledger, at, state_rows);
            if let Some(tb) = self.table.as_mut() {
                tb.maintain(&mut self.ledger, at);
            }
            if read == Some(at) {
                self.read(at);
                self.next_read = Some(at + self.read_every);
            } else {
                self.sample(at);
                self.next_sample = at + self.step;
            }
        }
        self.checkpoint.maintain(&mut self.ledger, t, state_rows);
        if let Some(tb) = self.table.as_mut() {
            tb.maintain(&mut self.ledger, t);
        }
    }

    fn read(&mut self, at: Micros) {
        let Some(tb) = self.table.as_ref() else { return };
        let since = at - secs_to_micros(self.cost.reader.lookback_h * 3600.0);
        let (files, bytes) = tb.files_since(since);
        let before = self.ledger.ops[Component::Readers as usize];
        tb.read_metadata(&mut self.ledger);
        self.reader_log
            .add(&self.ledger.ops[Component::Readers as usize].since(&before));
        self.reads_done += 1;
        self.cost.reader.read(&mut self.ledger, files, bytes);
        self.reads
            .push((files, self.cost.reader.query_seconds(files, bytes)));
    }

    fn sample(&mut self, at: Micros) {
        let s = &mut self.series;
        s.t_us.push(at);
        s.live_data_files
            .push(self.table.as_ref().map_or(0, |t| t.live_files));
        s.stored_bytes.push(self.ledger.live_bytes);
        s.requests_usd.push(
            self.ledger
                .ops
                .iter()
                .map(|o| self.cost.prices.request_cost(o))
                .sum(),
        );
        s.at_rest_usd
            .push(self.cost.prices.at_rest_cost(&self.ledger, at));
    }

    /// One micro-batch: its checkpoint files, and with a sink its data files (`sizes`,
    /// bytes, the first `empty` without rows) in `dirs` partition directories.
    #[allow(clippy::too_many_arguments)]
    pub fn batch(
        &mut self,
        start: Micros,
        end: Micros,
        files: Option<(&[u64], usize, u64)>,
        updated: u64,
        removed: u64,
        state_rows: u64,
    ) {
        self.advance(end, state_rows);
        self.checkpoint
            .batch(&mut self.ledger, start, end, updated, removed, state_rows);
        self.commit_files(end, files);
    }

    #[cfg(feature = "flink")]
    /// The engine is Flink: its checkpoints (`flink_checkpoint.rs`) instead of Spark's
    /// offset and commit logs, and its `FileSink` writing the table's data files.
    pub fn use_flink(&mut self, retained: u32, inline_bytes: u64) {
        self.flink = Some(FlinkCheckpoints::new(retained, inline_bytes));
        if let Some(t) = self.table.as_mut() {
            t.writer = Writer::Flink;
        }
    }

    #[cfg(feature = "flink")]
    /// A Flink checkpoint completing at `end`: its snapshot files (`subtask_bytes` per
    /// subtask) and `_metadata`, and the part files it commits (as [`CostModel::batch`]'s).
    pub fn flink_checkpoint(
        &mut self,
        end: Micros,
        files: Option<(&[u64], usize, u64)>,
        subtask_bytes: &[u64],
        state_rows: u64,
    ) {
        self.advance(end, state_rows);
        if let Some(f) = self.flink.as_mut() {
            f.complete(&mut self.ledger, end, subtask_bytes);
        }
        self.commit_files(end, files);
    }

    /// Commits data files (`sizes`, the first `empty` without rows, in `dirs` directories)
    /// to the table at `end`.
    /// A failed attempt's files that no commit took (`storage/rerun.rs`), written at `t`:
    /// their PUTs and bytes at rest; they stay (nothing in the model cleans them up).
    /// After [`CostModel::query_stopped`] at `t` (the failure).
    pub fn orphan_files(&mut self, t: Micros, sizes: &[u64]) {
        self.ledger.write(Component::Sink, t, sizes);
    }

    /// A failed attempt's files committed to the table at `t` (a plain `foreachBatch`
    /// append the re-run writes again): data files like a batch's. After
    /// [`CostModel::query_stopped`] at `t` (the failure).
    pub fn extra_commit(&mut self, t: Micros, files: (&[u64], usize, u64)) {
        self.commit_files(t, Some(files));
    }

    /// State delta files each partition would replay on a restart now (`checkpoint.rs`).
    pub fn deltas_since_snapshot(&self) -> u64 {
        self.checkpoint.deltas_since_snapshot()
    }

    fn commit_files(&mut self, end: Micros, files: Option<(&[u64], usize, u64)>) {
        if let (Some(tb), Some((sizes, empty, dirs))) = (self.table.as_mut(), files) {
            let written = tb.commit(&mut self.ledger, end, sizes, empty, dirs);
            let st = &mut self.storage;
            for &b in &written {
                st.data_files_written += 1;
                st.data_bytes_written += b;
                st.small_data_files_written += u64::from(b < self.small_file_bytes);
                self.sizes[(64 - b.leading_zeros()) as usize % 64] += 1;
            }
        }
    }

    /// Steps the table's readers' scans and its compactions have walked (the budget's
    /// meter); (0, 0) without a sink.
    pub fn table_steps(&self) -> (u64, u64) {
        self.table
            .as_ref()
            .map_or((0, 0), |t| (t.scan_steps.get(), t.compact_steps))
    }

    /// A run-and-stop trigger's query starts a run at `t`.
    pub fn query_started(&mut self, t: Micros) {
        self.checkpoint.start(t);
    }

    /// A run-and-stop trigger's query stops at `t`: no state maintenance until the next run.
    pub fn query_stopped(&mut self, t: Micros, state_rows: u64) {
        self.advance(t, state_rows);
        self.checkpoint.stop(&mut self.ledger, t, state_rows);
    }

    pub fn finish(mut self, tl: &Timeline, state_rows: u64) -> CostReport {
        let end = tl.end.max(tl.start + 1);
        self.advance(end, state_rows);
        if self.series.t_us.last() != Some(&end) {
            self.sample(end);
        }
        let horizon_us = (end - tl.start) as f64;
        let month_factor = MONTH_US / horizon_us;
        let c = &self.cost.compute;

        // Billed intervals (from, to, billed seconds); cumulative cost interpolates.
        let secs = |a: i64, b: i64| (b - a) as f64 / 1e6;
        let mut intervals: Vec<(i64, i64, f64)> = Vec::new();
        match c.kind {
            ComputeKind::AlwaysOn => intervals.push((tl.start, end, secs(tl.start, end))),
            ComputeKind::Job if tl.long_running => {
                if let (Some(&a), Some(&b)) = (tl.batch_start.first(), tl.batch_end.last()) {
                    intervals.push((a, b, c.billed_run(secs(a, b))));
                }
            }
            ComputeKind::Job => {
                for &(a, b) in tl.runs {
                    intervals.push((a, b, c.billed_run(secs(a, b))));
                }
            }
            ComputeKind::Serverless if tl.long_running => {
                for (&a, &b) in tl.batch_start.iter().zip(tl.batch_end) {
                    intervals.push((a, b, secs(a, b)));
                }
            }
            ComputeKind::Serverless => {
                for &(a, b) in tl.runs {
                    intervals.push((a, b, secs(a, b)));
                }
            }
        }
        let billed_s: f64 = intervals.iter().map(|i| i.2).sum();
        // Cumulative compute per sample: intervals are in time order.
        let mut k = 0;
        let mut done = 0.0;
        for &t in &self.series.t_us {
            while k < intervals.len() && intervals[k].1 <= t {
                done += intervals[k].2;
                k += 1;
            }
            let partial = intervals.get(k).map_or(0.0, |&(a, b, s)| {
                if t <= a || b <= a {
                    0.0
                } else {
                    s * (t - a) as f64 / (b - a) as f64
                }
            });
            self.series.compute_usd.push(c.cost_of(done + partial));
        }

        let work = self.table.as_ref().map(|t| t.work).unwrap_or_default();
        let maintenance_s = c.maintenance_seconds(work.bytes_read as f64, work.bytes_written as f64);
        let p = &self.cost.prices;
        let ops = &self.ledger.ops;
        let mut usd = Dollars {
            sink_requests: p.request_cost(&ops[Component::Sink as usize]),
            checkpoint_requests: p.request_cost(&ops[Component::Checkpoint as usize]),
            maintenance_requests: p.request_cost(&ops[Component::Maintenance as usize]),
            reader_requests: p.request_cost(&ops[Component::Readers as usize]),
            source_requests: p.request_cost(&ops[Component::Source as usize]),
            source_brokers: self.cost.broker.usd_per_hour * horizon_us / 3.6e9,
            at_rest: p.at_rest_cost(&self.ledger, end),
            compute: c.cost_of(billed_s),
            maintenance_compute: c.cost_of(maintenance_s),
            total: 0.0,
        };
        usd.total = usd.components_sum();
        let requests = RequestCounts {
            sink: ops[Component::Sink as usize],
            checkpoint: ops[Component::Checkpoint as usize],
            maintenance: ops[Component::Maintenance as usize],
            readers: ops[Component::Readers as usize],
            source: ops[Component::Source as usize],
            total: ops.iter().take(COMPONENTS).map(Ops::requests).sum(),
        };

        // Before the storage counters move into the report: the month's tallies read them.
        let month = self.steady_month(tl, end, &intervals, billed_s);

        let mut storage = std::mem::take(&mut self.storage);
        if let Some(t) = &self.table {
            storage.live_data_files = t.live_files;
            storage.live_data_bytes = t.live_bytes;
            storage.table_commits = t.commits;
            storage.table_log_files = t.log_files;
        }
        storage.stored_objects = self.ledger.live_objects;
        storage.stored_bytes = self.ledger.live_bytes;
        storage.peak_stored_bytes = self.ledger.peak_live_bytes;
        storage.checkpoint_offsets = self.checkpoint.offsets;
        storage.checkpoint_commits = self.checkpoint.commits;
        let state = self.checkpoint.state_files();
        storage.state_delta_files = state.delta.written;
        storage.state_snapshot_files = state.snapshot.written;
        storage.state_changelog_files = state.changelog.written;
        storage.state_zip_files = state.zip.written;
        storage.state_sst_files = state.sst.written;
        #[cfg(feature = "flink")]
        if let Some(f) = &self.flink {
            // A Flink checkpoint is one `_metadata` (its commit) and full snapshots.
            storage.checkpoint_commits = f.completed;
            storage.state_snapshot_files = f.state_files;
        }

        let n = self.reads.len() as f64;
        let readers = ReaderSummary {
            queries: self.reads.len() as u64,
            files_per_query_mean: if n > 0.0 {
                self.reads.iter().map(|r| r.0 as f64).sum::<f64>() / n
            } else {
                0.0
            },
            files_per_query_max: self.reads.iter().map(|r| r.0).max().unwrap_or(0),
            query_s_mean: if n > 0.0 {
                self.reads.iter().map(|r| r.1).sum::<f64>() / n
            } else {
                0.0
            },
            query_s_max: self.reads.iter().map(|r| r.1).fold(0.0, f64::max),
        };

        let stale = staleness_before_commits(tl.batch_end, tl.newest_visible);
        let stale: Vec<f64> = stale
            .iter()
            .filter(|&&s| s >= 0)
            .map(|&s| s as f64 / 1e6)
            .collect();
        let freshness = FreshnessSummary {
            sla_class: sla_class(tl.p95_latency_us),
            p95_latency_s: tl.p95_latency_us.map_or(-1.0, |l| l as f64 / 1e6),
            staleness_mean_s: if stale.is_empty() {
                -1.0
            } else {
                stale.iter().sum::<f64>() / stale.len() as f64
            },
            staleness_max_s: stale.iter().copied().fold(-1.0, f64::max),
        };

        let mut file_sizes = SizeHistogram::default();
        for (i, &n) in self.sizes.iter().enumerate() {
            if n > 0 {
                file_sizes
                    .low_bytes
                    .push(if i == 0 { 0 } else { 1u64 << (i - 1) });
                file_sizes.high_bytes.push(1u64 << i);
                file_sizes.count.push(n);
            }
        }

        CostReport {
            horizon_s: horizon_us / 1e6,
            month_factor,
            compute_kind: c.kind,
            cluster: crate::cost::cluster::Sizing::default(),
            node_hour_usd: c.node_hour(),
            billed_compute_s: billed_s,
            maintenance_compute_s: maintenance_s,
            usd,
            usd_per_month: month.usd,
            month: month.basis,
            requests_per_day: month.requests_per_day,
            data_files_per_day: month.data_files_per_day,
            small_data_files_per_day: month.small_data_files_per_day,
            requests,
            storage,
            maintenance: work,
            readers,
            freshness,
            brokers: self.cost.broker,
            series: self.series,
            file_sizes,
        }
    }
}

impl CostModel {
    /// The steady month (`month.rs`) from the window's tallies, or from the whole run when
    /// it holds no steady window. `intervals`: the billed (from, to, seconds) of the run.
    fn steady_month(
        &self,
        tl: &Timeline,
        end: Micros,
        intervals: &[(i64, i64, f64)],
        billed_s: f64,
    ) -> SteadyMonth {
        // On the trigger grid a window that is not a whole number of cycles would catch a
        // wave of files (a window closing) more or less often than the month does: none is
        // a short run. Off the grid the last period start closes it.
        let window = self.first.and_then(|a| {
            let whole = self.last_whole.filter(|b| b.t > a.t);
            let b = if self.on_grid {
                whole?
            } else {
                whole.or(self.last)?
            };
            (b.t > a.t).then_some((a, b))
        });
        let steady = window.is_some();
        let (a, b) = window.unwrap_or_else(|| {
            (
                Tally {
                    t: tl.start,
                    ..Tally::default()
                },
                self.tally(end),
            )
        });
        let c = &self.cost.compute;
        let window_billed = if !steady {
            billed_s
        } else if c.kind == ComputeKind::AlwaysOn || (c.kind == ComputeKind::Job && tl.long_running) {
            // One span: the part of it inside the window.
            intervals
                .iter()
                .map(|&(from, to, _)| (to.min(b.t) - from.max(a.t)).max(0) as f64 / 1e6)
                .sum()
        } else {
            // Runs or batches: those that start in the window.
            intervals
                .iter()
                .filter(|&&(from, _, _)| a.t <= from && from < b.t)
                .map(|i| i.2)
                .sum()
        };
        let table = self.table.as_ref().map(|tb| {
            let (optimize_every, vacuum_every) = tb.job_periods();
            let mut scratch = Ledger::default();
            tb.read_metadata(&mut scratch);
            TableFacts {
                optimize_every,
                vacuum_every,
                retention: tb.retention(),
                optimize_target: tb.optimize_target(),
                reader_log_now: scratch.ops[Component::Readers as usize],
            }
        });
        crate::cost::month::steady_month(&MonthInput {
            cost: &self.cost,
            start: self.start,
            warm_up: self.warm_up,
            steady,
            a: &a,
            b: &b,
            billed_s: window_billed,
            table,
            poll_interval: self.period,
        })
    }
}

/// The series step when `cost.series_step_s` is null: the workload's span ÷ 240, rounded
/// up to a whole minute.
pub fn default_series_step(span: Micros) -> Micros {
    round_up_minute(span.max(1) / 240)
}

fn round_up_minute(us: i64) -> i64 {
    let m = 60_000_000;
    (us.max(1) + m - 1) / m * m
}
