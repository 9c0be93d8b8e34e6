//! Freshness: how old the newest visible data is, and the service class a configuration
//! meets. The staleness just before a commit is the commit's time minus the arrival of
//! the newest event visible before it: the sawtooth's peak.

use serde::Serialize;

/// Latency classes by p95 arrival → visible latency (the teaching material's split):
/// real-time under 1 s, near-real-time under 5 min, batch otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SlaClass {
    RealTime,
    NearRealTime,
    Batch,
    /// No event became visible.
    #[default]
    None,
}

/// The class of a p95 latency in µs (None when nothing became visible).
pub fn sla_class(p95_us: Option<i64>) -> SlaClass {
    match p95_us {
        None => SlaClass::None,
        Some(l) if l < 1_000_000 => SlaClass::RealTime,
        Some(l) if l < 300_000_000 => SlaClass::NearRealTime,
        Some(_) => SlaClass::Batch,
    }
}

/// Staleness at each commit (commit time − newest arrival visible before it), µs; -1 where
/// nothing was visible yet. `commit_us` and `newest_us` (newest arrival visible after the
/// commit, `i64::MIN` = none) are per batch.
pub fn staleness_before_commits(commit_us: &[i64], newest_us: &[i64]) -> Vec<i64> {
    let mut prev = i64::MIN;
    commit_us
        .iter()
        .zip(newest_us)
        .map(|(&c, &n)| {
            let s = if prev == i64::MIN { -1 } else { c - prev };
            prev = prev.max(n);
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_and_staleness_by_hand() {
        assert_eq!(sla_class(Some(999_999)), SlaClass::RealTime);
        assert_eq!(sla_class(Some(1_000_000)), SlaClass::NearRealTime);
        assert_eq!(sla_class(Some(300_000_000)), SlaClass::Batch);
        assert_eq!(sla_class(None), SlaClass::None);
        // Commits at 10, 20, 30 s; newest visible arrivals 8 s, (none new), 29 s.
        let s = staleness_before_commits(&[10, 20, 30], &[8, i64::MIN, 29]);
        assert_eq!(s, vec![-1, 12, 22]);
    }
}
