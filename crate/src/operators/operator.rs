//! The stateful operator of a query, behind one interface: a micro-batch of rows and
//! its watermarks in, Spark's state metrics and the rows for the sink out.

use crate::operators::aggregate::WindowCount;
use crate::operators::dedup::{Dedup, DedupKind};
use crate::operators::partitions::InputPartitions;
use crate::operators::query::{Operator as OperatorKind, OutputMode, Query};
use crate::operators::session::SessionCount;
use crate::operators::visible_list::VisibleList;
use crate::operators::window::WindowKind;

// The rows an operator takes and gives (`rows.rs`), under this module's name too: the
// engine and the report name them as the operator's.
pub use crate::operators::rows::{
    Agg, BatchOutcome, BatchWatermarks, Fate, NULL_VALUE, OutRow, Row, RowSpan, WindowRow, counted,
};
pub use crate::operators::visible_list::Visible;

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

    /// Runs one batch; `span` covers `rows` ([`RowSpan::covers`]).
    pub fn process(&mut self, rows: &[Row], wm: BatchWatermarks, span: Option<RowSpan>) -> BatchOutcome {
        self.process_in(rows, InputPartitions::ONE, wm, span)
    }

    /// Runs one batch whose rows (in shuffle order) came in the input partitions `parts`:
    /// only a session's late count depends on them (`partitions.rs`); a dedup keeps the first
    /// row in the order given, the shuffle's.
    pub fn process_in(
        &mut self,
        rows: &[Row],
        parts: InputPartitions,
        wm: BatchWatermarks,
        span: Option<RowSpan>,
    ) -> BatchOutcome {
        match self {
            Operator::Window(op) => op.process_with(rows, wm, span),
            Operator::Session(op) => op.process_in(rows, parts, wm),
            Operator::Dedup(op) => op.process(rows, wm),
            Operator::Select { sample_mask } => BatchOutcome {
                output: rows.iter().map(|r| OutRow::Dedup(*r)).collect(),
                fates: vec![Fate::OnTime; rows.len()],
                visible: {
                    let mut v = VisibleList::default();
                    v.push_rows(rows, *sample_mask);
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
