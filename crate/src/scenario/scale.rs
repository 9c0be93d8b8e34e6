//! The scaled mode: a workload too large for the exact engine to run interactively is
//! simulated as a **thinned** stream in which each simulated event stands for `k` real ones.
//!
//! The rule. Independent thinning of a Poisson process with probability 1/k is again a
//! Poisson process, of rate `rate / k`, with the same key, lateness and offline-tail
//! distributions; the generator draws it directly (mean gap × k). Every figure that is a
//! sum over events is then `k ×` its thinned value in expectation:
//! - a batch's duration: `overhead + k × rows × per-row µs` (the per-row cost is scaled,
//!   so falling behind and the cluster are those of the real volume; the cluster is sized
//!   on the real rate before thinning);
//! - event, row, late, dropped and backlog counts, and the latency histogram's counts;
//! - the rows and bytes of the files a row-preserving query (select, deduplication on the
//!   unique event id) writes, and `maxRecordsPerFile` taken as `ceil(max ÷ k)` thinned
//!   rows; a file source's input files and their splits;
//! - a deduplication's state rows (each kept id stands for `k` distinct ids).
//!
//! What thinning does not keep, and so what is an **estimate** (`Scaled::estimates`):
//! - groups: a window count's output and state rows count (key, window) groups that hold
//!   at least one event, and a thinned stream leaves out the groups whose real events
//!   were few (all its events thinned away). Exact in the limit of many events per group.
//!   The report gives the expected share of groups kept (`group_coverage`, from the key
//!   distribution and a Poisson count per group) and divides the group figures by it;
//!   the state store's bytes in the checkpoint are those of the kept groups; the state's
//!   memory (`state_memory`) is that of the weighed group count;
//! - the watermark: the maximum event time of a thinned batch is slightly earlier (by
//!   about the mean lateness gap of `k` events), so late/dropped fates are estimates;
//! - percentiles: latency percentiles come from the thinned events (a sample of 1 in `k`).
//!
//! What it refuses, with the reason: session windows and deduplication that is not on the
//! unique event id. Both depend on the gaps between one key's events (a session closes
//! after a gap; a duplicate is a second event with the same key or time), and thinning
//! widens those gaps k-fold, so their results would change in kind, not by noise. `auto`
//! runs them exactly up to the exact engine's limit.
//!
//! Choosing k (`auto`): exact up to [`EXACT_EVENTS`] expected events (the page's default
//! day, which it shows behind a preview of its first hour); beyond, `k = ceil(events ÷
//! SCALED_EVENTS)`, 8 M thinned events (about 2–3 s in Chromium on a 2-core machine,
//! `tests/e2e/scaled.test.mjs` prints it). Given events and a loaded data file are
//! always simulated one by one.
//!
//! Invariants: `k ≥ 1`; `k = 1` is the exact engine, byte for byte; the same seed gives
//! the same scaled report (the thinned stream is drawn from the scenario's named RNG).

use crate::base::error::InputError;
use crate::operators::query::Operator;
use crate::operators::window::WindowKind;
use crate::workload::scale_spec::{MAX_FACTOR, ScaleSpec};

/// Most expected events `auto` simulates exactly: the page's default day (86.4 M events
/// at 1,000 events/s, about 7 s in Chromium behind a preview of its first hour) stays
/// exact; beyond, a run is scaled.
pub const EXACT_EVENTS: f64 = 100_000_000.0;
/// Thinned events `auto` aims for when it scales.
pub const SCALED_EVENTS: f64 = 8_000_000.0;
/// Why a query cannot be thinned, or None.
pub fn unscalable(op: &Operator) -> Option<&'static str> {
    match op {
        Operator::WindowCount(WindowKind::Session { .. }) => Some(
            "session windows close after a gap between one key's events, and thinning widens \
             those gaps",
        ),
        Operator::Dedup(c) | Operator::DedupWithinWatermark(c) if !c.id => Some(
            "a deduplication not on the unique event id drops repeats of a key or time, and \
             thinning makes repeats rarer",
        ),
        _ => None,
    }
}

/// The factor k for a workload of `events` expected events, or a refusal naming the field.
/// `given`: the events are given (a list or a data file), not generated.
pub fn choose(spec: ScaleSpec, events: f64, given: bool, op: &Operator) -> Result<u64, InputError> {
    let field = "workload.scale";
    match spec {
        ScaleSpec::Factor(1) => Ok(1),
        ScaleSpec::Factor(_) if given => Err(InputError::new(
            field,
            "given events (workload.events or workload.data) are simulated one by one: use 1 or \"auto\"",
        )),
        ScaleSpec::Factor(k) => match unscalable(op) {
            Some(why) => Err(InputError::new(
                field,
                format!("{why}: this query runs exact only (scale 1 or \"auto\")"),
            )),
            None => Ok(k),
        },
        ScaleSpec::Auto if given || events <= EXACT_EVENTS || unscalable(op).is_some() => Ok(1),
        ScaleSpec::Auto => Ok(((events / SCALED_EVENTS).ceil() as u64).clamp(2, MAX_FACTOR)),
    }
}

/// Whether the query writes one output row per input row (select, deduplication on the
/// unique id): then output rows, file rows and a deduplication's state scale by k.
pub fn row_preserving(op: &Operator) -> bool {
    matches!(
        op,
        Operator::Select | Operator::Dedup(_) | Operator::DedupWithinWatermark(_)
    )
}

/// `ceil(n ÷ k)`, at least 1: a per-file row limit in thinned rows.
pub fn thinned_limit(n: u64, k: u64) -> u64 {
    n.div_ceil(k.max(1)).max(1)
}

/// Copies each of a batch's `n` output rows of weight `k` is spread over when its tasks
/// are hashed (a deduplication's k real rows have k ids, so k tasks): enough that the
/// batch's rows reach `8 ×` the `tasks` (a task none reaches is then as rare, e^−8, as in
/// the real batch), never more than k. 1 when `k` is 1 or the batch is dense.
pub fn copies(k: u64, n: u64, tasks: u32) -> u64 {
    if k <= 1 || n == 0 {
        return 1;
    }
    (8 * u64::from(tasks)).div_ceil(n).clamp(1, k)
}

/// The `j`-th copy of a row (its id made distinct: id × k + j; the first is the row).
pub fn copy_of(r: &crate::operators::operator::OutRow, j: u64, k: u64) -> crate::operators::operator::OutRow {
    match r {
        crate::operators::operator::OutRow::Dedup(row) if j > 0 => {
            crate::operators::operator::OutRow::Dedup(crate::operators::operator::Row {
                id: row.id.wrapping_mul(k).wrapping_add(j),
                ..*row
            })
        }
        _ => *r,
    }
}

/// The rows the `j`-th of `copies` copies of a weight-`k` row stands for: k split as
/// evenly as whole rows go (the first `k mod copies` take one more).
pub fn copy_weight(k: u64, copies: u64, j: u64) -> u64 {
    k / copies + u64::from(j < k % copies)
}

/// Expected share of groups kept: of the (key, window) groups that hold at least one real
/// event (Poisson, `p × per_window_events` of them for a key of probability `p`), those
/// that hold at least one thinned one. With many events per group it is 1.
pub fn group_coverage(key_probs: impl Iterator<Item = f64>, per_window_events: f64, k: u64) -> f64 {
    let (mut real, mut kept) = (0.0, 0.0);
    for p in key_probs {
        let m = p * per_window_events;
        real += 1.0 - (-m).exp();
        kept += 1.0 - (-m / k as f64).exp();
    }
    if real > 0.0 { (kept / real).min(1.0) } else { 1.0 }
}

/// The figures a scaled run estimates, for `op`.
pub fn estimates(op: &Operator) -> Vec<&'static str> {
    let mut e = vec![
        "summary.fates",
        "summary.dropped_late",
        "summary.latency",
        "latency_histogram",
    ];
    if !row_preserving(op) {
        e.extend([
            "summary.output_rows",
            "summary.peak_state_rows",
            "summary.final_state_rows",
            "state_memory",
        ]);
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::dedup::DedupColumns;
    use crate::operators::window::Windowing;

    fn tumbling() -> Operator {
        Operator::WindowCount(WindowKind::Fixed(Windowing {
            size: 60_000_000,
            slide: 60_000_000,
        }))
    }

    #[test]
    fn auto_is_exact_within_the_budget_and_thins_beyond() {
        let op = tumbling();
        assert_eq!(choose(ScaleSpec::Auto, 1e6, false, &op).unwrap(), 1);
        assert_eq!(choose(ScaleSpec::Auto, EXACT_EVENTS, false, &op).unwrap(), 1);
        // A day at 100 000 events/s: 8.64 G events, 1,080 real per simulated one.
        assert_eq!(choose(ScaleSpec::Auto, 8.64e9, false, &op).unwrap(), 1080);
        // Given events never scale.
        assert_eq!(choose(ScaleSpec::Auto, 8.64e9, true, &op).unwrap(), 1);
        let e = choose(ScaleSpec::Factor(4), 1e6, true, &op).unwrap_err();
        assert_eq!(e.field, "workload.scale");
    }

    #[test]
    fn gap_dependent_queries_run_exact_or_are_refused() {
        let session = Operator::WindowCount(WindowKind::Session { gap: 30_000_000 });
        assert_eq!(choose(ScaleSpec::Auto, 8.64e9, false, &session).unwrap(), 1);
        let e = choose(ScaleSpec::Factor(10), 1e6, false, &session).unwrap_err();
        assert!(e.message.contains("session"), "{}", e.message);
        let by_key = Operator::Dedup(DedupColumns {
            id: false,
            key: true,
            event_time: true,
        });
        assert!(choose(ScaleSpec::Factor(10), 1e6, false, &by_key).is_err());
        let by_id = Operator::Dedup(DedupColumns {
            id: true,
            key: false,
            event_time: false,
        });
        assert_eq!(choose(ScaleSpec::Factor(10), 1e6, false, &by_id).unwrap(), 10);
        assert!(row_preserving(&by_id) && !row_preserving(&tumbling()));
    }

    #[test]
    fn the_spec_reads_auto_or_a_whole_factor() {
        let f = |t: &str| crate::base::input::from_str::<ScaleSpec>(t);
        assert_eq!(f("\"auto\"").unwrap(), ScaleSpec::Auto);
        assert_eq!(f("12").unwrap(), ScaleSpec::Factor(12));
        for bad in ["0", "1.5", "-3", "\"x\"", "1e12"] {
            assert!(f(bad).is_err(), "{bad}");
        }
        assert_eq!(serde_json::to_string(&ScaleSpec::Factor(3)).unwrap(), "3");
    }

    #[test]
    fn coverage_is_the_share_of_groups_kept() {
        // 100 uniform keys, 60 000 events a window: every group keeps events at k = 10
        // (60 a group), and all but e^−6 of them at k = 100.
        let p = vec![0.01; 100];
        assert!((group_coverage(p.iter().copied(), 60_000.0, 10) - 1.0).abs() < 1e-9);
        let c = group_coverage(p.iter().copied(), 60_000.0, 100);
        assert!((c - (1.0 - (-6.0f64).exp())).abs() < 1e-9);
        // One event per group on average, k = 2: 1 − e^−½ of 1 − e^−1 of them.
        let c = group_coverage(p.iter().copied(), 100.0, 2);
        let want = (1.0 - (-0.5f64).exp()) / (1.0 - (-1.0f64).exp());
        assert!((c - want).abs() < 1e-12);
        assert_eq!(thinned_limit(1_000, 3), 334);
        // Copies: a sparse batch is spread to 8 × the tasks, split into whole rows.
        assert_eq!(copies(1, 5, 200), 1);
        assert_eq!(copies(720, 5, 200), 320);
        assert_eq!(copies(720, 100_000, 200), 1);
        assert_eq!(copies(3, 5, 200), 3);
        let total: u64 = (0..320).map(|j| copy_weight(720, 320, j)).sum();
        assert_eq!(total, 720);
        assert_eq!(thinned_limit(1, 1000), 1);
    }
}
