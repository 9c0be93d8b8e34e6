//! A downstream reader: a dashboard query every few minutes that learns the table's files
//! from its log and opens the files of the last hours. Small files hurt here: every file
//! costs requests and an open, however few rows it holds.
//!
//! Query time = planning + files × GETs per file × first-byte latency ÷ parallelism +
//! bytes ÷ (parallelism × scan rate).

use crate::base::error::{InputError, Unit, duration, non_negative, positive};
use crate::storage::object_store::{Component, Ledger};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReaderSpec {
    /// A query every this many minutes; `null` = no reader. Default 5.
    pub every_min: Option<f64>,
    /// It reads the files committed in the last this many hours. Default 24.
    pub lookback_h: f64,
    /// Requests per parquet file opened. Default 3: a HEAD or footer-length read, the
    /// footer, one column-chunk range (readers issue "HEAD + 1–2 footer GETs + about one
    /// per column chunk": elastic/elasticsearch#154192, NVIDIA/cudf#22668, 2026,
    /// second-hand).
    pub gets_per_file: u64,
    /// Latency of one request to the first byte, ms. Default 30 (S3 median in the tens of
    /// ms: AWS whitepaper "Optimizing S3 performance", 2019; p50 25–30 ms measured in
    /// Altinity/ClickHouse#2181, 2026).
    pub first_byte_ms: f64,
    /// Files opened at once. Default 8.
    pub parallelism: u32,
    /// Scan rate of one reader task, MB/s. Default 100 (an assumption).
    pub scan_mb_per_s: f64,
    /// Planning and scheduling time of a query, s. Default 0.5 (an assumption).
    pub planning_s: f64,
}

impl Default for ReaderSpec {
    fn default() -> Self {
        Self {
            every_min: Some(5.0),
            lookback_h: 24.0,
            gets_per_file: 3,
            first_byte_ms: 30.0,
            parallelism: 8,
            scan_mb_per_s: 100.0,
            planning_s: 0.5,
        }
    }
}

impl ReaderSpec {
    pub fn validate(&self, field: &str) -> Result<ReaderSpec, InputError> {
        let f = |n: &str| format!("{field}.{n}");
        if let Some(m) = self.every_min {
            duration(&f("every_min"), m, Unit::Minutes, false)?;
        }
        duration(&f("lookback_h"), self.lookback_h, Unit::Hours, false)?;
        non_negative(&f("first_byte_ms"), self.first_byte_ms)?;
        positive(&f("scan_mb_per_s"), self.scan_mb_per_s)?;
        duration(&f("planning_s"), self.planning_s, Unit::Seconds, true)?;
        if self.parallelism == 0 {
            return Err(InputError::new(f("parallelism"), "must be at least 1"));
        }
        Ok(*self)
    }

    /// Seconds one query takes to open `files` files holding `bytes`.
    pub fn query_seconds(&self, files: u64, bytes: u64) -> f64 {
        let p = f64::from(self.parallelism);
        self.planning_s
            + (files * self.gets_per_file) as f64 * self.first_byte_ms / 1000.0 / p
            + bytes as f64 / 1e6 / (p * self.scan_mb_per_s)
    }

    /// Counts one query's data requests (the log's are the table's to count).
    pub fn read(&self, ledger: &mut Ledger, files: u64, bytes: u64) {
        if files == 0 {
            return;
        }
        // The footer and chunk reads: bytes spread over the requests.
        let n = files * self.gets_per_file;
        ledger.read_n(Component::Readers, n, bytes / n.max(1));
    }
}

crate::read_defaults!(ReaderSpec {
    every_min,
    lookback_h,
    gets_per_file,
    first_byte_ms,
    parallelism,
    scan_mb_per_s,
    planning_s,
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_time_by_hand() {
        let r = ReaderSpec::default();
        // 8 000 files × 3 GETs × 30 ms ÷ 8 = 90 s; 800 MB ÷ (8 × 100 MB/s) = 1 s; + 0.5 s.
        assert!((r.query_seconds(8000, 800_000_000) - 91.5).abs() < 1e-9);
        // Same bytes in 8 files: 0.09 + 1 + 0.5 s.
        assert!((r.query_seconds(8, 800_000_000) - 1.59).abs() < 1e-9);
        let mut l = Ledger::default();
        r.read(&mut l, 10, 3_000);
        assert_eq!(l.ops[Component::Readers as usize].get, 30);
    }
}
