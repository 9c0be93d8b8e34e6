//! Object storage: what the pipeline does to it (requests, bytes moved, bytes kept over
//! time) and what that costs under a price list.
//!
//! The [`Ledger`] counts requests per [`Component`] and keeps every written group of
//! objects (a cohort) until it is deleted, integrating bytes × time for the at-rest bill.
//! A cohort deleted before the tier's minimum storage duration is billed for the rest of
//! it, as S3 Standard-IA and the Azure cool tier do.

use crate::base::error::{InputError, non_negative};
use crate::base::time::Micros;
use serde::Serialize;

/// Who caused a request (the cost report's breakdown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Component {
    /// Data files and the table's own log (`_spark_metadata`, `_delta_log`, Iceberg metadata).
    Sink = 0,
    /// The streaming checkpoint: offsets, commits, state store files.
    Checkpoint = 1,
    /// Compaction, OPTIMIZE, VACUUM, manifest rewrites.
    Maintenance = 2,
    /// Downstream readers (the dashboard).
    Readers = 3,
    /// The source: a file source's listing of its input directory every micro-batch.
    Source = 4,
}

pub const COMPONENTS: usize = 5;

/// Requests and bytes. `*_units` count operations as a per-size biller does: one per
/// started 4 MiB (ADLS Gen2 bills writes and reads "per 4 MiB").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Ops {
    /// PUT / POST / COPY (writes, renames' copies).
    pub put: u64,
    pub put_units: u64,
    /// GET (whole or ranged reads).
    pub get: u64,
    pub get_units: u64,
    /// LIST pages (S3 returns ≤ 1 000 keys a page).
    pub list: u64,
    pub delete: u64,
    pub bytes_written: u64,
    pub bytes_read: u64,
}

impl Ops {
    pub fn add(&mut self, o: &Ops) {
        self.put += o.put;
        self.put_units += o.put_units;
        self.get += o.get;
        self.get_units += o.get_units;
        self.list += o.list;
        self.delete += o.delete;
        self.bytes_written += o.bytes_written;
        self.bytes_read += o.bytes_read;
    }

    /// All requests, each counted once.
    pub fn requests(&self) -> u64 {
        self.put + self.get + self.list + self.delete
    }

    /// What was done between `earlier` (a copy of these counters taken before) and now.
    pub fn since(&self, earlier: &Ops) -> Ops {
        Ops {
            put: self.put.saturating_sub(earlier.put),
            put_units: self.put_units.saturating_sub(earlier.put_units),
            get: self.get.saturating_sub(earlier.get),
            get_units: self.get_units.saturating_sub(earlier.get_units),
            list: self.list.saturating_sub(earlier.list),
            delete: self.delete.saturating_sub(earlier.delete),
            bytes_written: self.bytes_written.saturating_sub(earlier.bytes_written),
            bytes_read: self.bytes_read.saturating_sub(earlier.bytes_read),
        }
    }
}

/// Bytes of a billing unit for per-size operations (ADLS Gen2: 4 MiB).
pub const OP_UNIT_BYTES: u64 = 4 * 1024 * 1024;
/// The minimum billable object size of S3 Standard-IA (128 KiB).
pub const IA_MIN_OBJECT_BYTES: u64 = 128 * 1024;

fn units(bytes: u64) -> u64 {
    bytes.div_ceil(OP_UNIT_BYTES).max(1)
}

/// A group of objects written together.
#[derive(Debug, Clone, Copy)]
struct Cohort {
    written: Micros,
    objects: u64,
    bytes: u64,
    /// Σ max(size, 128 KiB).
    bytes_min_object: u64,
    alive: bool,
}

/// Handle of a cohort, to delete it later.
pub type CohortId = usize;

/// Everything done to object storage over a run.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub ops: [Ops; COMPONENTS],
    cohorts: Vec<Cohort>,
    /// Live objects and bytes now.
    pub live_objects: u64,
    pub live_bytes: u64,
    /// Live bytes with every object counted as at least 128 KiB (S3 Standard-IA's bill).
    pub live_bytes_min_object: u64,
    pub peak_live_bytes: u64,
    /// Σ bytes × write time of the live cohorts (both byte counts), so that the byte·time
    /// of everything live is `live bytes × t − Σ`, exact and without a walk.
    live_written: i128,
    live_written_min_object: i128,
    /// Integrated over time (byte·µs), for deleted cohorts; live ones are added at close.
    byte_us: f64,
    byte_us_min_object: f64,
    /// Per cohort deleted early, (minimum-duration-age) × bytes, at every minimum used in
    /// presets (30 and 90 days), as byte·µs.
    early: [f64; 2],
    early_min_object: [f64; 2],
}

/// How a file is made visible atomically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Rename {
    /// Write a temporary object, COPY it, DELETE the temporary (Hadoop S3A and GCS
    /// connectors implement `rename` so).
    #[default]
    Copy,
    /// One rename operation (ADLS Gen2 with a hierarchical namespace), billed as a write.
    Atomic,
}

crate::read_names!(Rename { "copy" => Copy, "atomic" => Atomic });

/// Objects of one kind (a checkpoint's `V.delta` files, say): written and deleted so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileTally {
    pub written: u64,
    pub deleted: u64,
}

impl FileTally {
    /// Written and not deleted.
    pub fn live(&self) -> u64 {
        self.written - self.deleted
    }
}

/// Minimum storage durations the ledger tracks early deletion for, days.
pub const MIN_DURATIONS_DAYS: [f64; 2] = [30.0, 90.0];
const DAY_US: f64 = 86_400e6;

impl Ledger {
    /// Writes `sizes.len()` objects at `t`; returns the cohort to delete them by.
    pub fn write(&mut self, c: Component, t: Micros, sizes: &[u64]) -> CohortId {
        let o = &mut self.ops[c as usize];
        let mut bytes = 0;
        let mut min_obj = 0;
        for &s in sizes {
            o.put += 1;
            o.put_units += units(s);
            bytes += s;
            min_obj += s.max(IA_MIN_OBJECT_BYTES);
        }
        o.bytes_written += bytes;
        self.add_cohort(t, sizes.len() as u64, bytes, min_obj)
    }

    /// Writes `n` objects of `size` bytes each at `t`.
    pub fn write_n(&mut self, c: Component, t: Micros, n: u64, size: u64) -> CohortId {
        let o = &mut self.ops[c as usize];
        o.put += n;
        o.put_units += n * units(size);
        o.bytes_written += n * size;
        self.add_cohort(t, n, n * size, n * size.max(IA_MIN_OBJECT_BYTES))
    }

    fn add_cohort(&mut self, t: Micros, objects: u64, bytes: u64, bytes_min_object: u64) -> CohortId {
        self.cohorts.push(Cohort {
            written: t,
            objects,
            bytes,
            bytes_min_object,
            alive: true,
        });
        self.live_objects += objects;
        self.live_bytes += bytes;
        self.live_bytes_min_object += bytes_min_object;
        self.live_written += i128::from(bytes) * i128::from(t);
        self.live_written_min_object += i128::from(bytes_min_object) * i128::from(t);
        self.peak_live_bytes = self.peak_live_bytes.max(self.live_bytes);
        self.cohorts.len() - 1
    }

    /// Extra request overhead: an object rewritten in place by rename (write temp, COPY,
    /// DELETE), as Hadoop's S3A does for `rename`.
    pub fn copy_and_delete(&mut self, c: Component, n: u64, size: u64) {
        let o = &mut self.ops[c as usize];
        o.put += n;
        o.put_units += n * units(size);
        o.delete += n;
    }

    /// Writes `n` objects of `size` bytes each at `t` so that each appears whole or not at
    /// all (Spark's `CheckpointFileManager.createAtomic`): a temporary object made visible
    /// by `rename`.
    pub fn write_atomic(&mut self, c: Component, t: Micros, n: u64, size: u64, rename: Rename) -> CohortId {
        let id = self.write_n(c, t, n, size);
        match rename {
            Rename::Copy => self.copy_and_delete(c, n, size),
            Rename::Atomic => self.ops[c as usize].put += n,
        }
        id
    }

    /// Reads `n` objects (or ranges) of `size` bytes each.
    pub fn read_n(&mut self, c: Component, n: u64, size: u64) {
        let o = &mut self.ops[c as usize];
        o.get += n;
        o.get_units += n * units(size);
        o.bytes_read += n * size;
    }

    /// Lists `keys` keys: ⌈keys / 1 000⌉ pages, at least one.
    pub fn list(&mut self, c: Component, keys: u64) {
        self.list_dirs(c, 1, keys);
    }

    /// [`Ledger::list`] of `dirs` directories of `keys` keys each.
    pub fn list_dirs(&mut self, c: Component, dirs: u64, keys: u64) {
        self.ops[c as usize].list += dirs.saturating_mul(keys.div_ceil(1000).max(1));
    }

    /// Deletes a cohort at `t` (a second delete of one cohort is a no-op).
    pub fn delete(&mut self, c: Component, t: Micros, id: CohortId) {
        let Some(k) = self.cohorts.get_mut(id) else { return };
        if !k.alive {
            return;
        }
        k.alive = false;
        let k = *k;
        self.ops[c as usize].delete += k.objects;
        self.live_objects -= k.objects;
        self.live_bytes -= k.bytes;
        self.live_bytes_min_object -= k.bytes_min_object;
        self.live_written -= i128::from(k.bytes) * i128::from(k.written);
        self.live_written_min_object -= i128::from(k.bytes_min_object) * i128::from(k.written);
        let age = (t - k.written).max(0) as f64;
        self.byte_us += k.bytes as f64 * age;
        self.byte_us_min_object += k.bytes_min_object as f64 * age;
        for (i, d) in MIN_DURATIONS_DAYS.iter().enumerate() {
            let short = (d * DAY_US - age).max(0.0);
            self.early[i] += k.bytes as f64 * short;
            self.early_min_object[i] += k.bytes_min_object as f64 * short;
        }
    }

    /// Bytes of a cohort with every object counted as at least 128 KiB.
    pub fn cohort_min_object_bytes(&self, id: CohortId) -> u64 {
        self.cohorts.get(id).map_or(0, |k| k.bytes_min_object)
    }

    /// Objects and bytes of a cohort.
    pub fn cohort(&self, id: CohortId) -> (u64, u64) {
        self.cohorts.get(id).map_or((0, 0), |k| (k.objects, k.bytes))
    }

    /// Byte·µs stored up to `t` (live cohorts counted up to `t`), with and without the
    /// 128 KiB minimum, plus early-deletion charges for a minimum duration of `min_days`.
    pub fn byte_time(&self, t: Micros, min_object: bool, min_days: f64) -> f64 {
        let (done, live, written) = if min_object {
            (
                self.byte_us_min_object,
                self.live_bytes_min_object,
                self.live_written_min_object,
            )
        } else {
            (self.byte_us, self.live_bytes, self.live_written)
        };
        // Every live cohort counted up to t (none is written after t: the model writes in
        // time order, so the sum is Σ bytes × (t − written), each term ≥ 0).
        let mut total = done + (i128::from(live) * i128::from(t) - written) as f64;
        total += self.early_charges(min_object, min_days);
        total
    }

    /// Byte·µs charged so far for objects deleted before `min_days` (30 or 90; 0 otherwise).
    pub fn early_charges(&self, min_object: bool, min_days: f64) -> f64 {
        match MIN_DURATIONS_DAYS.iter().position(|&d| d == min_days) {
            Some(i) if min_object => self.early_min_object[i],
            Some(i) => self.early[i],
            None => 0.0,
        }
    }
}

/// A storage price list, in USD. Every field can be overridden in the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoragePrices {
    /// $ per GB-month (GB = 10⁹ bytes... see `gib`).
    pub per_gb_month: f64,
    /// $ per 1 000 write-class requests (PUT, COPY, POST; LIST on S3 and GCS).
    pub write_per_1k: f64,
    /// $ per 1 000 read-class requests (GET).
    pub read_per_1k: f64,
    /// $ per 1 000 LIST requests.
    pub list_per_1k: f64,
    /// $ per 1 000 DELETEs (free on S3, GCS and ADLS).
    pub delete_per_1k: f64,
    /// $ per GB read (retrieval fee of infrequent-access tiers).
    pub retrieval_per_gb: f64,
    /// Writes and reads are billed per started 4 MiB (ADLS Gen2).
    pub per_4mib: bool,
    /// Objects under 128 KiB are billed as 128 KiB (S3 Standard-IA).
    pub min_object_128k: bool,
    /// Objects deleted earlier are billed up to this age, days (0, 30 or 90).
    pub min_storage_days: f64,
}

impl Default for StoragePrices {
    fn default() -> Self {
        StoragePreset::S3Standard.prices()
    }
}

/// Named storage price lists. Sources in docs/model.md and on each value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum StoragePreset {
    #[default]
    S3Standard,
    S3StandardIa,
    AdlsHot,
    AdlsCool,
    GcsStandard,
}

impl StoragePreset {
    pub fn prices(self) -> StoragePrices {
        let base = StoragePrices {
            per_gb_month: 0.0,
            write_per_1k: 0.0,
            read_per_1k: 0.0,
            list_per_1k: 0.0,
            delete_per_1k: 0.0,
            retrieval_per_gb: 0.0,
            per_4mib: false,
            min_object_128k: false,
            min_storage_days: 0.0,
        };
        match self {
            // S3 Standard, us-east-1, first 50 TB: $0.023/GB-month; PUT, COPY, POST, LIST
            // $0.005 per 1 000; GET $0.0004 per 1 000; DELETE free. Second-hand: the
            // stored copy of aws.amazon.com/s3/pricing shows no numbers; from costnimbus.com
            // "S3 storage classes cost guide" (2026-03) and c3x.dev "S3 request fees
            // explained" (undated); DELETE free per the S3 FAQ.
            StoragePreset::S3Standard => StoragePrices {
                per_gb_month: 0.023,
                write_per_1k: 0.005,
                read_per_1k: 0.0004,
                list_per_1k: 0.005,
                ..base
            },
            // S3 Standard-IA, us-east-1: $0.0125/GB-month; PUT/COPY/POST/LIST $0.01 per
            // 1 000; GET $0.001 per 1 000; retrieval $0.01/GB; 128 KB minimum object, 30
            // days minimum. Second-hand: costnimbus.com (2026-03), c3x.dev (undated).
            StoragePreset::S3StandardIa => StoragePrices {
                per_gb_month: 0.0125,
                write_per_1k: 0.01,
                read_per_1k: 0.001,
                list_per_1k: 0.01,
                retrieval_per_gb: 0.01,
                min_object_128k: true,
                min_storage_days: 30.0,
                ..base
            },
            // ADLS Gen2 (hierarchical namespace), LRS, hot: $0.021/GB-month; writes $0.0715
            // and reads $0.0057 per 10 000, each 4 MiB one operation; iterative reads
            // (listing) $0.0715 per 10 000; deletes free. Microsoft's cost-estimate article
            // (learn.microsoft.com, "blob-storage-estimate-costs", 2024-07-03), which calls
            // them sample prices: second-hand in effect, check your region's page.
            StoragePreset::AdlsHot => StoragePrices {
                per_gb_month: 0.021,
                write_per_1k: 0.00715,
                read_per_1k: 0.00057,
                list_per_1k: 0.00715,
                per_4mib: true,
                ..base
            },
            // ADLS Gen2 cool, same article: $0.012/GB-month; writes $0.13, reads $0.013,
            // iterative reads $0.0715 per 10 000; retrieval $0.01/GB; 30 days minimum
            // (learn.microsoft.com, BlockBlobTier "Cool").
            StoragePreset::AdlsCool => StoragePrices {
                per_gb_month: 0.012,
                write_per_1k: 0.013,
                read_per_1k: 0.0013,
                list_per_1k: 0.00715,
                retrieval_per_gb: 0.01,
                per_4mib: true,
                min_storage_days: 30.0,
                ..base
            },
            // Cloud Storage Standard, regional us-central1: $0.020/GB-month; Class A
            // (writes, lists) $0.005 per 1 000; Class B (reads) $0.0004 per 1 000; deletes
            // free. cloud.google.com/storage/pricing (a stored proxy copy, undated) and
            // cloud.google.com/storage/pricing-examples (undated).
            StoragePreset::GcsStandard => StoragePrices {
                per_gb_month: 0.020,
                write_per_1k: 0.005,
                read_per_1k: 0.0004,
                list_per_1k: 0.005,
                ..base
            },
        }
    }
}

impl StoragePrices {
    pub fn validate(&self, field: &str) -> Result<(), InputError> {
        for (name, v) in [
            ("per_gb_month", self.per_gb_month),
            ("write_per_1k", self.write_per_1k),
            ("read_per_1k", self.read_per_1k),
            ("list_per_1k", self.list_per_1k),
            ("delete_per_1k", self.delete_per_1k),
            ("retrieval_per_gb", self.retrieval_per_gb),
        ] {
            non_negative(&format!("{field}.{name}"), v)?;
        }
        if !MIN_DURATIONS_DAYS.contains(&self.min_storage_days) && self.min_storage_days != 0.0 {
            return Err(InputError::new(
                format!("{field}.min_storage_days"),
                "0, 30 or 90 days are modelled",
            ));
        }
        Ok(())
    }

    /// $ for one component's requests.
    pub fn request_cost(&self, o: &Ops) -> f64 {
        let (w, r) = if self.per_4mib {
            (o.put_units, o.get_units)
        } else {
            (o.put, o.get)
        };
        (w as f64 * self.write_per_1k
            + r as f64 * self.read_per_1k
            + o.list as f64 * self.list_per_1k
            + o.delete as f64 * self.delete_per_1k)
            / 1000.0
            + o.bytes_read as f64 / GB * self.retrieval_per_gb
    }

    /// $ for storing what the ledger held from the start up to `t` (byte·µs → GB-months,
    /// a month being 30 days).
    pub fn at_rest_cost(&self, ledger: &Ledger, t: Micros) -> f64 {
        let byte_us = ledger.byte_time(t, self.min_object_128k, self.min_storage_days);
        byte_us / GB / MONTH_US * self.per_gb_month
    }
}

/// Bytes in a GB as cloud price lists use it (10⁹).
pub const GB: f64 = 1e9;
/// A billing month, µs (30 days).
pub const MONTH_US: f64 = 30.0 * DAY_US;

crate::read_names!(StoragePreset {
    "s3_standard" => S3Standard,
    "s3_standard_ia" => S3StandardIa,
    "adls_hot" => AdlsHot,
    "adls_cool" => AdlsCool,
    "gcs_standard" => GcsStandard,
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_at_rest_by_hand() {
        let mut l = Ledger::default();
        // 1 000 objects of 1 MB for 30 days: 1 GB-month.
        let id = l.write_n(Component::Sink, 0, 1000, 1_000_000);
        l.read_n(Component::Readers, 2000, 10_000);
        l.list(Component::Readers, 2500);
        let s3 = StoragePreset::S3Standard.prices();
        assert!((s3.at_rest_cost(&l, MONTH_US as i64) - 0.023).abs() < 1e-12);
        // 1 000 PUTs = $0.005; 2 000 GETs = $0.0008; 3 LIST pages = $0.000015.
        assert!((s3.request_cost(&l.ops[Component::Sink as usize]) - 0.005).abs() < 1e-12);
        assert!((s3.request_cost(&l.ops[Component::Readers as usize]) - (0.0008 + 0.000015)).abs() < 1e-12);
        // Deleted after 10 days from a 30-day tier: billed 30 days anyway.
        l.delete(Component::Maintenance, 10 * 86_400_000_000, id);
        assert_eq!(l.live_bytes, 0);
        let ia = StoragePreset::S3StandardIa.prices();
        assert!((ia.at_rest_cost(&l, 10 * 86_400_000_000) - 0.0125).abs() < 1e-9);
        // ...and without a minimum, 10 days: a third of a GB-month.
        assert!((s3.at_rest_cost(&l, 10 * 86_400_000_000) - 0.023 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn small_objects_bill_128k_in_ia_and_4mib_units_in_adls() {
        let mut l = Ledger::default();
        l.write(Component::Sink, 0, &[1000, 10 * 1024 * 1024]);
        let o = l.ops[0];
        assert_eq!((o.put, o.put_units), (2, 1 + 3));
        // 1 000 B billed as 131 072 B under IA.
        let b = l.byte_time(MONTH_US as i64, true, 0.0) / MONTH_US;
        assert_eq!(b.round() as u64, 131_072 + 10 * 1024 * 1024);
        let adls = StoragePreset::AdlsHot.prices();
        assert!((adls.request_cost(&o) - 4.0 * 0.00715 / 1000.0).abs() < 1e-15);
    }
}
