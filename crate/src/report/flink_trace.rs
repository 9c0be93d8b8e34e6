//! A Flink run's trace (`simulation/flink`): what the timeline draws of the job's clocks —
//! each watermark the source forwarded, as a periodic step, and each window firing — in a
//! bounded, uniformly thinned record. Not part of the JSON report nor of its digest (the
//! counts are in `FlinkSummary`); the page reads it as typed arrays (`wasm.rs`).
//!
//! Rules:
//! - **Watermarks**: one point per forwarded watermark (a tick at which the combined
//!   watermark advanced, docs/model.md §13): (processing time of the tick, watermark), µs.
//! - **Firings**: the firings at one processing time of windows with one end and one cause
//!   (the watermark's timer, or a late element within allowed lateness) are one point:
//!   (processing time, window end, cause, rows emitted). A firing emits one row (the count
//!   of its key and window), so a point's rows are its firings: a tumbling window's end
//!   fires every key at one tick, one point.
//! - **Bound and thinning**: at most [`MAX_WATERMARKS`] and [`MAX_FIRINGS`] points. Of the
//!   n-th point (from 0) of a kind, the trace keeps those with n a multiple of the kind's
//!   stride. The watermark stride is chosen before the run from its expected ticks (the
//!   workload's span ÷ the watermark interval); when a kind would still exceed its bound,
//!   its stride doubles and every other kept point goes (the kept ones are the multiples
//!   of the new stride). So the points are spread evenly over the whole run, not its start,
//!   and the trace depends only on the run (no wall clock).
//! - The last forwarded watermark is always kept (the step line ends at the run's final
//!   watermark), one point past the stride at most.
//!
//! Invariants: processing times are non-decreasing; watermarks strictly increase (only
//! advancing ones are forwarded); without thinning (stride 1) the points' rows sum to
//! `FlinkSummary::watermark_firings + element_firings`, and the watermark points number
//! `FlinkSummary::watermarks`.

use crate::base::time::Micros;
use serde::Serialize;

/// Most watermark points a trace keeps (the last forwarded one may add one).
pub const MAX_WATERMARKS: usize = 20_000;
/// Most firing points a trace keeps.
pub const MAX_FIRINGS: usize = 20_000;

/// Why a window fired.
pub const FIRED_BY_WATERMARK: u8 = 0;
pub const FIRED_BY_ELEMENT: u8 = 1;

/// The trace, as columns (one entry per kept point, in processing-time order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlinkTrace {
    /// Forwarded watermarks: the tick's processing time and the watermark, µs.
    pub watermark_at_us: Vec<Micros>,
    pub watermark_us: Vec<Micros>,
    /// Every `watermark_stride`-th forwarded watermark is kept.
    pub watermark_stride: u64,
    /// Forwarded watermarks seen (kept or not).
    pub watermarks_seen: u64,
    /// Firing points: processing time, window end (exclusive), µs; cause
    /// ([`FIRED_BY_WATERMARK`] or [`FIRED_BY_ELEMENT`]); rows emitted.
    pub firing_at_us: Vec<Micros>,
    pub firing_end_us: Vec<Micros>,
    pub firing_by: Vec<u8>,
    pub firing_rows: Vec<u64>,
    /// Every `firing_stride`-th firing point is kept.
    pub firing_stride: u64,
    /// Firing points seen (kept or not).
    pub firings_seen: u64,
    /// The firing point being gathered (same time, end and cause as its predecessor).
    #[serde(skip)]
    pending: Option<(Micros, Micros, u8, u64)>,
    /// The last forwarded watermark, if thinning did not keep it.
    #[serde(skip)]
    last: Option<(Micros, Micros)>,
}

impl FlinkTrace {
    /// An empty trace for a run of about `expected_ticks` watermark ticks.
    pub fn new(expected_ticks: u64) -> Self {
        Self {
            watermark_at_us: Vec::new(),
            watermark_us: Vec::new(),
            watermark_stride: expected_ticks.div_ceil(MAX_WATERMARKS as u64).max(1),
            watermarks_seen: 0,
            firing_at_us: Vec::new(),
            firing_end_us: Vec::new(),
            firing_by: Vec::new(),
            firing_rows: Vec::new(),
            firing_stride: 1,
            firings_seen: 0,
            pending: None,
            last: None,
        }
    }

    /// A watermark `w` forwarded at processing time `t`.
    pub fn watermark(&mut self, t: Micros, w: Micros) {
        let n = self.watermarks_seen;
        self.watermarks_seen += 1;
        if n % self.watermark_stride != 0 {
            self.last = Some((t, w));
            return;
        }
        if self.watermark_us.len() == MAX_WATERMARKS {
            self.watermark_stride *= 2;
            keep_even(&mut self.watermark_at_us);
            keep_even(&mut self.watermark_us);
            if n % self.watermark_stride != 0 {
                self.last = Some((t, w));
                return;
            }
        }
        self.last = None;
        self.watermark_at_us.push(t);
        self.watermark_us.push(w);
    }

    /// One window firing at processing time `t` of a window ending at `end`, by `by`.
    pub fn firing(&mut self, t: Micros, end: Micros, by: u8) {
        match &mut self.pending {
            Some((pt, pe, pb, rows)) if (*pt, *pe, *pb) == (t, end, by) => *rows += 1,
            _ => {
                self.flush();
                self.pending = Some((t, end, by, 1));
            }
        }
    }

    /// Ends the run: the gathered firing point and the last watermark go in.
    pub fn finish(&mut self) {
        self.flush();
        if let Some((t, w)) = self.last.take() {
            self.watermark_at_us.push(t);
            self.watermark_us.push(w);
        }
    }

    /// The gathered firing point, kept if the stride says so.
    fn flush(&mut self) {
        let Some((t, end, by, rows)) = self.pending.take() else {
            return;
        };
        let n = self.firings_seen;
        self.firings_seen += 1;
        if n % self.firing_stride != 0 {
            return;
        }
        if self.firing_at_us.len() == MAX_FIRINGS {
            self.firing_stride *= 2;
            keep_even(&mut self.firing_at_us);
            keep_even(&mut self.firing_end_us);
            keep_even(&mut self.firing_by);
            keep_even(&mut self.firing_rows);
            if n % self.firing_stride != 0 {
                return;
            }
        }
        self.firing_at_us.push(t);
        self.firing_end_us.push(end);
        self.firing_by.push(by);
        self.firing_rows.push(rows);
    }
}

/// Keeps the entries at even positions (0, 2, 4, …), in order.
fn keep_even<T: Copy>(v: &mut Vec<T>) {
    let n = v.len().div_ceil(2);
    for i in 0..n {
        v[i] = v[2 * i];
    }
    v.truncate(n);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_even_keeps_the_even_positions() {
        let mut v: Vec<u32> = (0..7).collect();
        keep_even(&mut v);
        assert_eq!(v, [0, 2, 4, 6]);
        let mut e: Vec<u32> = Vec::new();
        keep_even(&mut e);
        assert!(e.is_empty());
    }

    #[test]
    fn an_underestimated_run_stays_bounded_and_evenly_thinned() {
        // Told 100 ticks, given 1 000 000 forwarded watermarks.
        let mut tr = FlinkTrace::new(100);
        assert_eq!(tr.watermark_stride, 1);
        let n = 1_000_000i64;
        for i in 0..n {
            tr.watermark(i * 200, i);
        }
        tr.finish();
        let kept = tr.watermark_us.len();
        assert!(kept <= MAX_WATERMARKS + 1 && kept > MAX_WATERMARKS / 2, "{kept}");
        let s = tr.watermark_stride as i64;
        // The multiples of the stride, then the last one.
        for (j, &w) in tr.watermark_us[..kept - 1].iter().enumerate() {
            assert_eq!(w, j as i64 * s);
        }
        assert_eq!(*tr.watermark_us.last().unwrap(), n - 1);
        assert_eq!(tr.watermarks_seen, n as u64);
        // Covers the whole run: the last stride point is within a stride of the end.
        assert!(tr.watermark_us[kept - 2] >= n - 1 - s);
    }

    #[test]
    fn a_stride_chosen_up_front_needs_no_compaction() {
        let ticks = 432_000u64; // a day at 200 ms
        let mut tr = FlinkTrace::new(ticks);
        let s = tr.watermark_stride;
        assert_eq!(s, 22);
        for i in 0..ticks as i64 {
            tr.watermark(i, i);
        }
        tr.finish();
        assert_eq!(tr.watermark_stride, s);
        assert!(tr.watermark_us.len() <= MAX_WATERMARKS + 1);
    }

    #[test]
    fn firings_at_one_time_end_and_cause_are_one_point() {
        let mut tr = FlinkTrace::new(10);
        for _ in 0..3 {
            tr.firing(5, 10, FIRED_BY_WATERMARK);
        }
        tr.firing(5, 20, FIRED_BY_WATERMARK);
        tr.firing(7, 10, FIRED_BY_ELEMENT);
        tr.firing(7, 10, FIRED_BY_ELEMENT);
        tr.finish();
        assert_eq!(tr.firing_at_us, [5, 5, 7]);
        assert_eq!(tr.firing_end_us, [10, 20, 10]);
        assert_eq!(tr.firing_by, [0, 0, 1]);
        assert_eq!(tr.firing_rows, [3, 1, 2]);
        assert_eq!(tr.firings_seen, 3);
    }

    #[test]
    fn many_firings_stay_bounded_and_span_the_run() {
        let mut tr = FlinkTrace::new(1);
        let n = 3 * MAX_FIRINGS as i64 + 17;
        for i in 0..n {
            tr.firing(i, i + 1, FIRED_BY_WATERMARK);
        }
        tr.finish();
        assert!(tr.firing_at_us.len() <= MAX_FIRINGS);
        assert_eq!(tr.firings_seen, n as u64);
        let s = tr.firing_stride as i64;
        assert_eq!(s, 4);
        assert!(
            tr.firing_at_us
                .iter()
                .enumerate()
                .all(|(j, &t)| t == j as i64 * s)
        );
        assert!(*tr.firing_at_us.last().unwrap() >= n - 1 - s);
    }
}
