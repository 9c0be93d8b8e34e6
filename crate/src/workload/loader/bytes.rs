//! A loaded file as bytes: how the formats module (`crate/formats`, which reads the files)
//! hands its [`Loaded`] to the core module (which simulates), so the core's wasm links no
//! file reader. Versioned and little-endian:
//!
//! ```text
//! "PSLD"  u32 version (1)  u32 header length  header (JSON: spec, stats, key names)
//! u64 n   then n × u32 key index, n × i64 event time µs, n × u8 has-arrival,
//!         n × i64 arrival µs (0 without one), n × i64 value
//! ```
//!
//! Decoding checks everything the core relies on (event-time order, key indexes, the range
//! of the times, arrival ≥ event time, the counts in the stats), so any bytes at all give a
//! [`Loaded`] or an [`InputError`] naming `workload.data`, never a panic.

use super::{DataSpec, LoadStats, Loaded};
use crate::base::error::InputError;
use crate::workload::event::{GivenEvent, MAX_EXPLICIT_EVENTS};
use serde::Serialize;
use std::sync::Arc;

const MAGIC: &[u8; 4] = b"PSLD";
/// The encoding's version: a module pair from different builds refuses, by name.
pub const VERSION: u32 = 1;
/// Bytes per event: key, event time, has-arrival, arrival, value.
const EVENT_BYTES: usize = 4 + 8 + 1 + 8 + 8;
const FIELD: &str = "workload.data";

/// Smallest and largest event time a load gives (years 1000 to 9999), as the mapping checks.
pub(crate) const MIN_INSTANT: crate::base::time::Micros = -30_610_224_000_000_000;
pub(crate) const MAX_INSTANT: crate::base::time::Micros = 253_402_300_799_000_000;

#[derive(Serialize)]
struct HeaderOut<'a> {
    spec: &'a DataSpec,
    stats: &'a LoadStats,
    keys: &'a [String],
    /// The stats' fractions as their bits: JSON text read back may differ in the last
    /// digit (serde_json's float parsing), and the report's digest covers the stats.
    exact: [Option<u64>; 4],
}

/// The header read back (with the scenario format's reader, [`crate::base::spec_reader`]).
struct HeaderIn {
    /// Read as a `workload.data` mapping once the header is read.
    spec: serde_json::Value,
    stats: LoadStats,
    keys: Vec<String>,
    exact: Vec<Option<u64>>,
}
crate::read_struct!(HeaderIn {
    spec: req,
    stats: req,
    keys: req,
    exact: req
});

/// The stats' fractions, in `exact`'s order.
fn fractions(s: &mut LoadStats) -> [&mut Option<f64>; 4] {
    [
        &mut s.lateness_p50_s,
        &mut s.lateness_p99_s,
        &mut s.lateness_max_s,
        &mut s.mean_size_bytes,
    ]
}

fn bad(msg: impl std::fmt::Display) -> InputError {
    InputError::new(FIELD, format!("the loaded data's bytes are not readable: {msg}"))
}

impl Loaded {
    /// The bytes [`Loaded::from_bytes`] reads back.
    pub fn to_bytes(&self) -> Vec<u8> {
        let s = &self.stats;
        let exact = [
            s.lateness_p50_s,
            s.lateness_p99_s,
            s.lateness_max_s,
            s.mean_size_bytes,
        ]
        .map(|f| f.map(f64::to_bits));
        let header = serde_json::to_vec(&HeaderOut {
            spec: &self.spec,
            stats: &self.stats,
            keys: &self.key_names,
            exact,
        })
        .expect("a load's spec and stats always serialize");
        let n = self.events.len();
        let mut out = Vec::with_capacity(20 + header.len() + n * EVENT_BYTES);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(header.len() as u32).to_le_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(&(n as u64).to_le_bytes());
        for &(k, ..) in self.events.iter() {
            out.extend_from_slice(&k.to_le_bytes());
        }
        for &(_, et, ..) in self.events.iter() {
            out.extend_from_slice(&et.to_le_bytes());
        }
        for &(_, _, a, _) in self.events.iter() {
            out.push(u8::from(a.is_some()));
        }
        for &(_, _, a, _) in self.events.iter() {
            out.extend_from_slice(&a.unwrap_or(0).to_le_bytes());
        }
        for &(.., v) in self.events.iter() {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// Reads [`Loaded::to_bytes`]'s bytes, checking them: a refusal names `workload.data`.
    pub fn from_bytes(b: &[u8]) -> Result<Loaded, InputError> {
        let mut r = Reader { b, at: 0 };
        if r.take(4, "the magic")? != MAGIC {
            return Err(bad(
                "they do not start with PSLD (not made by the formats module)",
            ));
        }
        let version = r.u32("the version")?;
        if version != VERSION {
            return Err(bad(format!(
                "version {version}, this module reads version {VERSION} (reload the page)"
            )));
        }
        let hlen = r.u32("the header length")? as usize;
        let text = std::str::from_utf8(r.take(hlen, "the header")?).map_err(|_| bad("header: not UTF-8"))?;
        let mut header: HeaderIn = crate::base::json::parse(text)
            .map_err(|e| bad(format!("header: {e}")))
            .and_then(|v| {
                crate::base::spec_reader::Read::read(crate::base::spec_reader::At {
                    value: &v,
                    path: "header",
                })
                .map_err(bad)
            })?;
        if header.exact.len() != 4 {
            return Err(bad("header: exact: 4 values expected"));
        }
        for (f, bits) in fractions(&mut header.stats).into_iter().zip(header.exact) {
            *f = bits.map(f64::from_bits);
        }
        let n = r.u64("the event count")?;
        if n == 0 || n > MAX_EXPLICIT_EVENTS as u64 {
            return Err(bad(format!("{n} events (1 to {MAX_EXPLICIT_EVENTS} expected)")));
        }
        let n = n as usize;
        if r.b.len() - r.at != n * EVENT_BYTES {
            return Err(bad(format!(
                "{} bytes of events for {n} events, {} expected",
                r.b.len() - r.at,
                n * EVENT_BYTES
            )));
        }
        let keys = r.take(n * 4, "the keys")?;
        let times = r.take(n * 8, "the event times")?;
        let has = r.take(n, "the arrival flags")?;
        let arrivals = r.take(n * 8, "the arrivals")?;
        let values = r.take(n * 8, "the values")?;
        let key_count = header.keys.len();
        let mut events: Vec<GivenEvent> = Vec::with_capacity(n);
        let mut prev = i64::MIN;
        for (i, &flag) in has.iter().enumerate() {
            let k = u32::from_le_bytes(word(keys, i));
            let et = i64::from_le_bytes(word(times, i));
            let a = i64::from_le_bytes(word(arrivals, i));
            let v = i64::from_le_bytes(word(values, i));
            if k as usize >= key_count {
                return Err(bad(format!("event {i}: key {k}, only {key_count} keys")));
            }
            if !(MIN_INSTANT..=MAX_INSTANT).contains(&et) {
                return Err(bad(format!("event {i}: event time {et} µs is out of range")));
            }
            if et < prev {
                return Err(bad(format!("event {i}: not in event-time order")));
            }
            prev = et;
            let arrival = match flag {
                0 => None,
                1 if a >= et => Some(a),
                1 => return Err(bad(format!("event {i}: arrival before its event time"))),
                f => return Err(bad(format!("event {i}: arrival flag {f}"))),
            };
            events.push((k, et, arrival, v));
        }
        let s = &header.stats;
        if s.events != n as u64 || s.keys != key_count as u64 {
            return Err(bad(format!(
                "the stats say {} events and {} keys, the bytes hold {n} and {key_count}",
                s.events, s.keys
            )));
        }
        Ok(Loaded {
            spec: <DataSpec as crate::base::spec_reader::Read>::read(crate::base::spec_reader::At {
                value: &header.spec,
                path: "workload.data",
            })
            .map_err(|e| bad(format!("header: {}: {}", e.field, e.message)))?,
            events: Arc::from(events),
            key_names: Arc::from(header.keys),
            stats: header.stats,
        })
    }
}

/// Element `i` of a column of `N`-byte little-endian words (the column's length is checked).
fn word<const N: usize>(col: &[u8], i: usize) -> [u8; N] {
    let mut w = [0u8; N];
    w.copy_from_slice(&col[i * N..(i + 1) * N]);
    w
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], InputError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len());
        match end {
            Some(e) => {
                let s = &self.b[self.at..e];
                self.at = e;
                Ok(s)
            }
            None => Err(bad(format!("they end before {what}"))),
        }
    }

    fn u32(&mut self, what: &str) -> Result<u32, InputError> {
        let s = self.take(4, what)?;
        Ok(u32::from_le_bytes(word(s, 0)))
    }

    fn u64(&mut self, what: &str) -> Result<u64, InputError> {
        let s = self.take(8, what)?;
        Ok(u64::from_le_bytes(word(s, 0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::loader::{BadRow, Format, TimeColumn, TimeUnit};

    fn sample() -> Loaded {
        let spec = DataSpec {
            file: "datasets/x.csv".into(),
            format: Some(Format::Csv),
            event_time: TimeColumn {
                column: "t".into(),
                unit: TimeUnit::EpochMs,
                origin: None,
                format: None,
            },
            arrival: None,
            key: Some("k".into()),
            value: None,
            size: None,
            filter: vec![],
            join: None,
        };
        let events: Vec<GivenEvent> = vec![
            (0, 1_000, None, i64::MIN),
            (1, 1_000, Some(5_000), 7),
            (0, 2_000_000, Some(2_000_000), -3),
        ];
        let stats = LoadStats {
            file: spec.file.clone(),
            format: Format::Csv,
            rows: 4,
            events: 3,
            bad_rows: 1,
            bad_examples: vec![BadRow {
                line: 3,
                reason: "t: no time".into(),
            }],
            join_unmatched: 0,
            filtered_out: 0,
            arrival_clamped: 1,
            keys: 2,
            arrival_from: crate::workload::loader::ArrivalFrom::Column,
            lateness_p50_s: Some(0.0),
            lateness_p99_s: Some(0.1 + 0.2),
            lateness_max_s: Some(f64::MIN_POSITIVE * 3.000_000_000_000_001),
            first_event_us: 1_000,
            last_event_us: 2_000_000,
            mean_size_bytes: Some(1_234.567_890_123_456_7),
        };
        Loaded {
            spec,
            events: Arc::from(events),
            key_names: Arc::from(vec!["a".to_string(), "b, \"c\"".to_string()]),
            stats,
        }
    }

    #[test]
    fn round_trips() {
        let l = sample();
        let b = l.to_bytes();
        let back = Loaded::from_bytes(&b).expect("its own bytes read back");
        assert_eq!(back.spec, l.spec);
        assert_eq!(back.events, l.events);
        assert_eq!(back.key_names, l.key_names);
        assert_eq!(back.stats, l.stats);
        let bits = |s: &LoadStats| {
            [
                s.lateness_p50_s,
                s.lateness_p99_s,
                s.lateness_max_s,
                s.mean_size_bytes,
            ]
            .map(|f| f.map(f64::to_bits))
        };
        assert_eq!(bits(&back.stats), bits(&l.stats), "fractions to the bit");
        assert_eq!(back.to_bytes(), b);
    }

    #[test]
    fn refuses_bad_invariants() {
        let b = sample().to_bytes();
        let n = 3;
        let cols = b.len() - n * EVENT_BYTES;
        // A key index past the key names.
        let mut k = b.clone();
        k[cols..cols + 4].copy_from_slice(&9u32.to_le_bytes());
        // Event times out of order.
        let mut t = b.clone();
        t[cols + 12..cols + 20].copy_from_slice(&5_000_000i64.to_le_bytes());
        // An arrival flag of 2.
        let mut f = b.clone();
        f[cols + n * 12] = 2;
        // Another version.
        let mut v = b.clone();
        v[4] = 9;
        for (bytes, says) in [
            (k, "key 9"),
            (t, "event-time order"),
            (f, "arrival flag"),
            (v, "version 9"),
            (b[..b.len() - 1].to_vec(), "bytes of events"),
            (b"PSLD".to_vec(), "before the version"),
        ] {
            let e = Loaded::from_bytes(&bytes).expect_err(says);
            assert_eq!(e.field, "workload.data");
            assert!(e.message.contains(says), "{says}: {}", e.message);
        }
    }

    /// Arbitrary bytes, and mutations of good ones, never panic: a [`Loaded`] or an error
    /// naming `workload.data`.
    #[test]
    fn arbitrary_bytes_never_panic() {
        let good = sample().to_bytes();
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::from_seed_u64(15);
        for round in 0..20_000 {
            let mut b = if round % 2 == 0 {
                good.clone()
            } else {
                let len = (rng.next() % 200) as usize;
                let mut v = b"PSLD\x01\0\0\0".to_vec();
                v.extend((0..len).map(|_| rng.next() as u8));
                v
            };
            for _ in 0..(rng.next() % 4 + 1) {
                if b.is_empty() {
                    break;
                }
                let i = (rng.next() as usize) % b.len();
                match rng.next() % 3 {
                    0 => b[i] = rng.next() as u8,
                    1 => b.truncate(i),
                    _ => b.insert(i, rng.next() as u8),
                }
            }
            if let Err(e) = Loaded::from_bytes(&b) {
                assert_eq!(e.field, "workload.data");
            }
        }
    }

    trait Next {
        fn from_seed_u64(s: u64) -> Self;
        fn next(&mut self) -> u64;
    }

    impl Next for rand_xoshiro::Xoshiro256PlusPlus {
        fn from_seed_u64(s: u64) -> Self {
            <Self as rand_core::SeedableRng>::seed_from_u64(s)
        }
        fn next(&mut self) -> u64 {
            rand_core::RngCore::next_u64(self)
        }
    }
}
