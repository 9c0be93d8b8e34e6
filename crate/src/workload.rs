//! The seeded event generator. Events are made in event-time order and handed out in
//! arrival order through a min-heap, so memory holds only the events still "in flight"
//! (generated but not yet arrived), never the whole stream.

use crate::error::{InputError, non_negative, positive};
use crate::time::{Micros, parse_rfc3339, secs_to_micros};
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// One generated event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// 0, 1, 2, … in event-time order.
    pub id: u64,
    pub key: u32,
    pub event_time: Micros,
    /// When the source makes it available to the query (processing time).
    pub arrival: Micros,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RateShape {
    /// Evenly spaced events.
    Constant,
    /// A Poisson process: exponential gaps with mean 1/rate.
    #[default]
    Poisson,
}

/// Arrival time − event time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Lateness {
    None,
    Fixed { s: f64 },
    Uniform { min_s: f64, max_s: f64 },
    Exponential { mean_s: f64 },
}

impl Default for Lateness {
    fn default() -> Self {
        Lateness::Exponential { mean_s: 5.0 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkloadSpec {
    /// First event time, RFC 3339. Default `2024-01-01T00:00:00Z`.
    pub start: String,
    /// Length of the stretch of event time generated, s. Default 600.
    pub duration_s: f64,
    /// Mean events per second. Default 50.
    pub rate_per_s: f64,
    pub shape: RateShape,
    /// Distinct keys, drawn uniformly. Default 10.
    pub keys: u32,
    pub lateness: Lateness,
}

impl Default for WorkloadSpec {
    fn default() -> Self {
        Self {
            start: "2024-01-01T00:00:00Z".into(),
            duration_s: 600.0,
            rate_per_s: 50.0,
            shape: RateShape::Poisson,
            keys: 10,
            lateness: Lateness::default(),
        }
    }
}

/// Largest event count one scenario may generate (a day at 1 000 events/s is 86.4 M).
pub const MAX_EVENTS: f64 = 200_000_000.0;

#[derive(Debug, Clone, Copy)]
pub struct Workload {
    pub start: Micros,
    pub end: Micros,
    /// Mean gap between events, in µs (fractional).
    gap_us: f64,
    shape: RateShape,
    keys: u32,
    lateness: Lateness,
}

impl WorkloadSpec {
    pub fn validate(&self, field: &str) -> Result<Workload, InputError> {
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
        let duration_s = positive(&f("duration_s"), self.duration_s)?;
        let rate = positive(&f("rate_per_s"), self.rate_per_s)?;
        if duration_s * rate > MAX_EVENTS {
            return Err(InputError::new(
                f("rate_per_s"),
                format!(
                    "{rate} events/s for {duration_s} s is {:.0} events; the limit is {MAX_EVENTS:.0}",
                    duration_s * rate
                ),
            ));
        }
        if self.keys == 0 {
            return Err(InputError::new(f("keys"), "must be at least 1"));
        }
        match self.lateness {
            Lateness::None => {}
            Lateness::Fixed { s } => {
                non_negative(&f("lateness.s"), s)?;
            }
            Lateness::Uniform { min_s, max_s } => {
                non_negative(&f("lateness.min_s"), min_s)?;
                non_negative(&f("lateness.max_s"), max_s)?;
                if max_s < min_s {
                    return Err(InputError::new(
                        f("lateness.max_s"),
                        format!("must be ≥ min_s ({min_s}), got {max_s}"),
                    ));
                }
            }
            Lateness::Exponential { mean_s } => {
                positive(&f("lateness.mean_s"), mean_s)?;
            }
        }
        Ok(Workload {
            start,
            end: start + secs_to_micros(duration_s),
            gap_us: 1e6 / rate,
            shape: self.shape,
            keys: self.keys,
            lateness: self.lateness,
        })
    }
}

impl Workload {
    /// Mean number of events the workload generates.
    pub fn expected_events(&self) -> f64 {
        (self.end - self.start) as f64 / self.gap_us
    }
}

/// Uniform in [0, 1) with 53 random bits.
fn unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Events of a workload in arrival order (ties by id). Cloning it is cheap (RNG state
/// and the in-flight heap) and the clone yields the same events.
#[derive(Debug, Clone)]
pub struct EventStream {
    w: Workload,
    rng: ChaCha8Rng,
    /// Event time of the next event to generate, µs (fractional, to keep the rate exact).
    next_time: f64,
    next_id: u64,
    in_flight: BinaryHeap<Reverse<(Micros, u64, u32, Micros)>>,
}

impl EventStream {
    pub fn new(w: Workload, seed: u64) -> Self {
        // The first event is at the workload's start.
        Self {
            w,
            rng: ChaCha8Rng::seed_from_u64(seed),
            next_time: w.start as f64,
            next_id: 0,
            in_flight: BinaryHeap::new(),
        }
    }

    fn advance_time(&mut self) {
        let gap = match self.w.shape {
            RateShape::Constant => self.w.gap_us,
            RateShape::Poisson => -(1.0 - unit(&mut self.rng)).ln() * self.w.gap_us,
        };
        self.next_time += gap;
    }

    fn lateness(&mut self) -> Micros {
        let s = match self.w.lateness {
            Lateness::None => 0.0,
            Lateness::Fixed { s } => s,
            Lateness::Uniform { min_s, max_s } => min_s + (max_s - min_s) * unit(&mut self.rng),
            Lateness::Exponential { mean_s } => -(1.0 - unit(&mut self.rng)).ln() * mean_s,
        };
        secs_to_micros(s)
    }

    /// Generates one event into the in-flight heap; false when the workload is over.
    fn generate(&mut self) -> bool {
        let t = self.next_time.floor() as Micros;
        if t >= self.w.end {
            return false;
        }
        let key = (self.rng.next_u64() % u64::from(self.w.keys)) as u32;
        let arrival = t + self.lateness();
        self.in_flight.push(Reverse((arrival, self.next_id, key, t)));
        self.next_id += 1;
        self.advance_time();
        true
    }
}

impl Iterator for EventStream {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        // Every later event has event time ≥ next_time and arrival ≥ its event time, so
        // the heap's head is final once it arrives no later than next_time.
        loop {
            match self.in_flight.peek() {
                Some(Reverse((arrival, ..))) if (*arrival as f64) <= self.next_time.floor() => break,
                _ => {
                    if !self.generate() {
                        break;
                    }
                }
            }
        }
        let Reverse((arrival, id, key, event_time)) = self.in_flight.pop()?;
        Some(Event {
            id,
            key,
            event_time,
            arrival,
        })
    }
}

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

    #[test]
    fn arrival_order_and_seeded() {
        let w = spec().validate("workload").unwrap();
        let a: Vec<Event> = EventStream::new(w, 7).collect();
        let b: Vec<Event> = EventStream::new(w, 7).collect();
        let c: Vec<Event> = EventStream::new(w, 8).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
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
            shape: RateShape::Constant,
            lateness: Lateness::None,
            ..spec()
        };
        let n = EventStream::new(s.validate("w").unwrap(), 1).count();
        assert_eq!(n, 2000);
    }

    #[test]
    fn validation_names_fields() {
        let s = WorkloadSpec {
            rate_per_s: -3.0,
            ..spec()
        };
        assert_eq!(s.validate("workload").unwrap_err().field, "workload.rate_per_s");
        let s = WorkloadSpec {
            start: "yesterday".into(),
            ..spec()
        };
        assert_eq!(s.validate("workload").unwrap_err().field, "workload.start");
        let s = WorkloadSpec {
            lateness: Lateness::Uniform {
                min_s: 5.0,
                max_s: 1.0,
            },
            ..spec()
        };
        assert_eq!(
            s.validate("workload").unwrap_err().field,
            "workload.lateness.max_s"
        );
        let s = WorkloadSpec {
            rate_per_s: 1e9,
            duration_s: 86400.0,
            ..spec()
        };
        assert!(s.validate("workload").unwrap_err().message.contains("limit"));
    }
}
