//! The cost section of the scenario and its validation: the storage price list (a preset,
//! any number overridden), compute, readers, checkpoint, brokers and the series step; and
//! the bill's components in dollars. Every default price is sourced where its preset is
//! defined (`storage/object_store.rs`, `cost/compute.rs`, `storage/broker.rs`).

use crate::base::error::{InputError, Unit, duration, non_negative};
use crate::base::time::Micros;
use crate::cost::compute::{Compute, ComputeSpec};
use crate::storage::broker::{BrokerPrice, BrokerSpec, BrokerSummary};
use crate::storage::checkpoint::{CheckpointSpec, StateProvider};
use crate::storage::object_store::{Rename, StoragePreset, StoragePrices};
use crate::storage::reader::ReaderSpec;
use serde::Serialize;

/// The storage price list: a preset, any of its numbers overridden.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct StorageSpec {
    pub preset: StoragePreset,
    pub per_gb_month: Option<f64>,
    pub write_per_1k: Option<f64>,
    pub read_per_1k: Option<f64>,
    pub list_per_1k: Option<f64>,
    pub delete_per_1k: Option<f64>,
    pub retrieval_per_gb: Option<f64>,
    /// How checkpoint and `_spark_metadata` files are committed; `null` = the preset's
    /// (ADLS: an atomic rename; S3 and GCS: copy + delete).
    pub rename: Option<Rename>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct CostSpec {
    pub storage: StorageSpec,
    pub compute: ComputeSpec,
    pub reader: ReaderSpec,
    pub checkpoint: CheckpointSpec,
    /// The Kafka brokers of a Kafka source (`broker.rs`); preset `none` by default.
    pub brokers: BrokerSpec,
    /// Step of the report's time series, s; `null` = the horizon ÷ 240, rounded up to a
    /// whole minute.
    pub series_step_s: Option<f64>,
}

/// A validated cost model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cost {
    pub preset: StoragePreset,
    pub prices: StoragePrices,
    pub rename: Rename,
    pub compute: Compute,
    pub reader: ReaderSpec,
    pub checkpoint: CheckpointSpec,
    pub series_step: Option<Micros>,
    pub brokers: BrokerPrice,
    /// The brokers at the workload's mean bandwidth (set by the scenario, which knows it).
    pub broker: BrokerSummary,
    /// The state store provider that writes the checkpoint's `state/` files (set by the
    /// scenario from `engine.state_store` and `engine.changelog_checkpointing`).
    pub state_store: StateProvider,
}

impl CostSpec {
    pub fn validate(&self, field: &str, long_running: bool) -> Result<Cost, InputError> {
        let s = &self.storage;
        let mut p = s.preset.prices();
        for (name, over, slot) in [
            ("per_gb_month", s.per_gb_month, &mut p.per_gb_month),
            ("write_per_1k", s.write_per_1k, &mut p.write_per_1k),
            ("read_per_1k", s.read_per_1k, &mut p.read_per_1k),
            ("list_per_1k", s.list_per_1k, &mut p.list_per_1k),
            ("delete_per_1k", s.delete_per_1k, &mut p.delete_per_1k),
            ("retrieval_per_gb", s.retrieval_per_gb, &mut p.retrieval_per_gb),
        ] {
            if let Some(v) = over {
                *slot = non_negative(&format!("{field}.storage.{name}"), v)?;
            }
        }
        p.validate(&format!("{field}.storage"))?;
        let rename = s.rename.unwrap_or(match s.preset {
            StoragePreset::AdlsHot | StoragePreset::AdlsCool => Rename::Atomic,
            _ => Rename::Copy,
        });
        let series_step = match self.series_step_s {
            Some(v) => Some(duration(&format!("{field}.series_step_s"), v, Unit::Seconds, false)?.max(1)),
            None => None,
        };
        Ok(Cost {
            preset: s.preset,
            prices: p,
            rename,
            compute: self.compute.validate(&format!("{field}.compute"), long_running)?,
            reader: self.reader.validate(&format!("{field}.reader"))?,
            checkpoint: self.checkpoint.validate(&format!("{field}.checkpoint"))?,
            series_step,
            brokers: self.brokers.validate(&format!("{field}.brokers"))?,
            broker: BrokerSummary::default(),
            state_store: StateProvider::default(),
        })
    }
}

/// Dollars by component.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Dollars {
    /// Requests for data files and the table's log.
    pub sink_requests: f64,
    /// Requests for offsets, commits and state files.
    pub checkpoint_requests: f64,
    /// Requests of compaction, OPTIMIZE, VACUUM.
    pub maintenance_requests: f64,
    /// Requests of the downstream readers (and retrieval fees).
    pub reader_requests: f64,
    /// LIST requests of a file source (none for Kafka).
    pub source_requests: f64,
    /// A Kafka source's brokers (`broker.rs`; 0 under preset `none`).
    pub source_brokers: f64,
    /// Bytes at rest (every object: data, logs, checkpoint, removed-not-vacuumed files).
    pub at_rest: f64,
    /// The cluster running the query.
    pub compute: f64,
    /// Cluster time of maintenance jobs.
    pub maintenance_compute: f64,
    pub total: f64,
}

impl Dollars {
    /// Every component added up (what `total` holds).
    pub fn components_sum(&self) -> f64 {
        self.sink_requests
            + self.checkpoint_requests
            + self.maintenance_requests
            + self.reader_requests
            + self.source_requests
            + self.source_brokers
            + self.at_rest
            + self.compute
            + self.maintenance_compute
    }
}

/// How long one LIST page (1,000 keys) of a file source's directory takes. An assumption
/// (S3 ListObjectsV2 answers in the order of 100 ms; not measured here): a listing of a
/// large directory takes pages × this, which bounds how often an idle stream can list.
pub const LIST_PAGE_US: Micros = 100_000;

/// The time from one idle trigger's listing to the next, for a directory of `files` files:
/// the trigger interval, or the listing itself when it takes longer; the default trigger
/// (`interval` 0) lists again `POLLING_DELAY` after a listing ends.
pub fn idle_poll_us(interval: Micros, files: u64) -> Micros {
    let listing = (files.div_ceil(1000).max(1) as i64).saturating_mul(LIST_PAGE_US);
    if interval > 0 {
        interval.max(listing)
    } else {
        listing.saturating_add(crate::engine::spark::trigger::POLLING_DELAY)
    }
}

crate::read_defaults!(StorageSpec {
    preset,
    per_gb_month,
    write_per_1k,
    read_per_1k,
    list_per_1k,
    delete_per_1k,
    retrieval_per_gb,
    rename,
});
crate::read_defaults!(CostSpec {
    storage,
    compute,
    reader,
    checkpoint,
    brokers,
    series_step_s
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_validate_and_name_the_field() {
        let spec = CostSpec {
            storage: StorageSpec {
                per_gb_month: Some(0.05),
                ..StorageSpec::default()
            },
            ..CostSpec::default()
        };
        let c = spec.validate("cost", true).unwrap();
        assert_eq!(c.prices.per_gb_month, 0.05);
        assert_eq!(c.rename, Rename::Copy);
        let bad = CostSpec {
            storage: StorageSpec {
                read_per_1k: Some(-1.0),
                ..StorageSpec::default()
            },
            ..CostSpec::default()
        };
        assert_eq!(
            bad.validate("cost", true).unwrap_err().field,
            "cost.storage.read_per_1k"
        );
    }
}
