//! The stateful operator of a query, behind one interface: a micro-batch of rows and
//! its watermarks in, Spark's state metrics and the rows for the sink out.

use crate::aggregate::WindowCount;
use crate::dedup::{Dedup, DedupKind};
use crate::query::{Operator as OperatorKind, OutputMode, Query};
use crate::session::SessionCount;
use crate::state::StateMetrics;
use crate::time::Micros;
use crate::visible_list::VisibleList;
use crate::window::WindowKind;

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
    pub min_event_time: Micros,
    pub max_event_time: Micros,
    pub max_key: u32,
}

impl RowSpan {
    /// The span of `rows`; None when empty.
    pub fn of(rows: &[Row]) -> Option<RowSpan> {
        let mut s: Option<RowSpan> = None;
        for r in rows {
            s = Some(s.map_or(RowSpan::at(r), |s| s.with(r)));
        }
        s
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

/// What the operator did with one input row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Fate {
    /// Counted (or kept), event time not behind the watermark.
    OnTime = 0,
    /// Counted although its event time was behind the watermark: its window was still open.
    LateCounted = 1,
    /// Dropped by the watermark (numRowsDroppedByWatermark).
    DroppedLate = 2,
    /// Dropped as a duplicate of a row already in state.
    Duplicate = 3,
}

/// An event whose result became visible in this batch's commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visible {
    pub id: u64,
    pub arrival: Micros,
}

/// An aggregate row: a window (or session), a key and its aggregates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct WindowRow {
    pub start: Micros,
    pub end: Micros,
    pub key: u32,
    /// `count(*)`.
    pub count: u64,
    /// `sum(value)` over non-null values (wrapping on i64 overflow).
    pub sum: i64,
    /// Non-null values, for `avg(value)` = sum / nonnull (null when 0).
    pub nonnull: u64,
}

/// Running aggregates of a group: count, sum and non-null count of `value`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Agg {
    pub count: u64,
    pub sum: i64,
    pub nonnull: u64,
}

impl Agg {
    pub fn add(&mut self, value: i64) {
        self.count += 1;
        if value != NULL_VALUE {
            self.sum = self.sum.wrapping_add(value);
            self.nonnull += 1;
        }
    }

    pub fn merge(&mut self, other: &Agg) {
        self.count += other.count;
        self.sum = self.sum.wrapping_add(other.sum);
        self.nonnull += other.nonnull;
    }

    pub fn row(&self, start: Micros, end: Micros, key: u32) -> OutRow {
        OutRow::Window(WindowRow {
            start,
            end,
            key,
            count: self.count,
            sum: self.sum,
            nonnull: self.nonnull,
        })
    }
}

/// A row the sink receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OutRow {
    Window(WindowRow),
    /// A row passed through: by a dedup operator (first occurrence) or a stateless select.
    Dedup(Row),
}

/// What one micro-batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Spark's `numRowsDroppedByWatermark`.
    pub dropped_late: u64,
    pub state: StateMetrics,
    pub output: Vec<OutRow>,
    /// One per input row, in input order.
    pub fates: Vec<Fate>,
    /// Events (of this or earlier batches) whose result this batch's commit made visible:
    /// counted rows at once in update and complete mode, a window's rows when append mode
    /// emits it. An event in several windows is visible with the first one emitted.
    pub visible: VisibleList,
}

/// The fate of a row that was counted, given the late-row watermark.
pub fn counted(r: &Row, late_wm: Option<Micros>) -> Fate {
    if late_wm.is_some_and(|w| r.event_time < w) {
        Fate::LateCounted
    } else {
        Fate::OnTime
    }
}

/// Watermarks one batch works with. With `allowMultiple = true` Spark filters late rows
/// against the previous batch's watermark and evicts against this batch's; with
/// `false` both are this batch's. `None` everywhere when the query has no watermark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchWatermarks {
    pub late: Option<Micros>,
    pub evict: Option<Micros>,
}

#[derive(Debug, Clone)]
pub enum Operator {
    Window(WindowCount),
    Session(SessionCount),
    Dedup(Dedup),
    /// Stateless: every row is output.
    Select {
        /// Ids kept in `visible` for the events with `id & sample_mask == 0`.
        sample_mask: u64,
    },
}

impl Operator {
    pub fn new(q: &Query) -> Self {
        match q.operator {
            OperatorKind::WindowCount(WindowKind::Fixed(w)) => {
                Operator::Window(WindowCount::new(w, q.output_mode))
            }
            OperatorKind::WindowCount(WindowKind::Session { gap }) => {
                Operator::Session(SessionCount::new(gap, q.output_mode))
            }
            OperatorKind::Dedup(cols) => Operator::Dedup(Dedup::new(cols, DedupKind::DropDuplicates)),
            OperatorKind::Select => Operator::Select { sample_mask: 0 },
            OperatorKind::DedupWithinWatermark(cols) => {
                let delay = q.watermark_delay.expect("validation requires a watermark here");
                Operator::Dedup(Dedup::new(cols, DedupKind::WithinWatermark { delay }))
            }
        }
    }

    /// Runs one batch; `span` is `RowSpan::of(rows)`.
    pub fn process(&mut self, rows: &[Row], wm: BatchWatermarks, span: Option<RowSpan>) -> BatchOutcome {
        match self {
            Operator::Window(op) => op.process_with(rows, wm, span),
            Operator::Session(op) => op.process(rows, wm),
            Operator::Dedup(op) => op.process(rows, wm),
            Operator::Select { sample_mask } => BatchOutcome {
                output: rows.iter().map(|r| OutRow::Dedup(*r)).collect(),
                fates: vec![Fate::OnTime; rows.len()],
                visible: {
                    let mut v = VisibleList::default();
                    for r in rows {
                        v.push(
                            Visible {
                                id: r.id,
                                arrival: r.arrival,
                            },
                            r.id & *sample_mask == 0,
                        );
                    }
                    v
                },
                ..BatchOutcome::default()
            },
        }
    }

    pub fn state_rows(&self) -> u64 {
        match self {
            Operator::Window(op) => op.state_rows(),
            Operator::Session(op) => op.state_rows(),
            Operator::Dedup(op) => op.state_rows(),
            Operator::Select { .. } => 0,
        }
    }

    /// Keeps the ids of visible events only for `id & mask == 0` (the report's per-event
    /// sample); 0, the default, keeps every id.
    pub fn set_sample_mask(&mut self, mask: u64) {
        match self {
            Operator::Window(op) => op.sample_mask = mask,
            Operator::Session(op) => op.sample_mask = mask,
            Operator::Dedup(op) => op.sample_mask = mask,
            Operator::Select { sample_mask } => *sample_mask = mask,
        }
    }
}

/// Whether Spark's `shouldRunAnotherBatch` can ever hold for this query: a watermark
/// and an output mode that evicts (append or update; complete mode keeps everything).
pub fn evicts_on_watermark(q: &Query) -> bool {
    q.watermark_delay.is_some() && q.output_mode != OutputMode::Complete && q.operator != OperatorKind::Select
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregates_skip_nulls_and_merge() {
        let mut a = Agg::default();
        for v in [3, NULL_VALUE, -1] {
            a.add(v);
        }
        assert_eq!(
            a,
            Agg {
                count: 3,
                sum: 2,
                nonnull: 2
            }
        );
        let mut b = Agg::default();
        b.add(NULL_VALUE);
        assert_eq!(
            b,
            Agg {
                count: 1,
                sum: 0,
                nonnull: 0
            },
            "sum of only nulls is null: nonnull 0"
        );
        b.merge(&a);
        assert_eq!(
            b,
            Agg {
                count: 4,
                sum: 2,
                nonnull: 2
            }
        );
        assert_eq!(
            b.row(0, 10, 7),
            OutRow::Window(WindowRow {
                start: 0,
                end: 10,
                key: 7,
                count: 4,
                sum: 2,
                nonnull: 2
            })
        );
    }
}
