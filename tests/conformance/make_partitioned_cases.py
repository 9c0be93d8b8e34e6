#!/usr/bin/env python3
"""Writes the multi-partition conformance cases (cases/parts_*.json).

A partitioned case has `"input_partitions": N` and every input row a `"partition": p`
(0 <= p < N): the oracle feeds each micro-batch to Spark as exactly N input partitions,
partition p holding the rows marked p in their listed order (README.md, "Input partitions").
The hand-written cases pin one fact each; the `parts_random_s*` ones are seeded random inputs
(make_random_cases.gen_input) with seeded random partitions. Like make_cases.py it is
idempotent and leaves `expected` to the oracle (oracle.sh).
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_cases as mc  # noqa: E402
import make_random_cases as mr  # noqa: E402


def pcase(name, description, query, n, inp, **eng):
    c = mc.case(name, description, query, inp, **eng)
    out = {}
    for k, v in c.items():
        if k == "input":
            out["input_partitions"] = n
        out[k] = v
    return out


def at(p, rows):
    """rows placed in input partition p."""
    return [dict(r, partition=p) for r in rows]


def interleave(*parts):
    """Lists of rows -> one list, round-robin (so the listed order is not partition order)."""
    out = []
    for k in range(max(len(p) for p in parts)):
        for p in parts:
            if k < len(p):
                out.append(p[k])
    return out


def random_partitions(seed, batches, n):
    """Each row gets a partition from its own random.Random(2000 + seed)."""
    r = random.Random(2000 + seed)
    return [[dict(row, partition=r.randrange(n)) for row in b] for b in batches]


CASES = []
add = CASES.append

# ------------------------------------------------------------- windowed aggregations
i = mc.Ids()
add(pcase(
    "parts_tumbling_late_groups_P3in",
    "10 s tumbling, 5 s watermark, append, 3 input partitions, 2 shuffle partitions. Batch 1 "
    "moves the watermark to 30 s; batch 2 has late rows: (a, [0,10)) in all three input "
    "partitions, (b, [10,20)) twice in partition 0, (a, [10,20)) in partitions 1 and 2. "
    "numRowsDroppedByWatermark counts what reaches the state operator after the partial "
    "aggregation and its shuffle: distinct late (key, window) groups of the batch, whatever "
    "the input partitions.",
    mc.wq(mc.tumbling(10), 5, "append"), 3,
    [
        interleave(at(0, mc.rows(i, ("a", 1), ("b", 12))), at(1, mc.rows(i, ("a", 3))),
                   at(2, mc.rows(i, ("c", 4), ("a", 15)))),
        at(2, mc.rows(i, ("a", 35))),
        interleave(at(0, mc.rows(i, ("a", 2), ("b", 11), ("b", 13), ("c", 40))),
                   at(1, mc.rows(i, ("a", 4), ("a", 16))),
                   at(2, mc.rows(i, ("a", 7), ("a", 18), ("c", 41)))),
        at(1, mc.rows(i, ("c", 60))),
    ],
    partitions=2,
))
i = mc.Ids()
add(pcase(
    "parts_sliding_late_groups_P4in",
    "10 s windows sliding by 5 s, 5 s watermark, update, 4 input partitions (one always "
    "empty), 3 shuffle partitions. Late rows of one key spread over partitions fall in two "
    "windows each: counted once per distinct late (key, window).",
    mc.wq(mc.sliding(10, 5), 5, "update"), 4,
    [
        interleave(at(0, mc.rows(i, ("a", 1), ("b", 6))), at(2, mc.rows(i, ("a", 7)))),
        at(1, mc.rows(i, ("a", 32))),
        interleave(at(0, mc.rows(i, ("a", 2), ("a", 8))), at(1, mc.rows(i, ("a", 3))),
                   at(2, mc.rows(i, ("a", 9), ("b", 12), ("a", 30)))),
        [],
        at(3, mc.rows(i, ("b", 50))),
    ],
    partitions=3,
))
i = mc.Ids()
add(pcase(
    "parts_tumbling_complete_P3in",
    "10 s tumbling, 5 s watermark, complete, 3 input partitions, 2 shuffle partitions: counts "
    "of a window whose rows are spread over partitions merge into one row; complete mode "
    "drops nothing.",
    mc.wq(mc.tumbling(10), 5, "complete"), 3,
    [
        interleave(at(0, mc.rows(i, ("a", 1), ("a", 2))), at(1, mc.rows(i, ("a", 3), ("b", 4))),
                   at(2, mc.rows(i, ("a", 5)))),
        interleave(at(2, mc.rows(i, ("a", 25))), at(0, mc.rows(i, ("a", 6), ("b", 7)))),
        at(1, mc.rows(i, ("a", 8), ("b", 9), ("a", 26))),
    ],
    partitions=2,
))
i = mc.Ids()
add(pcase(
    "parts_session_late_rows_P3in",
    "Session windows (gap 5 s), 5 s watermark, append, 3 input partitions, 2 shuffle "
    "partitions. Batch 2 has late rows: a@1 three times in partition 0 and once in 1 and in "
    "2, a@2 in partitions 0 and 1, b@3 twice in partition 2. The partial aggregation groups "
    "each input partition's rows by (key, their own session [t, t+gap)) before the shuffle, "
    "so a late row is counted once per distinct (input partition, key, event time).",
    mc.wq(mc.session(5), 5, "append"), 3,
    [
        interleave(at(0, mc.rows(i, ("a", 1), ("b", 2))), at(1, mc.rows(i, ("a", 4)))),
        at(2, mc.rows(i, ("a", 40))),
        interleave(at(0, mc.rows(i, ("a", 1), ("a", 1), ("a", 1), ("a", 2), ("b", 41))),
                   at(1, mc.rows(i, ("a", 1), ("a", 2), ("a", 42))),
                   at(2, mc.rows(i, ("a", 1), ("b", 3), ("b", 3)))),
        at(0, mc.rows(i, ("a", 70))),
    ],
    partitions=2,
))
i = mc.Ids()
add(pcase(
    "parts_session_sum_merge_P2in",
    "Session windows (gap 4 s), 3 s watermark, complete, sum(value), 2 input partitions, "
    "3 shuffle partitions: rows of one session in both partitions (identical event times "
    "too) merge into one session with the full sum. Complete mode judges late rows against the "
    "previous batch's watermark: batch 2's b@2 rows are kept (watermark 3 s), batch 3's late "
    "b@2 and a@5 rows (watermark 27 s) count once per distinct (input partition, key, event "
    "time): 4.",
    mc.wq(mc.session(4), 3, "complete", "sum"), 2,
    [
        interleave(at(0, mc.vrows(i, ("a", 1, 5), ("a", 3, 7), ("b", 2, 1))),
                   at(1, mc.vrows(i, ("a", 3, 11), ("a", 6, -2), ("b", 2, 4)))),
        interleave(at(1, mc.vrows(i, ("a", 30, 1))), at(0, mc.vrows(i, ("a", 9, 2)))),
        interleave(at(0, mc.vrows(i, ("b", 2, 9), ("b", 2, 9), ("a", 31, 3))),
                   at(1, mc.vrows(i, ("b", 2, 9), ("a", 33, 4)))),
        interleave(at(0, mc.vrows(i, ("b", 2, 1), ("b", 2, 1), ("a", 5, 1), ("a", 36, 6))),
                   at(1, mc.vrows(i, ("b", 2, 1), ("a", 5, 1), ("a", 5, 1)))),
    ],
    partitions=3,
))

# ------------------------------------------------------------- deduplication
add(pcase(
    "parts_dedup_key_first_occurrence_P3in",
    "dropDuplicates(key), no watermark, 3 input partitions, 2 shuffle partitions. Duplicates "
    "of a key arrive in several input partitions within one batch, listed out of partition "
    "order: the survivor (the row output, with its id) is the first in (input partition, "
    "position) order — the order the shuffle hands the rows to StreamingDeduplicateExec.",
    mc.dq(["key"], None), 3,
    [
        interleave(at(2, mc.drows((1, "a", 1), (2, "b", 2))),
                   at(1, mc.drows((3, "a", 3), (4, "c", 4), (5, "b", 5))),
                   at(0, mc.drows((6, "c", 6)))),
        interleave(at(1, mc.drows((7, "d", 7), (8, "e", 8))),
                   at(0, mc.drows((9, "e", 9), (10, "a", 10), (11, "d", 11)))),
        at(2, mc.drows((12, "f", 12), (13, "f", 13))),
    ],
    partitions=2,
))
add(pcase(
    "parts_dedup_key_event_time_wm_P4in",
    "dropDuplicates(key, event_time), 5 s watermark, append, 4 input partitions, 3 shuffle "
    "partitions: equal (key, event time) rows with different ids in several partitions; late "
    "rows counted per row, in every partition.",
    mc.dq(["key", "event_time"], 5), 4,
    [
        interleave(at(3, mc.drows((1, "a", 10), (2, "b", 11))),
                   at(1, mc.drows((3, "a", 10), (4, "b", 12))),
                   at(2, mc.drows((5, "b", 11), (6, "a", 10)))),
        interleave(at(2, mc.drows((7, "a", 30))), at(0, mc.drows((8, "a", 30), (9, "c", 3)))),
        interleave(at(3, mc.drows((10, "c", 3), (11, "a", 31))),
                   at(1, mc.drows((12, "c", 3), (13, "a", 31))),
                   at(0, mc.drows((14, "a", 32)))),
    ],
    partitions=3,
))
add(pcase(
    "parts_dedup_within_wm_expiry_P3in",
    "dropDuplicatesWithinWatermark(key), 10 s watermark, 3 input partitions, 2 shuffle "
    "partitions. Which duplicate survives decides the state's expiry (first event time + "
    "delay): key a at 20 s in partition 0 (listed second) beats a at 5 s in partition 1 "
    "(listed first), so a stays in state until the watermark reaches 30 s, not 15 s.",
    mc.dq(["key"], 10, within=True), 3,
    [
        interleave(at(1, mc.drows((1, "a", 5), (2, "b", 21))),
                   at(0, mc.drows((3, "a", 20), (4, "b", 6))),
                   at(2, mc.drows((5, "c", 8)))),
        at(2, mc.drows((6, "z", 27))),
        interleave(at(0, mc.drows((7, "a", 26), (8, "b", 27))), at(1, mc.drows((9, "c", 27)))),
        at(1, mc.drows((10, "z", 41))),
        interleave(at(2, mc.drows((11, "a", 40))), at(0, mc.drows((12, "b", 35)))),
    ],
    partitions=2,
))
add(pcase(
    "parts_empty_partitions_P5in",
    "dropDuplicates(key) with a 5 s watermark, 5 input partitions of which most are empty, "
    "an empty micro-batch (5 empty partitions), 1 shuffle partition: survivors by partition "
    "order; empty partitions change nothing.",
    mc.dq(["key"], 5), 5,
    [
        interleave(at(4, mc.drows((1, "a", 1))), at(3, mc.drows((2, "a", 2), (3, "b", 3)))),
        [],
        interleave(at(4, mc.drows((4, "c", 20), (5, "d", 21))), at(2, mc.drows((6, "d", 22)))),
        at(0, mc.drows((7, "a", 1), (8, "e", 30))),
    ],
    partitions=1,
))

# ------------------------------------------------------------- file sink
add(pcase(
    "parts_sink_dedup_key_event_time_flat_P3in",
    "dropDuplicates(key, event_time), 5 s watermark, a flat parquet sink, 3 input partitions, "
    "4 shuffle partitions: survivors by (input partition, position); the part files come from "
    "the shuffle partitions' tasks, as with one input partition.",
    mc.dsq(["key", "event_time"], 5), 3,
    [
        interleave(at(2, mc.drows((1, "a", 1), (2, "b", 2), (3, "c", 3))),
                   at(1, mc.drows((4, "a", 1), (5, "d", 4))),
                   at(0, mc.drows((6, "b", 2), (7, "e", 5), (8, "f", 6)))),
        [],
        interleave(at(0, mc.drows((9, "g", 20), (10, "a", 1))),
                   at(1, mc.drows((11, "g", 20), (12, "h", 21))),
                   at(2, mc.drows((13, "h", 21), (14, "c", 22)))),
        at(1, mc.drows((15, "i", 40), (16, "i", 40), (17, "j", 41))),
    ],
    partitions=4,
))

# ------------------------------------------------------------- seeded random
RANDOM = [
    ("parts_random_s11_tumbling_append_P3in", 11, 3,
     "seed 11: 10 s tumbling, 5 s watermark, append, 3 input partitions, 4 shuffle partitions",
     mc.wq(mc.tumbling(10), 5, "append"), None, {"partitions": 4}),
    ("parts_random_s12_session_append_P4in", 12, 4,
     "seed 12: session windows (gap 3 s), 6 s watermark, append, 4 input partitions, "
     "2 shuffle partitions",
     mc.wq(mc.session(3), 6, "append"), None, {"partitions": 2}),
    ("parts_random_s13_dedup_id_P3in", 13, 3,
     "seed 13: dropDuplicates(id), 5 s watermark, 3 input partitions; ids re-sent with new "
     "event times",
     mc.dq(["id"], 5), "id", {"partitions": 3}),
    ("parts_random_s14_dedup_within_wm_P2in", 14, 2,
     "seed 14: dropDuplicatesWithinWatermark(id), 5 s watermark, 2 input partitions; ids "
     "re-sent with new event times",
     mc.dq(["id"], 5, within=True), "id", {"partitions": 4}),
    ("parts_random_s15_sliding_sum_update_P3in", 15, 3,
     "seed 15: 10 s windows sliding by 4 s, 8 s watermark, update, sum(value), 3 input "
     "partitions, 3 shuffle partitions",
     mc.wq(mc.sliding(10, 4), 8, "update", "sum"), None, {"partitions": 3}),
]
for name, seed, n, desc, q, dedup, eng in RANDOM:
    inp = mr.gen_input(seed, dedup=dedup)
    if q.get("aggregate"):
        inp = mr.with_values(seed, inp)
    add(pcase(name, desc, q, n, random_partitions(seed, inp, n), **eng))

if __name__ == "__main__":
    mc.write_all(CASES)
