//! End-to-end latency (arrival → the commit that made the event's result visible) as a
//! log-bucketed histogram: memory is fixed whatever the event count.
//!
//! Buckets: values below 64 µs exactly; above, 64 sub-buckets per power of two, so a
//! bucket spans at most 1/64 (1.6 %) of its value. Percentiles report the bucket's
//! midpoint (clamped to the exact min and max).

use serde::Serialize;

const SUB_BITS: u32 = 6;
const SUB: u64 = 1 << SUB_BITS;
/// Enough buckets for any non-negative i64.
const BUCKETS: usize = ((64 - SUB_BITS as usize) + 1) * SUB as usize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Histogram {
    counts: Vec<u64>,
    n: u64,
    min: i64,
    max: i64,
}

impl Default for Histogram {
    fn default() -> Self {
        Self {
            counts: vec![0; BUCKETS],
            n: 0,
            min: i64::MAX,
            max: i64::MIN,
        }
    }
}

fn bucket(v: u64) -> usize {
    if v < SUB {
        return v as usize;
    }
    let exp = 63 - v.leading_zeros(); // ≥ SUB_BITS
    let shift = exp - SUB_BITS;
    let mantissa = (v >> shift) - SUB; // 0..SUB
    ((shift as u64 + 1) * SUB + mantissa) as usize
}

/// [low, high) of a bucket.
fn bounds(b: usize) -> (u64, u64) {
    let b = b as u64;
    if b < SUB {
        return (b, b + 1);
    }
    let shift = b / SUB - 1;
    let mantissa = b % SUB;
    let low = (SUB + mantissa) << shift;
    (low, low + (1 << shift))
}

impl Histogram {
    /// Records one value, µs; negative values count as 0.
    pub fn record(&mut self, v: i64) {
        let v = v.max(0);
        self.counts[bucket(v as u64)] += 1;
        self.n += 1;
        self.min = self.min.min(v);
        self.max = self.max.max(v);
    }

    /// Records every value of `values`, whose least and greatest are `lo` and `hi`
    /// (µs; negative values count as 0): [`Histogram::record`] each, with the bounds
    /// known once. Values in a row that fall in one bucket (a commit's latencies come
    /// sorted, and a bucket holds many) are counted in a register and added once: the
    /// bucket is found only when a value leaves the current one.
    #[inline]
    pub fn record_all(&mut self, values: impl Iterator<Item = i64>, lo: i64, hi: i64) {
        let mut n = 0u64;
        // The current bucket, its [low, high) and the values counted in it so far.
        let (mut b, mut low, mut width, mut run) = (0usize, 0u64, 0u64, 0u64);
        let counts = &mut self.counts;
        values.for_each(|v| {
            debug_assert!((lo..=hi).contains(&v), "{v} outside [{lo}, {hi}]");
            let u = v.max(0) as u64;
            n += 1;
            if u.wrapping_sub(low) < width {
                run += 1;
                return;
            }
            counts[b] += run;
            b = bucket(u);
            let (l, h) = bounds(b);
            (low, width, run) = (l, h - l, 1);
        });
        counts[b] += run;
        if n > 0 {
            self.n += n;
            self.min = self.min.min(lo.max(0));
            self.max = self.max.max(hi.max(0));
        }
    }

    /// Records `n` values known to lie in `[lo, hi]`, both of them among the values, when
    /// they all fall in one bucket (then it is [`Histogram::record`] of each); false, and
    /// nothing recorded, when `[lo, hi]` spans buckets.
    #[inline]
    pub fn record_span(&mut self, n: u64, lo: i64, hi: i64) -> bool {
        let (lo, hi) = (lo.max(0), hi.max(0));
        let b = bucket(lo as u64);
        if bucket(hi as u64) != b {
            return false;
        }
        if n > 0 {
            self.counts[b] += n;
            self.n += n;
            self.min = self.min.min(lo);
            self.max = self.max.max(hi);
        }
        true
    }

    pub fn count(&self) -> u64 {
        self.n
    }

    pub fn max(&self) -> Option<i64> {
        (self.n > 0).then_some(self.max)
    }

    /// The value at quantile `q` in [0, 1], µs; None when empty.
    pub fn quantile(&self, q: f64) -> Option<i64> {
        if self.n == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.n as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (b, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                let (lo, hi) = bounds(b);
                let mid = (lo + (hi - lo) / 2) as i64;
                return Some(mid.clamp(self.min, self.max));
            }
        }
        Some(self.max)
    }

    /// Non-empty buckets as (low µs, high µs, count), for charts.
    pub fn buckets(&self) -> Vec<(i64, i64, u64)> {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(b, &c)| {
                let (lo, hi) = bounds(b);
                (lo as i64, hi as i64, c)
            })
            .collect()
    }

    pub fn summary(&self) -> LatencySummary {
        let s = |q: f64| self.quantile(q).map(|v| v as f64 / 1e6);
        LatencySummary {
            count: self.n,
            p50_s: s(0.5),
            p95_s: s(0.95),
            p99_s: s(0.99),
            max_s: self.max().map(|v| v as f64 / 1e6),
        }
    }
}

/// Latency percentiles in seconds (`null` when no event became visible).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LatencySummary {
    pub count: u64,
    pub p50_s: Option<f64>,
    pub p95_s: Option<f64>,
    pub p99_s: Option<f64>,
    pub max_s: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_cover_values_within_1_6_percent() {
        for v in [
            0u64,
            1,
            63,
            64,
            65,
            127,
            128,
            1_000,
            999_999,
            1 << 40,
            u64::MAX >> 1,
        ] {
            let (lo, hi) = bounds(bucket(v));
            assert!(lo <= v && v < hi, "{v}: [{lo}, {hi})");
            assert!((hi - lo) as f64 <= (lo as f64 / 64.0).max(1.0), "{v}");
        }
    }

    #[test]
    fn quantiles_of_a_known_distribution() {
        let mut h = Histogram::default();
        for v in 1..=1000 {
            h.record(v * 1000); // 1 ms … 1 s
        }
        let p50 = h.quantile(0.5).unwrap() as f64;
        assert!((p50 - 500_000.0).abs() / 500_000.0 < 0.016, "{p50}");
        let p99 = h.quantile(0.99).unwrap() as f64;
        assert!((p99 - 990_000.0).abs() / 990_000.0 < 0.016, "{p99}");
        assert_eq!(h.max(), Some(1_000_000));
        assert_eq!(h.quantile(1.0), Some(1_000_000));
        assert_eq!(Histogram::default().quantile(0.5), None);
        assert_eq!(h.buckets().iter().map(|b| b.2).sum::<u64>(), 1000);
    }

    #[test]
    fn record_span_equals_one_by_one_or_declines() {
        for (lo, hi) in [
            (0, 0),
            (5, 63),
            (63, 64),
            (1000, 1015),
            (1000, 1016),
            (-5, 3),
            (4096, 4159),
            (4096, 4160),
        ] {
            let values = [lo, (lo + hi) / 2, hi];
            let mut one = Histogram::default();
            values.iter().for_each(|&v| one.record(v));
            let mut span = Histogram::default();
            if span.record_span(3, lo, hi) {
                assert_eq!(one, span, "[{lo}, {hi}]");
            } else {
                assert_eq!(span, Histogram::default());
                assert_ne!(bucket(lo.max(0) as u64), bucket(hi.max(0) as u64));
            }
        }
    }

    #[test]
    fn record_all_equals_one_by_one() {
        // Sorted both ways, unsorted, with negatives and repeats.
        let mut xs: Vec<i64> = (0..5000).map(|i| (i * i * 7919) % 3_000_017 - 1000).collect();
        let mut runs = vec![xs.clone()];
        xs.sort_unstable();
        runs.push(xs.clone());
        xs.reverse();
        runs.push(xs);
        runs.push(vec![5; 100]);
        for values in runs {
            let mut one = Histogram::default();
            values.iter().for_each(|&v| one.record(v));
            let mut all = Histogram::default();
            let (lo, hi) = (*values.iter().min().unwrap(), *values.iter().max().unwrap());
            all.record_all(values.iter().copied(), lo, hi);
            assert_eq!(one, all);
        }
    }
}
