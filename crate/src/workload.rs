//! The seeded event generator: the workload's model and its validation, and the stream of
//! events in arrival order. Poisson events are drawn directly in arrival order
//! (`arrival_process.rs`); evenly spaced ones and spiky shapes are made in event-time
//! order and re-sorted by arrival (`arrival_order.rs`). Either way memory holds a bounded
//! buffer and the events still "in flight", never the whole stream.
//!
//! Event times: a Poisson (or evenly spaced) process whose rate follows a shape (flat,
//! bursty on/off, diurnal), with idle periods. Keys: uniform or Zipf. Arrival = event time
//! + lateness from a distribution, with an optional "offline device" tail.
//!
//! Determinism across targets: one named RNG ([`SimRng`], xoshiro256++) and samplers whose
//! transcendental functions all come from the pure-Rust `libm` crate (`sampler.rs`), never
//! from the platform's C library, so native and wasm draw bit-identical events from the
//! same seed.

use crate::arrival_order::ArrivalOrder;
use crate::error::{InputError, MAX_DURATION_S, Unit, duration, non_negative, positive};
use crate::time::{Micros, parse_rfc3339, secs_to_micros};
use rand_core::{RngCore, SeedableRng};
use serde::Serialize;
use std::sync::Arc;

/// One event: the query's input row (`operator::Row`). Generated ids are 0, 1, 2, … in
/// arrival order (direct generator) or event-time order (event-time-order generator and
/// explicit events).
pub type Event = crate::operator::Row;

/// The generated `value` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ValueSpec {
    /// Every event carries `v` (no random draw).
    Constant { v: i64 },
    /// Uniform whole numbers in [min, max].
    Uniform { min: i64, max: i64 },
}

impl Default for ValueSpec {
    fn default() -> Self {
        ValueSpec::Constant { v: 1 }
    }
}

/// How event times are spaced at a given rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Arrivals {
    /// Evenly spaced.
    Constant,
    /// A Poisson process: exponential gaps.
    #[default]
    Poisson,
}

/// How the rate varies over time; the mean over a whole period stays `rate_per_s`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RateShape {
    #[default]
    Flat,
    /// `on_s` seconds at rate × (on+off)/on, then `off_s` seconds of silence, repeated.
    Bursty { on_s: f64, off_s: f64 },
    /// rate × (1 + amplitude × cos(2π (time of day − peak) / 24 h)), amplitude in [0, 1].
    Diurnal { amplitude: f64, peak_hour_utc: f64 },
}

/// Arrival time − event time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Lateness {
    None,
    Fixed {
        s: f64,
    },
    Uniform {
        min_s: f64,
        max_s: f64,
    },
    Exponential {
        mean_s: f64,
    },
    /// exp(N(ln median, sigma²)).
    #[serde(rename = "log_normal")]
    LogNormal {
        median_s: f64,
        sigma: f64,
    },
}

impl Default for Lateness {
    fn default() -> Self {
        Lateness::Exponential { mean_s: 5.0 }
    }
}

/// A fraction of events from devices that were offline: their lateness is uniform in
/// [min_s, max_s] instead of the main distribution.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OfflineTail {
    pub fraction: f64,
    pub min_s: f64,
    pub max_s: f64,
}

/// A stretch with no events, in seconds after the workload's start.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Idle {
    pub from_s: f64,
    pub to_s: f64,
}

/// One event given explicitly instead of generated.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExplicitEvent {
    pub key: String,
    /// RFC 3339.
    pub event_time: String,
    /// RFC 3339, not before `event_time`; absent: drawn from the workload's `lateness`
    /// (and `offline`) with the scenario's seed.
    #[serde(default)]
    pub arrival: Option<String>,
    /// The `value` column; absent = null.
    #[serde(default)]
    pub value: Option<i64>,
}

/// Most explicit events one scenario may hold (larger data goes through the loaders).
pub const MAX_EXPLICIT_EVENTS: usize = 5_000_000;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkloadSpec {
    /// Explicit events instead of the generator; when given, `start`, `duration_s`, the
    /// rate, shape, idle periods and keys are not used (lateness and offline are, for
    /// events without an arrival). Ids are assigned 0, 1, … in event-time order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<ExplicitEvent>>,
    /// Events from a file (CSV, JSON, an access log, Arrow IPC) through a column mapping
    /// (`loader`); like `events`, it replaces the generator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<crate::loader::DataSpec>,
    /// First event time, RFC 3339. Default `2024-01-01T00:00:00Z`.
    pub start: String,
    /// Length of the stretch of event time generated, s. Default 600.
    pub duration_s: f64,
    /// Mean events per second. Default 50.
    pub rate_per_s: f64,
    pub arrivals: Arrivals,
    pub shape: RateShape,
    pub idle: Vec<Idle>,
    /// Distinct keys. Default 10.
    pub keys: u32,
    /// Zipf exponent of the key popularity; 0 = uniform (default).
    pub key_skew: f64,
    /// Bytes per row, for the sink and cost models. Default 200 (an assumption: a small JSON
    /// event; set it to your data's).
    pub row_bytes: u32,
    pub lateness: Lateness,
    pub offline: Option<OfflineTail>,
    /// The `value` column of generated events. Default: constant 1.
    pub value: ValueSpec,
    /// Real events per simulated one (`scale.rs`): `"auto"` (default) or a whole number.
    #[serde(skip_serializing_if = "crate::scale::ScaleSpec::is_auto")]
    pub scale: crate::scale::ScaleSpec,
}

impl Default for WorkloadSpec {
    fn default() -> Self {
        Self {
            events: None,
            data: None,
            start: "2024-01-01T00:00:00Z".into(),
            duration_s: 600.0,
            rate_per_s: 50.0,
            arrivals: Arrivals::Poisson,
            shape: RateShape::Flat,
            idle: Vec::new(),
            keys: 10,
            key_skew: 0.0,
            row_bytes: 200,
            lateness: Lateness::default(),
            offline: None,
            value: ValueSpec::default(),
            scale: crate::scale::ScaleSpec::Auto,
        }
    }
}

/// Largest event count one scenario may generate (a day at 1 000 events/s is 86.4 M).
pub const MAX_EVENTS: f64 = 200_000_000.0;
/// Highest mean rate, events/s (beyond the exact budget a run is scaled, `scale.rs`).
pub const MAX_RATE_PER_S: f64 = 10_000_000.0;
/// Lowest mean rate, events/s: below it the mean gap between events exceeds any horizon.
pub const MIN_RATE_PER_S: f64 = 1e-6;
/// Most idle periods a workload lists.
pub const MAX_IDLE_PERIODS: usize = 10_000;
/// Largest key count with a Zipf skew (its table takes 8 bytes a key).
pub const MAX_SKEWED_KEYS: u32 = 10_000_000;

#[derive(Debug, Clone)]
pub struct Workload {
    pub start: Micros,
    pub end: Micros,
    /// Mean gap between events at the mean rate, µs (fractional).
    gap_us: f64,
    arrivals: Arrivals,
    shape: Shape,
    /// Sorted, non-overlapping [from, to) µs.
    idle: Vec<(Micros, Micros)>,
    pub keys: u32,
    /// Cumulative key probabilities when skewed.
    zipf_cdf: Option<Arc<[f64]>>,
    pub row_bytes: u32,
    lateness: Lateness,
    offline: Option<OfflineTail>,
    /// Explicit events, sorted by event time (input order within ties): (key index, event
    /// time, arrival if given).
    explicit: Option<Arc<[GivenEvent]>>,
    /// Names of the explicit events' keys, by key index.
    pub key_names: Option<Arc<[String]>>,
    value: ValueSpec,
}

/// An explicit event as validated: (key index, event time, arrival if given, value).
pub type GivenEvent = (u32, Micros, Option<Micros>, i64);

#[derive(Debug, Clone, Copy)]
enum Shape {
    Flat,
    /// Period and on-length in µs, rate multiplier while on.
    Bursty {
        period: Micros,
        on: Micros,
        boost: f64,
    },
    /// Amplitude and the peak's offset into the UTC day, µs.
    Diurnal {
        amplitude: f64,
        peak: Micros,
    },
}

const DAY: Micros = 86_400_000_000;

impl WorkloadSpec {
    /// Validates the workload; `loaded` is `data`'s file, read by [`crate::loader::load`].
    pub fn validate(
        &self,
        field: &str,
        loaded: Option<&crate::loader::Loaded>,
    ) -> Result<Workload, InputError> {
        let f = |n: &str| format!("{field}.{n}");
        let start = parse_rfc3339(&self.start).ok_or_else(|| {
            InputError::new(
                f("start"),
                format!(
                    "'{}' is not an RFC 3339 time like 2024-01-01T00:00:00Z",
                    self.start
                ),
            )
        })?;
        let duration_us = duration(&f("duration_s"), self.duration_s, Unit::Seconds, false)?;
        let duration_s = self.duration_s;
        let rate = positive(&f("rate_per_s"), self.rate_per_s)?;
        if rate < MIN_RATE_PER_S {
            return Err(InputError::new(
                f("rate_per_s"),
                format!(
                    "must be at least 0.000001 events/s (one event in 11.6 days), got {}",
                    crate::error::show(rate)
                ),
            ));
        }
        if rate > MAX_RATE_PER_S {
            return Err(InputError::new(
                f("rate_per_s"),
                format!(
                    "must be at most {MAX_RATE_PER_S:.0} events/s, got {}",
                    crate::error::show(rate)
                ),
            ));
        }
        if self.keys == 0 {
            return Err(InputError::new(f("keys"), "must be at least 1"));
        }
        let skew = non_negative(&f("key_skew"), self.key_skew)?;
        if skew > 0.0 && self.keys > MAX_SKEWED_KEYS {
            return Err(InputError::new(
                f("keys"),
                format!("at most {MAX_SKEWED_KEYS} keys with a key_skew"),
            ));
        }
        let shape = match self.shape {
            RateShape::Flat => Shape::Flat,
            RateShape::Bursty { on_s, off_s } => {
                let on = duration(&f("shape.on_s"), on_s, Unit::Seconds, false)?;
                let off = duration(&f("shape.off_s"), off_s, Unit::Seconds, true)?;
                if on < 1 {
                    // Below half a µs the on-phase rounds to nothing: no instant is "on".
                    return Err(InputError::new(
                        f("shape.on_s"),
                        format!(
                            "must be at least 0.000001 s (1 µs), got {}",
                            crate::error::show(on_s)
                        ),
                    ));
                }
                Shape::Bursty {
                    period: on + off,
                    on,
                    boost: (on + off) as f64 / on as f64,
                }
            }
            RateShape::Diurnal {
                amplitude,
                peak_hour_utc,
            } => {
                if !(0.0..=1.0).contains(&amplitude) {
                    return Err(InputError::new(
                        f("shape.amplitude"),
                        format!("must be in [0, 1], got {amplitude}"),
                    ));
                }
                if !(0.0..24.0).contains(&peak_hour_utc) {
                    return Err(InputError::new(
                        f("shape.peak_hour_utc"),
                        format!("must be in [0, 24), got {peak_hour_utc}"),
                    ));
                }
                Shape::Diurnal {
                    amplitude,
                    peak: secs_to_micros(peak_hour_utc * 3600.0),
                }
            }
        };
        if self.idle.len() > MAX_IDLE_PERIODS {
            return Err(InputError::new(
                f("idle"),
                format!("{} idle periods; at most {MAX_IDLE_PERIODS}", self.idle.len()),
            ));
        }
        let mut idle = Vec::with_capacity(self.idle.len());
        for (i, p) in self.idle.iter().enumerate() {
            let from = duration(&f(&format!("idle[{i}].from_s")), p.from_s, Unit::Seconds, true)?;
            let to = duration(&f(&format!("idle[{i}].to_s")), p.to_s, Unit::Seconds, true)?;
            if to <= from {
                return Err(InputError::new(
                    f(&format!("idle[{i}].to_s")),
                    format!("must be after from_s ({})", p.from_s),
                ));
            }
            idle.push((start + from, start + to));
        }
        idle.sort_unstable();
        let mut merged: Vec<(Micros, Micros)> = Vec::new();
        for (a, b) in idle {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        validate_lateness(&self.lateness, &f("lateness"))?;
        if let ValueSpec::Uniform { min, max } = self.value {
            if max < min {
                return Err(InputError::new(
                    f("value.max"),
                    format!("must be ≥ min ({min}), got {max}"),
                ));
            }
            if min == crate::operator::NULL_VALUE {
                return Err(InputError::new(f("value.min"), "i64::MIN is reserved for null"));
            }
        }
        if let Some(o) = self.offline {
            if !(0.0..=1.0).contains(&o.fraction) {
                return Err(InputError::new(
                    f("offline.fraction"),
                    format!("must be in [0, 1], got {}", o.fraction),
                ));
            }
            duration(&f("offline.min_s"), o.min_s, Unit::Seconds, true)?;
            duration(&f("offline.max_s"), o.max_s, Unit::Seconds, true)?;
            if o.max_s < o.min_s {
                return Err(InputError::new(
                    f("offline.max_s"),
                    format!("must be ≥ min_s ({})", o.min_s),
                ));
            }
        }
        let mut row_bytes = self.row_bytes;
        let (explicit, key_names) = match (&self.events, &self.data) {
            (Some(_), Some(_)) => {
                return Err(InputError::new(f("data"), "give events or data, not both"));
            }
            (Some(events), None) => {
                let (e, k) = explicit_events(events, &f("events"))?;
                (Some(e), Some(k))
            }
            (None, Some(d)) => {
                let l = loaded.ok_or_else(|| {
                    InputError::new(
                        f("data"),
                        format!("the file '{}' was not given to the simulator", d.file),
                    )
                })?;
                if l.spec != *d {
                    return Err(InputError::new(
                        f("data"),
                        format!(
                            "the file '{}' was loaded with another mapping; load it again",
                            d.file
                        ),
                    ));
                }
                if let Some(m) = l.stats.mean_size_bytes {
                    row_bytes = (m.round() as u32).max(1);
                }
                (Some(l.events.clone()), Some(l.key_names.clone()))
            }
            (None, None) => (None, None),
        };
        let (start, duration_s) = match &explicit {
            Some(e) if !e.is_empty() => {
                let first = e[0].1;
                let last = e[e.len() - 1].1;
                (first, ((last - first) as f64 / 1e6).max(1e-6))
            }
            _ => (start, duration_s),
        };
        let zipf_cdf = (skew > 0.0 && explicit.is_none()).then(|| {
            let mut acc = 0.0;
            let mut cdf: Vec<f64> = (1..=self.keys)
                .map(|k| {
                    acc += libm::pow(k as f64, -skew);
                    acc
                })
                .collect();
            for c in &mut cdf {
                *c /= acc;
            }
            Arc::from(cdf)
        });
        let gap_us = match &explicit {
            Some(e) => duration_s * 1e6 / e.len().max(1) as f64,
            None => 1e6 / rate,
        };
        Ok(Workload {
            start,
            end: start
                + if explicit.is_some() {
                    secs_to_micros(duration_s)
                } else {
                    duration_us
                },
            gap_us,
            arrivals: self.arrivals,
            shape,
            idle: merged,
            keys: self.keys,
            zipf_cdf,
            row_bytes,
            lateness: self.lateness,
            offline: self.offline,
            explicit,
            key_names,
            value: self.value,
        })
    }
}

type ExplicitParsed = (Arc<[GivenEvent]>, Arc<[String]>);

fn explicit_events(events: &[ExplicitEvent], field: &str) -> Result<ExplicitParsed, InputError> {
    if events.len() > MAX_EXPLICIT_EVENTS {
        return Err(InputError::new(
            field,
            format!(
                "{} events; at most {MAX_EXPLICIT_EVENTS} fit in a scenario",
                events.len()
            ),
        ));
    }
    let mut names: Vec<String> = Vec::new();
    let mut index: std::collections::BTreeMap<&str, u32> = std::collections::BTreeMap::new();
    let mut out = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        let time = |name: &str, v: &str| {
            parse_rfc3339(v).ok_or_else(|| {
                InputError::new(
                    format!("{field}[{i}].{name}"),
                    format!("'{v}' is not an RFC 3339 time"),
                )
            })
        };
        let et = time("event_time", &e.event_time)?;
        let arrival = e.arrival.as_deref().map(|a| time("arrival", a)).transpose()?;
        if arrival.is_some_and(|a| a < et) {
            return Err(InputError::new(
                format!("{field}[{i}].arrival"),
                "must not be before event_time",
            ));
        }
        let next = names.len() as u32;
        let key = *index.entry(e.key.as_str()).or_insert_with(|| {
            names.push(e.key.clone());
            next
        });
        let value = match e.value {
            Some(crate::operator::NULL_VALUE) => {
                return Err(InputError::new(
                    format!("{field}[{i}].value"),
                    "i64::MIN is reserved for null",
                ));
            }
            Some(v) => v,
            None => crate::operator::NULL_VALUE,
        };
        out.push((key, et, arrival, value));
    }
    // Event-time order gives the ids; ties keep input order (a stable sort).
    out.sort_by_key(|&(_, et, _, _)| et);
    Ok((Arc::from(out), Arc::from(names)))
}

fn validate_lateness(l: &Lateness, field: &str) -> Result<(), InputError> {
    let f = |n: &str| format!("{field}.{n}");
    match *l {
        Lateness::None => {}
        Lateness::Fixed { s } => {
            duration(&f("s"), s, Unit::Seconds, true)?;
        }
        Lateness::Uniform { min_s, max_s } => {
            duration(&f("min_s"), min_s, Unit::Seconds, true)?;
            duration(&f("max_s"), max_s, Unit::Seconds, true)?;
            if max_s < min_s {
                return Err(InputError::new(
                    f("max_s"),
                    format!("must be ≥ min_s ({min_s}), got {max_s}"),
                ));
            }
        }
        Lateness::Exponential { mean_s } => {
            duration(&f("mean_s"), mean_s, Unit::Seconds, false)?;
        }
        Lateness::LogNormal { median_s, sigma } => {
            duration(&f("median_s"), median_s, Unit::Seconds, false)?;
            non_negative(&f("sigma"), sigma)?;
            if sigma > 5.0 {
                return Err(InputError::new(
                    f("sigma"),
                    format!("at most 5 (heavier tails overflow), got {sigma}"),
                ));
            }
        }
    }
    Ok(())
}

impl Workload {
    /// Whether the events are given (explicit or loaded), not generated.
    pub fn is_given(&self) -> bool {
        self.explicit.is_some()
    }

    /// A bound on the lateness the model draws, µs: exact for none, fixed, uniform and the
    /// offline tail; for the exponential, 40 means (a draw beyond has probability e^-40 ≈
    /// 4e-18); for the log-normal, 9 sigmas (≈ 1e-19); never above [`MAX_DURATION_S`].
    pub fn lateness_bound_us(&self) -> Micros {
        self.main_lateness_bound_us().max(self.offline_bound_us())
    }

    /// A bound on the last arrival, µs (see [`Workload::lateness_bound_us`]).
    pub fn last_arrival_bound(&self) -> Micros {
        let late = self.lateness_bound_us();
        match &self.explicit {
            Some(e) => e
                .iter()
                .map(|&(_, et, arrival, _)| arrival.unwrap_or(et.saturating_add(late)))
                .max()
                .unwrap_or(self.end),
            None => self.end.saturating_add(late),
        }
    }

    /// A bound on the events the workload generates, for the budget: the mean count with
    /// the rate shape's boost where the workload is shorter than its period (a bursty
    /// workload shorter than one on/off period is all "on" at rate × period ÷ on), the
    /// diurnal peak for a diurnal one. Idle periods are not subtracted.
    pub fn events_bound(&self) -> f64 {
        if let Some(e) = &self.explicit {
            return e.len() as f64;
        }
        let span = (self.end - self.start).max(0);
        match self.shape {
            Shape::Flat => span as f64 / self.gap_us,
            Shape::Bursty { period, on, boost } => {
                let on_time = (span / period) as f64 * on as f64 + (span % period).min(on) as f64;
                on_time * boost / self.gap_us
            }
            Shape::Diurnal { amplitude, .. } => span as f64 * (1.0 + amplitude) / self.gap_us,
        }
    }

    /// Mean number of events the workload generates (idle periods not subtracted).
    pub fn expected_events(&self) -> f64 {
        match &self.explicit {
            Some(e) => e.len() as f64,
            None => (self.end - self.start) as f64 / self.gap_us,
        }
    }

    /// Thins the generated stream to one event in `k` (`scale.rs`): the mean gap × k.
    pub(crate) fn thin(&mut self, k: u64) {
        debug_assert!(self.explicit.is_none(), "given events are never thinned");
        self.gap_us *= k as f64;
    }

    /// The probability of each key of the generator, in key order.
    pub(crate) fn key_probabilities(&self) -> impl Iterator<Item = f64> + '_ {
        let n = self.keys.max(1);
        (0..n).map(move |i| match &self.zipf_cdf {
            Some(cdf) => {
                let total = cdf[cdf.len() - 1];
                let below = if i == 0 { 0.0 } else { cdf[i as usize - 1] };
                (cdf[i as usize] - below) / total
            }
            None => 1.0 / f64::from(n),
        })
    }

    /// Whether event times are a Poisson process (not evenly spaced).
    pub(crate) fn is_poisson(&self) -> bool {
        self.arrivals == Arrivals::Poisson
    }

    /// Mean gap between events at the mean rate, µs.
    pub(crate) fn gap_us(&self) -> f64 {
        self.gap_us
    }

    /// Total length of the idle periods inside [start, end), µs.
    pub(crate) fn idle_us(&self) -> Micros {
        self.idle
            .iter()
            .map(|&(a, b)| (b.min(self.end) - a.max(self.start)).max(0))
            .sum()
    }

    /// Whether `t` falls in an idle period.
    #[inline]
    pub(crate) fn in_idle(&self, t: Micros) -> bool {
        if self.idle.is_empty() {
            return false;
        }
        let i = self.idle.partition_point(|&(from, _)| from <= t);
        i.checked_sub(1).is_some_and(|i| t < self.idle[i].1)
    }

    /// The offline tail's share of events (0 without one).
    pub(crate) fn offline_fraction(&self) -> f64 {
        self.offline.map_or(0.0, |o| o.fraction)
    }

    /// [`Workload::lateness_bound_us`] of the main distribution alone.
    pub(crate) fn main_lateness_bound_us(&self) -> Micros {
        lateness_us(match self.lateness {
            Lateness::None => 0.0,
            Lateness::Fixed { s } => s,
            Lateness::Uniform { max_s, .. } => max_s,
            Lateness::Exponential { mean_s } => mean_s * 40.0,
            Lateness::LogNormal { median_s, sigma } => median_s * libm::exp(sigma * 9.0),
        })
    }

    /// The offline tail's largest lateness, µs (0 without one).
    pub(crate) fn offline_bound_us(&self) -> Micros {
        lateness_us(self.offline.map_or(0.0, |o| o.max_s))
    }

    /// A lateness from the workload's mixture: the offline tail with its probability, else
    /// the main distribution.
    #[inline]
    pub(crate) fn draw_lateness(&self, rng: &mut SimRng) -> Micros {
        if let Some(o) = self.offline {
            if unit(rng) < o.fraction {
                return lateness_us(o.min_s + (o.max_s - o.min_s) * unit(rng));
            }
        }
        self.draw_main_lateness(rng)
    }

    /// A lateness from the main distribution.
    #[inline]
    pub(crate) fn draw_main_lateness(&self, rng: &mut SimRng) -> Micros {
        let s = match self.lateness {
            Lateness::None => 0.0,
            Lateness::Fixed { s } => s,
            Lateness::Uniform { min_s, max_s } => min_s + (max_s - min_s) * unit(rng),
            Lateness::Exponential { mean_s } => exp1(rng) * mean_s,
            Lateness::LogNormal { median_s, sigma } => median_s * libm::exp(sigma * normal(rng)),
        };
        lateness_us(s)
    }

    /// A lateness from the offline tail (uniform in [min_s, max_s]).
    pub(crate) fn draw_offline_lateness(&self, rng: &mut SimRng) -> Micros {
        let o = self.offline.expect("only called with an offline tail");
        lateness_us(o.min_s + (o.max_s - o.min_s) * unit(rng))
    }

    /// A key: uniform, or Zipf through the cumulative table.
    #[inline]
    pub(crate) fn draw_key(&self, rng: &mut SimRng) -> u32 {
        match &self.zipf_cdf {
            // Lemire's multiply-shift: uniform in [0, keys) without a division.
            None => ((u128::from(rng.next_u64()) * u128::from(self.keys)) >> 64) as u32,
            Some(cdf) => {
                let u = unit(rng);
                cdf.partition_point(|&c| c <= u).min(cdf.len() - 1) as u32
            }
        }
    }

    /// The `value` column of a generated event.
    #[inline]
    pub(crate) fn draw_value(&self, rng: &mut SimRng) -> i64 {
        match self.value {
            ValueSpec::Constant { v } => v,
            ValueSpec::Uniform { min, max } => {
                let span = (max as i128 - min as i128 + 1) as u128;
                (min as i128 + ((u128::from(rng.next_u64()) * span) >> 64) as i128) as i64
            }
        }
    }

    /// Rate multiplier at `t` (1 = the mean rate).
    pub(crate) fn multiplier(&self, t: Micros) -> f64 {
        match self.shape {
            Shape::Flat => 1.0,
            Shape::Bursty { period, on, boost } => {
                if (t - self.start).rem_euclid(period) < on {
                    boost
                } else {
                    0.0
                }
            }
            Shape::Diurnal { amplitude, peak } => {
                let phase = (t.rem_euclid(DAY) - peak) as f64 / DAY as f64;
                1.0 + amplitude * libm::cos(std::f64::consts::TAU * phase)
            }
        }
    }

    pub(crate) fn max_multiplier(&self) -> f64 {
        match self.shape {
            Shape::Flat => 1.0,
            Shape::Bursty { boost, .. } => boost,
            Shape::Diurnal { amplitude, .. } => 1.0 + amplitude,
        }
    }

    /// The first instant ≥ t outside idle periods and bursty silences.
    fn skip_silence(&self, mut t: f64) -> f64 {
        if self.idle.is_empty() && !matches!(self.shape, Shape::Bursty { .. }) {
            return t;
        }
        loop {
            // Past the end no event is made: nothing to skip (and no endless walk).
            if t.is_nan() || t >= self.end as f64 {
                return t;
            }
            let ti = floor_us(t);
            // The idle periods are sorted and disjoint: the last one starting at or before ti.
            let i = self.idle.partition_point(|&(from, _)| from <= ti);
            if let Some(&(_, to)) = i
                .checked_sub(1)
                .and_then(|i| self.idle.get(i))
                .filter(|p| ti < p.1)
            {
                t = to as f64;
                continue;
            }
            if let Shape::Bursty { period, on, .. } = self.shape {
                let into = (ti - self.start).rem_euclid(period);
                if into >= on {
                    t = (ti - into + period) as f64;
                    continue;
                }
            }
            return t;
        }
    }
}

/// The generator's named RNG: xoshiro256++ (Blackman & Vigna, 2019; `rand_xoshiro`), seeded
/// from the scenario's seed through SplitMix64 (`seed_from_u64`). Small state, no tables,
/// the same stream on every target.
pub type SimRng = rand_xoshiro::Xoshiro256PlusPlus;

pub(crate) use crate::sampler::{exp1, normal, unit};

/// ⌊t⌋ for an instant in µs (a cast truncates toward zero; fix up before 1970).
#[inline]
pub(crate) fn floor_us(t: f64) -> Micros {
    let i = t as Micros;
    if (i as f64) > t { i - 1 } else { i }
}

/// Non-negative seconds to whole µs, rounded (the hot-path twin of `secs_to_micros`).
/// A draw beyond [`MAX_DURATION_S`] (a log-normal's far tail) is held there, so that
/// `event time + lateness` never overflows.
fn lateness_us(s: f64) -> Micros {
    (s.min(MAX_DURATION_S) * 1e6 + 0.5) as Micros
}

/// Events of a workload in arrival order (ties by id). Cloning it is cheap (RNG state,
/// the generator's state and one buffer) and the clone yields the same events.
///
/// Generated events come from one of two generators, both exact for the model:
/// `arrival_process.rs` draws Poisson events directly in arrival order (flat and diurnal
/// shapes, mild bursts and idle periods); the event-time-order generator below, with
/// `arrival_order.rs` re-sorting by arrival, serves evenly spaced events and spiky shapes.
#[derive(Debug, Clone)]
pub struct EventStream {
    w: Workload,
    rng: SimRng,
    mode: Mode,
    /// Events made and not handed out yet: `buf[pos..]`.
    buf: Vec<Event>,
    pos: usize,
    next_id: u64,
}

#[derive(Debug, Clone)]
enum Mode {
    /// Explicit events in arrival order, and the next one to hand out.
    Explicit(Arc<[Event]>, usize),
    Direct(crate::arrival_process::DirectArrivals),
    Sorted(Sorted),
}

/// The event-time-order generator's state.
#[derive(Debug, Clone)]
struct Sorted {
    /// Event time of the next event to generate, µs (fractional, to keep the rate exact).
    next_time: f64,
    in_flight: ArrivalOrder,
    /// Draws in a row that did not move `next_time` (see `advance_time`).
    stalled: u32,
}

/// Draws in a row that may leave the event clock where it was before it is moved on.
const MAX_STALLED_DRAWS: u32 = 64;

/// Events made per refill of the stream's buffer.
const FILL: usize = 4096;

impl EventStream {
    pub fn new(w: Workload, seed: u64) -> Self {
        let mut rng = SimRng::seed_from_u64(seed);
        let mode = if let Some(given) = w.explicit.clone() {
            let mut events: Vec<Event> = given
                .iter()
                .enumerate()
                .map(|(id, &(key, event_time, arrival, value))| {
                    let arrival = arrival.unwrap_or_else(|| event_time + w.draw_lateness(&mut rng));
                    Event {
                        id: id as u64,
                        key,
                        event_time,
                        arrival,
                        value,
                    }
                })
                .collect();
            events.sort_unstable_by_key(|e| (e.arrival, e.id));
            Mode::Explicit(Arc::from(events), 0)
        } else if crate::arrival_process::worth_it(&w) {
            Mode::Direct(crate::arrival_process::DirectArrivals::new(&w, &mut rng))
        } else {
            // The first event is at the workload's start (or the first instant after a silence).
            Mode::Sorted(Sorted {
                next_time: w.skip_silence(w.start as f64),
                in_flight: ArrivalOrder::default(),
                stalled: 0,
            })
        };
        Self {
            w,
            rng,
            mode,
            buf: Vec::with_capacity(FILL),
            pos: 0,
            next_id: 0,
        }
    }

    /// Refills the buffer; false when the stream is over.
    fn refill(&mut self) -> bool {
        self.buf.clear();
        self.pos = 0;
        match &mut self.mode {
            Mode::Explicit(events, next) => {
                let to = (*next + FILL).min(events.len());
                self.buf.extend_from_slice(&events[*next..to]);
                *next = to;
            }
            Mode::Direct(d) => {
                d.fill(&self.w, &mut self.rng, &mut self.buf, FILL, &mut self.next_id);
            }
            Mode::Sorted(s) => {
                for _ in 0..FILL {
                    match s.next(&self.w, &mut self.rng, &mut self.next_id) {
                        Some(e) => self.buf.push(e),
                        None => break,
                    }
                }
            }
        }
        !self.buf.is_empty()
    }

    /// The events buffered and not handed out yet (possibly empty; [`EventStream::next`]
    /// refills). For a consumer that takes many at once.
    pub fn buffered(&self) -> &[Event] {
        &self.buf[self.pos..]
    }

    /// Marks the first `n` buffered events as handed out.
    pub fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.buf.len());
    }

    /// The next event without taking it.
    #[inline]
    pub fn peek(&mut self) -> Option<&Event> {
        if self.pos == self.buf.len() && !self.refill() {
            return None;
        }
        self.buf.get(self.pos)
    }
}

impl Sorted {
    /// Moves `next_time` to the next event: thinning against the peak rate keeps a
    /// Poisson process exact under a varying rate.
    fn advance_time(&mut self, w: &Workload, rng: &mut SimRng) {
        let max = w.max_multiplier();
        loop {
            let gap = match w.arrivals {
                Arrivals::Constant => w.gap_us / w.multiplier(self.next_time as Micros).max(1e-9),
                Arrivals::Poisson => exp1(rng) * w.gap_us / max,
            };
            let mut next = self.next_time + gap;
            if next <= self.next_time {
                // The gap is below the clock's float resolution (a quarter µs near 2024):
                // time would stand still. A run of such draws only happens at absurd peak
                // rates (a bursty 1 µs on-phase); then time moves on by one resolution step,
                // so that the stream always ends.
                self.stalled += 1;
                if self.stalled > MAX_STALLED_DRAWS {
                    next = self.next_time + self.next_time.abs().max(1.0) * f64::EPSILON;
                    self.stalled = 0;
                }
            } else {
                self.stalled = 0;
            }
            self.next_time = w.skip_silence(next);
            if w.arrivals == Arrivals::Constant
                || max == 1.0
                || self.next_time.is_nan()
                || self.next_time >= w.end as f64
            {
                return;
            }
            let m = w.multiplier(self.next_time as Micros);
            if m >= max || unit(rng) * max < m {
                return;
            }
        }
    }

    /// Generates one event into the in-flight heap; false when the workload is over.
    fn generate(&mut self, w: &Workload, rng: &mut SimRng, next_id: &mut u64) -> bool {
        let t = floor_us(self.next_time);
        if t >= w.end {
            return false;
        }
        let key = w.draw_key(rng);
        let arrival = t + w.draw_lateness(rng);
        let value = w.draw_value(rng);
        self.in_flight.push((arrival, *next_id, key, t, value));
        if self.in_flight.wants_seal() {
            self.in_flight.seal();
        }
        *next_id += 1;
        self.advance_time(w, rng);
        true
    }

    fn next(&mut self, w: &Workload, rng: &mut SimRng, next_id: &mut u64) -> Option<Event> {
        // Every later event has event time ≥ next_time and arrival ≥ its event time, and
        // every unsealed one arrives no earlier than the first unsealed event time: the
        // earliest sealed event is final once it arrives no later than both.
        loop {
            let frontier = self
                .in_flight
                .unsealed_from()
                .unwrap_or_else(|| floor_us(self.next_time));
            if self
                .in_flight
                .peek()
                .is_some_and(|(arrival, ..)| arrival <= frontier)
            {
                break;
            }
            if !self.generate(w, rng, next_id) {
                self.in_flight.seal();
                break;
            }
        }
        let (arrival, id, key, event_time, value) = self.in_flight.pop()?;
        Some(Event {
            id,
            key,
            event_time,
            arrival,
            value,
        })
    }
}

impl Iterator for EventStream {
    type Item = Event;

    #[inline]
    fn next(&mut self) -> Option<Event> {
        if self.pos == self.buf.len() && !self.refill() {
            return None;
        }
        let e = self.buf[self.pos];
        self.pos += 1;
        Some(e)
    }
}

crate::read_tagged!(ValueSpec {
    "constant" => Constant { v: req },
    "uniform" => Uniform { min: req, max: req },
});
crate::read_names!(Arrivals { "constant" => Constant, "poisson" => Poisson });
crate::read_tagged!(RateShape {
    "flat" => Flat,
    "bursty" => Bursty { on_s: req, off_s: req },
    "diurnal" => Diurnal { amplitude: req, peak_hour_utc: req },
});
crate::read_tagged!(Lateness {
    "none" => None,
    "fixed" => Fixed { s: req },
    "uniform" => Uniform { min_s: req, max_s: req },
    "exponential" => Exponential { mean_s: req },
    "log_normal" => LogNormal { median_s: req, sigma: req },
});
crate::read_struct!(OfflineTail {
    fraction: req,
    min_s: req,
    max_s: req
});
crate::read_struct!(Idle {
    from_s: req,
    to_s: req
});
crate::read_struct!(ExplicitEvent {
    key: req,
    event_time: req,
    arrival: opt,
    value: opt
});
crate::read_defaults!(WorkloadSpec {
    events,
    data,
    start,
    duration_s,
    rate_per_s,
    arrivals,
    shape,
    idle,
    keys,
    key_skew,
    row_bytes,
    lateness,
    offline,
    value,
    scale,
});

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> WorkloadSpec {
        WorkloadSpec {
            duration_s: 100.0,
            rate_per_s: 20.0,
            ..WorkloadSpec::default()
        }
    }

    fn events(s: &WorkloadSpec, seed: u64) -> Vec<Event> {
        EventStream::new(s.validate("workload", None).unwrap(), seed).collect()
    }

    #[test]
    fn arrival_order_and_seeded() {
        let w = spec().validate("workload", None).unwrap();
        let a = events(&spec(), 7);
        assert_eq!(a, events(&spec(), 7));
        assert_ne!(a, events(&spec(), 8));
        assert!(
            a.windows(2)
                .all(|p| (p[0].arrival, p[0].id) < (p[1].arrival, p[1].id))
        );
        assert!(
            a.iter()
                .all(|e| e.arrival >= e.event_time && e.event_time < w.end && e.key < 10)
        );
        // Poisson at 20/s over 100 s: 2 000 ± a few sigma (sigma ≈ 45)
        assert!((1800..2200).contains(&a.len()), "{}", a.len());
        let mut ids: Vec<u64> = a.iter().map(|e| e.id).collect();
        ids.sort_unstable();
        assert_eq!(ids, (0..a.len() as u64).collect::<Vec<_>>());
    }

    #[test]
    fn constant_rate_is_exact() {
        let s = WorkloadSpec {
            arrivals: Arrivals::Constant,
            lateness: Lateness::None,
            ..spec()
        };
        assert_eq!(events(&s, 1).len(), 2000);
    }

    #[test]
    fn bursty_and_idle_leave_silences() {
        let s = WorkloadSpec {
            duration_s: 1000.0,
            shape: RateShape::Bursty {
                on_s: 10.0,
                off_s: 30.0,
            },
            idle: vec![Idle {
                from_s: 500.0,
                to_s: 600.0,
            }],
            lateness: Lateness::None,
            ..spec()
        };
        let w = s.validate("w", None).unwrap();
        let ev = events(&s, 3);
        for e in &ev {
            let off = (e.event_time - w.start) / 1_000_000;
            assert!(off % 40 < 10, "event in a silence at {off} s");
            assert!(!(500..600).contains(&off), "event in the idle period at {off} s");
        }
        // mean rate kept over the on/off cycle: 20/s × (1000 − 100 idle) s ≈ 18 000 (−idle)
        assert!((16_000..19_500).contains(&ev.len()), "{}", ev.len());
    }

    #[test]
    fn diurnal_peaks_at_its_hour() {
        let s = WorkloadSpec {
            duration_s: 86_400.0,
            rate_per_s: 1.0,
            shape: RateShape::Diurnal {
                amplitude: 0.9,
                peak_hour_utc: 14.0,
            },
            lateness: Lateness::None,
            ..spec()
        };
        let ev = events(&s, 5);
        let hour = |h: i64| {
            ev.iter()
                .filter(|e| (e.event_time / 3_600_000_000).rem_euclid(24) == h)
                .count()
        };
        assert!(hour(14) > 5 * hour(2), "peak {} vs trough {}", hour(14), hour(2));
        assert!((80_000..93_000).contains(&ev.len()), "{}", ev.len());
    }

    #[test]
    fn zipf_keys_are_skewed() {
        let s = WorkloadSpec {
            keys: 100,
            key_skew: 1.2,
            ..spec()
        };
        let ev = events(&s, 2);
        let k0 = ev.iter().filter(|e| e.key == 0).count();
        let k50 = ev.iter().filter(|e| e.key == 50).count();
        assert!(k0 > 20 * k50.max(1), "{k0} vs {k50}");
        assert!(ev.iter().all(|e| e.key < 100));
    }

    #[test]
    fn lognormal_median_and_offline_tail() {
        let s = WorkloadSpec {
            duration_s: 1000.0,
            lateness: Lateness::LogNormal {
                median_s: 4.0,
                sigma: 1.0,
            },
            offline: Some(OfflineTail {
                fraction: 0.01,
                min_s: 3600.0,
                max_s: 7200.0,
            }),
            ..spec()
        };
        let ev = events(&s, 4);
        let mut late: Vec<i64> = ev.iter().map(|e| e.arrival - e.event_time).collect();
        late.sort_unstable();
        let median = late[late.len() / 2] as f64 / 1e6;
        assert!((3.6..4.4).contains(&median), "{median}");
        let offline = late.iter().filter(|&&l| l >= 3_600_000_000).count() as f64 / late.len() as f64;
        assert!((0.006..0.014).contains(&offline), "{offline}");
    }

    #[test]
    fn explicit_events_in_arrival_order_with_dense_ids() {
        let json = r#"{"events": [
            {"key": "b", "event_time": "2024-01-01T00:00:10Z", "arrival": "2024-01-01T00:00:11Z"},
            {"key": "a", "event_time": "2024-01-01T00:00:05Z", "arrival": "2024-01-01T00:00:30Z"},
            {"key": "b", "event_time": "2024-01-01T00:00:07Z"}
        ], "lateness": {"kind": "fixed", "s": 2}}"#;
        let s: WorkloadSpec = crate::input::from_str(json).unwrap();
        let w = s.validate("workload", None).unwrap();
        assert_eq!(
            w.key_names.as_deref().map(|k| k.to_vec()),
            Some(vec!["b".to_string(), "a".to_string()])
        );
        let ev: Vec<Event> = EventStream::new(w, 1).collect();
        let t0 = parse_rfc3339("2024-01-01T00:00:00Z").unwrap();
        let got: Vec<(u64, u32, i64, i64)> = ev
            .iter()
            .map(|e| {
                (
                    e.id,
                    e.key,
                    (e.event_time - t0) / 1_000_000,
                    (e.arrival - t0) / 1_000_000,
                )
            })
            .collect();
        // ids by event time: a@5 → 0, b@7 → 1, b@10 → 2; b@7 arrives at 7 + 2 s
        assert_eq!(got, vec![(1, 0, 7, 9), (2, 0, 10, 11), (0, 1, 5, 30)]);
        let bad: WorkloadSpec = crate::input::from_str(
            r#"{"events": [{"key": "a", "event_time": "2024-01-01T00:00:05Z", "arrival": "2024-01-01T00:00:01Z"}]}"#,
        )
        .unwrap();
        assert_eq!(
            bad.validate("workload", None).unwrap_err().field,
            "workload.events[0].arrival"
        );
    }

    #[test]
    fn validation_names_fields() {
        let bad = |s: WorkloadSpec| s.validate("workload", None).unwrap_err().field;
        assert_eq!(
            bad(WorkloadSpec {
                rate_per_s: -3.0,
                ..spec()
            }),
            "workload.rate_per_s"
        );
        assert_eq!(
            bad(WorkloadSpec {
                start: "yesterday".into(),
                ..spec()
            }),
            "workload.start"
        );
        assert_eq!(
            bad(WorkloadSpec {
                lateness: Lateness::Uniform {
                    min_s: 5.0,
                    max_s: 1.0
                },
                ..spec()
            }),
            "workload.lateness.max_s"
        );
        assert_eq!(
            bad(WorkloadSpec {
                shape: RateShape::Diurnal {
                    amplitude: 2.0,
                    peak_hour_utc: 1.0
                },
                ..spec()
            }),
            "workload.shape.amplitude"
        );
        assert_eq!(
            bad(WorkloadSpec {
                idle: vec![Idle {
                    from_s: 5.0,
                    to_s: 5.0
                }],
                ..spec()
            }),
            "workload.idle[0].to_s"
        );
        assert_eq!(
            bad(WorkloadSpec {
                offline: Some(OfflineTail {
                    fraction: 1.5,
                    min_s: 0.0,
                    max_s: 1.0
                }),
                ..spec()
            }),
            "workload.offline.fraction"
        );
        assert_eq!(
            bad(WorkloadSpec {
                key_skew: f64::NAN,
                ..spec()
            }),
            "workload.key_skew"
        );
        let e = crate::scenario::ScenarioSpec::from_json(
            r#"{"seed": 1, "workload": {"rate_per_s": 1e9, "duration_s": 86400}}"#,
        )
        .unwrap_err();
        assert_eq!(e.field, "workload.rate_per_s");
        assert!(e.message.contains("at most 10000000"), "{e}");
        // The exact engine's event limit is the budget's (checked with the whole
        // scenario); `auto` scales beyond it, an exact run is refused.
        let e = crate::scenario::ScenarioSpec::from_json(
            r#"{"seed": 1, "workload": {"rate_per_s": 1e4, "duration_s": 86400, "scale": 1}}"#,
        )
        .unwrap_err();
        assert_eq!(e.field, "workload.rate_per_s");
        assert!(e.message.contains("at most 200000000"), "{e}");
        let sc = crate::scenario::ScenarioSpec::from_json(
            r#"{"seed": 1, "workload": {"rate_per_s": 1e7, "duration_s": 86400}}"#,
        )
        .unwrap();
        assert_eq!(sc.scale, 108_000);
    }
}
