//! The rows a stateful operator takes and gives, and what one micro-batch did: the
//! vocabulary the operators (`aggregate.rs`, `dedup.rs`, `session.rs`), their dispatcher
//! (`operator.rs`) and the engine share. Types only, and the one rule of a row's fate that
//! every operator applies (`counted`): a row counted while behind the late-row watermark
//! is late but counted (Spark's `numRowsDroppedByWatermark` counts only dropped ones).
//!
//! Invariant: this module depends on no operator (operators depend on it), so the
//! operator layer has no cycle.

use crate::base::time::Micros;
use crate::operators::state::StateMetrics;
use crate::operators::visible_list::VisibleList;
pub use crate::workload::event::{NULL_VALUE, Row, RowSpan};

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
    /// Append mode: the rows of each window this commit emitted, a list per window, oldest
    /// first (kept apart rather than appended to `visible`: a day's job emits every row of
    /// the day at one commit, and a copy would hold them twice).
    pub emitted: Vec<VisibleList>,
}

impl BatchOutcome {
    /// Every list of rows this batch's commit made visible.
    pub fn visible_lists(&self) -> impl Iterator<Item = &VisibleList> {
        std::iter::once(&self.visible).chain(&self.emitted)
    }
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
