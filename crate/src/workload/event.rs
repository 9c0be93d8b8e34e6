//! One event of the workload: the query's input row, with its event time (when it
//! happened) and its arrival (when the source made it available, processing time). The
//! workload makes them; the operators and engines read them.
//!
//! Invariant: `arrival` ≥ `event_time` for every generated event (lateness is never
//! negative); a null `value` is [`NULL_VALUE`].

use crate::base::time::Micros;

/// One event: the query's input row ([`Row`]). Generated ids are 0, 1, 2, … in
/// arrival order (direct generator) or event-time order (event-time-order generator and
/// explicit events).
pub type Event = Row;

/// One input row of the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    pub id: u64,
    /// Index into the key dictionary.
    pub key: u32,
    pub event_time: Micros,
    /// When the source made it available (processing time); 0 where unknown.
    pub arrival: Micros,
    /// The `value` column (Spark LongType); [`NULL_VALUE`] for null.
    pub value: i64,
}

/// Bounds of a batch's rows, gathered while the batch is taken (saves a pass over it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowSpan {
    /// The earliest and latest event times, exactly (the watermark reads the latest).
    pub min_event_time: Micros,
    pub max_event_time: Micros,
    /// At least the largest key: the direct generator's common case gives its key range's
    /// top instead of tracking it (the dense step only sizes its table by it).
    pub max_key: u32,
}

impl RowSpan {
    /// The span of `rows`; None when empty.
    pub fn of(rows: &[Row]) -> Option<RowSpan> {
        let first = rows.first()?;
        Some(rows.iter().fold(RowSpan::at(first), RowSpan::with))
    }

    /// Whether `span` is that of `rows` as the engine needs it: None for no rows, else
    /// their exact earliest and latest event times and a `max_key` at least their largest.
    pub fn covers(span: Option<RowSpan>, rows: &[Row]) -> bool {
        match (span, RowSpan::of(rows)) {
            (Some(s), Some(exact)) => {
                s.min_event_time == exact.min_event_time
                    && s.max_event_time == exact.max_event_time
                    && s.max_key >= exact.max_key
            }
            (s, exact) => s.is_none() && exact.is_none(),
        }
    }

    /// The span of both.
    #[inline]
    pub fn union(self, o: RowSpan) -> RowSpan {
        RowSpan {
            min_event_time: self.min_event_time.min(o.min_event_time),
            max_event_time: self.max_event_time.max(o.max_event_time),
            max_key: self.max_key.max(o.max_key),
        }
    }

    /// `span` widened to `more` (None: no rows yet).
    pub fn widen(span: &mut Option<RowSpan>, more: Option<RowSpan>) {
        if let Some(m) = more {
            *span = Some(span.map_or(m, |s| s.union(m)));
        }
    }

    /// The span of one row.
    #[inline]
    pub fn at(r: &Row) -> RowSpan {
        RowSpan {
            min_event_time: r.event_time,
            max_event_time: r.event_time,
            max_key: r.key,
        }
    }

    /// This span widened to `r`.
    #[inline]
    pub fn with(self, r: &Row) -> RowSpan {
        RowSpan {
            min_event_time: self.min_event_time.min(r.event_time),
            max_event_time: self.max_event_time.max(r.event_time),
            max_key: self.max_key.max(r.key),
        }
    }
}

/// The null `value` (sum and avg skip it, as SQL does).
pub const NULL_VALUE: i64 = i64::MIN;

/// A given event (explicit in the scenario or loaded from a file) as validated: (key index, event time, arrival if given, value).
pub type GivenEvent = (u32, Micros, Option<Micros>, i64);

/// Most explicit events one scenario may hold (larger data goes through the loaders).
pub const MAX_EXPLICIT_EVENTS: usize = 5_000_000;

#[cfg(test)]
mod tests {
    use super::{Row, RowSpan};

    /// A span covers rows with their exact event times and any key bound at or above theirs.
    #[test]
    fn a_span_covers_its_rows_with_a_key_bound() {
        let row = |event_time, key| Row {
            id: 0,
            key,
            event_time,
            arrival: event_time,
            value: 1,
        };
        let rows = [row(5, 3), row(2, 7), row(9, 1)];
        let exact = RowSpan::of(&rows);
        assert_eq!(
            exact,
            Some(RowSpan {
                min_event_time: 2,
                max_event_time: 9,
                max_key: 7
            })
        );
        let with_key = |max_key| exact.map(|s| RowSpan { max_key, ..s });
        assert!(RowSpan::covers(exact, &rows));
        assert!(RowSpan::covers(with_key(63), &rows));
        assert!(!RowSpan::covers(with_key(6), &rows));
        let wider = exact.map(|s| RowSpan {
            min_event_time: 1,
            ..s
        });
        assert!(!RowSpan::covers(wider, &rows));
        assert!(RowSpan::covers(None, &[]));
        assert!(!RowSpan::covers(None, &rows));
        assert!(!RowSpan::covers(exact, &[]));
    }
}
