//! What a sink does when Spark re-runs a failed micro-batch (`engine/spark/recovery.rs`):
//! exactly-once by sink kind.
//!
//! The re-run has the failed attempt's rows and output. What the table ends with depends
//! on how the sink writes and on where the failed attempt stopped:
//!
//! | sink | failed before the write | after the write, before the sink's commit | after the sink's commit (`commits/N`) |
//! | --- | --- | --- | --- |
//! | file sink (parquet, `_spark_metadata`) | written once | the first attempt's part files stay in the directory, not in the log: **orphans** | `_spark_metadata/N` exists, so `FileStreamSink` skips the batch ("Skipping already committed batch") |
//! | Delta (streaming sink, `txnAppId` = query id, `txnVersion` = batch id) | written once | **orphans**: files not in the log until VACUUM deletes them | the table's `txn` has the batch id: skipped |
//! | Iceberg (streaming write records the query id and epoch in the snapshot summary) | written once | **orphans** until `remove_orphan_files` | the epoch is committed: skipped |
//! | `foreachBatch` with a plain append | written once | the append completed: written again — **duplicates** | **duplicates** |
//! | `foreachBatch` keyed on the batch id (Delta `txnAppId`/`txnVersion`, or `MERGE` on a key) | written once | the re-run's write is skipped (or merges into the same rows) | skipped |
//!
//! Sources: the file sink and both `foreachBatch` rows are shown on real Spark 4.3 by the
//! recovery cases (`tests/conformance/recovery/`: `rec_fb_append_*` duplicate the batch
//! after the write, `rec_fb_idempotent_*` do not, `rec_file_sink_*_commit_log` skip the
//! logged batch, the write-task cases leave uncommitted files). Delta's and Iceberg's rows
//! are their documented idempotent streaming writes (Delta Lake docs, "Table streaming reads
//! and writes", idempotent writes with `txnAppId`/`txnVersion`; Iceberg's Spark streaming
//! write), not run here.
//!
//! Invariant: a re-run writes duplicates or orphans, never both; a failure before the write
//! leaves neither.

use crate::engine::spark::recovery::When;
use crate::storage::table_format::TableFormat;
use serde::Serialize;

/// How the query writes its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Writer {
    /// The format's own streaming sink (`writeStream.format(...)`).
    #[default]
    Sink,
    /// `foreachBatch` appending the batch's rows with a plain `write.mode("append")`.
    ForeachBatchAppend,
    /// `foreachBatch` writing idempotently on the batch id.
    ForeachBatchIdempotent,
}

/// What the failed attempt left behind once the batch has been re-run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rerun {
    /// The first attempt's files stay outside the table (the re-run writes its own).
    pub orphans: bool,
    /// The first attempt's rows were committed, and the re-run commits them again.
    pub duplicates: bool,
}

/// The table above's cell for `format`, `writer` and `when`.
pub fn rerun(format: TableFormat, writer: Writer, when: When) -> Rerun {
    let _ = format; // every format's own sink follows the same rule (the table above)
    match (writer, when) {
        (_, When::BeforeWrite) => Rerun::default(),
        (Writer::ForeachBatchAppend, _) => Rerun {
            orphans: false,
            duplicates: true,
        },
        (Writer::ForeachBatchIdempotent, _) | (Writer::Sink, When::CommitLog) => Rerun::default(),
        (Writer::Sink, When::AfterWrite) => Rerun {
            orphans: true,
            duplicates: false,
        },
    }
}

crate::read_names!(Writer {
    "sink" => Sink,
    "foreach_batch_append" => ForeachBatchAppend,
    "foreach_batch_idempotent" => ForeachBatchIdempotent,
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_or_orphans_never_both_and_nothing_before_the_write() {
        for format in [TableFormat::Parquet, TableFormat::Delta, TableFormat::Iceberg] {
            for writer in [
                Writer::Sink,
                Writer::ForeachBatchAppend,
                Writer::ForeachBatchIdempotent,
            ] {
                for when in [When::BeforeWrite, When::AfterWrite, When::CommitLog] {
                    let r = rerun(format, writer, when);
                    assert!(!(r.orphans && r.duplicates));
                    if when == When::BeforeWrite {
                        assert_eq!(r, Rerun::default());
                    }
                }
            }
        }
        assert!(rerun(TableFormat::Parquet, Writer::Sink, When::AfterWrite).orphans);
        assert!(rerun(TableFormat::Delta, Writer::ForeachBatchAppend, When::CommitLog).duplicates);
        assert_eq!(
            rerun(
                TableFormat::Delta,
                Writer::ForeachBatchIdempotent,
                When::AfterWrite
            ),
            Rerun::default()
        );
    }
}
