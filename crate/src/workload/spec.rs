//! The workload model and its validation: how many events, at what rate and rate shape
//! (flat, bursty on/off, diurnal) with idle periods, which keys (uniform or Zipf), which
//! values, and how late they arrive (a lateness distribution plus an optional "offline
//! device" tail); or given events (explicit in the scenario, or loaded from a file).
//! [`Workload`] is the validated model in µs and its draws; the stream that uses them is
//! `stream.rs`.
//!
//! Determinism across targets: the draws take the one named RNG ([`SimRng`]) and samplers
//! whose transcendental functions come from the pure-Rust `libm` crate (`sampler.rs`).

use crate::base::error::{InputError, MAX_DURATION_S, Unit, duration, non_negative, positive};
use crate::base::number::{display, fixed};
use crate::base::time::{Micros, parse_rfc3339, secs_to_micros};
use crate::workload::event::{GivenEvent, MAX_EXPLICIT_EVENTS};
use crate::workload::sampler::{Exp1, SimRng, below, exp1, normal, unit};
use rand_core::RngCore;
use serde::Serialize;
use std::sync::Arc;

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
    pub data: Option<crate::workload::loader::DataSpec>,
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
    #[serde(skip_serializing_if = "crate::workload::scale_spec::ScaleSpec::is_auto")]
    pub scale: crate::workload::scale_spec::ScaleSpec,
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
            scale: crate::workload::scale_spec::ScaleSpec::Auto,
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
    pub(crate) gap_us: f64,
    pub(crate) arrivals: Arrivals,
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
    pub(crate) explicit: Option<Arc<[GivenEvent]>>,
    /// Names of the explicit events' keys, by key index.
    pub key_names: Option<Arc<[String]>>,
    value: ValueSpec,
}

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
    /// Validates the workload; `loaded` is `data`'s file, read by [`crate::workload::loader::load`].
    pub fn validate(
        &self,
        field: &str,
        loaded: Option<&crate::workload::loader::Loaded>,
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
                    crate::base::error::show(rate)
                ),
            ));
        }
        if rate > MAX_RATE_PER_S {
            return Err(InputError::new(
                f("rate_per_s"),
                format!(
                    "must be at most {} events/s, got {}",
                    fixed(MAX_RATE_PER_S, 0),
                    crate::base::error::show(rate)
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
                            crate::base::error::show(on_s)
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
                        format!("must be in [0, 1], got {}", display(amplitude)),
                    ));
                }
                if !(0.0..24.0).contains(&peak_hour_utc) {
                    return Err(InputError::new(
                        f("shape.peak_hour_utc"),
                        format!("must be in [0, 24), got {}", display(peak_hour_utc)),
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
                    format!("must be after from_s ({})", display(p.from_s)),
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
            if min == crate::workload::event::NULL_VALUE {
                return Err(InputError::new(f("value.min"), "i64::MIN is reserved for null"));
            }
        }
        if let Some(o) = self.offline {
            if !(0.0..=1.0).contains(&o.fraction) {
                return Err(InputError::new(
                    f("offline.fraction"),
                    format!("must be in [0, 1], got {}", display(o.fraction)),
                ));
            }
            duration(&f("offline.min_s"), o.min_s, Unit::Seconds, true)?;
            duration(&f("offline.max_s"), o.max_s, Unit::Seconds, true)?;
            if o.max_s < o.min_s {
                return Err(InputError::new(
                    f("offline.max_s"),
                    format!("must be ≥ min_s ({})", display(o.min_s)),
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
            Some(crate::workload::event::NULL_VALUE) => {
                return Err(InputError::new(
                    format!("{field}[{i}].value"),
                    "i64::MIN is reserved for null",
                ));
            }
            Some(v) => v,
            None => crate::workload::event::NULL_VALUE,
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
                    format!("must be ≥ min_s ({}), got {}", display(min_s), display(max_s)),
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
                    format!("at most 5 (heavier tails overflow), got {}", display(sigma)),
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

    /// [`Workload::draw_lateness`] as one call: for the generators off the hot loop (the
    /// direct generator's loop inlines it; a copy at each call site would only grow the
    /// page's wasm).
    #[inline(never)]
    pub(crate) fn draw_lateness_call(&self, rng: &mut SimRng) -> Micros {
        self.draw_lateness(rng)
    }

    /// A lateness from the workload's mixture: the offline tail with its probability, else
    /// the main distribution.
    #[inline(always)]
    pub(crate) fn draw_lateness(&self, rng: &mut SimRng) -> Micros {
        if let Some(late) = self.offline.and_then(|o| o.draw(rng)) {
            return late;
        }
        self.draw_main_lateness(rng)
    }

    /// The draws of the common case, when they apply: exponential main lateness (with or
    /// without the offline tail), uniform keys and a constant value. They draw what
    /// [`Self::draw_lateness`], [`Self::draw_key`] and [`Self::draw_value`] draw, with
    /// nothing to match per call.
    pub(crate) fn exp_draws(&self) -> Option<ExpDraws> {
        match (self.lateness, &self.zipf_cdf, self.value) {
            (Lateness::Exponential { mean_s }, None, ValueSpec::Constant { v }) => Some(ExpDraws {
                mean_s,
                offline: self.offline,
                keys: self.keys,
                value: v,
            }),
            _ => None,
        }
    }

    /// A lateness from the main distribution. Always inlined: out of line it took 20 % of
    /// a run natively (perf) and the page's day run took 3.5 s instead of 3.1 s.
    #[inline(always)]
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
        o.lateness(rng)
    }

    /// A key: uniform, or Zipf through the cumulative table.
    #[inline]
    pub(crate) fn draw_key(&self, rng: &mut SimRng) -> u32 {
        match &self.zipf_cdf {
            None => below(rng.next_u64(), self.keys),
            Some(cdf) => {
                let u = unit(rng);
                cdf.partition_point(|&c| c <= u).min(cdf.len() - 1) as u32
            }
        }
    }

    /// The `value` column of a generated event.
    #[inline(always)]
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
                1.0 + amplitude * crate::base::turns::cos_turns(phase)
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
    pub(crate) fn skip_silence(&self, mut t: f64) -> f64 {
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

/// ⌊t⌋ for an instant in µs (a cast truncates toward zero; fix up before 1970).
#[inline]
pub(crate) fn floor_us(t: f64) -> Micros {
    let i = t as Micros;
    if (i as f64) > t { i - 1 } else { i }
}

impl OfflineTail {
    /// The offline tail's share of the mixture: with probability `fraction` a lateness
    /// from the tail, else None (one uniform drawn either way).
    #[inline(always)]
    fn draw(self, rng: &mut SimRng) -> Option<Micros> {
        (unit(rng) < self.fraction).then(|| self.lateness(rng))
    }

    /// A lateness from the tail: uniform in [min_s, max_s].
    #[inline(always)]
    fn lateness(self, rng: &mut SimRng) -> Micros {
        lateness_us(self.min_s + (self.max_s - self.min_s) * unit(rng))
    }
}

/// [`Workload::exp_draws`]: exponential lateness (and the offline tail), uniform keys, a
/// constant value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ExpDraws {
    mean_s: f64,
    offline: Option<OfflineTail>,
    keys: u32,
    /// Every event's value.
    pub(crate) value: i64,
}

impl ExpDraws {
    /// [`Workload::draw_lateness`] for this case.
    #[inline(always)]
    pub(crate) fn lateness(&self, exp: Exp1, rng: &mut SimRng) -> Micros {
        if let Some(late) = self.offline.and_then(|o| o.draw(rng)) {
            return late;
        }
        self.main_lateness(exp, rng)
    }

    /// [`Self::lateness`] when there is no offline tail.
    #[inline(always)]
    pub(crate) fn main_lateness(&self, exp: Exp1, rng: &mut SimRng) -> Micros {
        lateness_us(exp.draw(rng) * self.mean_s)
    }

    pub(crate) fn has_offline(&self) -> bool {
        self.offline.is_some()
    }

    /// The number of keys (≥ 1): keys are drawn from `0..keys`.
    pub(crate) fn keys(&self) -> u32 {
        self.keys
    }

    /// [`Workload::draw_key`] for uniform keys.
    #[inline(always)]
    pub(crate) fn key(&self, rng: &mut SimRng) -> u32 {
        below(rng.next_u64(), self.keys)
    }
}

/// Non-negative seconds to whole µs, rounded (the hot-path twin of `secs_to_micros`).
/// A draw beyond [`MAX_DURATION_S`] (a log-normal's far tail) is held there, so that
/// `event time + lateness` never overflows.
#[inline(always)]
fn lateness_us(s: f64) -> Micros {
    // ≤ 20 years in µs + ½ < 2⁵²: within `trunc_small`'s range.
    let y = s.min(MAX_DURATION_S) * 1e6 + 0.5;
    if cfg!(target_arch = "wasm32") {
        trunc_small(y)
    } else {
        y as Micros
    }
}

/// 2⁵²: from it to 2⁵³ the floats are exactly the integers.
const TWO_52: f64 = 4_503_599_627_370_496.0;

/// `y as i64` (truncation) for `0 ≤ y < 2⁵²`, in plain float and integer steps: adding
/// 2⁵² rounds `y` to an integer (ties to even) whose bits, less 2⁵²'s, are that integer;
/// one less when it rounded up. The same value as the cast (tested); for wasm, where V8
/// compiles the saturating cast to a round, a convert, a convert back, a compare and a
/// branch: the hottest instructions of the page's generator loop (perf of V8's code).
#[inline(always)]
pub(crate) fn trunc_small(y: f64) -> Micros {
    debug_assert!((0.0..TWO_52).contains(&y), "{y} outside [0, 2^52)");
    let big = y + TWO_52;
    let n = (big.to_bits() - TWO_52.to_bits()) as Micros;
    n - Micros::from(big - TWO_52 > y)
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
    use super::{TWO_52, trunc_small};
    use crate::workload::sampler::{SimRng, unit};
    use rand_core::SeedableRng;

    /// `trunc_small` is the cast on [0, 2⁵²): integers, halves and their neighbours, the
    /// range's ends, and random values at every scale.
    #[test]
    fn trunc_small_is_the_cast() {
        let mut ys = vec![0.0, 0.5, 1.0, 1.5, 2.5, TWO_52 - 1.0, TWO_52 - 0.5, 6.3e14 + 0.5];
        for k in [1.0f64, 2.0, 3.0, 1e6, 123_456_789.0, 1.7e15, 4.5e15] {
            for y in [k, k + 0.5, k - 0.5, k + 0.25, k - 0.75] {
                ys.extend([
                    y,
                    f64::from_bits(y.to_bits() + 1),
                    f64::from_bits(y.to_bits() - 1),
                ]);
            }
        }
        let mut rng = SimRng::seed_from_u64(4);
        for _ in 0..200_000 {
            ys.push(unit(&mut rng) * libm::exp2(unit(&mut rng) * 52.0));
        }
        for y in ys.into_iter().filter(|y| (0.0..TWO_52).contains(y)) {
            assert_eq!(trunc_small(y), y as i64, "{y}");
        }
    }
}
