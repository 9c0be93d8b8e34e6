#!/usr/bin/env python3
"""Writes the hand-authored conformance cases into tests/conformance/cases/.

Each case is a query, its engine settings and its input micro-batches; the `expected`
section is left to the real-Spark oracle (`oracle.sh`). Idempotent: a file whose
query/input/settings are unchanged is left as it is (with its `expected`); a new or changed
case is written without `expected` and must be regenerated with the oracle.

Times are seconds after 2024-01-01T00:00:00Z (plus optional microseconds). Row ids are unique
within a case, except in dedup cases where a repeated id is the point (the same logical event).

Usage: python make_cases.py            (write/refresh cases/*.json)
       python make_cases.py --list     (print the case names)
"""
import datetime as dt
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES_DIR = os.path.join(HERE, "cases")
FORMAT = "pipeline-sim/conformance-v1"
BASE = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def ts(sec, us=0):
    """2024-01-01 + sec seconds + us microseconds, as the examples write it (6 digits, Z)."""
    t = BASE + dt.timedelta(seconds=sec, microseconds=us)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Ids:
    def __init__(self):
        self.n = 0

    def next(self):
        self.n += 1
        return self.n


def rows(ids, *specs):
    """specs: (key, sec) or (key, sec, us) -> rows with fresh ids."""
    out = []
    for s in specs:
        key, sec = s[0], s[1]
        us = s[2] if len(s) > 2 else 0
        out.append({"id": ids.next(), "key": key, "event_time": ts(sec, us)})
    return out


def vrows(ids, *specs):
    """specs: (key, sec, value) or (key, sec, value, us) -> rows with fresh ids and a `value`."""
    out = []
    for s in specs:
        key, sec, value = s[0], s[1], s[2]
        us = s[3] if len(s) > 3 else 0
        out.append({"id": ids.next(), "key": key, "event_time": ts(sec, us), "value": value})
    return out


def drows(*specs):
    """specs: (id, key, sec) or (id, key, sec, us) -> rows with the given ids (dedup cases)."""
    out = []
    for s in specs:
        i, key, sec = s[0], s[1], s[2]
        us = s[3] if len(s) > 3 else 0
        out.append({"id": i, "key": key, "event_time": ts(sec, us)})
    return out


def engine(partitions=4, nodata=True, allow_multiple=True):
    return {
        "name": "spark",
        "version": "4.3.0",
        "conf": {
            "spark.sql.shuffle.partitions": partitions,
            "spark.sql.streaming.noDataMicroBatches.enabled": nodata,
            "spark.sql.streaming.statefulOperator.allowMultiple": allow_multiple,
        },
    }


def tumbling(size):
    return {"kind": "tumbling", "size_s": size}


def sliding(size, slide):
    return {"kind": "sliding", "size_s": size, "slide_s": slide}


def session(gap):
    return {"kind": "session", "gap_s": gap}


def wq(window, delay, mode, aggregate=None):
    """aggregate: None (count only; no "aggregate" key, as before) | "sum" | "avg"."""
    q = {"operator": "window_count", "window": window, "watermark_delay_s": delay,
         "output_mode": mode}
    if aggregate is not None:
        q["aggregate"] = aggregate
    return q


def dq(cols, delay, mode="append", within=False):
    return {"operator": "dedup_within_watermark" if within else "dedup", "dedup_columns": cols,
            "watermark_delay_s": delay, "output_mode": mode}


def case(name, description, query, inp, **eng):
    return {"format": FORMAT, "name": name, "description": description, "engine": engine(**eng),
            "query": query, "input": inp}


CASES = []


def add(c):
    CASES.append(c)


# ---------------------------------------------------------------- tumbling boundaries
i = Ids()
add(case(
    "tumbling_window_end_eq_watermark",
    "10 s tumbling, 5 s watermark, append. The watermark lands exactly on a window end (10.000, "
    "20.000, 30.000): the window is emitted then (end <= watermark). A row whose window end equals "
    "the watermark (9.999999 at wm 10) is dropped; a row whose event time equals the watermark "
    "(10.000000 at wm 10) is kept, its window [10,20) being open.",
    wq(tumbling(10), 5, "append"),
    [
        rows(i, ("a", 3), ("a", 8), ("b", 12)),
        rows(i, ("a", 9, 999999), ("b", 15)),
        rows(i, ("a", 9, 999999), ("a", 10), ("b", 25)),
        rows(i, ("c", 19, 999999), ("c", 20), ("b", 30)),
        rows(i, ("c", 30)),
        rows(i, ("a", 35)),
    ],
))

i = Ids()
add(case(
    "tumbling_watermark_ms_truncation",
    "10 s tumbling, 10 s watermark, append. Max event times with sub-millisecond parts "
    "(.000500, .000999, .999999): the watermark is max event time truncated to the millisecond "
    "minus the delay (20.000999 -> 10.000, 29.999999 -> 19.999, 30.000500 -> 20.000). A row at "
    "19.999500 is still accepted at watermark 19.999 (its window ends at 20).",
    wq(tumbling(10), 10, "append"),
    [
        rows(i, ("a", 5, 500)),
        rows(i, ("a", 20, 999), ("a", 12)),
        rows(i, ("a", 9, 999999), ("b", 29, 999999)),
        rows(i, ("b", 19, 999500), ("c", 30, 500)),
        rows(i, ("b", 40, 1)),
        rows(i, ("a", 39, 999999), ("a", 30)),
        rows(i, ("d", 50, 999)),
    ],
))

i = Ids()
add(case(
    "tumbling_sub_ms_boundaries_update",
    "10 s tumbling, 10 s watermark, update. Event times 1 us either side of window boundaries "
    "(9.999999 / 10.000000 / 10.000001 / 19.999999 / 20.000000) land in the right windows; late "
    "rows against a millisecond watermark.",
    wq(tumbling(10), 10, "update"),
    [
        rows(i, ("a", 9, 999999), ("a", 10), ("a", 10, 1), ("b", 19, 999999), ("b", 20)),
        rows(i, ("a", 0), ("a", 0, 1), ("b", 29, 999999)),
        rows(i, ("a", 19, 999999), ("b", 20, 1), ("a", 29, 999999)),
        rows(i, ("a", 40, 500)),
        rows(i, ("a", 30, 1), ("b", 29, 999999), ("c", 30)),
    ],
))

i = Ids()
add(case(
    "tumbling_out_of_order_in_batch_update",
    "10 s tumbling, 5 s watermark, update. Rows in descending event-time order inside one batch: "
    "nothing in the batch is late (late rows are judged against the watermark in effect, not the "
    "batch's own max); the watermark then follows the batch max.",
    wq(tumbling(10), 5, "update"),
    [
        rows(i, ("a", 45), ("b", 38), ("a", 31), ("a", 22), ("b", 14), ("a", 3)),
        rows(i, ("a", 41), ("b", 39, 999999), ("a", 40), ("c", 35)),
        rows(i, ("c", 60), ("c", 52), ("a", 44), ("b", 49, 999999)),
        rows(i, ("a", 55), ("a", 54, 999999)),
    ],
))

i = Ids()
add(case(
    "tumbling_7s_epoch_alignment",
    "7 s tumbling, 3 s watermark, append. 7 does not divide the seconds since 1970 of "
    "2024-01-01T00:00:00 (1704067200 mod 7 = 3): windows are aligned to the epoch, so they start "
    "at 00:00:04, 00:00:11, 00:00:18, ... (and 23:59:57 of the day before).",
    wq(tumbling(7), 3, "append"),
    [
        rows(i, ("a", 0), ("a", 3, 999999), ("a", 4), ("b", 10, 999999), ("b", 11)),
        rows(i, ("a", 17), ("b", 18)),
        rows(i, ("a", 24, 999999), ("a", 25)),
        rows(i, ("b", 40)),
    ],
))

# ---------------------------------------------------------------- late-row counting
i = Ids()
add(case(
    "tumbling_late_same_window_append",
    "10 s tumbling, 10 s watermark, append. At watermark 15: one batch with 4 late rows for "
    "(a,[0,10)), 2 late rows for (b,[0,10)), 1 late row for (c,[0,10)) and one open-window row. "
    "Then at watermark 35 late rows for two windows of one key. Shows what "
    "numRowsDroppedByWatermark counts (input rows vs partially aggregated groups).",
    wq(tumbling(10), 10, "append"),
    [
        rows(i, ("a", 5), ("b", 6), ("a", 25)),
        rows(i, ("a", 1), ("a", 2), ("a", 3), ("a", 4), ("b", 7), ("b", 8), ("c", 9), ("a", 12)),
        rows(i, ("a", 45)),
        rows(i, ("a", 3), ("a", 13), ("a", 14), ("a", 23), ("b", 36)),
    ],
))

i = Ids()
add(case(
    "tumbling_late_same_window_update",
    "Same input as tumbling_late_same_window_append, update mode.",
    wq(tumbling(10), 10, "update"),
    [
        rows(i, ("a", 5), ("b", 6), ("a", 25)),
        rows(i, ("a", 1), ("a", 2), ("a", 3), ("a", 4), ("b", 7), ("b", 8), ("c", 9), ("a", 12)),
        rows(i, ("a", 45)),
        rows(i, ("a", 3), ("a", 13), ("a", 14), ("a", 23), ("b", 36)),
    ],
))

i = Ids()
add(case(
    "sliding_late_rows_count",
    "10 s windows sliding by 5 s, 10 s watermark, append. At watermark 20: rows at 11, 11.5, 12 "
    "(key a) and 13 (key c) have both windows ([5,15), [10,20)) late; rows at 17 (a) and 18 (b) "
    "have one late window ([10,20)) and one open ([15,25)). Input rows fully late: 4; rows with "
    "a late window: 6; late (row, window) pairs: 10; late (key, window) groups: 5.",
    wq(sliding(10, 5), 10, "append"),
    [
        rows(i, ("a", 30)),
        rows(i, ("a", 11), ("a", 11, 500000), ("a", 12), ("a", 17), ("b", 18), ("c", 13)),
        rows(i, ("a", 50)),
    ],
))

i = Ids()
add(case(
    "complete_late_rows_never_dropped",
    "10 s tumbling, 5 s watermark, complete mode: the watermark advances, yet rows far behind it "
    "are still counted and no state is ever evicted; complete mode runs no no-data batch.",
    wq(tumbling(10), 5, "complete"),
    [
        rows(i, ("a", 1), ("b", 2)),
        rows(i, ("a", 100)),
        rows(i, ("a", 3), ("b", 4), ("c", 5), ("a", 95)),
        rows(i, ("c", 200)),
        rows(i, ("a", 0), ("a", 150)),
    ],
))

# ---------------------------------------------------------------- sliding windows
i = Ids()
add(case(
    "sliding_10_5_append_boundaries",
    "10 s windows sliding by 5 s, 10 s watermark, append. Rows exactly on slide boundaries "
    "(5.000, 10.000) and 1 us before them: a row at t belongs to the windows with "
    "start <= t < end.",
    wq(sliding(10, 5), 10, "append"),
    [
        rows(i, ("a", 4, 999999), ("a", 5), ("a", 9, 999999), ("a", 10), ("b", 0)),
        rows(i, ("a", 14, 999999), ("b", 15)),
        rows(i, ("a", 25)),
        rows(i, ("b", 30)),
        rows(i, ("a", 45)),
    ],
))

i = Ids()
add(case(
    "sliding_10_3_append",
    "10 s windows sliding by 3 s (slide does not divide size: a row is in 3 or 4 windows), "
    "10 s watermark, append.",
    wq(sliding(10, 3), 10, "append"),
    [
        rows(i, ("a", 0), ("a", 1), ("a", 2, 999999), ("a", 3), ("b", 9)),
        rows(i, ("a", 10), ("b", 11, 999999), ("b", 12)),
        rows(i, ("a", 21), ("b", 24)),
        rows(i, ("a", 13), ("b", 30)),
        rows(i, ("a", 50)),
    ],
))

i = Ids()
add(case(
    "sliding_20_10_update",
    "20 s windows sliding by 10 s, 10 s watermark, update.",
    wq(sliding(20, 10), 10, "update"),
    [
        rows(i, ("a", 5), ("a", 15), ("b", 10)),
        rows(i, ("a", 25), ("b", 19, 999999)),
        rows(i, ("a", 9), ("a", 20), ("b", 41)),
        rows(i, ("a", 30), ("b", 35)),
        rows(i, ("a", 61)),
    ],
))

i = Ids()
add(case(
    "sliding_10_7_complete_epoch",
    "10 s windows sliding by 7 s, 5 s watermark, complete. 1704067200 mod 7 = 3, so window "
    "starts are 00:00:04, 00:00:11, ... (epoch-aligned); a row is in 1 or 2 windows.",
    wq(sliding(10, 7), 5, "complete"),
    [
        rows(i, ("a", 0), ("a", 4), ("a", 6), ("a", 10, 999999), ("a", 11)),
        rows(i, ("b", 13), ("b", 14)),
        rows(i, ("a", 30), ("b", 2)),
    ],
))

i = Ids()
add(case(
    "sliding_15_4_update_nowm",
    "15 s windows sliding by 4 s (a row is in 3 or 4 windows), no watermark, update: state is "
    "kept forever and every updated window is emitted.",
    wq(sliding(15, 4), None, "update"),
    [
        rows(i, ("a", 0), ("a", 4), ("b", 7, 999999)),
        rows(i, ("a", 15), ("b", 1)),
        rows(i, ("a", 100)),
    ],
))

# ---------------------------------------------------------------- session windows
i = Ids()
add(case(
    "session_append_basic",
    "Session windows (gap 5 s), 10 s watermark, append: a session is emitted once its end "
    "(last event + gap) <= watermark. Late rows: c@16 at watermark 20 (event time behind the "
    "watermark, but its session [16,21) would end after it).",
    wq(session(5), 10, "append"),
    [
        rows(i, ("a", 1), ("a", 3), ("b", 2), ("a", 10)),
        rows(i, ("a", 30)),
        rows(i, ("b", 21), ("b", 24), ("a", 33), ("c", 16), ("c", 9)),
        rows(i, ("a", 50)),
        rows(i, ("b", 60)),
    ],
))

i = Ids()
add(case(
    "session_merge_across_batches_append",
    "Session windows (gap 10 s), 30 s watermark, append. Key a: sessions [0,10) and [30,40); a@20 "
    "touches [30,40) exactly at its start; a@12 bridges into it; a@9 bridges [0,10) into the rest "
    "-> one session. Key b: b@0 and b@10 in one batch (touching exactly). numRowsTotal shows how "
    "session state is counted.",
    wq(session(10), 30, "append"),
    [
        rows(i, ("a", 0), ("a", 30), ("b", 0), ("b", 10)),
        rows(i, ("a", 20)),
        rows(i, ("a", 12)),
        rows(i, ("a", 9)),
        rows(i, ("c", 100)),
        rows(i, ("c", 200)),
    ],
))

i = Ids()
add(case(
    "session_complete",
    "Session windows (gap 5 s), 10 s watermark, complete mode: all sessions each batch, merges, "
    "rows behind the watermark.",
    wq(session(5), 10, "complete"),
    [
        rows(i, ("a", 1), ("a", 3), ("b", 2)),
        rows(i, ("a", 7), ("b", 20)),
        rows(i, ("a", 40), ("a", 5)),
        rows(i, ("b", 22), ("a", 12), ("c", 1)),
    ],
))

i = Ids()
add(case(
    "session_complete_nowm",
    "Session windows (gap 5 s), no watermark, complete mode.",
    wq(session(5), None, "complete"),
    [
        rows(i, ("a", 1), ("a", 4), ("b", 2)),
        rows(i, ("a", 9), ("b", 20)),
        rows(i, ("a", 14), ("b", 7)),
    ],
))

i = Ids()
add(case(
    "session_out_of_order_P3",
    "Session windows (gap 4 s), 5 s watermark, append, 3 shuffle partitions. Out-of-order rows "
    "inside one batch build one session; a later batch extends a session still in state.",
    wq(session(4), 5, "append"),
    [
        rows(i, ("a", 9), ("a", 1), ("a", 5), ("a", 3), ("b", 20), ("b", 14), ("c", 2)),
        rows(i, ("a", 12), ("b", 22)),
        rows(i, ("c", 40)),
        rows(i, ("a", 50), ("b", 41)),
    ],
    partitions=3,
))

i = Ids()
add(case(
    "session_late_rows_merge",
    "Session windows (gap 5 s), 10 s watermark, append. At watermark 20: c@14 (own session "
    "[14,19) behind the watermark) arrives with c@18 ([18,23)) and merges with it inside the batch; "
    "e@10, e@11, e@12 merge into one late session; d@12 is late although it would overlap the "
    "session d[15,27) in state; f@1 and f@14 are two separate late sessions. Shows that late "
    "rows are judged (and counted) per session merged inside the batch.",
    wq(session(5), 10, "append"),
    [
        rows(i, ("a", 30), ("d", 15), ("d", 22)),
        rows(i, ("c", 14), ("c", 18), ("e", 10), ("e", 11), ("e", 12), ("d", 12), ("f", 1),
             ("f", 14)),
        rows(i, ("a", 60)),
    ],
))

# ---------------------------------------------------------------- dedup
add(case(
    "dedup_event_time_eq_watermark",
    "dropDuplicates(id, event_time), 10 s watermark. Rows whose event time equals the watermark "
    "exactly (10.000000 at wm 10.000, 15.000000 at wm 15.000), 1 us after it and 1 us before it; "
    "state rows with event time == watermark at eviction time; a duplicate of an evicted row.",
    dq(["id", "event_time"], 10),
    [
        drows((1, "a", 5), (2, "a", 10), (3, "a", 20)),
        drows((4, "b", 10), (5, "b", 10, 1), (6, "b", 9, 999999), (2, "a", 10), (7, "c", 10, 500)),
        drows((8, "c", 25, 999)),
        drows((5, "b", 10, 1), (9, "b", 15), (10, "b", 15, 1), (3, "a", 20)),
    ],
))

add(case(
    "dedup_no_watermark",
    "dropDuplicates(id) without a watermark: state is kept forever (watermark null); duplicates "
    "inside a batch (the first row in input order wins) and across batches.",
    dq(["id"], None),
    [
        drows((1, "a", 5), (2, "a", 6), (1, "b", 7), (3, "c", 1)),
        drows((1, "a", 50), (4, "a", 2), (4, "a", 1)),
        drows((2, "z", 100), (5, "b", 0)),
        drows((5, "b", 0), (6, "c", 500)),
    ],
))

add(case(
    "dedup_within_watermark_expiry",
    "dropDuplicatesWithinWatermark(id), 10 s watermark. id 1 first seen at 5 (expires at 15), "
    "id 2 at 6 (expires at 16). At watermark 15 / 16 exactly: is the entry gone? Rows with event "
    "time == watermark.",
    dq(["id"], 10, within=True),
    [
        drows((1, "a", 5), (2, "a", 6), (1, "a", 7)),
        drows((3, "b", 25)),
        drows((1, "a", 15, 500000), (2, "a", 16), (4, "a", 15), (5, "a", 15, 1)),
        drows((6, "c", 26)),
        drows((2, "a", 16, 500000), (1, "a", 20)),
    ],
))

add(case(
    "dedup_within_watermark_dup_advances_wm",
    "dropDuplicatesWithinWatermark(id), 10 s watermark: a duplicate (dropped) row with a later "
    "event time still moves the watermark (the watermark is computed over every input row, "
    "before the dedup).",
    dq(["id"], 10, within=True),
    [
        drows((1, "a", 5)),
        drows((1, "a", 40)),
        drows((2, "b", 29, 999999), (3, "b", 30), (4, "b", 30, 1)),
    ],
))

add(case(
    "dedup_within_watermark_nodata_off_P1",
    "dropDuplicatesWithinWatermark(id, key), 5 s watermark, no-data batches off, 1 shuffle "
    "partition: expiry happens only in data batches.",
    dq(["id", "key"], 5, within=True),
    [
        drows((1, "a", 0), (1, "b", 1), (2, "a", 2)),
        drows((1, "a", 3), (3, "a", 20)),
        drows((1, "a", 16), (2, "a", 21), (1, "b", 30)),
        drows((2, "a", 19)),
        drows((4, "a", 40)),
        drows((1, "b", 34), (2, "a", 36)),
    ],
    partitions=1, nodata=False,
))

add(case(
    "dedup_update_mode",
    "dropDuplicates(id, event_time), 5 s watermark, update output mode (same rows as append).",
    dq(["id", "event_time"], 5, mode="update"),
    [
        drows((1, "a", 1), (1, "a", 1), (2, "b", 2)),
        drows((1, "a", 1), (3, "a", 10)),
        drows((2, "b", 2), (4, "a", 4, 999999), (5, "a", 5), (6, "a", 5, 1)),
    ],
))

add(case(
    "dedup_P8_sub_ms",
    "dropDuplicates(id, event_time), 2 s watermark, 8 shuffle partitions; event times that differ "
    "only below the millisecond are different values; watermark truncated to the millisecond.",
    dq(["id", "event_time"], 2, mode="append"),
    [
        drows((1, "a", 1, 1), (1, "a", 1, 2), (1, "a", 1, 1), (2, "b", 3, 999999)),
        drows((3, "c", 4, 999500), (1, "a", 1, 2), (4, "d", 2, 999)),
        drows((4, "d", 2, 999), (5, "d", 2, 999000), (6, "d", 3)),
    ],
    partitions=8,
))

# ---------------------------------------------------------------- engine settings
i = Ids()
add(case(
    "nodata_off_tumbling_update",
    "10 s tumbling, 10 s watermark, update, no-data batches off: eviction and late-row checks "
    "happen only when data arrives.",
    wq(tumbling(10), 10, "update"),
    [
        rows(i, ("a", 5), ("b", 12)),
        rows(i, ("a", 31)),
        rows(i, ("a", 8), ("b", 19), ("b", 22)),
        rows(i, ("a", 9), ("b", 23)),
        rows(i, ("c", 60)),
        rows(i, ("c", 45)),
    ],
    nodata=False,
))

add(case(
    "nodata_off_dedup",
    "dropDuplicates(id, event_time), 10 s watermark, no-data batches off.",
    dq(["id", "event_time"], 10),
    [
        drows((1, "a", 5), (2, "a", 12)),
        drows((3, "a", 30)),
        drows((1, "a", 5), (4, "b", 19), (2, "a", 12)),
        drows((5, "b", 20), (2, "a", 12)),
    ],
    nodata=False,
))

i = Ids()
LAG_INPUT = [
    rows(i, ("a", 5), ("a", 12)),
    rows(i, ("a", 25)),
    rows(i, ("a", 9, 500000), ("b", 3)),
    rows(i, ("a", 8)),
    rows(i, ("b", 40)),
    rows(i, ("b", 29, 999999), ("a", 31)),
]
add(case(
    "allow_multiple_false_nodata_off",
    "statefulOperator.allowMultiple=false with no-data batches off, 10 s tumbling append: late rows "
    "are judged against the current batch's watermark (compare nodata_off_late_row_lag, where "
    "they are judged against the previous batch's).",
    wq(tumbling(10), 10, "append"),
    LAG_INPUT,
    nodata=False, allow_multiple=False,
))
add(case(
    "allow_multiple_true_nodata_off",
    "Same input as allow_multiple_false_nodata_off with allowMultiple=true.",
    wq(tumbling(10), 10, "append"),
    LAG_INPUT,
    nodata=False, allow_multiple=True,
))
add(case(
    "allow_multiple_true_nodata_on",
    "Same input as allow_multiple_false_nodata_off with allowMultiple=true and no-data batches "
    "on (the default).",
    wq(tumbling(10), 10, "append"),
    LAG_INPUT,
    nodata=True, allow_multiple=True,
))
add(case(
    "allow_multiple_false_nodata_on",
    "statefulOperator.allowMultiple=false, no-data batches on, 10 s tumbling append.",
    wq(tumbling(10), 10, "append"),
    LAG_INPUT,
    nodata=True, allow_multiple=False,
))

i = Ids()
add(case(
    "tumbling_nowm_update",
    "10 s tumbling without a watermark, update: watermark null, state never evicted, no no-data "
    "batches, nothing is late.",
    wq(tumbling(10), None, "update"),
    [
        rows(i, ("a", 5), ("b", 15)),
        rows(i, ("a", 500)),
        rows(i, ("a", 1), ("b", 11), ("c", 0)),
    ],
))

i = Ids()
add(case(
    "tumbling_nowm_complete_P1",
    "10 s tumbling without a watermark, complete, 1 shuffle partition.",
    wq(tumbling(10), None, "complete"),
    [
        rows(i, ("a", 5), ("b", 15)),
        rows(i, ("a", 500)),
        rows(i, ("a", 1), ("b", 11), ("c", 0)),
    ],
    partitions=1,
))

# ---------------------------------------------------------------- empty input batches
i = Ids()
add(case(
    "empty_input_batches",
    "10 s tumbling, 10 s watermark, append, with empty elements in input (an addData() of no "
    "rows) at the start, in the middle (twice in a row) and at the end.",
    wq(tumbling(10), 10, "append"),
    [
        [],
        rows(i, ("a", 5), ("b", 12)),
        [],
        [],
        rows(i, ("a", 30)),
        [],
        rows(i, ("a", 2)),
        [],
    ],
))

i = Ids()
add(case(
    "empty_input_batches_nodata_off",
    "10 s tumbling, 10 s watermark, update, no-data batches off: an empty input element after "
    "the watermark moved runs a batch that applies the new watermark (evicts state).",
    wq(tumbling(10), 10, "update"),
    [
        rows(i, ("a", 5), ("b", 12)),
        rows(i, ("a", 31)),
        [],
        rows(i, ("b", 18), ("a", 40)),
        [],
        [],
    ],
    nodata=False,
))

add(case(
    "empty_input_batches_dedup",
    "dropDuplicates(id, event_time), 10 s watermark, with empty input elements.",
    dq(["id", "event_time"], 10),
    [
        drows((1, "a", 5)),
        [],
        drows((2, "a", 30), (1, "a", 5)),
        [],
        [],
        drows((3, "b", 31)),
    ],
))

# ---------------------------------------------------------------- many keys
KEYS200 = ["k%03d" % n for n in range(200)]


def many_keys_input():
    ids = Ids()
    b = []
    b.append(rows(ids, *[(k, (n * 7) % 10, n) for n, k in enumerate(KEYS200)]))
    b.append(rows(ids, *[(k, 10 + (n * 3) % 10) for n, k in enumerate(KEYS200)]
                  + [(k, 9) for k in KEYS200[:50]]))
    b.append(rows(ids, *[(k, 25) for k in KEYS200[::2]]))
    b.append(rows(ids, *[(k, 18) for k in KEYS200[::3]] + [(k, 36) for k in KEYS200[:10]]))
    return b


add(case(
    "many_keys_200_update_P8",
    "200 keys, 10 s tumbling, 10 s watermark, update, 8 shuffle partitions.",
    wq(tumbling(10), 10, "update"),
    many_keys_input(),
    partitions=8,
))
add(case(
    "many_keys_200_append_P3",
    "200 keys, 10 s tumbling, 5 s watermark, append, 3 shuffle partitions.",
    wq(tumbling(10), 5, "append"),
    many_keys_input(),
    partitions=3,
))

i = Ids()
add(case(
    "sliding_10_5_update_P1",
    "10 s windows sliding by 5 s, 5 s watermark, update, 1 shuffle partition.",
    wq(sliding(10, 5), 5, "update"),
    [
        rows(i, ("a", 1), ("b", 6), ("a", 7)),
        rows(i, ("a", 12), ("b", 3)),
        rows(i, ("b", 8), ("a", 22)),
        rows(i, ("a", 16), ("c", 17), ("c", 40)),
    ],
    partitions=1,
))

i = Ids()
add(case(
    "watermark_monotonic_append",
    "10 s tumbling, 10 s watermark, append: a batch whose max event time is below the previous "
    "max does not move the watermark back; no no-data batch follows it.",
    wq(tumbling(10), 10, "append"),
    [
        rows(i, ("a", 40)),
        rows(i, ("a", 31), ("b", 35)),
        rows(i, ("a", 41)),
        rows(i, ("b", 29)),
    ],
))


# ---------------------------------------------------------------- sum / avg aggregates
# query.aggregate "sum" / "avg": groupBy(window, key).agg(count("*") as count, sum(value) as
# sum | avg(value) as avg); every row carries an integer `value` (LongType).
i = Ids()
add(case(
    "tumbling_sum_append_late",
    "10 s tumbling, 10 s watermark, append, sum(value). At watermark 15 late rows for the "
    "already emitted windows [0,10) (a@4 v7, b@9.999999 v3) are dropped and do not change any "
    "sum; a@14 (v5) and a@19.999999 (v-20) arrive in the open window (a,[10,20)) whose first row "
    "(a@12 v100) was summed two batches earlier -> emitted later as count 3, sum 85. At watermark "
    "30 a late a@29 is dropped while a@30 opens [30,40).",
    wq(tumbling(10), 10, "append", "sum"),
    [
        vrows(i, ("a", 1, 1), ("a", 5, 2), ("b", 3, 10), ("a", 12, 100)),
        vrows(i, ("a", 25, 1000)),
        vrows(i, ("a", 4, 7), ("b", 9, 3, 999999), ("a", 14, 5), ("a", 19, -20, 999999),
              ("b", 15, 40)),
        vrows(i, ("a", 40, 1)),
        vrows(i, ("a", 29, 9), ("a", 30, 11), ("a", 33, -4)),
        vrows(i, ("a", 55, 0)),
    ],
))

i = Ids()
add(case(
    "sliding_avg_update",
    "10 s windows sliding by 5 s, 10 s watermark, update, avg(value). Values 1, 2, 4 give "
    "non-integer averages (a,[0,10) = 7/3). At watermark 20: a@12 is late in both its windows "
    "and dropped; a@17, b@18 and b@19 are late in [10,20) but counted in [15,25), so the "
    "averages of [15,25) include them and [10,20) is never touched.",
    wq(sliding(10, 5), 10, "update", "avg"),
    [
        vrows(i, ("a", 1, 1), ("a", 6, 2), ("a", 7, 4), ("b", 2, 5), ("b", 3, 6)),
        vrows(i, ("a", 30, 1)),
        vrows(i, ("a", 12, 2), ("a", 17, 3), ("a", 21, 10), ("b", 18, 7)),
        vrows(i, ("a", 22, 0), ("b", 19, 2)),
        vrows(i, ("a", 60, 1)),
    ],
))

i = Ids()
add(case(
    "session_sum_complete",
    "Session windows (gap 5 s), 10 s watermark, complete, sum(value). Sessions in state merge "
    "across batches, so their sums merge: a[0,8) (1+2), a[11,16) (5) and a[20,25) (10) are "
    "bridged by a@6 and a@15 into a[0,25), sum 38; b@6 touches b[1,6) at 6 and overlaps "
    "b[10,15) -> b[1,15), sum 1150; a@28, a@36, a@31 bridge into a[40,45) -> a[28,45), sum 1012, "
    "then a@26 extends it. Complete mode runs no no-data batch, so late rows (event time + gap "
    "<= watermark) are judged against the previous batch's watermark: e@2 (batch 1) and d@22 "
    "(batch 4) are behind the current watermark but kept and summed; b@4, e@3, c@2, b@3, d@24 are "
    "dropped (even those overlapping a session in state) and never reach a sum.",
    wq(session(5), 10, "complete", "sum"),
    [
        vrows(i, ("a", 0, 1), ("a", 3, 2), ("a", 20, 10), ("b", 1, 100)),
        vrows(i, ("a", 11, 5), ("b", 10, 50), ("e", 2, 7)),
        vrows(i, ("a", 6, 4), ("a", 15, 16), ("b", 6, 1000), ("b", 4, -1), ("e", 3, -5)),
        vrows(i, ("a", 40, 1000), ("c", 2, 50)),
        vrows(i, ("a", 28, 2), ("b", 3, -100), ("a", 36, 3), ("a", 31, 7), ("d", 22, 9)),
        vrows(i, ("d", 24, 1), ("a", 26, -2)),
    ],
))

i = Ids()
add(case(
    "tumbling_avg_complete_nowm",
    "10 s tumbling, no watermark, complete, avg(value): every window's average in every batch; "
    "averages that are non-integers (7/3, 31/3, -8/3), integers (15.0, 0.0) and a window revisited "
    "by rows far behind the newest event (nothing is late without a watermark).",
    wq(tumbling(10), None, "complete", "avg"),
    [
        vrows(i, ("a", 1, 1), ("a", 2, 2), ("a", 3, 4), ("b", 5, 10), ("b", 6, 20), ("c", 15, -3)),
        vrows(i, ("a", 500, 7), ("a", 4, 0), ("c", 11, -4)),
        vrows(i, ("b", 0, 1), ("a", 505, 8), ("d", 0, 0)),
        vrows(i, ("a", 9, 1), ("c", 19, -1, 999999)),
    ],
))

i = Ids()
add(case(
    "tumbling_sum_update_large_neg",
    "10 s tumbling, 5 s watermark, update, sum(value) with negative and large values: +-10^12 "
    "cancelling to 0, 999999999999 twice + 10^12, 2^53+1 = 9007199254740993 twice (a sum of "
    "2^54+2, exact only as a 64-bit integer), a late row (a@9 at watermark 13) that must not "
    "change a sum.",
    wq(tumbling(10), 5, "update", "sum"),
    [
        vrows(i, ("a", 1, 10**12), ("a", 2, -10**12), ("b", 3, 999_999_999_999),
              ("b", 4, 999_999_999_999), ("c", 5, -1), ("d", 6, 2**53 + 1)),
        vrows(i, ("a", 3, -7), ("b", 8, 10**12), ("d", 7, 2**53 + 1), ("c", 12, -10**12)),
        vrows(i, ("c", 18, -10**12), ("a", 0, 5), ("e", 15, 0)),
        vrows(i, ("a", 9, 123), ("c", 19, -999_999_999_999), ("a", 25, 10**12)),
        vrows(i, ("a", 40, 1)),
    ],
))



# ---------------------------------------------------------------- parquet file sink
# query.sink {"format": "parquet", "partition_by": [] | ["key"]}: the query is written by a real
# parquet file sink; `expected` then also has per-batch `sink` and `checkpoint` sections. Spark
# refuses update and complete mode for a file sink (STREAMING_OUTPUT_MODE.UNSUPPORTED_DATASOURCE),
# so every sink case is append mode.
def sq(window, delay, partition_by=(), mode="append"):
    q = wq(window, delay, mode)
    q["sink"] = {"format": "parquet", "partition_by": list(partition_by)}
    return q


def sink_small_input():
    i = Ids()
    return [
        rows(i, ("a", 1), ("b", 2), ("a", 12)),
        [],
        rows(i, ("c", 25), ("a", 3)),
        rows(i, ("a", 40), ("b", 19)),
        [],
        rows(i, ("d", 41)),
    ]


add(case(
    "sink_tumbling_flat_P1",
    "Parquet file sink, no partitionBy, 1 shuffle partition: 10 s tumbling, 5 s watermark, "
    "append. With one task every batch writes exactly one part file, an empty one when nothing "
    "is emitted (data batches, empty input batches, no-data batches that evict nothing); the "
    "rows all come from no-data batches. b@19 is late at watermark 20.",
    sq(tumbling(10), 5),
    sink_small_input(),
    partitions=1,
))
add(case(
    "sink_tumbling_partitioned_P1",
    "sink_tumbling_flat_P1 with partitionBy(key): a batch that emits nothing writes no file at "
    "all; one file per key directory written.",
    sq(tumbling(10), 5, ["key"]),
    sink_small_input(),
    partitions=1,
))


def sink_empty_batches_input():
    i = Ids()
    return [
        [],
        rows(i, ("a", 1), ("b", 2), ("c", 3), ("d", 4), ("e", 5), ("f", 6), ("g", 7), ("h", 8)),
        [],
        [],
        rows(i, ("a", 15), ("b", 22), ("c", 9)),
        [],
        rows(i, ("c", 50), ("h", 31)),
        [],
    ]


add(case(
    "sink_empty_batches_flat_P2",
    "Parquet file sink, no partitionBy, 2 shuffle partitions, 10 s tumbling, 10 s watermark, "
    "append: empty input batches (the first batch too, and two in a row) each run a batch that "
    "writes one empty part file (task 0) and a log entry; rows only from no-data batches.",
    sq(tumbling(10), 10),
    sink_empty_batches_input(),
    partitions=2,
))
add(case(
    "sink_empty_batches_partitioned_P3",
    "sink_empty_batches_flat_P2 with partitionBy(key) and 3 shuffle partitions: empty input "
    "batches and no-data batches that emit nothing write no part file, only their log file.",
    sq(tumbling(10), 10, ["key"]),
    sink_empty_batches_input(),
    partitions=3,
))


def sink_many_keys_input(keys):
    ids = Ids()
    n = len(keys)
    return [
        rows(ids, *[(k, (j * 7) % 10) for j, k in enumerate(keys)]),
        rows(ids, *[(k, 10 + (j * 3) % 10) for j, k in enumerate(keys)]
             + [(k, 9) for k in keys[: n // 3]]),
        rows(ids, *[(k, 25) for k in keys[::2]]),
        rows(ids, *[(k, 28) for k in keys[1::2]] + [(k, 41) for k in keys[:7]]),
        rows(ids, *[(k, 45) for k in keys[::5]]),
    ]


add(case(
    "sink_many_keys_150_flat_P5",
    "150 keys into a parquet file sink, no partitionBy, 5 shuffle partitions, 10 s tumbling, "
    "10 s watermark, append: no-data batches emit a window for 75-150 keys spread over every "
    "task (one part file per non-empty shuffle partition).",
    sq(tumbling(10), 10),
    sink_many_keys_input(["k%03d" % j for j in range(150)]),
    partitions=5,
))


def sink_compact_input(keys, n_inputs, step):
    """Input b: every key whose index = b (mod 3) (and keys[:5] always) at 10*b + (j mod 10),
    plus every 4th input a second row step seconds later; the watermark moves by ~10 s per
    input, so most no-data batches emit the window 10 s behind."""
    ids = Ids()
    out = []
    for b in range(n_inputs):
        specs = []
        for j, k in enumerate(keys):
            if j % 3 == b % 3 or j < 5:
                specs.append((k, 10 * b + (j * 7 + b) % 10))
        if b % 4 == 3:
            specs += [(k, 10 * b + step) for k in keys[::4]]
        out.append(rows(ids, *specs))
    return out


add(case(
    "sink_compact_50_keys_flat_P8",
    "50 keys into a parquet file sink, no partitionBy, 8 shuffle partitions, 10 s tumbling, "
    "5 s watermark, append, 13 inputs -> 26 micro-batches: batches 9 and 19 write "
    "_spark_metadata/9.compact and 19.compact (every file so far; only the new entries are "
    "this batch's).",
    sq(tumbling(10), 5),
    sink_compact_input(["k%02d" % j for j in range(50)], 13, 12),
    partitions=8,
))
add(case(
    "sink_compact_40_keys_partitioned_P3",
    "40 keys into a parquet file sink with partitionBy(key), 3 shuffle partitions, 10 s "
    "tumbling, 5 s watermark, append, 12 inputs: 9.compact; every 4th input carries rows 25 s "
    "ahead, so the watermark jumps two windows and a no-data batch emits two windows of the same "
    "key, which may sit in different shuffle partitions (two files in one key directory).",
    sq(tumbling(10), 5, ["key"]),
    sink_compact_input(["k%02d" % j for j in range(40)], 12, 25),
    partitions=3,
))


def sink_sliding_input(keys):
    ids = Ids()
    return [
        rows(ids, *[(k, j % 10) for j, k in enumerate(keys)]),
        rows(ids, *[(k, 8 + j % 7) for j, k in enumerate(keys[::2])]),
        rows(ids, *[(k, 20 + j % 5) for j, k in enumerate(keys)] + [(keys[0], 4)]),
        [],
        rows(ids, *[(k, 33) for k in keys[:3]]),
        rows(ids, (keys[1], 60)),
    ]


add(case(
    "sink_sliding_10_5_flat_P3",
    "30 keys, 10 s windows sliding by 5 s, 5 s watermark, append, parquet file sink without "
    "partitionBy, 3 shuffle partitions; one late row (k00@4 at watermark 19: both its windows "
    "closed).",
    sq(sliding(10, 5), 5),
    sink_sliding_input(["k%02d" % j for j in range(30)]),
    partitions=3,
))
add(case(
    "sink_sliding_10_5_partitioned_P2",
    "sink_sliding_10_5_flat_P3's input on 12 keys with partitionBy(key) and 2 shuffle "
    "partitions: a key's two overlapping windows are two groups, possibly in two tasks.",
    sq(sliding(10, 5), 5, ["key"]),
    sink_sliding_input(["k%02d" % j for j in range(12)]),
    partitions=2,
))


def sink_session_input(keys):
    ids = Ids()
    return [
        rows(ids, *[(k, j % 7) for j, k in enumerate(keys)]),
        rows(ids, *[(k, 4 + j % 7) for j, k in enumerate(keys[::3])]),
        rows(ids, *[(k, 30 + j % 4) for j, k in enumerate(keys[::2])]),
        [],
        rows(ids, *[(k, 33) for k in keys[1::4]] + [(keys[0], 2)]),
        rows(ids, (keys[2], 70)),
    ]


add(case(
    "sink_session_flat_P5",
    "Session windows (gap 5 s), 10 s watermark, append, 50 keys, parquet file sink without "
    "partitionBy, 5 shuffle partitions: sessions extended across batches, emitted by no-data "
    "batches; a late row (k00@2).",
    sq(session(5), 10),
    sink_session_input(["k%02d" % j for j in range(50)]),
    partitions=5,
))
add(case(
    "sink_session_partitioned_P3",
    "sink_session_flat_P5's input on 16 keys with partitionBy(key), 3 shuffle partitions.",
    sq(session(5), 10, ["key"]),
    sink_session_input(["k%02d" % j for j in range(16)]),
    partitions=3,
))

i = Ids()
add(case(
    "sink_nodata_off_flat_P2",
    "Parquet file sink without partitionBy, 2 shuffle partitions, 10 s tumbling, 5 s watermark, "
    "append, no-data batches disabled: windows are emitted by the next data batch (also by an "
    "empty input batch), no batch without input runs.",
    sq(tumbling(10), 5),
    [
        rows(i, ("a", 1), ("b", 2), ("c", 3), ("d", 4), ("a", 16)),
        rows(i, ("e", 17)),
        [],
        rows(i, ("a", 31), ("b", 26)),
        [],
        rows(i, ("c", 55)),
    ],
    partitions=2, nodata=False,
))



# dedup into a parquet file sink (append mode; rows are emitted by the batch that reads them)
def dsq(cols, delay, partition_by=(), within=False):
    q = dq(cols, delay, within=within)
    q["sink"] = {"format": "parquet", "partition_by": list(partition_by)}
    return q


def sink_dedup_key_input(keys):
    """dropDuplicates(key) without a watermark: keys[:2/3] first, the rest later, every key
    repeated (in the batch and across batches), empty inputs first and in the middle."""
    ids = Ids()
    n = len(keys)
    first, rest = keys[: 2 * n // 3], keys[2 * n // 3:]
    return [
        [],
        rows(ids, *[(k, j % 10) for j, k in enumerate(first)] + [(k, 9) for k in first[::5]]),
        rows(ids, *[(k, 10 + j % 10) for j, k in enumerate(keys[n // 3:])]),
        [],
        rows(ids, *[(k, 30) for k in keys]),
        rows(ids, (rest[-1], 1), (first[3], 40)),
    ]


add(case(
    "sink_dedup_key_nowm_flat_P1",
    "dropDuplicates(key) without a watermark, 30 keys (k0..k29), parquet file sink without "
    "partitionBy, 1 shuffle partition: no watermark so no no-data batch; every batch (empty "
    "input ones too) writes exactly one part file from task 0, empty unless the batch brought a "
    "new key; the first row of a key wins, later ones are dropped forever (state never evicted). "
    "Observed: 6 batches, each wrote one part-00000 file; batches 0 and 3 (empty input), 4 (all 30 "
    "keys again) and 5 (two old keys) an empty one, batch 1 20 rows of 24, batch 2 10 of 20.",
    dsq(["key"], None),
    sink_dedup_key_input(["k%d" % j for j in range(30)]),
    partitions=1,
))


def sink_dedup_key_event_time_input(keys):
    """dropDuplicates(key, event_time), 10 s watermark: exact duplicates in a batch and across
    batches, late rows, duplicates of rows still in state, empty inputs."""
    ids = Ids()
    n = len(keys)
    h = n // 2
    return [
        rows(ids, *[(k, j % 10) for j, k in enumerate(keys)] + [(k, j % 10) for j, k in enumerate(keys[:10])]),
        [],
        rows(ids, *[(k, 10 + j % 10) for j, k in enumerate(keys[:h])]
             + [(k, (h + j) % 10) for j, k in enumerate(keys[h:])]),
        rows(ids, *[(k, 25) for k in keys]),
        rows(ids, *[(k, 5) for k in keys[:10]] + [(k, 25) for k in keys[:10]]
             + [(k, 30) for k in keys[10:20]]),
        [],
        rows(ids, (keys[-1], 60), (keys[-1], 60), (keys[0], 49, 999999), (keys[1], 50)),
    ]


add(case(
    "sink_dedup_key_event_time_flat_P3",
    "dropDuplicates(key, event_time), 10 s watermark, append, 60 keys (k0..k59), parquet file "
    "sink without partitionBy, 3 shuffle partitions: exact duplicates inside a batch and of rows "
    "still in state are dropped, rows at or behind the watermark are dropped as late; empty input "
    "elements. Data batches write one file per task that got a new row (rows go to task "
    "pmod(hash(key, event_time), 3)), plus an empty file from task 0 iff task 0 got none; "
    "no-data batches (state eviction only) and empty input batches write one empty file. "
    "Observed: 12 batches (5 no-data); every non-empty file held only rows of its task "
    "pmod(hash(key, event_time), 3) (checked per file in PySpark); batches 0, 3, 5, 7 wrote 3 "
    "non-empty files, batch 10 (3 rows, tasks 1 and 2) those 2 plus an empty task-0 file, the 7 "
    "others one empty task-0 file; batch 7 drops 10 late rows (@5 at watermark 15); batch 9 "
    "writes 9.compact.",
    dsq(["key", "event_time"], 10),
    sink_dedup_key_event_time_input(["k%d" % j for j in range(60)]),
    partitions=3,
))
add(case(
    "sink_dedup_key_event_time_partitioned_P5",
    "sink_dedup_key_event_time_flat_P3's input on 40 keys (k0..k39) with partitionBy(key) and 5 "
    "shuffle partitions: one file per (task, key) among the batch's new rows, never an empty "
    "file; batches that emit nothing (no-data, empty input, only late/duplicate rows) write no "
    "part file, only their log. Observed: batches 0, 3, 5, 7, 10 wrote 40, 20, 40, 10, 3 files "
    "(one per new row here: no key got two new rows in one task), all 5 tasks wrote in batches 0, "
    "3, 5 and 7; the 7 other batches no part file; 9.compact re-lists the earlier files only.",
    dsq(["key", "event_time"], 10, ["key"]),
    sink_dedup_key_event_time_input(["k%d" % j for j in range(40)]),
    partitions=5,
))


def sink_dedup_key_wm_input(keys):
    """dropDuplicates(key) with a 5 s watermark (event_time is not a dedup column): keys[:60]
    first, keys[60:110] next, keys[110:] first late, then on time."""
    ids = Ids()
    return [
        rows(ids, *[(k, j % 10) for j, k in enumerate(keys[:60])] + [(k, 9) for k in keys[:5]]),
        [],
        rows(ids, *[(k, 12 + j % 5) for j, k in enumerate(keys[60:110])]
             + [(k, 20) for k in keys[:10]]),
        rows(ids, *[(k, 3) for k in keys[110:]] + [(k, 30) for k in keys[60:70]]),
        rows(ids, *[(k, 40 + j % 3) for j, k in enumerate(keys[110:])]),
        rows(ids, *[(k, 50) for k in keys[::7]]),
    ]


add(case(
    "sink_dedup_key_wm_partitioned_P8",
    "dropDuplicates(key) with a 5 s watermark, 120 keys (k0..k119), parquet file sink with "
    "partitionBy(key), 8 shuffle partitions. The dedup key has no event-time column, so the "
    "state is never evicted (a key stays deduplicated forever) but rows at or behind the "
    "watermark are still dropped as late (k110..k119 @3 at watermark 15, accepted later @40..42); "
    "no-data batches run and write no file. Observed: state_rows_removed 0 in every batch; "
    "batches 0, 3, 7 wrote 60, 50, 10 files (all 8 tasks in batches 0 and 3; tasks 2, 4, 5, 6 in "
    "batch 7), the other 8 batches none; batch 9 (only old keys) writes 9.compact and no file.",
    dsq(["key"], 5, ["key"]),
    sink_dedup_key_wm_input(["k%d" % j for j in range(120)]),
    partitions=8,
))


def sink_dedup_within_wm_input(keys):
    """dropDuplicatesWithinWatermark(key), 10 s watermark: keys[:h] at 0..9, keys[h:] at
    20..29; repeats before and after each key's expiry (first event time + 10 s <= watermark)."""
    ids = Ids()
    h = len(keys) // 2
    return [
        rows(ids, *[(k, j % 10) for j, k in enumerate(keys[:h])]),
        [],
        rows(ids, *[(k, 15) for k in keys[:h]] + [(k, 20 + j % 10) for j, k in enumerate(keys[h:])]),
        rows(ids, *[(k, 30) for k in keys[:h]]),
        [],
        rows(ids, *[(k, 45) for k in keys[h:]]),
        rows(ids, *[(k, 50) for k in keys[h:]]),
        rows(ids, (keys[0], 5), (keys[1], 41)),
        rows(ids, (keys[-1], 100)),
    ]


add(case(
    "sink_dedup_within_wm_flat_P8",
    "dropDuplicatesWithinWatermark(key), 10 s watermark, 100 keys (k0..k99), parquet file sink "
    "without partitionBy, 8 shuffle partitions, 9 inputs (two empty) -> more than 10 batches, so "
    "batch 9 writes _spark_metadata/9.compact. A key is a duplicate until its first event time "
    "+ 10 s <= watermark; then (state evicted by a no-data batch) the next row of it is "
    "emitted again; one late row (k0@5). Observed: 15 batches; batches 0, 3, 5, 10 wrote one "
    "non-empty file from each of the 8 tasks; batches 12 and 13 (1 new row each, in task 1 / "
    "task 7) wrote that file plus an empty task-0 file; the 9 other batches one empty task-0 "
    "file; rows went to task pmod(hash(key), 8).",
    dsq(["key"], 10, within=True),
    sink_dedup_within_wm_input(["k%d" % j for j in range(100)]),
    partitions=8,
))


def sink_dedup_nowm_partitioned_input(keys):
    ids = Ids()
    return [
        rows(ids, *[(k, j % 4) for j, k in enumerate(keys)]),
        [],
        [],
        rows(ids, *[(k, j % 4) for j, k in enumerate(keys)] + [(k, 7) for k in keys[::3]]),
        rows(ids, (keys[0], 0), (keys[0], 1), (keys[0], 2)),
    ]


add(case(
    "sink_dedup_key_event_time_nowm_partitioned_P3",
    "dropDuplicates(key, event_time) without a watermark, 36 keys (k0..k35), parquet file sink "
    "with partitionBy(key), 3 shuffle partitions: two empty input elements in a row (batches "
    "that write no part file), a batch repeating every earlier row plus 12 new ones (only those "
    "are written), no no-data batches. Observed: 36, 0, 0, 12, 2 files; batch 4's two new k0 "
    "rows (event times 1 s and 2 s) hash to tasks 0 and 2: two files in key=k0/.",
    dsq(["key", "event_time"], None, ["key"]),
    sink_dedup_nowm_partitioned_input(["k%d" % j for j in range(36)]),
    partitions=3,
))


def write_all(cases):
    os.makedirs(CASES_DIR, exist_ok=True)
    names = [c["name"] for c in cases]
    assert len(set(names)) == len(names), "duplicate case names"
    for c in cases:
        check(c)
        path = os.path.join(CASES_DIR, c["name"] + ".json")
        if os.path.exists(path):
            with open(path) as f:
                old = json.load(f)
            old.pop("expected", None)
            old_engine = dict(old.get("engine", {}))
            old_engine["version"] = c["engine"]["version"]
            old["engine"] = old_engine
            same = old == c
            if same:
                continue
        with open(path, "w") as f:
            json.dump(c, f, indent=1)
        print("wrote %s (needs the oracle)" % path)


def check(c):
    if c["query"]["operator"] == "window_count":
        ids = [r["id"] for b in c["input"] for r in b]
        assert len(ids) == len(set(ids)), c["name"] + ": duplicate ids"


if __name__ == "__main__":
    if "--list" in sys.argv:
        for c in CASES:
            print(c["name"])
    else:
        write_all(CASES)
