//! Input partitions of a micro-batch: which of Spark's input partitions (a Kafka topic
//! partition, a file split, a `MemoryStream(numPartitions)` slot) each row was read in, and
//! the two places the result depends on it.
//!
//! Engine rules (real Spark 4.3.0, the conformance cases `parts_*`):
//! - A stateful operator runs after a shuffle (`ShuffleExchangeExec`, hash partitioning on
//!   its keys). A reduce task reads the map outputs in map (= input partition) order, and
//!   the shuffle writer keeps each map task's row order, so the operator sees input
//!   partition 0's rows first, in their order, then partition 1's, … ([`shuffle_order`]).
//!   "The first occurrence" a deduplication keeps (`StreamingDeduplicateExec`,
//!   `StreamingDeduplicateWithinWatermarkExec`) is the first in (input partition,
//!   position) order, and with it the event time a within-watermark key expires by.
//! - The partial aggregation (`HashAggregateExec`, partial mode) runs per input partition,
//!   before the shuffle. Fixed windows merge the partial rows again (`PartialMerge`) before
//!   `StateStoreSaveExec` filters late groups: one per distinct late (window, key),
//!   whatever the partitions. Session windows (`AggUtils.planStreamingAggregationForSession`)
//!   group each partition's rows by (key, the row's own session [t, t + gap)) and go
//!   straight to `SessionWindowStateStoreRestoreExec`, which drops late rows: counted once
//!   per distinct (input partition, key, event time).
//! - Nothing else depends on them: the watermark (`EventTimeWatermarkExec`: the max over
//!   all partitions), the state metrics, the rows emitted, the sink's files (written by the
//!   shuffle partitions' tasks).
//!
//! Invariant: a batch in one input partition ([`InputPartitions::ONE`]) behaves exactly as
//! before input partitions existed.

use crate::operators::rows::Row;

/// The input partition of each row of a batch, parallel to its rows (which are in
/// [`shuffle_order`]); [`InputPartitions::ONE`]: every row in partition 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InputPartitions<'a>(Option<&'a [u32]>);

impl<'a> InputPartitions<'a> {
    /// Every row in one input partition.
    pub const ONE: InputPartitions<'static> = InputPartitions(None);

    /// `parts[i]` is row i's input partition; the rows must be in [`shuffle_order`].
    pub fn of(parts: &'a [u32]) -> Self {
        debug_assert!(parts.is_sorted(), "rows in shuffle order");
        InputPartitions(Some(parts))
    }

    /// Row `i`'s input partition.
    #[inline]
    pub fn get(&self, i: usize) -> u32 {
        self.0.map_or(0, |p| p[i])
    }
}

/// A batch's rows in the order the shuffle hands them to a stateful operator: stably by
/// input partition (`parts[i]` is row i's), i.e. by (input partition, position).
pub fn shuffle_order(rows: &[Row], parts: &[u32]) -> (Vec<Row>, Vec<u32>) {
    debug_assert_eq!(rows.len(), parts.len());
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| parts[i]); // stable
    (
        order.iter().map(|&i| rows[i]).collect(),
        order.iter().map(|&i| parts[i]).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(id: u64) -> Row {
        Row {
            id,
            key: 0,
            event_time: 0,
            arrival: 0,
            value: crate::operators::rows::NULL_VALUE,
        }
    }

    #[test]
    fn shuffle_order_is_by_partition_then_position() {
        let rows = [r(1), r(2), r(3), r(4), r(5)];
        let (o, p) = shuffle_order(&rows, &[2, 1, 0, 1, 0]);
        assert_eq!(o.iter().map(|r| r.id).collect::<Vec<_>>(), vec![3, 5, 2, 4, 1]);
        assert_eq!(p, vec![0, 0, 1, 1, 2]);
        assert_eq!(InputPartitions::of(&p).get(4), 2);
        assert_eq!(InputPartitions::ONE.get(4), 0);
    }
}
