#!/usr/bin/env python3
"""Writes the hand-authored Flink conformance cases into tests/conformance/flink/cases/.

Each case is a query, its engine settings and its input elements (event time + simulated
arrival time); the `expected` section is left to the real-Flink oracle (`oracle.sh`).
Idempotent: a file whose query/input/settings are unchanged is left as it is (with its
`expected`); a new or changed case is written without `expected` and needs the oracle.

Event times are seconds after 2024-01-01T00:00:00Z (plus optional whole milliseconds; Flink
timestamps are milliseconds). `arrival_ms` is the simulated processing time, in ms since the job
started, at which the element reaches the watermark generator; it never decreases along `input`.

Usage: python make_cases.py            (write/refresh cases/*.json)
       python make_cases.py --list     (print the case names)
"""
import datetime as dt
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES_DIR = os.path.join(HERE, "cases")
FORMAT = "pipeline-sim/conformance-v1"
BASE = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
FLINK_VERSION = "2.3.0"


def ts(sec, ms=0):
    """2024-01-01 + sec seconds + ms milliseconds, 6 fractional digits like the Spark cases."""
    t = BASE + dt.timedelta(seconds=sec, milliseconds=ms)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def elems(*specs, start=0, step=300):
    """specs: (key, sec[, ms]) or (key, sec, ms, arrival_ms). Ids are 1, 2, ... in input order;
    arrival_ms defaults to start, start+step, ... (300 ms apart: one 200 ms periodic-watermark
    tick between every two elements)."""
    out = []
    t = start
    for i, s in enumerate(specs):
        key, sec = s[0], s[1]
        ms = s[2] if len(s) > 2 else 0
        if len(s) > 3:
            t = s[3]
        out.append({"id": i + 1, "key": key, "event_time": ts(sec, ms), "arrival_ms": t})
        t += step
    return out


def tumbling(size):
    return {"kind": "tumbling", "size_s": size}


def sliding(size, slide):
    return {"kind": "sliding", "size_s": size, "slide_s": slide}


def session(gap):
    return {"kind": "session", "gap_s": gap}


def query(window, delay, lateness=0, side_output=True, idleness=None):
    q = {
        "operator": "window_count",
        "window": window,
        "watermark_delay_s": delay,
        "allowed_lateness_s": lateness,
        "late_side_output": side_output,
    }
    if idleness is not None:
        q["idleness_s"] = idleness  # WatermarkStrategy.withIdleness(idleness)
    return q


def engine(interval_ms=200, partitions=None):
    e = {
        "name": "flink",
        "version": FLINK_VERSION,
        "conf": {"parallelism": 1, "pipeline.auto-watermark-interval_ms": interval_ms},
    }
    if partitions is not None:
        e["conf"]["source_partitions"] = partitions
    return e


def pelems(*specs, start=0, step=300):
    """Like elems, each spec led by its source partition: (partition, key, sec[, ms[, arrival_ms]])."""
    out = elems(*[s[1:] for s in specs], start=start, step=step)
    for r, s in zip(out, specs):
        r["partition"] = s[0]
    return out


def case(name, description, q, inp, input_end_ms=None, **eng):
    c = {
        "format": FORMAT,
        "name": name,
        "description": description,
        "engine": engine(**eng),
        "query": q,
        "input": inp,
    }
    if input_end_ms is not None:
        c["input_end_ms"] = input_end_ms
    return c


CASES = []


def add(c):
    CASES.append(c)


# --- tumbling: on time, late to the side output; the same input with the late element dropped
TUMBLING_LATE_INPUT = elems(
    ("a", 2), ("a", 7), ("b", 4),
    ("a", 16),          # watermark 10.999 after it: [0,10) fires for a and b
    ("a", 9),           # late for [0,10) (maxTimestamp 9.999 <= 10.999)
    ("a", 12),          # on time in [10,20)
    ("b", 21),
)
add(case(
    "tumbling_late_side_output",
    "10 s tumbling, 5 s bounded out-of-orderness, late data to a side output: a@16 makes the "
    "watermark 10.999, [0,10) fires for a and b; a@9 (index 4) is late and goes to the side "
    "output; a@12 is on time; the end-of-input MAX watermark fires the rest.",
    query(tumbling(10), 5, side_output=True), TUMBLING_LATE_INPUT))
add(case(
    "tumbling_late_dropped",
    "The same input as tumbling_late_side_output without sideOutputLateData: a@9 (index 4) is "
    "dropped (Flink's numLateRecordsDropped counter counts it) and changes no count.",
    query(tumbling(10), 5, side_output=False), TUMBLING_LATE_INPUT))

# --- sliding: an element late for one of its windows only is neither side-output nor dropped
add(case(
    "sliding_partly_late",
    "10 s windows sliding by 5 s, 3 s delay, side output: a@3 (index 3) is late for [-5,5) but "
    "not [0,10), so Flink counts it in [0,10) only and sends nothing to the side output (an "
    "element goes there only if ALL its windows are late); a@4 (index 5) is late for both "
    "windows and goes to the side output; b@14 is late for [5,15) (maxTimestamp == watermark "
    "14.999) and counted in [10,20).",
    query(sliding(10, 5), 3, side_output=True),
    elems(("a", 1), ("a", 6), ("a", 12), ("a", 3), ("a", 18), ("a", 4), ("b", 14))))

# --- sessions: merges, touching sessions, a bridge that merges two sessions
add(case(
    "session_merges",
    "5 s session gap, 2 s delay, side output: a@1 and a@6 touch ([1,6) and [6,11) merge into "
    "[1,11)); a@20 makes the watermark 17.999 and [1,11) fires; a@13's window [13,18) has "
    "maxTimestamp == watermark and touches no live session, so it is late (side output); b@30 "
    "(watermark 27.999) fires a's [20,25); b@24 opens [24,29), which does not touch [30,35); "
    "b@27 bridges the two into [24,35) (3 sessions -> 1, count 3); c@5 is late.",
    query(session(5), 2, side_output=True),
    elems(("a", 1), ("a", 6), ("a", 20), ("a", 13), ("b", 30), ("b", 24), ("b", 27), ("c", 5))))
add(case(
    "session_late_element_rescued_by_merge",
    "5 s session gap, 3 s delay, side output: after b@20 the watermark is 16.999; a@6's own "
    "window [6,11) is behind it (maxTimestamp 10.999), but Flink merges first and checks the "
    "MERGED window [6,19) against the watermark, so a@6 is counted (Spark would drop it: "
    "event time + gap <= watermark); a@0.5's window [0.5,5.5) touches nothing and is late.",
    query(session(5), 3, side_output=True),
    elems(("a", 10), ("a", 14), ("b", 20), ("a", 6), ("a", 0, 500), ("b", 25))))

# --- allowed lateness: re-firing on late elements, then cleanup
add(case(
    "tumbling_allowed_lateness_refire",
    "10 s tumbling, 2 s delay, 5 s allowed lateness, side output: a@13 makes the watermark "
    "10.999 and [0,10) fires (count 1); a@5 and a@7 are late but within the lateness, so each "
    "re-fires [0,10) at once with the new count (2, 3); a@17 makes the watermark 14.999 = "
    "[0,10)'s cleanup time (9.999 + 5 s), the window's state is dropped without a firing; a@8 "
    "is then too late and goes to the side output.",
    query(tumbling(10), 2, lateness=5, side_output=True),
    elems(("a", 3), ("a", 13), ("a", 5), ("a", 7), ("a", 17), ("a", 8))))
add(case(
    "session_allowed_lateness_refire",
    "5 s session gap, 1 s delay, 4 s allowed lateness, side output: b@10 makes the watermark "
    "8.999 and a's [1,6) fires (count 1); a@3 merges it into [1,8), still behind the "
    "watermark, so EventTimeTrigger fires the merged window at once (by the element, count 2); "
    "a@5 extends it to [1,10), which is NOT behind the watermark any more: no firing until b@20 "
    "(watermark 18.999) fires [1,10) with count 3; a@2 is then past the cleanup time and late.",
    query(session(5), 1, lateness=4, side_output=True),
    elems(("a", 1), ("b", 10), ("a", 3), ("a", 5), ("b", 20), ("a", 2))))

# --- the maxTimestamp boundary: window end - 1 ms against the watermark
add(case(
    "tumbling_max_timestamp_boundary",
    "10 s tumbling, 1 s delay, side output: watermark 9.998 after a@10.999, so a@9.999 (end - "
    "1 ms) is still on time; a@11.000 makes it 9.999 = [0,10)'s maxTimestamp and the window "
    "fires; then a@9.999 (index 4) is late (maxTimestamp <= watermark), and so is b@9.999 "
    "(index 5) for a window b never had (the watermark is the operator's, not the key's).",
    query(tumbling(10), 1, side_output=True),
    elems(("a", 5), ("a", 10, 999), ("a", 9, 999), ("a", 11), ("a", 9, 999), ("b", 9, 999))))

# --- the watermark moves only at the 200 ms periodic-emission boundaries
add(case(
    "watermark_only_at_interval_boundary",
    "10 s tumbling, 5 s delay, side output, elements 10-30 ms apart: a@30 arrives at 20 ms but "
    "no watermark is emitted before the 200 ms tick, so a@8 (arrival 50 ms), 22 s behind, is "
    "on time in [0,10); the tick at 200 ms (before a@2 at 250 ms) emits 24.999, [0,10) fires "
    "with count 2 and a@2 is late. a@40 arrives at 399 ms, a@21 at exactly 400 ms: the 400 ms "
    "tick comes first (watermark 34.999), so a@21 is late; b@31 at 410 ms is on time.",
    query(tumbling(10), 5, side_output=True),
    elems(("a", 1, 0, 10), ("a", 30, 0, 20), ("a", 8, 0, 50), ("a", 2, 0, 250),
          ("a", 29, 0, 260), ("a", 40, 0, 399), ("a", 21, 0, 400), ("b", 31, 0, 410))))
add(case(
    "no_tick_before_end_of_input",
    "The same elements as tick_after_last_element, but the source ends right after the last "
    "element (no input_end_ms): no periodic tick ever falls between elements (all arrive "
    "within the first 200 ms), so every window fires at end of input, by the MAX watermark.",
    query(tumbling(10), 2, side_output=True),
    elems(("a", 1, 0, 0), ("a", 15, 0, 50), ("b", 3, 0, 120))))
add(case(
    "tick_after_last_element",
    "input_end_ms 500: the source keeps running until 500 ms, so the 200 ms tick after the "
    "last element emits 12.999 and [0,10) fires for a and b by that watermark, before the "
    "end-of-input MAX watermark fires [10,20).",
    query(tumbling(10), 2, side_output=True),
    elems(("a", 1, 0, 0), ("a", 15, 0, 50), ("b", 3, 0, 120)),
    input_end_ms=500))

# --- several windows fired by one watermark: Flink's firing order
add(case(
    "one_watermark_fires_many",
    "10 s tumbling, 0 s delay, side output: 4 keys over 3 windows and z@100, all arriving within "
    "the first 200 ms (no watermark yet, so nothing is late); input_end_ms 300: the 200 ms tick "
    "after the last element emits 99.999 and fires all 12 (key, window) pairs at once, in "
    "Flink's timer order (window end ascending; equal ends in the timer heap's order); [100,110) "
    "fires at end of input.",
    query(tumbling(10), 0, side_output=True),
    elems(("d", 25), ("c", 5), ("b", 15), ("a", 25), ("a", 5), ("c", 15), ("d", 5),
          ("b", 25), ("a", 15), ("b", 5), ("d", 15), ("c", 25), ("z", 100), step=10),
    input_end_ms=300))

# --- another periodic interval
add(case(
    "interval_1000_ms",
    "The input of tumbling_late_side_output with pipeline.auto-watermark-interval 1000 ms: "
    "ticks only at 1000 and 2000 ms, so watermarks come after the elements arriving at 900 and "
    "1800 ms only; the tick at 1000 ms (after a@16) emits 10.999 and a@9 is late as before.",
    query(tumbling(10), 5, side_output=True), TUMBLING_LATE_INPUT, input_end_ms=2100,
    interval_ms=1000))

# --- seeded random inputs
def random_case(seed, window, delay, lateness, side_output, n=40, keys="abc"):
    rnd = random.Random(seed)
    out = []
    t = 0
    clock = 0.0
    for i in range(n):
        clock += rnd.uniform(0, 2.0)
        sec = max(0.0, clock - rnd.choice([0, 0, 0, 1, 3, 8, 15]) + rnd.uniform(-1, 1))
        whole = int(sec)
        ms = int(round((sec - whole) * 1000)) % 1000
        t += rnd.choice([0, 20, 50, 150, 250, 400])
        out.append({"id": i + 1, "key": rnd.choice(keys), "event_time": ts(whole, ms),
                    "arrival_ms": t})
    return query(window, delay, lateness, side_output), out


for seed, window, delay, lateness, side in [
    (1, tumbling(5), 2, 0, True),
    (2, sliding(6, 2), 3, 2, True),
    (3, session(2), 1, 0, False),
    (4, session(3), 2, 3, True),
]:
    q, inp = random_case(seed, window, delay, lateness, side)
    add(case(
        "random_s%d_%s" % (seed, window["kind"]),
        "Seeded random input (random.Random(%d)): 40 elements, keys a-c, event times drifting "
        "up with out-of-order jumps of up to 16 s, arrivals 0-400 ms apart (some within one "
        "200 ms interval)." % seed,
        q, inp))


# --- several source partitions (one split each, one reader): the watermark is the min
add(case(
    "partitions_slow_partition_holds_watermark",
    "2 partitions, 10 s tumbling, 1 s delay, side output: partition 0 runs ahead (a@12, a@25), "
    "partition 1 lags (b@3, b@6, b@9); the watermark is the min of the per-split watermarks "
    "(0.999, then partition 1's 1.999, 4.999, 7.999) and a@5 on partition 0, 20 s behind "
    "partition 0's own watermark, is on time; b@13 lifts partition 1 to 11.999 and [0,10) "
    "fires; then a@8 is late.",
    query(tumbling(10), 1, side_output=True),
    pelems((0, "a", 2), (1, "b", 3), (0, "a", 12), (1, "b", 6), (0, "a", 25), (0, "a", 5),
           (1, "b", 9), (1, "b", 13), (0, "a", 8), (0, "a", 27)),
    partitions=2))
add(case(
    "partitions_empty_partition_stalls",
    "3 partitions, partition 2 never gets an element: its split's watermark stays at "
    "Long.MIN_VALUE, so the combined watermark never advances (no watermark before the "
    "end-of-input MAX), nothing is late however far behind (a@1 after a@40), and every window "
    "fires at end of input. The classic stall that withIdleness is for.",
    query(tumbling(10), 1, side_output=True),
    pelems((0, "a", 2), (1, "b", 5), (0, "a", 15), (1, "b", 22), (0, "a", 40), (1, "b", 31),
           (0, "a", 1)),
    partitions=3))
add(case(
    "partitions_catch_up",
    "2 partitions, 10 s tumbling, 0 s delay, side output: partition 1 starts only at 900 ms, "
    "so until then the watermark stays MIN although partition 0 is at 30 s (a@3 is not late); "
    "b@11 at 900 ms makes the min 10.999 (partition 1) and [0,10) fires; b@35 lets partition "
    "0 (a@31: 30.999) be the min and b's [10,20), a's [20,30) fire at once; a@9, arriving "
    "after 10.999, is late; then partition 0 catches up (a@50) and partition 1 is the min "
    "again (34.999).",
    query(tumbling(10), 0, side_output=True),
    pelems((0, "a", 1, 0, 0), (0, "a", 20, 0, 100), (0, "a", 31, 0, 300), (0, "a", 3, 0, 500),
           (1, "b", 11, 0, 900), (0, "a", 9, 0, 1000), (1, "b", 35, 0, 1300),
           (0, "a", 50, 0, 1500), (1, "b", 33, 0, 1700), (0, "a", 32, 0, 1900)),
    partitions=2))
add(case(
    "partitions_one_split",
    "tumbling_late_side_output's input through the partitioned job with one split "
    "(source_partitions 1): the same watermarks, firings and side output as the single "
    "fromData source with its own assignTimestampsAndWatermarks.",
    query(tumbling(10), 5, side_output=True),
    [dict(r, partition=0) for r in TUMBLING_LATE_INPUT],
    partitions=1))

# --- withIdleness: a split without elements for longer than the timeout stops counting
add(case(
    "idleness_unblocks_empty_partition",
    "partitions_empty_partition_stalls' 3 partitions with withIdleness(1 s): partition 2 "
    "(never an element) starts its idleness countdown at the first tick (200 ms) and is idle "
    "at the first tick more than 1 s later (1400 ms); from then the watermark is the min of "
    "partitions 0 and 1, windows fire and a@1 is late.",
    query(tumbling(10), 1, side_output=True, idleness=1),
    pelems((0, "a", 2), (1, "b", 5), (0, "a", 15), (1, "b", 22), (0, "a", 40), (1, "b", 31),
           (0, "a", 1)),
    partitions=3))
add(case(
    "idleness_strictly_after_timeout",
    "2 partitions, withIdleness(1 s), 0 s delay: partition 1's only element arrives at 100 ms; "
    "the tick at 200 ms sees that activity, the countdown starts at 400 ms, and partition 1 is "
    "idle at the first tick where now - start > 1 s strictly: 1600 ms, not 1400 ms (1000 ms, "
    "not more). Partition 0's elements at 1300, 1500, 1700 ms: the watermark leaves partition "
    "1's 0.999 only after the element at 1500 ms (tick 1600).",
    query(tumbling(10), 0, side_output=True, idleness=1),
    pelems((0, "a", 2, 0, 0), (1, "b", 1, 0, 100), (0, "a", 12, 0, 1300), (0, "a", 14, 0, 1500),
           (0, "a", 23, 0, 1700), (0, "a", 5, 0, 1900)),
    input_end_ms=2000, partitions=2))
add(case(
    "idleness_partition_wakes_up_late",
    "2 partitions, withIdleness(0.5 s), 1 s delay, side output: partition 1 goes quiet after "
    "b@3 (50 ms): the 200 ms tick sees it, the countdown starts at 400 ms, idle at the 1000 "
    "ms tick (600 > 500 ms); partition 0 alone drives the watermark "
    "(23.999) and [0,10), [10,20) fire. Then partition 1 wakes up with b@4 and b@12: the "
    "combined watermark never goes back, so both are late (side output); at the next tick "
    "partition 1 is active again with its own watermark 11.999 and holds the combined one "
    "at 23.999 until b@30 (28.999).",
    query(tumbling(10), 1, side_output=True, idleness=0.5),
    pelems((0, "a", 1, 0, 0), (1, "b", 3, 0, 50), (0, "a", 11, 0, 300), (0, "a", 25, 0, 900),
           (1, "b", 4, 0, 1100), (1, "b", 12, 0, 1150), (0, "a", 40, 0, 1300),
           (1, "b", 30, 0, 1500), (0, "a", 26, 0, 1700)),
    input_end_ms=1900, partitions=2))
add(case(
    "idleness_all_partitions_idle",
    "2 partitions, withIdleness(0.4 s), 0 s delay: both go quiet after 100 ms (watermarks "
    "4.999 and 1.999, combined 1.999) and are both idle at the 1000 ms tick; with every split "
    "idle Flink 2.3's CombinedWatermarkStatus takes the MAX of the idle splits' watermarks, "
    "so the watermark moves to 4.999 (then the source is marked idle). At 1500 ms partition "
    "0 wakes up with a@20: at the next tick (1600 ms) it is the only active split and the "
    "watermark jumps to 19.999, [0,10) fires for a and b, though partition 1 is still idle; "
    "b@15 then is late.",
    query(tumbling(10), 0, side_output=True, idleness=0.4),
    pelems((0, "a", 5, 0, 0), (1, "b", 2, 0, 100), (0, "a", 20, 0, 1500), (1, "b", 15, 0, 1700),
           (0, "a", 21, 0, 1750)),
    input_end_ms=2000, partitions=2))
add(case(
    "idleness_short_gaps_never_idle",
    "2 partitions, withIdleness(1 s): partition 1 sends an element every 1000 ms, so every "
    "countdown is reset before it exceeds 1 s (a tick with activity resets it, the next starts "
    "it); partition 1 is never idle and holds the watermark back: a@3 on partition 0 at 2700 "
    "ms is on time.",
    query(tumbling(10), 0, side_output=True, idleness=1),
    pelems((0, "a", 5, 0, 0), (1, "b", 1, 0, 50), (0, "a", 25, 0, 500), (1, "b", 2, 0, 1050),
           (0, "a", 30, 0, 1500), (1, "b", 3, 0, 2050), (0, "a", 3, 0, 2700),
           (1, "b", 4, 0, 3050)),
    input_end_ms=3300, partitions=2))


def random_partitioned(seed, window, delay, lateness, side_output, parts, idleness, n=40):
    """Like random_case, each element on a random partition; one partition may pause for a
    while (no elements between 1/3 and 2/3 of the input) to exercise idleness."""
    rnd = random.Random(seed)
    quiet = rnd.randrange(parts)
    out = []
    t = 0
    clock = 0.0
    for i in range(n):
        clock += rnd.uniform(0, 2.0)
        sec = max(0.0, clock - rnd.choice([0, 0, 0, 1, 3, 8, 15]) + rnd.uniform(-1, 1))
        whole = int(sec)
        ms = int(round((sec - whole) * 1000)) % 1000
        t += rnd.choice([0, 20, 50, 150, 250, 400])
        p = rnd.randrange(parts)
        if n // 3 <= i < 2 * n // 3 and p == quiet:
            p = (p + 1) % parts
        out.append({"id": i + 1, "key": rnd.choice("abc"), "event_time": ts(whole, ms),
                    "arrival_ms": t, "partition": p})
    return query(window, delay, lateness, side_output, idleness=idleness), out


for seed, window, delay, lateness, side, parts, idle in [
    (11, tumbling(5), 2, 0, True, 2, None),
    (12, sliding(6, 2), 1, 1, True, 3, 1),
    (13, session(2), 1, 0, False, 2, 0.6),
    (14, tumbling(4), 0, 2, True, 3, 0.8),
]:
    q, inp = random_partitioned(seed, window, delay, lateness, side, parts, idle)
    add(case(
        "random_p%d_%s" % (seed, window["kind"]),
        "Seeded random input (random.Random(%d)) on %d source partitions%s: 40 elements, keys "
        "a-c, event times drifting up with out-of-order jumps, arrivals 0-400 ms apart; one "
        "partition gets nothing in the middle third of the input." % (
            seed, parts, "" if idle is None else ", withIdleness(%g s)" % idle),
        q, inp, partitions=parts))


# ---------------------------------------------------------------- FileSink cases
# query.operator "sink_elements": the elements themselves (one row each: the id) go to a
# row-format FileSink (SimpleStringEncoder, OnCheckpointRollingPolicy, BasePathBucketAssigner:
# one bucket); `checkpoints_after_index` places a checkpoint barrier right after element i
# (-1: before the first element; may repeat: several checkpoints with nothing in between).
SINK_DIR = CASES_DIR
SINK_CASES = []


def sink_case(name, description, n, checkpoints):
    inp = elems(*[("a", i + 1) for i in range(n)], step=100)
    return {
        "format": FORMAT,
        "name": name,
        "description": description,
        "engine": {"name": "flink", "version": FLINK_VERSION, "conf": {"parallelism": 1}},
        "query": {"operator": "sink_elements",
                  "sink": {"kind": "file", "format": "row", "rolling_policy": "on_checkpoint",
                           "bucket_assigner": "base_path"}},
        "checkpoints_after_index": checkpoints,
        "input": inp,
    }


SINK_CASES.append(sink_case(
    "sink_rolls_on_checkpoint",
    "8 elements, checkpoints after elements 2 and 5: each checkpoint rolls the one in-progress "
    "part file, which becomes visible when the checkpoint completes; the last 2 elements are "
    "committed by the final checkpoint after the end of input.", 8, [2, 5]))
SINK_CASES.append(sink_case(
    "sink_no_records_no_file",
    "Checkpoints before the first element, then after element 2 three times (no records between "
    "them), then after 5: a checkpoint with no records since the last makes no file (not even "
    "an empty one).", 8, [-1, 2, 2, 2, 5]))
SINK_CASES.append(sink_case(
    "sink_end_of_input_commits",
    "No checkpoint while the input is read: all 5 rows stay in one in-progress file until the "
    "final checkpoint after the bounded source finishes commits it.", 5, []))
SINK_CASES.append(sink_case(
    "sink_checkpoint_after_last_element",
    "A checkpoint right after the last element commits everything; the final checkpoint after "
    "the end of input then has no records and makes no file.", 5, [1, 4]))


def check(c):
    ids = [r["id"] for r in c["input"]]
    assert len(ids) == len(set(ids)), c["name"] + ": duplicate ids"
    parts = c["engine"]["conf"].get("source_partitions")
    for r in c["input"]:
        assert ("partition" in r) == (parts is not None), c["name"] + ": partition"
        assert parts is None or 0 <= r["partition"] < parts, c["name"] + ": partition range"
    arr = [r["arrival_ms"] for r in c["input"]]
    assert arr == sorted(arr), c["name"] + ": arrival_ms decreases"


def write_all(cases, cases_dir=CASES_DIR):
    os.makedirs(cases_dir, exist_ok=True)
    names = [c["name"] for c in cases]
    assert len(set(names)) == len(names), "duplicate case names"
    for c in cases:
        check(c)
        path = os.path.join(cases_dir, c["name"] + ".json")
        if os.path.exists(path):
            with open(path) as f:
                old = json.load(f)
            old.pop("expected", None)
            if old == c:
                continue
        with open(path, "w") as f:
            json.dump(c, f, indent=1)
            f.write("\n")
        print("wrote %s (needs the oracle)" % path)


if __name__ == "__main__":
    if "--list" in sys.argv:
        for c in CASES + SINK_CASES:
            print(c["name"])
    else:
        write_all(CASES)
        write_all(SINK_CASES, SINK_DIR)
