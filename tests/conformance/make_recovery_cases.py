#!/usr/bin/env python3
"""Writes the failure-and-recovery cases tests/conformance/recovery/*.json
(format `pipeline-sim/recovery-v1`; `expected` is filled by recovery_oracle.py on real Spark).

A case: `query` (as in conformance-v1, plus operator "select": the parsed input rows), `source`
({"kind": "memory"} or {"kind": "files", "max_files_per_trigger": k | null}), `sink`
({"kind": "foreach_batch_append" | "foreach_batch_idempotent" | "file"}), `failure`
({"batch": N, "when": ..., "marker_id": id for the UDF failures}), `restart`
({"backlog": k}: elements added while the query is down) and `input` (elements, one per
trigger). See README.md, "Failure and recovery".
Usage: python make_recovery_cases.py   (keeps an existing `expected` of a case it rewrites)
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "recovery")
FORMAT = "pipeline-sim/recovery-v1"


def r(i, key, sec):
    """A row `sec` seconds after 2024-01-01T00:00:00Z (minutes carried: 70 is 00:01:10)."""
    return {"id": i, "key": key, "event_time": "2024-01-01T00:%02d:%02d.000000Z" % divmod(sec, 60)}


def conf(p):
    return {"spark.sql.shuffle.partitions": p,
            "spark.sql.streaming.noDataMicroBatches.enabled": True,
            "spark.sql.streaming.statefulOperator.allowMultiple": True}


SELECT = {"operator": "select", "output_mode": "append"}
TUMBLE = {"operator": "window_count", "window": {"kind": "tumbling", "size_s": 10},
          "watermark_delay_s": 5, "output_mode": "append"}
DEDUP = {"operator": "dedup", "dedup_columns": ["id"], "output_mode": "append"}

# stateless inputs: 4 elements, ids 1..6
SEL_INPUT = [[r(1, "a", 1), r(2, "b", 2)], [r(3, "a", 3)], [r(4, "c", 4), r(5, "a", 5)],
             [r(6, "b", 6)]]
# window inputs (10 s tumbling, 5 s watermark): with no-data batches (Spark runs one whenever
# the watermark advanced, even if nothing is evicted) the batch ids are
# 0:e0  1:no-data (wm 7)  2:e1  3:no-data (wm 20: emits [0,10) a, b and [10,20) a)  4:e2
# 5:no-data (wm 28)  6:e3  7:no-data (wm 40: emits [20,30) c, [30,40) a, b) ...
WIN_INPUT = [
    [r(1, "a", 1), r(2, "b", 2), r(3, "a", 12)],
    [r(4, "c", 25)],
    [r(5, "a", 31), r(6, "b", 33)],
    [r(7, "a", 45)],
    [r(8, "b", 52), r(9, "a", 3)],
    [r(10, "c", 58)],
    [r(11, "d", 70)],
]
# dedup on id (no watermark): ids repeat across elements
DEDUP_INPUT = [
    [r(1, "a", 1), r(2, "b", 2), r(3, "c", 3)],
    [r(2, "b", 2), r(4, "a", 4), r(5, "d", 5)],
    [r(6, "a", 6), r(7, "b", 7), r(8, "c", 8), r(9, "d", 9), r(1, "a", 1)],
    [r(10, "a", 10), r(6, "a", 6)],
]


def case(name, desc, p, query, source, sink, failure, inp, backlog=0):
    return {
        "format": FORMAT, "name": name, "description": desc,
        "engine": {"name": "spark", "version": "4.3.0", "conf": conf(p)},
        "query": query, "source": source, "sink": {"kind": sink}, "failure": failure,
        "restart": {"backlog": backlog}, "input": inp,
    }


MEM = {"kind": "memory"}

CASES = [
    case("rec_fb_append_select_fail_b0_after_write",
         "foreachBatch plain append, stateless; batch 0 fails after it appended: the restart "
         "re-runs batch 0 with the same rows and appends them again (duplicates).",
         2, SELECT, MEM, "foreach_batch_append", {"batch": 0, "when": "after_sink_write"},
         SEL_INPUT),
    case("rec_fb_append_select_fail_b2_before_write",
         "foreachBatch plain append, stateless; batch 2 fails before the write: re-run once, "
         "no duplicate.",
         2, SELECT, MEM, "foreach_batch_append", {"batch": 2, "when": "before_sink"},
         SEL_INPUT),
    case("rec_fb_idempotent_select_fail_b2_after_write",
         "foreachBatch keyed on batchId (txnAppId/txnVersion emulated by a _txn file); batch 2 "
         "fails after the write: the re-run batch 2 is delivered again and skipped.",
         2, SELECT, MEM, "foreach_batch_idempotent", {"batch": 2, "when": "after_sink_write"},
         SEL_INPUT),
    case("rec_fb_append_window_fail_b3_after_write",
         "10 s tumbling count, 5 s watermark, append, foreachBatch plain append; batch 3 is the "
         "no-data batch that emits [0,10) and [10,20): it fails after the write, is re-run with "
         "the same watermark and emits the same windows again (duplicates); state restored.",
         2, TUMBLE, MEM, "foreach_batch_append", {"batch": 3, "when": "after_sink_write"},
         WIN_INPUT),
    case("rec_fb_idempotent_window_fail_b3_after_write",
         "As rec_fb_append_window_fail_b3_after_write with the batchId-keyed write: the re-run "
         "no-data batch is skipped, no duplicate.",
         2, TUMBLE, MEM, "foreach_batch_idempotent", {"batch": 3, "when": "after_sink_write"},
         WIN_INPUT),
    case("rec_fb_append_window_fail_b4_backlog3_memory",
         "Window count, MemoryStream (no rate limit possible); batch 4 (data, element 2) fails "
         "before the write; 3 elements arrive during the outage: batch 3 is re-run with "
         "element 2 only, then ONE batch reads the whole backlog; state restored.",
         2, TUMBLE, MEM, "foreach_batch_append", {"batch": 4, "when": "before_sink"},
         WIN_INPUT, backlog=3),
    case("rec_files_fb_append_window_fail_b4_backlog3_nolimit",
         "As rec_fb_append_window_fail_b4_backlog3_memory with a text file source (one file per "
         "element), no maxFilesPerTrigger: the backlog is one batch.",
         2, TUMBLE, {"kind": "files", "max_files_per_trigger": None}, "foreach_batch_append",
         {"batch": 4, "when": "before_sink"}, WIN_INPUT, backlog=3),
    case("rec_files_fb_append_window_fail_b4_backlog3_limit1",
         "As rec_files_fb_append_window_fail_b4_backlog3_nolimit with maxFilesPerTrigger 1: "
         "the re-run batch keeps its file, then the backlog is read one file per batch.",
         2, TUMBLE, {"kind": "files", "max_files_per_trigger": 1}, "foreach_batch_append",
         {"batch": 4, "when": "before_sink"}, WIN_INPUT, backlog=3),
    case("rec_files_fb_append_window_fail_b7_after_write_limit1",
         "File source with maxFilesPerTrigger 1, plain append, batch 7 (the no-data batch "
         "emitting 3 windows) fails AFTER the write, backlog 2: duplicates of batch 7's rows.",
         2, TUMBLE, {"kind": "files", "max_files_per_trigger": 1}, "foreach_batch_append",
         {"batch": 7, "when": "after_sink_write"}, WIN_INPUT, backlog=2),
    case("rec_file_sink_dedup_fail_b1_in_input_task",
         "Parquet file sink, dropDuplicates(id), 3 shuffle partitions; a UDF on the input "
         "throws on id 4 in batch 1 (map stage, before the state and the sink): nothing "
         "written by the failed attempt; re-run once.",
         3, DEDUP, MEM, "file", {"batch": 1, "when": "in_input_task", "marker_id": 4},
         DEDUP_INPUT),
    case("rec_file_sink_dedup_fail_b2_in_write_task",
         "Parquet file sink, dropDuplicates(id), 4 shuffle partitions; a UDF on the output rows "
         "throws on id 8 in batch 2 (in a write task, after the state store save): what is "
         "left of the failed job's part files.",
         4, DEDUP, MEM, "file", {"batch": 2, "when": "in_write_task", "marker_id": 8},
         DEDUP_INPUT),
    case("rec_file_sink_select_fail_b0_commit_log",
         "Parquet file sink, stateless; batch 0 writes its files and _spark_metadata/0, then "
         "writing commits/0 fails: the restart re-runs batch 0 and the sink skips it.",
         2, SELECT, MEM, "file", {"batch": 0, "when": "commit_log"}, SEL_INPUT),
    case("rec_file_sink_window_fail_b3_commit_log",
         "Parquet file sink, window count (append): batch 3 (the no-data batch emitting three "
         "windows) is logged in _spark_metadata/3 but commits/3 fails: re-run, skipped by the "
         "sink; state and watermark restored.",
         2, TUMBLE, MEM, "file", {"batch": 3, "when": "commit_log"}, WIN_INPUT),
    case("rec_file_sink_dedup_files_fail_b2_process_killed",
         "Parquet file sink, dropDuplicates(id), 4 shuffle partitions, text file source; in "
         "batch 2 the write task holding id 8 hangs and the driver process (with its JVM) is "
         "killed with SIGKILL: the other tasks' part files stay as orphans outside "
         "_spark_metadata; the restart (a new process) re-runs batch 2 with the same files.",
         4, DEDUP, {"kind": "files", "max_files_per_trigger": None}, "file",
         {"batch": 2, "when": "process_killed", "marker_id": 8}, DEDUP_INPUT),
    case("rec_fb_append_window_fail_b3_commit_log",
         "foreachBatch plain append, window count: batch 3 (emitting three windows) is "
         "written, then commits/3 fails: the restart re-runs batch 3 and appends again (the same duplicate as a failure "
         "after the write).",
         2, TUMBLE, MEM, "foreach_batch_append", {"batch": 3, "when": "commit_log"},
         WIN_INPUT),
]


def main():
    os.makedirs(OUT, exist_ok=True)
    for c in CASES:
        p = os.path.join(OUT, c["name"] + ".json")
        if os.path.exists(p):
            with open(p) as f:
                old = json.load(f)
            if "expected" in old:
                c["expected"] = old["expected"]
                c["engine"]["version"] = old["engine"].get("version", "4.3.0")
        with open(p, "w") as f:
            json.dump(c, f, indent=1)
            f.write("\n")
    print("wrote %d cases to %s" % (len(CASES), OUT))


if __name__ == "__main__":
    main()
