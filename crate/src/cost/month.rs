//! The steady month: what "per month" means in the report, so that it does not depend on
//! how long the run simulated.
//!
//! **Definition.** A month is 30 days of the pipeline in steady operation:
//! - every *flow* (requests, the query's cluster, maintenance) at its steady rate: the rate
//!   measured over the **steady window** `[a, b]` of the run, scaled to 30 days;
//! - the dashboard reader as it is once it sees a full `lookback_h` of files;
//! - bytes *at rest* as they are in the **first** 30 days of a table that starts empty:
//!   they grow for as long as the table keeps its data, so a later month costs more; the
//!   report gives that growth per month separately (`at_rest_growth_usd_per_month`).
//!
//! **The steady window.** `a` = the start of the first trigger period (a batch, or a
//! scheduled run's tick) at or after `start + warm-up`; `b` = the start of the last
//! period at or before the workload's end that is a whole number of **cycles** after `a`
//! (the cycle: the least common multiple of the trigger period and a fixed window's
//! slide, as files come in a wave each time a window closes; the last period start when
//! no whole cycle fits). So a rate is never cut mid-cycle; the drain after the workload's
//! end (no new events) is left out. The
//! warm-up is the trigger period plus, for an event-time query, the time the first
//! window or watermark takes to start emitting (`window + watermark delay`, or the
//! session gap + delay, or the dedup delay) and, for a stream, one more period (a batch's
//! watermark comes from the batch before). When the run
//! holds no whole period after the warm-up, the whole run is used and `steady` is false.
//!
//! **Formulas** (each component, `M` = 30 days, `T = b − a`, `Δx` = the counter's growth over
//! the window):
//! - sink, checkpoint and per-commit maintenance (auto-compaction) requests:
//!   `$(Δops) × M / T`;
//! - compute: the billed seconds of the periods that start in `[a, b)` (always-on: `T`;
//!   jobs: their runs; serverless: busy time) `× M / T`; maintenance compute likewise from
//!   the bytes compaction moved;
//! - readers, `M / every` queries, each: the log reads of a query (the mean over the
//!   window's queries) plus `files = (Δ live files / T) × lookback` files opened with
//!   `gets_per_file` requests and `(Δ live bytes / T) × lookback` bytes. Compaction's
//!   current small files (fewer than its trigger, 50 by default) are left out;
//! - scheduled OPTIMIZE / rewrite: `M / every` runs, each the mean run of the window; with
//!   no run in the window, each run rewrites the small data files written in one period
//!   (reads them, writes `⌈bytes / target⌉` files) (an estimate, flagged);
//! - VACUUM / expiry: `M / every` runs, each listing the objects stored at mid-month
//!   (growing as the table's live and removed files do), deleting the files compaction removed (`Δ removed files × M
//!   / T`);
//! - at rest, `(stored(a) − pending(a)) + g × (M/2 − warm-up)` average bytes kept, plus the
//!   removed-not-vacuumed bytes `ρ × (R − R² / 2M)` (`ρ` the bytes removed per unit time,
//!   `R` the retention; `ρ × M/2` without VACUUM), plus the early-deletion charges of a
//!   tier's minimum duration at their window rate; `g` is the growth of the rest.
//!   The growth per month is `g × M` bytes.
//! - a Kafka source's brokers: their hourly price at the mean ingest (`broker.rs`) × `M`
//!   (always an estimate, flagged `broker_throughput`).
//!
//! Invariant: once the run covers the warm-up and a few trigger periods (and, for the
//! measured parts, the scheduled jobs' periods), a longer run gives the same month within
//! the sampling noise of its events (tested: 1 h … 3 d within 2 %).

use crate::base::time::Micros;
use crate::cost::spec::{Cost, Dollars};
use crate::storage::object_store::{COMPONENTS, Component, GB, MONTH_US, Ops};
use crate::storage::table_format::JobTally;
use serde::Serialize;

/// The cost model's counters at the start of a trigger period.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    pub t: Micros,
    pub ops: [Ops; COMPONENTS],
    /// Reader queries so far, and the requests they made for the table's log.
    pub reads: u64,
    pub reader_log: Ops,
    /// Bytes compaction and OPTIMIZE read and wrote (the table's `work`).
    pub maintenance_read: u64,
    pub maintenance_written: u64,
    pub optimize: JobTally,
    pub vacuum: JobTally,
    /// Objects and bytes stored (the bytes as the price list bills them: with S3-IA's
    /// 128 KiB minimum where it applies), removed-not-deleted bytes of the table (same
    /// billing), early-deletion charges (byte·µs).
    pub objects: u64,
    pub stored: u64,
    pub pending: u64,
    pub early: f64,
    /// Bytes and files the table removed (compaction), all so far.
    pub removed_bytes: u64,
    pub removed_files: u64,
    /// The table's live data files and bytes.
    pub live_files: u64,
    pub live_bytes: u64,
    pub data_files: u64,
    pub small_data_files: u64,
    /// A file source's listings, and the files its directory held at the last.
    pub listings: u64,
    pub source_files: u64,
    /// A file source's idle stream time so far, µs (`cost::CostModel::source_idle`).
    pub idle_us: u64,
}

/// Why a component's monthly figure is a formula rather than a measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The run holds no whole trigger period after the warm-up: every rate is the whole
    /// run's, warm-up and drain included.
    ShortRun,
    /// The steady window is shorter than the reader's lookback: files per query are the
    /// steady growth of live files × lookback.
    ReaderLookback,
    /// No OPTIMIZE / rewrite ran in the steady window: a run is taken to rewrite one
    /// period's small files.
    OptimizeNotRun,
    /// The run is shorter than the retention: VACUUM's deletes, and the removed files it
    /// keeps meanwhile, follow their steady rates.
    VacuumRetention,
    /// The run is shorter than the month: bytes at rest follow their steady growth.
    AtRestGrowth,
    /// Compaction rewrites the same bytes again and again (its output stays under its
    /// size limit), so its work and the removed bytes it leaves grow with the table: the
    /// month takes the rate at the run's end, and a longer run gives more.
    RewritesGrow,
    /// A file source's directory keeps growing (its processed files stay), so each
    /// listing takes more LIST requests: the month's mean directory is taken.
    SourceListing,
    /// A Kafka source's brokers are not simulated: their price is the mean ingest
    /// bandwidth × a throughput price, with the smallest cluster's floor (`broker.rs`).
    BrokerThroughput,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Extrapolated {
    /// The component as the report's `usd_per_month` names it.
    pub component: &'static str,
    pub reason: Reason,
}

/// How the report's monthly figures were made.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MonthBasis {
    /// Whether the rates come from a steady window (false: from the whole run).
    pub steady: bool,
    pub warm_up_s: f64,
    /// The steady window, s after the workload's start.
    pub from_s: f64,
    pub to_s: f64,
    /// Components whose monthly figure is a formula, and why.
    pub extrapolated: Vec<Extrapolated>,
    /// Files a steady reader query opens (its lookback's worth).
    pub reader_files_per_query: f64,
    /// How much the at-rest bill grows each month after the first, $.
    pub at_rest_growth_usd_per_month: f64,
}

/// The steady month's figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SteadyMonth {
    pub usd: Dollars,
    pub requests_per_day: f64,
    pub data_files_per_day: f64,
    pub small_data_files_per_day: f64,
    pub basis: MonthBasis,
}

/// What the month needs besides the two tallies.
#[derive(Debug, Clone, Copy)]
pub struct MonthInput<'a> {
    pub cost: &'a Cost,
    pub start: Micros,
    pub warm_up: Micros,
    /// Whether `[a, b]` is a steady window (else the whole run).
    pub steady: bool,
    pub a: &'a Tally,
    pub b: &'a Tally,
    /// Billed cluster seconds of the periods starting in `[a, b)`.
    pub billed_s: f64,
    /// With a table: its jobs' periods (OPTIMIZE, VACUUM), retention, OPTIMIZE's target
    /// file size, and the log requests of one reader query now (used when no query ran in
    /// the window).
    pub table: Option<TableFacts>,
    /// The stream's trigger interval (0: the default trigger, or no stream), for a file
    /// source's idle listings.
    pub poll_interval: Micros,
}

#[derive(Debug, Clone, Copy)]
pub struct TableFacts {
    pub optimize_every: Option<Micros>,
    pub vacuum_every: Option<Micros>,
    pub retention: Micros,
    pub optimize_target: u64,
    pub reader_log_now: Ops,
}

pub fn steady_month(m: &MonthInput) -> SteadyMonth {
    let (a, b, c) = (m.a, m.b, m.cost);
    let p = &c.prices;
    let span = (b.t - a.t).max(1) as f64;
    let per_month = MONTH_US / span;
    let month_days = MONTH_US / 86_400e6;
    let mut basis = MonthBasis {
        steady: m.steady,
        warm_up_s: m.warm_up as f64 / 1e6,
        from_s: (a.t - m.start) as f64 / 1e6,
        to_s: (b.t - m.start) as f64 / 1e6,
        ..MonthBasis::default()
    };
    let mut notes: Vec<Extrapolated> = Vec::new();
    let mut note = |component, reason| notes.push(Extrapolated { component, reason });
    if !m.steady {
        note("total", Reason::ShortRun);
    }
    let delta = |k: Component| b.ops[k as usize].since(&a.ops[k as usize]);
    let mut requests = 0.0;
    let flow = |o: &Ops, times: f64, requests: &mut f64| {
        *requests += o.requests() as f64 * times;
        p.request_cost(o) * times
    };

    let sink = flow(&delta(Component::Sink), per_month, &mut requests);

    // A file source's listings: L per µs, each of ⌈D ÷ 1,000⌉ LIST requests for a
    // directory of D files that grows at f files/µs from empty. Over the month the mean
    // listing takes about D̄ ÷ 1,000 + ½ requests, D̄ = f · month ÷ 2.
    let listings = (b.listings - a.listings) as f64 / span;
    let file_rate = (b.source_files as f64 - a.source_files as f64).max(0.0) / span;
    let source = if listings > 0.0 && file_rate > 0.0 {
        note("source_requests", Reason::SourceListing);
        let pages = (file_rate * MONTH_US / 2.0 / 1000.0 + 0.5).max(1.0);
        // Idle triggers: the share of the window the stream sat idle, listing every
        // `idle_poll_us` of the directory as it grows through the month (a listing of a
        // large directory takes long enough to space them out).
        let idle = (b.idle_us - a.idle_us) as f64 / span;
        let mut idle_lists = 0.0;
        if idle > 0.0 {
            const STEPS: u32 = 1000;
            let dt = MONTH_US / f64::from(STEPS);
            for i in 0..STEPS {
                let files = (file_rate * (f64::from(i) + 0.5) * dt) as u64;
                let poll = crate::cost::spec::idle_poll_us(m.poll_interval, files) as f64;
                idle_lists += idle * dt / poll * files.div_ceil(1000).max(1) as f64;
            }
        }
        let lists = (listings * MONTH_US * pages + idle_lists).round() as u64;
        let o = Ops {
            list: lists,
            ..Ops::default()
        };
        flow(&o, 1.0, &mut requests)
    } else {
        flow(&delta(Component::Source), per_month, &mut requests)
    };
    let checkpoint = flow(&delta(Component::Checkpoint), per_month, &mut requests);

    // Maintenance: per-commit compaction at its window rate, scheduled jobs per run.
    let maint_ops = delta(Component::Maintenance)
        .since(&b.optimize.ops.since(&a.optimize.ops))
        .since(&b.vacuum.ops.since(&a.vacuum.ops));
    let opt_read = b.optimize.bytes_read - a.optimize.bytes_read;
    let opt_written = b.optimize.bytes_written - a.optimize.bytes_written;
    let mut maint_bytes = (
        (b.maintenance_read - a.maintenance_read).saturating_sub(opt_read) as f64 * per_month,
        (b.maintenance_written - a.maintenance_written).saturating_sub(opt_written) as f64 * per_month,
    );
    let mut maintenance = flow(&maint_ops, per_month, &mut requests);
    let mut at_rest_pending = 0.0;
    let removed_rate_files = (b.removed_files - a.removed_files) as f64 / span;
    // Objects keep growing with the table's files (the checkpoint's are bounded by its
    // retention, and still piling up early in a short run: left out).
    let objects_growth = (b.live_files as f64 - a.live_files as f64).max(0.0) / span + removed_rate_files;
    let removed_rate = (b.removed_bytes - a.removed_bytes) as f64 / span;
    // Each byte compacted once would remove bytes as fast as the table grows.
    let table_growth = (b.live_bytes as f64 - a.live_bytes as f64).max(0.0) / span;
    if removed_rate > 1.5 * table_growth {
        note("maintenance", Reason::RewritesGrow);
        note("at_rest", Reason::RewritesGrow);
    }
    if let Some(t) = m.table {
        if let Some(every) = t.optimize_every {
            let runs = MONTH_US / every as f64;
            let ran = b.optimize.runs - a.optimize.runs;
            if ran > 0 {
                let per_run = 1.0 / ran as f64;
                let o = b.optimize.ops.since(&a.optimize.ops);
                maintenance += flow(&o, runs * per_run, &mut requests);
                maint_bytes.0 += opt_read as f64 * runs * per_run;
                maint_bytes.1 += opt_written as f64 * runs * per_run;
            } else {
                note("maintenance", Reason::OptimizeNotRun);
                // One period's small files, read and rewritten.
                let files = (b.small_data_files - a.small_data_files) as f64 / span * every as f64;
                let bytes = (b.live_bytes as f64 - a.live_bytes as f64).max(0.0) / span * every as f64;
                if files >= 2.0 {
                    let out = (bytes / t.optimize_target.max(1) as f64).ceil().max(1.0);
                    let get = p.read_per_1k
                        * if p.per_4mib {
                            files * units(bytes / files)
                        } else {
                            files
                        };
                    let put = p.write_per_1k * if p.per_4mib { out * units(bytes / out) } else { out };
                    maintenance += runs * ((get + put) / 1000.0 + bytes / GB * p.retrieval_per_gb);
                    requests += runs * (files + out);
                    maint_bytes.0 += bytes * runs;
                    maint_bytes.1 += bytes * runs;
                }
            }
        }
        if let Some(every) = t.vacuum_every {
            let runs = MONTH_US / every as f64;
            // Each run lists every object stored at mid-month: ⌈objects / 1 000⌉ pages.
            let objects = b.objects as f64 + objects_growth * (MONTH_US / 2.0 - (b.t - m.start) as f64);
            let pages = (objects.max(0.0) / 1000.0).ceil().max(1.0);
            let deletes = removed_rate_files * MONTH_US;
            maintenance += runs * pages * p.list_per_1k / 1000.0 + deletes * p.delete_per_1k / 1000.0;
            requests += runs * pages + deletes;
            let r = t.retention as f64;
            at_rest_pending = if r < MONTH_US {
                removed_rate * (r - r * r / (2.0 * MONTH_US))
            } else {
                removed_rate * MONTH_US / 2.0
            };
            if (b.t - m.start) < t.retention && removed_rate > 0.0 {
                note("at_rest", Reason::VacuumRetention);
            }
        } else {
            at_rest_pending = removed_rate * MONTH_US / 2.0;
        }
    }
    let maintenance_compute = c
        .compute
        .cost_of(c.compute.maintenance_seconds(maint_bytes.0, maint_bytes.1));

    // Readers.
    let mut readers = 0.0;
    if let (Some(t), Some(every_min)) = (m.table, c.reader.every_min) {
        let queries = MONTH_US / (every_min * 60e6).max(1.0);
        let lookback = c.reader.lookback_h * 3600e6;
        let reads = b.reads - a.reads;
        let log = if reads > 0 {
            let o = b.reader_log.since(&a.reader_log);
            (
                p.request_cost(&o) / reads as f64,
                o.requests() as f64 / reads as f64,
            )
        } else {
            (
                p.request_cost(&t.reader_log_now),
                t.reader_log_now.requests() as f64,
            )
        };
        let files = match t.optimize_every {
            // Auto-compaction or none: the steady growth of live files over the lookback.
            None => (b.live_files as f64 - a.live_files as f64).max(0.0) / span * lookback,
            // A scheduled OPTIMIZE: the small files written since its last run (the mean
            // over its phase) plus the files its runs in the lookback wrote.
            Some(every) => {
                let every = every as f64;
                let written = (b.data_files - a.data_files) as f64 / span;
                let small = if every >= lookback {
                    written * (lookback - lookback * lookback / (2.0 * every))
                } else {
                    written * every / 2.0
                };
                let runs = b.optimize.runs - a.optimize.runs;
                let per_run = if runs > 0 {
                    (b.optimize.files_written - a.optimize.files_written) as f64 / runs as f64
                } else {
                    1.0
                };
                small + per_run * (lookback / every).floor().max(0.0)
            }
        };
        let bytes = (b.live_bytes as f64 - a.live_bytes as f64).max(0.0) / span * lookback;
        let gets = files * c.reader.gets_per_file as f64;
        let get_cost = if gets > 0.0 {
            p.read_per_1k
                * if p.per_4mib {
                    gets * units(bytes / gets)
                } else {
                    gets
                }
                / 1000.0
                + bytes / GB * p.retrieval_per_gb
        } else {
            0.0
        };
        readers = queries * (log.0 + get_cost);
        requests += queries * (log.1 + gets);
        basis.reader_files_per_query = files;
        if span < lookback {
            note("reader_requests", Reason::ReaderLookback);
        }
    }

    // At rest: the first month's average bytes, plus early-deletion charges at their rate.
    let kept = |x: &Tally| x.stored as f64 - x.pending as f64;
    let growth = (kept(b) - kept(a)) / span;
    let avg = (kept(a) + growth * (MONTH_US / 2.0 - (a.t - m.start) as f64)).max(0.0);
    let early = (b.early - a.early).max(0.0) / span * MONTH_US;
    let byte_months = avg + at_rest_pending + early / MONTH_US;
    let at_rest = byte_months / GB * p.per_gb_month;
    basis.at_rest_growth_usd_per_month = growth.max(0.0) * MONTH_US / GB * p.per_gb_month;
    if ((b.t - m.start) as f64) < MONTH_US {
        note("at_rest", Reason::AtRestGrowth);
    }

    let compute = c.compute.cost_of(m.billed_s * per_month);
    // A Kafka source's brokers: never measured, priced from the mean ingest (`broker.rs`).
    let source_brokers = c.broker.usd_per_hour * MONTH_US / 3.6e9;
    if source_brokers > 0.0 {
        note("source_brokers", Reason::BrokerThroughput);
    }
    let mut usd = Dollars {
        sink_requests: sink,
        checkpoint_requests: checkpoint,
        maintenance_requests: maintenance,
        reader_requests: readers,
        source_requests: source,
        source_brokers,
        at_rest,
        compute,
        maintenance_compute,
        total: 0.0,
    };
    usd.total = usd.components_sum();
    notes.dedup();
    basis.extrapolated = notes;
    SteadyMonth {
        usd,
        requests_per_day: requests / month_days,
        data_files_per_day: (b.data_files - a.data_files) as f64 * per_month / month_days,
        small_data_files_per_day: (b.small_data_files - a.small_data_files) as f64 * per_month / month_days,
        basis,
    }
}

/// Billing units of a request moving `bytes` under a per-4-MiB price list.
fn units(bytes: f64) -> f64 {
    (bytes / crate::storage::object_store::OP_UNIT_BYTES as f64)
        .ceil()
        .max(1.0)
}

/// What the steady window is cut on: the warm-up it waits out, the cycle it spans whole
/// numbers of, and the trigger period whose grid period starts fall on while the stream
/// keeps up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rhythm {
    pub warm_up: Micros,
    pub cycle: Micros,
    /// 0 for back-to-back batches and single runs (no grid).
    pub period: Micros,
}

#[cfg(test)]
mod tests {
    use crate::cost::bill::CostReport;
    use crate::cost::spec::Dollars;
    use crate::scenario::spec::ScenarioSpec;
    use crate::simulation::simulate;
    use crate::storage::object_store::MONTH_US;

    /// The page's default pipeline (www/state.js PAGE_DEFAULT) at `rate` events/s for
    /// `duration_s`, with `extra` JSON members replacing its sink, trigger or cost.
    fn run(rate: u32, duration_s: u32, sink: &str, trigger: &str, cost: &str) -> CostReport {
        let json = format!(
            r#"{{"seed": 42,
            "workload": {{"duration_s": {duration_s}, "rate_per_s": {rate}, "keys": 100,
              "lateness": {{"kind": "exponential", "mean_s": 5}},
              "offline": {{"fraction": 0.05, "min_s": 60, "max_s": 7200}}}},
            "trigger": {trigger},
            "query": {{"operator": "window_count", "window": {{"kind": "tumbling", "size_s": 600}},
              "watermark_delay_s": 120, "output_mode": "append"}},
            "sink": {sink}, "cost": {cost}, "report": {{"detail_events": 10}}}}"#
        );
        simulate(&ScenarioSpec::from_json(&json).unwrap()).unwrap().cost
    }

    fn parts(u: &Dollars) -> [(&'static str, f64); 8] {
        [
            ("sink", u.sink_requests),
            ("checkpoint", u.checkpoint_requests),
            ("maintenance", u.maintenance_requests),
            ("readers", u.reader_requests),
            ("at_rest", u.at_rest),
            ("compute", u.compute),
            ("maintenance_compute", u.maintenance_compute),
            ("total", u.total),
        ]
    }

    /// Every component of `a` within 2 % of `b` (or a cent, for the near-zero ones).
    fn close(what: &str, a: &CostReport, b: &CostReport) {
        for ((name, x), (_, y)) in parts(&a.usd_per_month).into_iter().zip(parts(&b.usd_per_month)) {
            assert!(
                (x - y).abs() <= 0.02 * x.abs().max(y.abs()) + 0.01,
                "{what}: {name} {x:.4} vs {y:.4} ({}s vs {}s)",
                a.horizon_s,
                b.horizon_s
            );
        }
    }

    const PROCESSING_60S: &str = r#"{"kind": "processing_time", "interval_s": 60}"#;
    const PARQUET: &str = r#"{"format": "parquet"}"#;
    const DEFAULT_COST: &str =
        r#"{"storage": {"preset": "s3_standard"}, "compute": {"preset": "databricks_jobs_aws", "nodes": 2}}"#;

    #[test]
    fn the_default_pipeline_costs_the_same_month_at_every_horizon() {
        let runs: Vec<CostReport> = [3_600, 21_600, 86_400, 259_200]
            .into_iter()
            .map(|d| run(10, d, PARQUET, PROCESSING_60S, DEFAULT_COST))
            .collect();
        for r in &runs {
            assert!(r.month.steady, "{}", r.horizon_s);
            assert!(r.usd_per_month.reader_requests > 0.0);
        }
        for r in &runs[..3] {
            close("default", r, &runs[3]);
        }
        // The reader's lookback (24 h) is extrapolated only while the run is shorter.
        let lookback = |r: &CostReport| {
            r.month
                .extrapolated
                .iter()
                .any(|e| e.reason == super::Reason::ReaderLookback)
        };
        assert!(lookback(&runs[0]) && lookback(&runs[2]) && !lookback(&runs[3]));
        // Files per day are steady too (the drain after the workload's end is left out).
        let f = runs[3].data_files_per_day;
        assert!(
            (runs[0].data_files_per_day - f).abs() < 0.02 * f,
            "{} vs {f}",
            runs[0].data_files_per_day
        );
    }

    #[test]
    fn a_compacted_table_and_a_scheduled_job_also_settle() {
        let delta = r#"{"format": "delta", "delta": {"optimize_every_h": 6}}"#;
        let a = run(10, 21_600, delta, PROCESSING_60S, DEFAULT_COST);
        let b = run(10, 259_200, delta, PROCESSING_60S, DEFAULT_COST);
        // A small table: each OPTIMIZE rewrites all of it again (its output stays under
        // 1 GiB), so the removed bytes kept for VACUUM grow with it. Said, and left out.
        let flagged = |r: &CostReport, why| r.month.extrapolated.iter().any(|e| e.reason == why);
        assert!(flagged(&a, super::Reason::OptimizeNotRun) && flagged(&b, super::Reason::RewritesGrow));
        let mut b2 = b.clone();
        b2.usd_per_month.at_rest = a.usd_per_month.at_rest;
        b2.usd_per_month.total += a.usd_per_month.at_rest - b.usd_per_month.at_rest;
        close("delta + OPTIMIZE every 6 h", &a, &b2);
        let hourly = r#"{"kind": "scheduled", "every_s": 3600}"#;
        let a = run(10, 21_600, PARQUET, hourly, DEFAULT_COST);
        let b = run(10, 172_800, PARQUET, hourly, DEFAULT_COST);
        close("hourly job", &a, &b);
        assert!(a.month.steady && b.month.steady);
    }

    #[test]
    fn a_run_shorter_than_its_warm_up_says_so() {
        // 10 min of a 10-minute window with a 2-minute watermark: no steady window.
        let r = run(10, 600, PARQUET, PROCESSING_60S, DEFAULT_COST);
        assert!(!r.month.steady);
        assert_eq!(r.month.extrapolated[0].reason, super::Reason::ShortRun);
        assert_eq!(r.month.warm_up_s, 2.0 * 60.0 + 600.0 + 120.0);
        // 20 min: after the 14-minute warm-up, 6 minutes of a 10-minute cycle (windows
        // close every 10 min). On the trigger grid that part-cycle is no steady window: it
        // would catch a wave of files in 6 minutes and scale it to the month.
        let r = run(10, 1_200, PARQUET, PROCESSING_60S, DEFAULT_COST);
        assert!(!r.month.steady, "{:?}", r.month);
        // A short run still counts the files it wrote, over the whole run.
        assert!(r.data_files_per_day > 0.0);
        let long = run(10, 86_400, PARQUET, PROCESSING_60S, DEFAULT_COST);
        assert!(long.month.steady);
        // 25 min holds one whole cycle (14..24 min): steady, and its files per day are
        // the day's.
        let r = run(10, 1_500, PARQUET, PROCESSING_60S, DEFAULT_COST);
        assert!(r.month.steady, "{:?}", r.month);
        let f = long.data_files_per_day;
        assert!(
            (r.data_files_per_day - f).abs() < 0.05 * f,
            "{} vs {f}",
            r.data_files_per_day
        );
    }

    #[test]
    fn a_file_source_lists_its_growing_directory_every_batch() {
        // 10 events/s in files of 10 rows: a file a second, listed every minute.
        let run = |d: u32| {
            let json = format!(
                r#"{{"seed": 3, "workload": {{"duration_s": {d}, "rate_per_s": 10, "keys": 10}},
                "source": {{"file_rows": 10}},
                "trigger": {{"kind": "processing_time", "interval_s": 60}},
                "query": {{"operator": "select"}}, "sink": {{"format": "parquet"}},
                "cost": {DEFAULT_COST}, "report": {{"detail_events": 10}}}}"#
            );
            simulate(&ScenarioSpec::from_json(&json).unwrap()).unwrap()
        };
        let day = run(86_400);
        // Each listing takes ⌈files ÷ 1,000⌉ pages: after a day about 86,400 files, so
        // the last listings take 87 pages and the day about Σ ≈ 1,440 × 44.
        let lists = day.cost.requests.source.list;
        assert!((60_000..66_000).contains(&lists), "{lists}");
        assert!(day.cost.usd.source_requests > 0.0);
        let three = run(259_200);
        let (a, b) = (
            day.cost.usd_per_month.source_requests,
            three.cost.usd_per_month.source_requests,
        );
        // The month's mean directory (15 days of files, 1.3 M) from either horizon.
        assert!((a - b).abs() < 0.02 * b, "{a} vs {b}");
        let want = 43_200.0 * (1_296_000.0 / 1000.0 + 0.5) * 0.005 / 1000.0;
        assert!((b - want).abs() < 0.02 * want, "{b} vs {want}");
        assert!(
            three
                .cost
                .month
                .extrapolated
                .iter()
                .any(|e| e.reason == super::Reason::SourceListing)
        );
    }

    #[test]
    fn an_idle_file_source_lists_on_every_trigger() {
        // One file every 10 s on average: most 1 s triggers find nothing new, and each
        // still lists the directory (Spark's MicroBatchExecution: getOffset on every trigger).
        let run = |d: u32, trigger: &str| {
            let json = format!(
                r#"{{"seed": 3, "workload": {{"duration_s": {d}, "rate_per_s": 0.1, "keys": 10}},
                "source": {{"file_rows": 1}}, "trigger": {trigger},
                "query": {{"operator": "select"}}, "sink": {{"format": "parquet"}},
                "cost": {DEFAULT_COST}, "report": {{"detail_events": 10}}}}"#
            );
            simulate(&ScenarioSpec::from_json(&json).expect("a valid scenario")).expect("it runs")
        };
        let second = r#"{"kind": "processing_time", "interval_s": 1}"#;
        let hour = run(3_600, second);
        // One listing a second (a page each: the directory holds < 1,000 files), from the
        // first file's arrival to the last.
        let lists = hour.cost.requests.source.list;
        assert!(hour.summary.batches < 400, "{}", hour.summary.batches);
        assert!((3_500..=3_600).contains(&lists), "{lists}");
        // The default trigger polls 10 ms after each listing, which takes 100 ms a page.
        let default = run(3_600, r#"{"kind": "default"}"#);
        let lists = default.cost.requests.source.list;
        assert!((28_000..34_000).contains(&lists), "{lists}");
        // The month does not depend on the horizon (the directory grows through it, its
        // listings get longer and fewer).
        let day = run(86_400, second);
        let (a, b) = (
            hour.cost.usd_per_month.source_requests,
            day.cost.usd_per_month.source_requests,
        );
        assert!((a - b).abs() < 0.05 * b, "{a} vs {b}");
        // By hand: the batches' listings (one per batch, of the month's mean directory,
        // 129,600 files = 130 pages), plus the idle triggers': at most one LIST page per
        // 100 ms (a large directory's listing bounds them: ≈ 25.9 M requests, $129.60 a
        // month), and at least a third of that (the stream is idle ~90 % of the time and
        // lists once a second while the directory is small).
        let batches = day.summary.batches as f64 / 86_400e6 * MONTH_US;
        let batch_usd = batches * (0.1 * MONTH_US / 1e6 / 2.0 / 1000.0 + 0.5) * 0.005 / 1000.0;
        let cap = MONTH_US / 1e5 * 0.005 / 1000.0;
        let idle = b - batch_usd;
        assert!(
            idle > 0.3 * cap && idle < cap,
            "{b} = {batch_usd} + {idle} (cap {cap})"
        );
    }

    #[test]
    fn kafka_brokers_cost_the_same_for_every_trigger_and_horizon() {
        // 20,000 events/s of 500 bytes: 9.54 MiB/s, over the preset's floor.
        let run = |d: u32, trigger: &str, brokers: &str| {
            let json = format!(
                r#"{{"seed": 4, "workload": {{"duration_s": {d}, "rate_per_s": 20000, "keys": 10, "row_bytes": 500,
                "scale": 20}},
                "trigger": {trigger}, "query": {{"operator": "select"}}, "sink": {{"format": "parquet"}},
                "cost": {{"brokers": {brokers}}}, "report": {{"detail_events": 10}}}}"#
            );
            simulate(&ScenarioSpec::from_json(&json).expect("a valid scenario")).expect("it runs")
        };
        let gcp = r#"{"preset": "gcp_managed_kafka"}"#;
        let want = 20_000.0 * 500.0 / 1_048_576.0 * 110.0 / 730.0 * 720.0;
        let minute = run(3_600, PROCESSING_60S, gcp);
        let hourly = run(21_600, r#"{"kind": "scheduled", "every_s": 3600}"#, gcp);
        for r in [&minute, &hourly] {
            let m = r.cost.usd_per_month.source_brokers;
            assert!((m - want).abs() < 1e-6 * want, "{m} vs {want}");
            assert!(!r.cost.brokers.at_minimum);
            assert!(
                r.cost
                    .month
                    .extrapolated
                    .iter()
                    .any(|e| e.reason == super::Reason::BrokerThroughput)
            );
        }
        // Over the horizon: the hourly price × the horizon; in the total.
        let h = minute.cost.horizon_s / 3600.0;
        let usd = minute.cost.usd.source_brokers;
        assert!((usd - minute.cost.brokers.usd_per_hour * h).abs() < 1e-9, "{usd}");
        let none = run(3_600, PROCESSING_60S, "{}");
        assert_eq!(none.cost.usd_per_month.source_brokers, 0.0);
        let total = minute.cost.usd_per_month.total - none.cost.usd_per_month.total;
        assert!((total - want).abs() < 1e-6 * want, "{total} vs {want}");
    }

    #[test]
    fn at_rest_is_the_first_month_and_grows_after() {
        let r = run(10, 86_400, PARQUET, PROCESSING_60S, DEFAULT_COST);
        // Bytes grow about linearly: the first month averages half of its last day's
        // stock × 30, and each later month adds the month's growth.
        let m = &r.month;
        assert!(m.at_rest_growth_usd_per_month > 0.0);
        let first = r.usd_per_month.at_rest;
        assert!(
            (first - m.at_rest_growth_usd_per_month / 2.0).abs() < 0.1 * first,
            "{first} vs {}",
            m.at_rest_growth_usd_per_month
        );
    }
}
