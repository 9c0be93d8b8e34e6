//! The scaled mode's last step: a thinned run's report weighed up to the real volume —
//! every sum over events × k — with what that makes an estimate said in the report
//! (`scenario/scale.rs` states the rule and what thinning keeps).

use crate::operators::query::Operator;
use crate::operators::window::WindowKind;
use crate::report::summary::{Report, Scaled};
use crate::scenario::scale::{estimates, group_coverage, row_preserving};
use crate::scenario::spec::Scenario;

/// Weighs a thinned run's report to the real volume (the sums over events × k) and says
/// what it did. `sc`: the scaled scenario.
pub fn weigh(r: &mut Report, sc: &Scenario) -> Scaled {
    let k = sc.scale;
    let op = &sc.query.operator;
    let rows = row_preserving(op);
    let x = |v: &mut u64| *v = v.saturating_mul(k);
    let simulated_events = r.summary.events;
    let s = &mut r.summary;
    let b = &mut r.batches;
    for v in [
        &mut s.events,
        &mut s.unprocessed_events,
        &mut s.dropped_late,
        &mut s.max_backlog_rows,
        &mut s.latency.count,
        &mut s.fates.on_time,
        &mut s.fates.late_counted,
        &mut s.fates.dropped_late,
        &mut s.fates.duplicate,
        &mut s.fates.in_state_at_end,
    ] {
        x(v);
    }
    if rows {
        for v in [
            &mut s.output_rows,
            &mut s.peak_state_rows,
            &mut s.final_state_rows,
        ] {
            x(v);
        }
    }
    let mut cols = vec![&mut b.input_rows, &mut b.dropped_late, &mut b.backlog_rows];
    if rows {
        cols.extend([
            &mut b.output_rows,
            &mut b.state_rows_total,
            &mut b.state_rows_updated,
            &mut b.state_rows_removed,
        ]);
    }
    for c in cols {
        c.iter_mut().for_each(x);
    }
    r.latency_histogram.count.iter_mut().for_each(x);
    let group_coverage = coverage(sc);
    if !rows && group_coverage < 1.0 {
        // Groups the thinning left out: the group figures ÷ the expected share kept.
        let up = |v: &mut u64| *v = (*v as f64 / group_coverage).round() as u64;
        for v in [
            &mut s.output_rows,
            &mut s.peak_state_rows,
            &mut s.final_state_rows,
        ] {
            up(v);
        }
        for c in [
            &mut b.output_rows,
            &mut b.state_rows_total,
            &mut b.state_rows_updated,
            &mut b.state_rows_removed,
        ] {
            c.iter_mut().for_each(up);
        }
    }
    Scaled {
        factor: k,
        simulated_events,
        group_coverage,
        estimates: estimates(op),
        timeline_slice_s: 0.0,
    }
}

/// The expected share of the real stream's (key, window) groups a thinned run holds (1
/// without fixed windows): real events a group holds on average are the real rate over a
/// window.
fn coverage(sc: &Scenario) -> f64 {
    let k = sc.scale;
    match &sc.query.operator {
        Operator::WindowCount(WindowKind::Fixed(w)) => {
            let per_window = w.size as f64 / (sc.workload.gap_us() / k as f64);
            group_coverage(sc.workload.key_probabilities(), per_window, k)
        }
        _ => 1.0,
    }
}

/// Real state rows per simulated one, as [`weigh`] weighs them: k for a row-preserving
/// query, ÷ the group coverage for fixed windows, else 1 (1 in an exact run).
pub fn state_row_weight(sc: &Scenario) -> f64 {
    if sc.scale <= 1 {
        1.0
    } else if row_preserving(&sc.query.operator) {
        sc.scale as f64
    } else {
        1.0 / coverage(sc)
    }
}
