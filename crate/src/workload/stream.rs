//! The seeded event generator: the stream of the workload's events in arrival order
//! (the model it draws from is `spec.rs`). Poisson events are drawn directly in arrival order
//! (`arrival_process.rs`); evenly spaced ones and spiky shapes are made in event-time
//! order and re-sorted by arrival (`arrival_order.rs`). Either way memory holds a bounded
//! buffer and the events still "in flight", never the whole stream.
//!
//! Determinism across targets: one named RNG ([`SimRng`], xoshiro256++) and samplers whose
//! transcendental functions all come from the pure-Rust `libm` crate (`sampler.rs`), never
//! from the platform's C library, so native and wasm draw bit-identical events from the
//! same seed.

use crate::base::time::Micros;
use crate::workload::arrival_order::ArrivalOrder;
use crate::workload::event::{Event, RowSpan};
use crate::workload::sampler::unit;
use crate::workload::sampler::{SimRng, exp1};
use crate::workload::spec::floor_us;
use crate::workload::spec::{Arrivals, Workload};
use rand_core::SeedableRng;
use std::sync::Arc;

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
    Direct(crate::workload::arrival_process::DirectArrivals),
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
                    let arrival = arrival.unwrap_or_else(|| event_time + w.draw_lateness_call(&mut rng));
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
        } else if crate::workload::arrival_process::worth_it(&w) {
            Mode::Direct(crate::workload::arrival_process::DirectArrivals::new(
                &w, &mut rng,
            ))
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
                d.fill(
                    &self.w,
                    &mut self.rng,
                    &mut self.buf,
                    FILL,
                    Micros::MAX,
                    &mut self.next_id,
                    &mut None,
                );
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

    /// Takes into `out` up to `room` events that arrive by `bound`, in order: buffered ones
    /// if any, else (the buffer drained) the direct generator's, written straight into
    /// `out` with no copy through the buffer, else a refill's. Returns how many were taken
    /// (0: none left by `bound`); the stream goes on with the first event not taken, as if
    /// they had been taken one by one.
    pub fn take_into(&mut self, out: &mut Vec<Event>, bound: Micros, room: usize) -> usize {
        self.take_spanned(out, bound, room).0
    }

    /// [`Self::take_into`], with the span of the events taken (None when none were).
    pub fn take_spanned(
        &mut self,
        out: &mut Vec<Event>,
        bound: Micros,
        room: usize,
    ) -> (usize, Option<RowSpan>) {
        if self.pos == self.buf.len() {
            if let Mode::Direct(d) = &mut self.mode {
                let before = out.len();
                let mut span = None;
                d.fill(
                    &self.w,
                    &mut self.rng,
                    out,
                    room,
                    bound,
                    &mut self.next_id,
                    &mut span,
                );
                return (out.len() - before, span);
            }
            if !self.refill() {
                return (0, None);
            }
        }
        let buffered = &self.buf[self.pos..];
        let n = buffered.partition_point(|e| e.arrival <= bound).min(room);
        let taken = &buffered[..n];
        out.extend_from_slice(taken);
        self.pos += n;
        (n, RowSpan::of(taken))
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
        let arrival = t + w.draw_lateness_call(rng);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::time::parse_rfc3339;
    use crate::workload::spec::{Idle, Lateness, OfflineTail, RateShape, WorkloadSpec};

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

    /// Taking by bounds and room, through the buffer or straight from the direct generator,
    /// gives the stream's events in order, whatever the cuts; `peek` between takes too.
    #[test]
    fn take_into_cuts_the_same_stream() {
        let specs = [
            spec(),
            WorkloadSpec {
                lateness: Lateness::Exponential { mean_s: 3.0 },
                offline: Some(OfflineTail {
                    fraction: 0.05,
                    min_s: 20.0,
                    max_s: 40.0,
                }),
                ..spec()
            },
            WorkloadSpec {
                arrivals: Arrivals::Constant,
                ..spec()
            },
        ];
        for s in &specs {
            let want = events(s, 3);
            let mut st = EventStream::new(s.validate("workload", None).unwrap(), 3);
            let mut got = Vec::new();
            let mut bound = want[0].arrival - 1;
            for step in 0.. {
                let room = [7, 1, 500, usize::MAX][step % 4];
                let before = got.len();
                while got.len() - before < room {
                    let left = room - (got.len() - before);
                    let k = st.take_into(&mut got, bound, left);
                    if k == 0 {
                        break;
                    }
                }
                let n = got.len() - before;
                assert!(got[got.len() - n..].iter().all(|e| e.arrival <= bound));
                if step % 3 == 0 {
                    if let Some(e) = st.peek() {
                        assert!(e.arrival > bound || n > 0);
                    }
                }
                if got.len() == want.len() {
                    break;
                }
                bound += 1_700_000;
            }
            assert_eq!(got, want);
            assert_eq!(st.take_into(&mut got, i64::MAX, usize::MAX), 0);
        }
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
        let s: WorkloadSpec = crate::base::input::from_str(json).unwrap();
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
        let bad: WorkloadSpec = crate::base::input::from_str(
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
        let e = crate::scenario::spec::ScenarioSpec::from_json(
            r#"{"seed": 1, "workload": {"rate_per_s": 1e9, "duration_s": 86400}}"#,
        )
        .unwrap_err();
        assert_eq!(e.field, "workload.rate_per_s");
        assert!(e.message.contains("at most 10000000"), "{e}");
        // The exact engine's event limit is the budget's (checked with the whole
        // scenario); `auto` scales beyond it, an exact run is refused.
        let e = crate::scenario::spec::ScenarioSpec::from_json(
            r#"{"seed": 1, "workload": {"rate_per_s": 1e4, "duration_s": 86400, "scale": 1}}"#,
        )
        .unwrap_err();
        assert_eq!(e.field, "workload.rate_per_s");
        assert!(e.message.contains("at most 200000000"), "{e}");
        let sc = crate::scenario::spec::ScenarioSpec::from_json(
            r#"{"seed": 1, "workload": {"rate_per_s": 1e7, "duration_s": 86400}}"#,
        )
        .unwrap();
        assert_eq!(sc.scale, 108_000);
    }
}
