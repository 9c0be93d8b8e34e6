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


def query(window, delay, lateness=0, side_output=True):
    return {
        "operator": "window_count",
        "window": window,
        "watermark_delay_s": delay,
        "allowed_lateness_s": lateness,
        "late_side_output": side_output,
    }


def engine(interval_ms=200):
    return {
        "name": "flink",
        "version": FLINK_VERSION,
        "conf": {"parallelism": 1, "pipeline.auto-watermark-interval_ms": interval_ms},
    }


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


def check(c):
    ids = [r["id"] for r in c["input"]]
    assert len(ids) == len(set(ids)), c["name"] + ": duplicate ids"
    arr = [r["arrival_ms"] for r in c["input"]]
    assert arr == sorted(arr), c["name"] + ": arrival_ms decreases"


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
            if old == c:
                continue
        with open(path, "w") as f:
            json.dump(c, f, indent=1)
            f.write("\n")
        print("wrote %s (needs the oracle)" % path)


if __name__ == "__main__":
    if "--list" in sys.argv:
        for c in CASES:
            print(c["name"])
    else:
        write_all(CASES)
