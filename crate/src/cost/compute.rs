//! What the cluster costs: (a) an always-on cluster billed for the whole horizon whatever
//! the trigger, (b) a job cluster billed per run from its start-up to its end with a 60 s
//! minimum (a long-running stream on a job cluster is one run), (c) serverless billed for
//! busy time only, at a higher rate.
//!
//! Rate per node-hour = VM $/h + DBU/h × $/DBU (Databricks) or + the EMR surcharge.

use crate::base::error::{InputError, Unit, duration, non_negative, positive};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ComputeKind {
    #[default]
    AlwaysOn,
    Job,
    Serverless,
}

/// Named compute price lists. Sources in docs/model.md and on each value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ComputePreset {
    /// m6i.xlarge nodes on Databricks Jobs Compute (Premium, AWS).
    #[default]
    DatabricksJobsAws,
    /// m6i.xlarge nodes on Databricks All-Purpose Compute (Premium, AWS).
    DatabricksAllPurposeAws,
    /// Databricks serverless compute for jobs (Premium, AWS).
    DatabricksServerlessAws,
    /// m6i.xlarge nodes on Amazon EMR (EC2 + EMR surcharge).
    EmrAws,
    /// m6i.xlarge nodes, no platform fee (open-source Spark on EC2).
    Ec2Aws,
}

/// EC2 m6i.xlarge, Linux on-demand, us-east-1: $0.192/h. Second-hand (the same price as
/// m5.xlarge; no first-hand page in the stored sources), read 2026-11.
pub const M6I_XLARGE_PER_H: f64 = 0.192;
/// DBUs an m5.xlarge node consumes per hour on Databricks AWS: 0.69 (second-hand); taken
/// for m6i.xlarge as well (unsourced).
pub const M6I_XLARGE_DBU_PER_H: f64 = 0.69;
/// Databricks Premium on AWS, $/DBU: Jobs Compute 0.15, All-Purpose 0.55, Serverless
/// jobs 0.37 (second-hand: databrickspricing.pages.dev "DBU pricing explained",
/// 2026-04).
pub const DBU_JOBS: f64 = 0.15;
pub const DBU_ALL_PURPOSE: f64 = 0.55;
pub const DBU_SERVERLESS_JOBS: f64 = 0.37;
/// EMR surcharge for m6i.xlarge, $/h: 0.048 (unsourced, from memory; check the EMR
/// pricing page).
pub const EMR_M6I_XLARGE_PER_H: f64 = 0.048;

/// `compute.nodes`: a number of nodes (driver included), or `"auto"`: the smallest
/// cluster that keeps up with the load (`cluster.rs`). `"auto"` is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Nodes {
    #[default]
    Auto,
    Count(u32),
}

impl Serialize for Nodes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Nodes::Auto => s.serialize_str("auto"),
            Nodes::Count(n) => s.serialize_u32(*n),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ComputeSpec {
    /// `null` = from the trigger: a long-running trigger on an always-on cluster, a
    /// run-and-stop trigger on a job cluster; the serverless preset means serverless.
    pub kind: Option<ComputeKind>,
    pub preset: ComputePreset,
    /// Nodes (driver included), or "auto" (the default): sized to the load.
    pub nodes: Nodes,
    /// Overrides of the preset's numbers; `null` = the preset's.
    pub vm_per_h: Option<f64>,
    pub dbu_per_node_h: Option<f64>,
    pub dbu_price: Option<f64>,
    pub surcharge_per_h: Option<f64>,
    /// A job run is billed at least this long, s. Default 60.
    pub min_billed_s: f64,
    /// Compaction throughput per node (read + write), MB/s. Default 50 (an assumption).
    pub maintenance_mb_per_s_per_node: f64,
    /// `spark.executor.memory`, the heap of the one executor on each worker node, GiB.
    /// Default 10.9, an estimate (`state_memory.rs`); at least 450 MiB (Spark's minimum).
    pub executor_memory_gib: f64,
}

impl Default for ComputeSpec {
    fn default() -> Self {
        Self {
            kind: None,
            preset: ComputePreset::default(),
            nodes: Nodes::Auto,
            vm_per_h: None,
            dbu_per_node_h: None,
            dbu_price: None,
            surcharge_per_h: None,
            min_billed_s: 60.0,
            maintenance_mb_per_s_per_node: 50.0,
            executor_memory_gib: crate::cost::state_memory::DEFAULT_EXECUTOR_MEMORY_GIB,
        }
    }
}

/// A validated compute price list.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Compute {
    pub kind: ComputeKind,
    /// The cluster's nodes: given, or chosen by the sizing rule once the scenario's load is
    /// known (`ScenarioSpec::validate`; 2 until then).
    pub nodes: u32,
    /// Whether `nodes` is to be (or was) chosen by the sizing rule.
    pub auto: bool,
    pub vm_per_h: f64,
    pub dbu_per_node_h: f64,
    pub dbu_price: f64,
    pub surcharge_per_h: f64,
    pub min_billed_s: f64,
    pub maintenance_mb_per_s_per_node: f64,
    /// An executor's heap, bytes.
    pub executor_heap_bytes: u64,
}

impl ComputeSpec {
    /// `long_running`: the trigger keeps the query up (default, processing time,
    /// continuous).
    pub fn validate(&self, field: &str, long_running: bool) -> Result<Compute, InputError> {
        let f = |n: &str| format!("{field}.{n}");
        let (nodes, auto) = match self.nodes {
            Nodes::Count(0) => return Err(InputError::new(f("nodes"), "must be at least 1, or \"auto\"")),
            Nodes::Count(n) if n > crate::cost::cluster::MAX_AUTO_NODES => {
                return Err(InputError::new(
                    f("nodes"),
                    format!(
                        "must be at most {} (or \"auto\"), got {n}",
                        crate::cost::cluster::MAX_AUTO_NODES
                    ),
                ));
            }
            Nodes::Count(n) => (n, false),
            Nodes::Auto => (2, true),
        };
        let (vm, dbu_h, dbu_p, sur) = match self.preset {
            ComputePreset::DatabricksJobsAws => (M6I_XLARGE_PER_H, M6I_XLARGE_DBU_PER_H, DBU_JOBS, 0.0),
            ComputePreset::DatabricksAllPurposeAws => {
                (M6I_XLARGE_PER_H, M6I_XLARGE_DBU_PER_H, DBU_ALL_PURPOSE, 0.0)
            }
            // Serverless: the DBU price includes the machines. DBUs per node-hour taken as
            // 1 (an assumption: Databricks does not publish a per-node figure).
            ComputePreset::DatabricksServerlessAws => (0.0, 1.0, DBU_SERVERLESS_JOBS, 0.0),
            ComputePreset::EmrAws => (M6I_XLARGE_PER_H, 0.0, 0.0, EMR_M6I_XLARGE_PER_H),
            ComputePreset::Ec2Aws => (M6I_XLARGE_PER_H, 0.0, 0.0, 0.0),
        };
        let pick = |name: &str, v: Option<f64>, d: f64| -> Result<f64, InputError> {
            non_negative(&f(name), v.unwrap_or(d))
        };
        let heap = positive(&f("executor_memory_gib"), self.executor_memory_gib)?;
        let min = crate::cost::state_memory::MIN_EXECUTOR_MEMORY_GIB;
        if !(min..=1024.0).contains(&heap) {
            return Err(InputError::new(
                f("executor_memory_gib"),
                format!(
                    "must be from 450 MiB ({} GiB, the least heap Spark starts an executor with) \
                     to 1024 GiB, got {}",
                    crate::base::number::display(min),
                    crate::base::number::display(heap)
                ),
            ));
        }
        let kind = self.kind.unwrap_or(match (self.preset, long_running) {
            (ComputePreset::DatabricksServerlessAws, _) => ComputeKind::Serverless,
            (_, true) => ComputeKind::AlwaysOn,
            (_, false) => ComputeKind::Job,
        });
        Ok(Compute {
            kind,
            nodes,
            auto,
            vm_per_h: pick("vm_per_h", self.vm_per_h, vm)?,
            dbu_per_node_h: pick("dbu_per_node_h", self.dbu_per_node_h, dbu_h)?,
            dbu_price: pick("dbu_price", self.dbu_price, dbu_p)?,
            surcharge_per_h: pick("surcharge_per_h", self.surcharge_per_h, sur)?,
            min_billed_s: {
                duration(&f("min_billed_s"), self.min_billed_s, Unit::Seconds, true)?;
                self.min_billed_s
            },
            maintenance_mb_per_s_per_node: positive(
                &f("maintenance_mb_per_s_per_node"),
                self.maintenance_mb_per_s_per_node,
            )?,
            executor_heap_bytes: crate::cost::state_memory::heap_bytes(heap),
        })
    }
}

impl Compute {
    /// $ per node-hour.
    pub fn node_hour(&self) -> f64 {
        self.vm_per_h + self.dbu_per_node_h * self.dbu_price + self.surcharge_per_h
    }

    /// $ for the cluster being up `seconds`.
    pub fn cost_of(&self, seconds: f64) -> f64 {
        seconds / 3600.0 * f64::from(self.nodes) * self.node_hour()
    }

    /// Billed seconds of one job run lasting `seconds` (at least the minimum).
    pub fn billed_run(&self, seconds: f64) -> f64 {
        seconds.max(self.min_billed_s)
    }

    /// Seconds a maintenance job takes to read and write `bytes` (each) on the cluster
    /// (bytes as f64: the steady month's are rates scaled to a month).
    pub fn maintenance_seconds(&self, bytes_read: f64, bytes_written: f64) -> f64 {
        (bytes_read + bytes_written) / 1e6 / (self.maintenance_mb_per_s_per_node * f64::from(self.nodes))
    }
}

/// A number of nodes (a whole number) or `"auto"`.
impl crate::base::spec_reader::Read for Nodes {
    fn read(at: crate::base::spec_reader::At) -> Result<Self, InputError> {
        match at.value {
            serde_json::Value::String(s) if s == "auto" => Ok(Nodes::Auto),
            serde_json::Value::String(s) => Err(InputError::new(
                at.path,
                format!("\"{s}\" is not a number of nodes: use a number, or \"auto\""),
            )),
            serde_json::Value::Number(n) => match (n.as_u64(), n.as_f64()) {
                (Some(v), _) => u32::try_from(v)
                    .map(Nodes::Count)
                    .map_err(|_| InputError::new(at.path, format!("{v} nodes is more than any cluster has"))),
                (None, Some(v)) if v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v) => {
                    Ok(Nodes::Count(v as u32))
                }
                (None, Some(v)) if v < 0.0 => Err(InputError::new(
                    at.path,
                    "the number of nodes must be 1 or more, or \"auto\"",
                )),
                _ => Err(InputError::new(
                    at.path,
                    format!("{n} is not a whole number of nodes (or \"auto\")"),
                )),
            },
            _ => Err(crate::base::spec_reader::wrong(
                at,
                "a whole number of nodes (1 or more), or \"auto\"",
            )),
        }
    }
}

crate::read_names!(ComputeKind { "always_on" => AlwaysOn, "job" => Job, "serverless" => Serverless });
crate::read_names!(ComputePreset {
    "databricks_jobs_aws" => DatabricksJobsAws,
    "databricks_all_purpose_aws" => DatabricksAllPurposeAws,
    "databricks_serverless_aws" => DatabricksServerlessAws,
    "emr_aws" => EmrAws,
    "ec2_aws" => Ec2Aws,
});
crate::read_defaults!(ComputeSpec {
    kind,
    preset,
    nodes,
    vm_per_h,
    dbu_per_node_h,
    dbu_price,
    surcharge_per_h,
    min_billed_s,
    maintenance_mb_per_s_per_node,
    executor_memory_gib,
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_hour_by_hand() {
        let c = ComputeSpec::default().validate("c", true).unwrap();
        assert_eq!(c.kind, ComputeKind::AlwaysOn);
        // 0.192 + 0.69 × 0.15 = 0.2955 $/node-h; 2 nodes for 24 h = 14.184.
        assert!((c.node_hour() - 0.2955).abs() < 1e-12);
        assert!((c.cost_of(86_400.0) - 14.184).abs() < 1e-9);
        let j = ComputeSpec::default().validate("c", false).unwrap();
        assert_eq!(j.kind, ComputeKind::Job);
        assert_eq!(j.billed_run(20.0), 60.0);
        let emr = ComputeSpec {
            preset: ComputePreset::EmrAws,
            ..ComputeSpec::default()
        }
        .validate("c", true)
        .unwrap();
        assert!((emr.node_hour() - 0.24).abs() < 1e-12);
        let e = ComputeSpec {
            nodes: Nodes::Count(0),
            ..ComputeSpec::default()
        }
        .validate("cost.compute", true)
        .unwrap_err();
        assert_eq!(e.field, "cost.compute.nodes");
        // 100 MB read + 100 MB written at 50 MB/s on 2 nodes: 2 s.
        assert!((c.maintenance_seconds(1e8, 1e8) - 2.0).abs() < 1e-12);
    }
}
