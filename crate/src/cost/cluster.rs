//! The cluster sized to the load: how many nodes a query needs so that its batches keep up
//! with the trigger at the workload's peak rate, and how busy a given cluster is.
//!
//! **Throughput model** (assumptions, not calibrated; docs/model.md §7):
//! - a node is an m6i.xlarge: 4 vCPUs ([`CORES_PER_NODE`]; AWS EC2 instance types, the
//!   m6i family table: xlarge = 4 vCPU, 16 GiB, read 2026-11, second-hand);
//! - one node is the driver; the others are executors. A single node runs its tasks
//!   itself: executor cores = max(nodes − 1, 1) × 4;
//! - a batch lasts `overhead + rows × per_row_us / executor cores`, `per_row_us` being one
//!   core's time per input row (`batch_cost.per_row_us`, default 8 µs: 2 µs a row on the
//!   default 2 nodes, the model's figure before it knew the cluster). For comparison,
//!   real Spark 4.3.0 in local mode on this project's 2-core machine measured 3.15 µs of a
//!   core per row and 0.61 s per batch for the default query with 2 shuffle partitions,
//!   JSON in and parquet out (`tests/bench/spark_per_row.py`; docs/model.md §7).
//!
//! **Sizing rule** (`compute.nodes: "auto"`): the smallest cluster, at least 2 nodes,
//! whose batches at the **peak** rate (the mean × the rate shape's peak multiplier) take
//! at most [`HEADROOM`] of the trigger interval; for back-to-back batches (no trigger
//! interval, continuous processing, or an interval shorter than the overhead allows) the
//! executors are at most [`HEADROOM`] busy at the peak; a scheduled job's run of one
//! period's events (at the mean rate) takes at most [`HEADROOM`] of the period, start-up
//! included. A single run (`once`, `availableNow` without a schedule) takes 2 nodes. The
//! largest auto cluster is [`MAX_AUTO_NODES`]; a load beyond it falls behind, and the
//! report says so.
//!
//! **Utilization** (`cost.cluster.utilization`): at the peak, the share of the trigger
//! interval a batch takes, its fixed overhead included (or of the schedule's period a run
//! takes, start-up included; or the executors' busy share for back-to-back batches). Above
//! 1 the stream falls behind. Auto's rule is exactly utilization ≤ [`HEADROOM`] where the
//! period has room for the fixed time.

use crate::base::time::Micros;
use crate::engine::spark::trigger::Trigger;
use crate::workload::spec::Workload;
use serde::Serialize;

/// vCPUs of an m6i.xlarge node (every compute preset's node type).
pub const CORES_PER_NODE: u32 = 4;
/// Largest share of the trigger interval a batch at the peak rate may take in an auto
/// cluster (an assumption: room for bursts beyond the shape, GC, and slow tasks).
pub const HEADROOM: f64 = 0.7;
/// Most nodes `auto` chooses.
pub const MAX_AUTO_NODES: u32 = 1000;

/// Executor cores of a cluster of `nodes`.
pub fn executor_cores(nodes: u32) -> u32 {
    nodes.saturating_sub(1).max(1).saturating_mul(CORES_PER_NODE)
}

/// The cluster a run uses, and how busy its load makes it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Sizing {
    /// Whether the nodes were chosen by the sizing rule (`compute.nodes: "auto"`).
    pub auto: bool,
    pub nodes: u32,
    pub executor_cores: u32,
    /// The workload's peak rate, events/s, and the rows/s the executors process.
    pub peak_rate_per_s: f64,
    pub capacity_rows_per_s: f64,
    /// See the module doc; ≤ 1 keeps up, and auto aims for ≤ [`HEADROOM`].
    pub utilization: f64,
}

/// What the load asks of the cluster: its peak rate and the trigger's timing.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    pub peak_rate_per_s: f64,
    pub mean_rate_per_s: f64,
    pub trigger: Trigger,
    pub overhead: Micros,
    /// One core's µs per row.
    pub per_row_us: f64,
}

impl Load {
    pub fn of(w: &Workload, trigger: Trigger, overhead: Micros, per_row_us: f64) -> Self {
        let span_s = ((w.end - w.start).max(1) as f64 / 1e6).max(1e-6);
        let mean = w.expected_events() / span_s;
        let peak = if w.is_given() {
            mean
        } else {
            mean * w.max_multiplier()
        };
        Load {
            peak_rate_per_s: peak,
            mean_rate_per_s: mean,
            trigger,
            overhead,
            per_row_us,
        }
    }

    fn capacity(&self, nodes: u32) -> f64 {
        if self.per_row_us <= 0.0 {
            f64::INFINITY
        } else {
            f64::from(executor_cores(nodes)) * 1e6 / self.per_row_us
        }
    }

    /// Rows/s the executors must process for the trigger to keep up with headroom `h`.
    fn needed(&self, h: f64) -> f64 {
        let overhead_s = self.overhead as f64 / 1e6;
        let within = |rows: f64, period_s: f64, fixed_s: f64| {
            let budget = h * period_s - fixed_s;
            if budget > 0.0 {
                rows / budget
            } else {
                rows / period_s.max(1e-9) / h
            }
        };
        match self.trigger {
            Trigger::ProcessingTime(i) => {
                let i = i as f64 / 1e6;
                within(self.peak_rate_per_s * i, i, overhead_s)
            }
            Trigger::Runs(r) => match r.every {
                Some(e) => {
                    let e = e as f64 / 1e6;
                    within(self.mean_rate_per_s * e, e, overhead_s + r.startup as f64 / 1e6)
                }
                None => 0.0,
            },
            Trigger::Default | Trigger::Continuous(_) => self.peak_rate_per_s / h,
        }
    }

    /// The smallest cluster (≥ 2 nodes, ≤ [`MAX_AUTO_NODES`]) that keeps up with headroom.
    pub fn auto_nodes(&self) -> u32 {
        let need = self.needed(HEADROOM);
        if self.per_row_us <= 0.0 || need <= 0.0 {
            return 2;
        }
        let cores = need * self.per_row_us / 1e6;
        let workers = (cores / f64::from(CORES_PER_NODE)).ceil();
        if workers.is_finite() && workers < f64::from(MAX_AUTO_NODES) {
            (workers as u32 + 1).clamp(2, MAX_AUTO_NODES)
        } else {
            MAX_AUTO_NODES
        }
    }

    /// The sizing report of a cluster of `nodes`.
    pub fn sizing(&self, nodes: u32, auto: bool) -> Sizing {
        let capacity = self.capacity(nodes);
        Sizing {
            auto,
            nodes,
            executor_cores: executor_cores(nodes),
            peak_rate_per_s: self.peak_rate_per_s,
            capacity_rows_per_s: if capacity.is_finite() { capacity } else { 0.0 },
            utilization: self.utilization(capacity),
        }
    }

    /// The share of its period a peak batch (or a run) takes on `capacity` rows/s, fixed
    /// time included; for back-to-back batches, the executors' busy share at the peak.
    fn utilization(&self, capacity: f64) -> f64 {
        let overhead_s = self.overhead as f64 / 1e6;
        let work = |rows: f64| {
            if capacity.is_finite() {
                rows / capacity
            } else {
                0.0
            }
        };
        match self.trigger {
            Trigger::ProcessingTime(i) => {
                let i = i as f64 / 1e6;
                (overhead_s + work(self.peak_rate_per_s * i)) / i
            }
            Trigger::Runs(r) => match r.every {
                Some(e) => {
                    let e = e as f64 / 1e6;
                    (r.startup as f64 / 1e6 + overhead_s + work(self.mean_rate_per_s * e)) / e
                }
                None => 0.0,
            },
            Trigger::Default | Trigger::Continuous(_) => work(self.peak_rate_per_s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(rate: f64, interval_s: f64) -> Load {
        Load {
            peak_rate_per_s: rate,
            mean_rate_per_s: rate,
            trigger: Trigger::ProcessingTime((interval_s * 1e6) as Micros),
            overhead: 500_000,
            per_row_us: 8.0,
        }
    }

    #[test]
    fn sizing_by_hand() {
        // 200 ev/s, 60 s: 12 000 rows in 0.7 × 60 − 0.5 = 41.5 s → 289 rows/s → 2 nodes.
        assert_eq!(load(200.0, 60.0).auto_nodes(), 2);
        // 200 000 ev/s: 12 M rows / 41.5 s = 289 157 rows/s × 8 µs = 2.31 cores...
        // = 2.313 cores? No: 289 157 × 8e-6 = 2.31 cores per... rows/s × s/row = cores.
        let l = load(200_000.0, 60.0);
        let cores = 200_000.0 * 60.0 / 41.5 * 8e-6;
        assert_eq!(l.auto_nodes(), (cores / 4.0_f64).ceil() as u32 + 1);
        // 2 M ev/s needs ten times the cores: 23.1, six workers.
        let big = load(2_000_000.0, 60.0).auto_nodes();
        assert_eq!(big, 7);
        // Its batches take at most 70 % of the interval at the peak.
        let s = load(2_000_000.0, 60.0).sizing(big, true);
        assert!(s.utilization <= HEADROOM + 1e-9 && s.utilization > 0.5, "{s:?}");
        // A fixed 2-node cluster is far over.
        assert!(load(2_000_000.0, 60.0).sizing(2, false).utilization > 1.0);
    }

    #[test]
    fn an_interval_shorter_than_the_overhead_sizes_by_busy_share() {
        // 0.5 s interval: 0.7 × 0.5 < 0.5 s overhead; executors ≤ 70 % busy at the peak.
        let l = load(100_000.0, 0.5);
        let n = l.auto_nodes();
        let cores = 100_000.0 / 0.7 * 8e-6;
        assert_eq!(n, (cores / 4.0_f64).ceil() as u32 + 1);
    }

    #[test]
    fn a_load_beyond_the_largest_cluster_is_capped() {
        assert_eq!(load(1e12, 60.0).auto_nodes(), MAX_AUTO_NODES);
        assert_eq!(executor_cores(1), 4);
        assert_eq!(executor_cores(2), 4);
        assert_eq!(executor_cores(3), 8);
    }

    fn simulate(rate: u32, nodes: &str) -> crate::report::summary::Report {
        // 50 ms of a core per row: small event counts need big clusters.
        let json = format!(
            r#"{{"seed": 3, "workload": {{"duration_s": 1200, "rate_per_s": {rate}, "keys": 10}},
            "trigger": {{"kind": "processing_time", "interval_s": 60}},
            "batch_cost": {{"overhead_s": 0.5, "per_row_us": 50000}},
            "cost": {{"compute": {{"nodes": {nodes}}}}}, "report": {{"detail_events": 10}}}}"#
        );
        crate::simulation::simulate(&crate::scenario::spec::ScenarioSpec::from_json(&json).unwrap()).unwrap()
    }

    #[test]
    fn auto_keeps_up_as_the_rate_doubles_and_a_fixed_small_cluster_falls_behind() {
        let mut cores = 0;
        for rate in [50, 100, 200, 400] {
            let r = simulate(rate, r#""auto""#);
            let c = r.cost.cluster;
            assert!(c.auto && c.utilization <= HEADROOM + 1e-9, "{rate}: {c:?}");
            assert_eq!(r.summary.falling_behind_batches, 0, "{rate}: {c:?}");
            // Twice the rate: at least twice the executor cores (up to one node's rounding).
            assert!(c.executor_cores + CORES_PER_NODE >= 2 * cores, "{rate}: {c:?}");
            cores = c.executor_cores;
        }
        let fixed = simulate(400, "2");
        let c = fixed.cost.cluster;
        assert!(!c.auto && c.nodes == 2 && c.utilization > 1.0, "{c:?}");
        assert!(fixed.summary.falling_behind_batches > 0);
    }
}
