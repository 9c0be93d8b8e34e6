//! Generated events made directly in arrival order: no sort, no merge, no in-flight heap.
//!
//! The model (the workload's, unchanged): event times form a Poisson process of intensity
//! `λ·r(e)` on `[start, end)` — `λ` the mean rate, `r` the rate shape (1 when flat; the
//! bursty on/off or diurnal multiplier; 0 in idle periods and bursty silences) — and each
//! event arrives after an iid lateness `L` (the main distribution, or with probability
//! `offline.fraction` the offline tail). **The rate shape is defined on event time.**
//!
//! Rule used (the displacement and marking theorems of Poisson processes; e.g. Kingman,
//! *Poisson Processes*, 1993, §2.3 and §5.2): the pairs `(e, L)` are a Poisson process of
//! intensity `λ r(e) de dF(L)`. Split them by arrival `a = e + L`:
//! - **A, arrivals before `end`.** Candidate arrivals `a` at the constant rate `λ·max r` on
//!   `[start, end)`, each with an iid lateness `L ~ F`, are a Poisson process of intensity
//!   `λ max r · da · dF(L)`; with `e = a − L` it is `λ max r · de · dF(L)` on
//!   `{start ≤ e + L < end}`. Keeping a candidate with probability `r(e) / max r` (0 for
//!   `e < start`) leaves exactly the model's events that arrive before `end`, and they
//!   come out in arrival order because the candidates do.
//! - **B, arrivals at or after `end`** (the tail still in flight when event time stops).
//!   Candidate event times walked backward from `end` at rate `λ·max r` per lateness
//!   component, each with a lateness of that component, kept when `e + L ≥ end` (and by
//!   `r(e) / max r`). The walk stops once `end − e` passes the component's lateness bound
//!   ([`Workload::lateness_bound_us`]: exact for bounded kinds, 40 means for the
//!   exponential, 9 sigmas for the log-normal: the events left out have probability below
//!   1e-17 each). B is sorted by arrival (it holds about `λ·E[L]` events) and follows A.
//!
//! A and B are disjoint regions of the same Poisson process, hence independent, and
//! together they are the whole stream. Work per event: one exponential gap and one
//! lateness draw per candidate, a key (and value) per kept event. The candidate rate is
//! `max r` times the mean, so the direct path is used only while the share of candidates
//! thrown away stays small ([`worth_it`]); a spiky bursty shape (a 1 µs on-phase an hour)
//! or mostly idle workloads keep the event-time-order generator (`arrival_order.rs`).
//!
//! Times are µs: a candidate's arrival is `⌊a⌋`, its event time `⌊a⌋ − L` (A); a walked
//! event time is `⌊e⌋`, its arrival `⌊e⌋ + L` (B). Ids are given in arrival order.

use crate::base::time::Micros;
use crate::workload::event::{Event, RowSpan};
use crate::workload::sampler::{Exp1, SimRng, exp1};
use crate::workload::spec::{ExpDraws, Workload, floor_us, trunc_small};

/// Candidates per kept event allowed for the direct path (the bursty boost, or the idle
/// share of the span): above it the event-time-order generator is cheaper.
const MAX_CANDIDATES_PER_EVENT: f64 = 8.0;

/// Whether the direct path suits `w`: generated Poisson events whose rate shape and idle
/// periods throw away at most 7 candidates in 8.
pub fn worth_it(w: &Workload) -> bool {
    if w.is_given() || !w.is_poisson() {
        return false;
    }
    let span = (w.end - w.start) as f64;
    let open = span - w.idle_us() as f64;
    open > 0.0 && w.max_multiplier() * span / open <= MAX_CANDIDATES_PER_EVENT
}

#[derive(Debug, Clone)]
enum Phase {
    /// Walking candidate arrivals forward; the next candidate's arrival, µs (fractional).
    Forward(f64),
    /// The tail (arrivals ≥ end), sorted by arrival, and the next one to hand out.
    Tail(Vec<(Micros, Micros, u32, i64)>, usize),
    Done,
}

#[derive(Debug, Clone)]
pub struct DirectArrivals {
    phase: Phase,
    /// Mean gap between candidates, µs: the mean gap ÷ the peak multiplier.
    candidate_gap: f64,
    /// Whether every candidate in [start, end) with e ≥ start is kept (flat, no idle).
    flat: bool,
    max: f64,
}

impl DirectArrivals {
    pub fn new(w: &Workload, rng: &mut SimRng) -> Self {
        let max = w.max_multiplier();
        let candidate_gap = w.gap_us() / max;
        let first = w.start as f64 + exp1(rng) * candidate_gap;
        Self {
            phase: Phase::Forward(first),
            candidate_gap,
            flat: max == 1.0 && w.idle_us() == 0,
            max,
        }
    }

    /// Whether event time `e` is kept: inside the workload, and by the shape's thinning.
    #[inline]
    fn keep(&self, w: &Workload, rng: &mut SimRng, e: Micros) -> bool {
        if e < w.start || e >= w.end {
            return false;
        }
        if self.flat {
            return true;
        }
        if w.in_idle(e) {
            return false;
        }
        let m = w.multiplier(e);
        m >= self.max || crate::workload::sampler::unit(rng) * self.max < m
    }

    /// Appends up to `room` events that arrive by `bound` to `out` (ids from `*next_id`);
    /// false when nothing was added (the stream is over, or its next event arrives after
    /// `bound`). A candidate after `bound` is left as it is, its draws not made yet: the
    /// events, their ids and the RNG's sequence do not depend on where fills stop.
    ///
    /// `span` is widened to the events added (the walk keeps their bounds in registers as
    /// it makes them: a pass over them afterwards was 6 % of #13's 10 M-event run).
    #[allow(clippy::too_many_arguments)]
    pub fn fill(
        &mut self,
        w: &Workload,
        rng: &mut SimRng,
        out: &mut Vec<Event>,
        room: usize,
        bound: Micros,
        next_id: &mut u64,
        span: &mut Option<RowSpan>,
    ) -> bool {
        let before = out.len();
        let end = w.end;
        while out.len() - before < room {
            if let Phase::Forward(a) = self.phase {
                // The RNG's state is worked on as a local and written back once: behind
                // the `&mut` it stayed in memory, and every draw went through a store and
                // a load.
                let mut local = rng.clone();
                let limit = before.saturating_add(room);
                let (at, past_bound, walked) = match (self.flat, w.exp_draws()) {
                    (true, Some(draws)) if w.start >= 0 && w.end < 1 << 52 => {
                        let start = w.start;
                        // Without the offline tail, natively, the walk has no tail draw to
                        // test per candidate (wasm keeps one copy of the loop: the page's
                        // download).
                        if draws.has_offline() || cfg!(target_arch = "wasm32") {
                            let flat = FlatExp::<true> { draws, start };
                            self.walk(&flat, w, &mut local, out, limit, bound, next_id, a)
                        } else {
                            let flat = FlatExp::<false> { draws, start };
                            self.walk(&flat, w, &mut local, out, limit, bound, next_id, a)
                        }
                    }
                    _ => {
                        let any = AnyShape { w, walk: self };
                        self.walk(&any, w, &mut local, out, limit, bound, next_id, a)
                    }
                };
                *rng = local;
                RowSpan::widen(span, walked);
                self.phase = if at < end as f64 {
                    Phase::Forward(at)
                } else {
                    Phase::Tail(self.tail(w, rng), 0)
                };
                if past_bound {
                    break;
                }
                continue;
            }
            let Phase::Tail(tail, i) = &mut self.phase else {
                break;
            };
            let from = out.len();
            let mut due = true;
            while out.len() - before < room {
                let Some(&(arrival, e, key, value)) = tail.get(*i) else {
                    self.phase = Phase::Done;
                    break;
                };
                if arrival > bound {
                    due = false;
                    break;
                }
                *i += 1;
                out.push(Event {
                    id: *next_id,
                    key,
                    event_time: e,
                    arrival,
                    value,
                });
                *next_id += 1;
            }
            RowSpan::widen(span, RowSpan::of(&out[from..]));
            if !due {
                break;
            }
        }
        out.len() > before
    }

    /// Walks candidates forward from arrival `at` (fractional µs), appending the kept ones
    /// to `out` until it holds `limit`, the next candidate arrives after `bound`, or the
    /// walk reaches `end`. Returns where the walk stopped and whether it stopped at
    /// `bound`. The candidate's draws, in order: lateness, the next gap, [thinning], key,
    /// value (the order every shape uses: the stream does not depend on which `D` ran).
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn walk<D: Candidates>(
        &self,
        d: &D,
        w: &Workload,
        rng: &mut SimRng,
        out: &mut Vec<Event>,
        limit: usize,
        bound: Micros,
        next_id: &mut u64,
        mut at: f64,
    ) -> (f64, bool, Option<RowSpan>) {
        let gap = self.candidate_gap;
        let from = out.len();
        let (mut lo, mut hi, mut max_key) = (Micros::MAX, Micros::MIN, 0);
        let end = w.end as f64;
        // One compare a candidate for both the end and the bound (in wasm, 2–3 % of a
        // day's run: fewer values live in the loop).
        let past = past_bound_at(bound);
        let stop = end.min(past);
        let exp = Exp1::tables();
        let mut id = *next_id;
        let mut left = limit.saturating_sub(out.len());
        while left > 0 && at < stop {
            let arrival = d.floor(at);
            let late = d.lateness(exp, rng);
            at += exp.draw(rng) * gap;
            let e = arrival - late;
            if !d.keep(rng, e) {
                continue;
            }
            let key = d.key(rng);
            out.push(Event {
                id,
                key,
                event_time: e,
                arrival,
                value: d.value(rng),
            });
            id += 1;
            left -= 1;
            lo = lo.min(e);
            hi = hi.max(e);
            if d.key_bound().is_none() {
                max_key = max_key.max(key);
            }
        }
        *next_id = id;
        let past_bound = left > 0 && at < end && at >= past;
        let walked = (out.len() > from).then_some(RowSpan {
            min_event_time: lo,
            max_event_time: hi,
            max_key: d.key_bound().unwrap_or(max_key),
        });
        (at, past_bound, walked)
    }

    /// The events that arrive at or after `end`, sorted by arrival (ties in walk order).
    fn tail(&self, w: &Workload, rng: &mut SimRng) -> Vec<(Micros, Micros, u32, i64)> {
        let mut tail = Vec::new();
        let offline = w.offline_fraction();
        for (component, share, bound) in [
            (Component::Main, 1.0 - offline, w.main_lateness_bound_us()),
            (Component::Offline, offline, w.offline_bound_us()),
        ] {
            if share <= 0.0 {
                continue;
            }
            let gap = self.candidate_gap / share;
            let mut e = w.end as f64;
            loop {
                e -= exp1(rng) * gap;
                let et = floor_us(e);
                if et < w.start || w.end - et > bound || e.is_nan() {
                    break;
                }
                let late = match component {
                    Component::Main => w.draw_main_lateness(rng),
                    Component::Offline => w.draw_offline_lateness(rng),
                };
                let arrival = et + late;
                if arrival < w.end || !self.keep(w, rng, et) {
                    continue;
                }
                tail.push((arrival, et, w.draw_key(rng), w.draw_value(rng)));
            }
        }
        // Stable: equal arrivals keep walk order.
        tail.sort_by_key(|t| t.0);
        tail
    }
}

/// The least float `p` with `⌊at⌋ > bound` ⟺ `at ≥ p` for every float `at`: bound + 1,
/// rounded up to a float where it is not one (beyond 2⁵³).
fn past_bound_at(bound: Micros) -> f64 {
    let Some(b) = bound.checked_add(1) else {
        return f64::INFINITY; // no ⌊at⌋ exceeds i64::MAX
    };
    let p = b as f64;
    if (p as i128) < i128::from(b) {
        next_up(p)
    } else {
        p
    }
}

/// The least float above finite `x` (`f64::next_up`, stable after this crate's MSRV).
fn next_up(x: f64) -> f64 {
    if x == 0.0 {
        f64::from_bits(1)
    } else if x > 0.0 {
        f64::from_bits(x.to_bits() + 1)
    } else {
        f64::from_bits(x.to_bits() - 1)
    }
}

/// A candidate's draws and its thinning, as the forward walk makes them. Two kinds, one
/// result: [`FlatExp`] is the common case with nothing to look up per candidate (the loop
/// keeps the RNG's state in registers; a general one spilled it), [`AnyShape`] every
/// workload. Both draw what [`Workload::draw_lateness`], [`Workload::draw_key`] and
/// [`DirectArrivals::keep`] draw, in the same order.
trait Candidates {
    /// A candidate's arrival, µs: `⌊at⌋`.
    fn floor(&self, at: f64) -> Micros;
    fn lateness(&self, exp: Exp1, rng: &mut SimRng) -> Micros;
    /// Whether a candidate with event time `e` (arrived before the end) is kept.
    fn keep(&self, rng: &mut SimRng, e: Micros) -> bool;
    fn key(&self, rng: &mut SimRng) -> u32;
    fn value(&self, rng: &mut SimRng) -> i64;
    /// The largest key this kind draws, when known without looking at the keys: the
    /// span's `max_key` is then that bound (the dense step only needs a bound), and the
    /// walk does not keep a running maximum.
    fn key_bound(&self) -> Option<u32>;
}

/// A flat workload with no idle periods, exponential lateness (with or without the
/// offline tail), uniform keys and a constant value, starting at or after 1970: the page's
/// default and the benchmarks'.
struct FlatExp<const OFFLINE: bool> {
    /// With no offline tail when `OFFLINE` is false.
    draws: ExpDraws,
    /// ≥ 0.
    start: Micros,
}

impl<const OFFLINE: bool> Candidates for FlatExp<OFFLINE> {
    /// The walk starts at `start ≥ 0` and goes forward, below the workload's end < 2⁵² µs
    /// (year 2112): truncation is the floor, with no correction (4 instructions fewer per
    /// event natively; in wasm through [`trunc_small`]).
    #[inline(always)]
    fn floor(&self, at: f64) -> Micros {
        if cfg!(target_arch = "wasm32") {
            trunc_small(at)
        } else {
            at as Micros
        }
    }

    #[inline(always)]
    fn lateness(&self, exp: Exp1, rng: &mut SimRng) -> Micros {
        if OFFLINE {
            self.draws.lateness(exp, rng)
        } else {
            self.draws.main_lateness(exp, rng)
        }
    }

    /// Flat: every candidate with `e ≥ start` is kept (`e ≤ arrival < end` holds).
    #[inline(always)]
    fn keep(&self, _: &mut SimRng, e: Micros) -> bool {
        e >= self.start
    }

    #[inline(always)]
    fn key(&self, rng: &mut SimRng) -> u32 {
        self.draws.key(rng)
    }

    #[inline(always)]
    fn value(&self, _: &mut SimRng) -> i64 {
        self.draws.value
    }

    #[inline(always)]
    fn key_bound(&self) -> Option<u32> {
        Some(self.draws.keys() - 1)
    }
}

/// Any workload the direct path takes.
struct AnyShape<'a> {
    w: &'a Workload,
    walk: &'a DirectArrivals,
}

impl Candidates for AnyShape<'_> {
    #[inline(always)]
    fn floor(&self, at: f64) -> Micros {
        floor_us(at)
    }

    #[inline(always)]
    fn lateness(&self, _: Exp1, rng: &mut SimRng) -> Micros {
        self.w.draw_lateness(rng)
    }

    #[inline(always)]
    fn keep(&self, rng: &mut SimRng, e: Micros) -> bool {
        self.walk.keep(self.w, rng, e)
    }

    #[inline(always)]
    fn key(&self, rng: &mut SimRng) -> u32 {
        self.w.draw_key(rng)
    }

    #[inline(always)]
    fn value(&self, rng: &mut SimRng) -> i64 {
        self.w.draw_value(rng)
    }

    #[inline(always)]
    fn key_bound(&self) -> Option<u32> {
        None
    }
}

#[derive(Debug, Clone, Copy)]
enum Component {
    Main,
    Offline,
}

#[cfg(test)]
mod tests {
    use crate::workload::spec::{Lateness, OfflineTail, RateShape, WorkloadSpec};
    use crate::workload::stream::EventStream;

    fn stream(json: &str, seed: u64) -> Vec<crate::workload::event::Event> {
        let s: WorkloadSpec = crate::base::input::from_str(json).unwrap();
        let w = s.validate("workload", None).unwrap();
        assert!(super::worth_it(&w), "{json}");
        EventStream::new(w, seed).collect()
    }

    /// The direct path and the event-time-order path draw the same model: their event
    /// counts, lateness and arrival-side counts agree within sampling error.
    #[test]
    fn direct_matches_the_model() {
        let ev = stream(
            r#"{"duration_s": 2000, "rate_per_s": 100, "lateness": {"kind": "exponential", "mean_s": 5},
                "offline": {"fraction": 0.02, "min_s": 300, "max_s": 900}}"#,
            9,
        );
        let n = ev.len() as f64;
        // 200 000 ± 4.5 sigma (sigma ≈ 447)
        assert!((n - 200_000.0).abs() < 2_000.0, "{n}");
        assert!(ev.windows(2).all(|p| p[0].arrival <= p[1].arrival));
        assert!(ev.iter().enumerate().all(|(i, e)| e.id == i as u64));
        let start = ev.iter().map(|e| e.event_time).min().unwrap();
        assert!(
            ev.iter()
                .all(|e| e.event_time >= start && e.arrival >= e.event_time)
        );
        let late: Vec<f64> = ev
            .iter()
            .map(|e| (e.arrival - e.event_time) as f64 / 1e6)
            .collect();
        let off = late.iter().filter(|&&l| l >= 300.0).count() as f64 / n;
        assert!((0.017..0.023).contains(&off), "offline share {off}");
        let main: Vec<f64> = late.iter().copied().filter(|&l| l < 300.0).collect();
        let mean = main.iter().sum::<f64>() / main.len() as f64;
        assert!((4.9..5.1).contains(&mean), "main lateness mean {mean}");
        // Event times are uniform over the span: each 100 s tenth holds ~10 000.
        for k in 0..20 {
            let c = ev
                .iter()
                .filter(|e| (e.event_time - start) / 100_000_000 == k)
                .count() as f64;
            assert!((c - 10_000.0).abs() < 600.0, "slice {k}: {c}");
        }
    }

    /// `past_bound_at` splits the floats where `⌊at⌋ > bound` did: around small and huge
    /// bounds, where floats are every integer and where they are every 2, 4, … or 2048.
    #[test]
    fn past_bound_is_the_floor_test() {
        use super::{next_up, past_bound_at};
        use crate::workload::spec::floor_us;
        for bound in [
            0i64,
            1,
            -1,
            1_700_000_000_000_000,
            (1 << 53) - 1,
            1 << 53,
            (1 << 53) + 1,
            (1 << 55) + 3,
            i64::MAX - 1,
            i64::MAX,
            i64::MIN,
            -(1 << 54) - 3,
        ] {
            let p = past_bound_at(bound);
            let mut at = bound as f64;
            // The floats on either side of the bound.
            for _ in 0..6 {
                at = -next_up(-at);
            }
            for _ in 0..12 {
                // The test it replaces (⌊at⌋ saturating at i64's top, as a cast does; below
                // −2⁶³ it has no floor to compare).
                if at > -9.2e18 {
                    assert_eq!(at >= p, floor_us(at) > bound, "bound {bound}, at {at}");
                }
                at = next_up(at);
            }
        }
    }

    #[test]
    fn tail_events_arrive_after_the_end_in_order() {
        let _ = (
            Lateness::None,
            RateShape::Flat,
            OfflineTail {
                fraction: 0.0,
                min_s: 0.0,
                max_s: 0.0,
            },
        );
        let ev = stream(
            r#"{"duration_s": 100, "rate_per_s": 50, "lateness": {"kind": "uniform", "min_s": 10, "max_s": 30}}"#,
            3,
        );
        let start = ev.iter().map(|e| e.event_time).min().unwrap();
        let end = start + 100_000_000;
        let after = ev.iter().filter(|e| e.arrival >= end).count() as f64;
        // events with e + L ≥ end: E = λ · E[L] = 50 × 20 = 1000
        assert!((after - 1000.0).abs() < 150.0, "{after}");
        assert!(ev.windows(2).all(|p| p[0].arrival <= p[1].arrival));
        assert!(ev.iter().all(|e| {
            let l = e.arrival - e.event_time;
            (10_000_000..=30_000_000).contains(&l) && e.event_time < end
        }));
    }
}
