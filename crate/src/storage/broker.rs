//! The Kafka brokers a Kafka source reads from: their price, from the topic's mean ingest
//! bandwidth.
//!
//! **Rule.** A managed Kafka service is billed for the cluster it runs (compute, disks,
//! replication traffic between zones), and the cluster is sized on the producers'
//! bandwidth. The simulator prices it as a *throughput price*: `$ per MiB/s of producer
//! bandwidth per month`, with a floor (the smallest cluster costs something even when
//! idle):
//!
//! `$/hour = max(min_usd_per_hour, mean ingest MiB/s × usd_per_mib_s_month ÷ 730)`
//!
//! where the mean ingest bandwidth is the workload's mean rate × `workload.row_bytes`
//! (before a scaled run's thinning). The brokers cost the same for every trigger interval:
//! the trigger changes when Spark reads, not what the producers write. They are a source
//! cost (`usd.source_brokers`), never measured by the run, so the steady month marks them as
//! an estimate (`broker_throughput`).
//!
//! **Preset `gcp_managed_kafka`** (Google Cloud Managed Service for Apache Kafka,
//! us-central1), read 2026-11-28 from a stored copy of
//! cloud.google.com/managed-service-for-apache-kafka/pricing (the page shows no date):
//! - its sample workloads cost $1,100 a month at 10 MiB/s of producer bandwidth and
//!   $11,000 at 100 MiB/s, i.e. **$110 per MiB/s per month**, with the page's assumptions:
//!   3 replicas over 3 zones, 4 GiB RAM per vCPU, 50 % utilization, 24 hours of storage,
//!   consumers reading from a local replica, consumer bandwidth = producer bandwidth;
//! - compute is $0.09 per DCU-hour, 1 vCPU with 4 GiB = 1 DCU: the floor is a 3-vCPU
//!   cluster, **$0.27 an hour** (3 vCPUs: an assumption, one per zone of the sample);
//! - the page's month is taken to be 730 hours (Google's calculator's month; an
//!   assumption), so the throughput price is $110 ÷ 730 per MiB/s-hour.
//!
//! Preset `none` (the default) prices no brokers: the topic is someone else's bill. Either
//! number can be overridden; with `none`, overrides alone make a custom price list.
//!
//! Invariant: the hourly price is finite and ≥ 0, monotone in the bandwidth.

use crate::base::error::{InputError, non_negative};
use serde::Serialize;

/// Hours in the month the preset's sample prices are quoted for (an assumption: Google's
/// pricing calculator's month).
const QUOTE_MONTH_H: f64 = 730.0;
const MIB: f64 = 1024.0 * 1024.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum BrokerPreset {
    /// No broker cost (the default).
    #[default]
    None,
    /// Google Cloud Managed Service for Apache Kafka, us-central1 (see the module doc).
    GcpManagedKafka,
}

/// `cost.brokers`: the preset, either number overridden.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct BrokerSpec {
    pub preset: BrokerPreset,
    /// $ per MiB/s of mean producer bandwidth per month (730 h).
    pub usd_per_mib_s_month: Option<f64>,
    /// $ per hour of the smallest cluster.
    pub min_usd_per_hour: Option<f64>,
}

/// A validated broker price list.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BrokerPrice {
    pub usd_per_mib_s_month: f64,
    pub min_usd_per_hour: f64,
}

impl BrokerPreset {
    pub fn price(self) -> BrokerPrice {
        match self {
            BrokerPreset::None => BrokerPrice::default(),
            BrokerPreset::GcpManagedKafka => BrokerPrice {
                usd_per_mib_s_month: 110.0,
                min_usd_per_hour: 3.0 * 0.09,
            },
        }
    }
}

impl BrokerSpec {
    pub fn validate(&self, field: &str) -> Result<BrokerPrice, InputError> {
        let mut p = self.preset.price();
        if let Some(v) = self.usd_per_mib_s_month {
            p.usd_per_mib_s_month = non_negative(&format!("{field}.usd_per_mib_s_month"), v)?;
        }
        if let Some(v) = self.min_usd_per_hour {
            p.min_usd_per_hour = non_negative(&format!("{field}.min_usd_per_hour"), v)?;
        }
        Ok(p)
    }
}

impl BrokerPrice {
    /// Whether anything is billed.
    pub fn priced(&self) -> bool {
        self.usd_per_mib_s_month > 0.0 || self.min_usd_per_hour > 0.0
    }

    /// $ an hour for a mean ingest of `bytes_per_s`.
    pub fn usd_per_hour(&self, bytes_per_s: f64) -> f64 {
        let by_throughput = bytes_per_s.max(0.0) / MIB * self.usd_per_mib_s_month / QUOTE_MONTH_H;
        by_throughput.max(self.min_usd_per_hour)
    }
}

/// What the report says of the brokers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct BrokerSummary {
    pub preset: BrokerPreset,
    /// Mean producer bandwidth, MiB/s.
    pub ingest_mib_per_s: f64,
    pub usd_per_hour: f64,
    /// The smallest cluster's price applies (the throughput price would be less).
    pub at_minimum: bool,
}

impl BrokerSummary {
    pub fn of(preset: BrokerPreset, price: &BrokerPrice, bytes_per_s: f64) -> Self {
        if !price.priced() {
            return Self {
                preset,
                ingest_mib_per_s: bytes_per_s / MIB,
                ..Self::default()
            };
        }
        let usd_per_hour = price.usd_per_hour(bytes_per_s);
        Self {
            preset,
            ingest_mib_per_s: bytes_per_s / MIB,
            usd_per_hour,
            at_minimum: price.min_usd_per_hour > 0.0 && usd_per_hour <= price.min_usd_per_hour,
        }
    }
}

crate::read_names!(BrokerPreset { "none" => None, "gcp_managed_kafka" => GcpManagedKafka });
crate::read_defaults!(BrokerSpec {
    preset,
    usd_per_mib_s_month,
    min_usd_per_hour
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preset_gives_the_pages_sample_workloads_back() {
        let p = BrokerPreset::GcpManagedKafka.price();
        for (mib_s, month) in [(10.0, 1_100.0), (100.0, 11_000.0)] {
            let got = p.usd_per_hour(mib_s * MIB) * QUOTE_MONTH_H;
            assert!((got - month).abs() < 1e-6, "{mib_s} MiB/s: {got}");
        }
    }

    #[test]
    fn a_small_topic_pays_the_smallest_cluster() {
        let p = BrokerPreset::GcpManagedKafka.price();
        // 1,000 events/s of 200 bytes: 0.19 MiB/s.
        let s = BrokerSummary::of(BrokerPreset::GcpManagedKafka, &p, 200_000.0);
        assert!(s.at_minimum);
        assert!((s.usd_per_hour - 0.27).abs() < 1e-12);
        // Monotone in the bandwidth, and the floor gives way at 0.27 × 730 ÷ 110 MiB/s.
        let knee = 0.27 * QUOTE_MONTH_H / 110.0 * MIB;
        assert!(p.usd_per_hour(knee * 1.01) > 0.27);
        assert!(p.usd_per_hour(knee * 2.0) > p.usd_per_hour(knee * 1.5));
    }

    #[test]
    fn none_bills_nothing_unless_overridden() {
        let none = BrokerSpec::default()
            .validate("cost.brokers")
            .expect("default is valid");
        assert!(!none.priced());
        assert_eq!(none.usd_per_hour(1e9), 0.0);
        let custom = BrokerSpec {
            usd_per_mib_s_month: Some(73.0),
            ..BrokerSpec::default()
        }
        .validate("cost.brokers")
        .expect("a custom price is valid");
        assert!((custom.usd_per_hour(MIB) - 0.1).abs() < 1e-12);
        let bad = BrokerSpec {
            min_usd_per_hour: Some(-1.0),
            ..BrokerSpec::default()
        }
        .validate("cost.brokers")
        .expect_err("a negative price is refused");
        assert_eq!(bad.field, "cost.brokers.min_usd_per_hour");
    }
}
