//! Layer 9, what is made from runs: the Arrow/CSV export, the PySpark script of a
//! scenario, the conformance cases checked against real Spark and real Flink, and the
//! sweep table, and (with the Flink engine) Spark against Flink on one workload.

#[cfg(feature = "flink")]
pub mod compare;
pub mod conform;
pub mod export;
pub mod flink_case;
#[cfg(feature = "flink")]
pub mod pyflink;
pub mod pyspark;
pub mod recovery_case;
mod recovery_file_sink;
pub mod spark_case;
pub mod sweep;
