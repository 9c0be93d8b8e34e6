#!/usr/bin/env python3
"""Writes the seeded random conformance cases (cases/random_*.json).

Each case: 10-20 micro-batches of 5-50 rows, a few keys, an event-time "clock" that advances
by a random step per batch, rows mostly a little behind the clock (so out of order inside a
batch), some far behind (late), a few with sub-millisecond parts; dedup cases re-send earlier
rows. `random.Random(seed)` only: the same seed always gives the same input. Like
make_cases.py it is idempotent and leaves `expected` to the oracle (oracle.sh).
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_cases as mc  # noqa: E402


def gen_input(seed, dedup=None):
    """dedup: None | "exact" (re-send identical rows) | "id" (re-send an id, new event time)."""
    r = random.Random(seed)
    keys = ["k%d" % n for n in range(r.randint(2, 5))]
    clock_us = r.randint(0, 5) * 1_000_000
    next_id = 1
    sent = []
    batches = []
    for _ in range(r.randint(10, 20)):
        clock_us += r.choice([0, 1, 2, 3, 5, 8, 13]) * 1_000_000 + r.randint(0, 999) * 1000
        batch = []
        for _ in range(r.randint(5, 50)):
            if dedup and sent and r.random() < 0.3:
                old = r.choice(sent)
                if dedup == "exact":
                    batch.append(dict(old))
                    continue
                t = max(0, clock_us - r.randint(0, 12_000_000))
                batch.append({"id": old["id"], "key": old["key"], "event_time": ts_us(t)})
                continue
            u = r.random()
            if u < 0.75:
                lag = r.randint(0, 6_000_000)          # a little behind the clock
            elif u < 0.95:
                lag = r.randint(6_000_000, 30_000_000)  # late
            else:
                lag = -r.randint(0, 3_000_000)          # a little ahead
            t = max(0, clock_us - lag)
            v = r.random()
            if v < 0.6:
                t -= t % 1_000_000                      # whole seconds
            elif v < 0.8:
                t -= t % 1000                           # milliseconds
            row = {"id": next_id, "key": r.choice(keys), "event_time": ts_us(t)}
            next_id += 1
            batch.append(row)
            sent.append(row)
        batches.append(batch)
    return batches


def with_values(seed, batches, lo=-20, hi=100):
    """Adds an integer `value` to every row, drawn from its own random.Random(1000 + seed), so
    gen_input's draws (and the older cases) are unchanged."""
    r = random.Random(1000 + seed)
    return [[dict(row, value=r.randint(lo, hi)) for row in b] for b in batches]


def ts_us(t_us):
    return mc.ts(t_us // 1_000_000, t_us % 1_000_000)


RANDOM_CASES = [
    mc.case("random_s1_tumbling_append",
            "seed 1: 10 s tumbling, 5 s watermark, append, 4 partitions",
            mc.wq(mc.tumbling(10), 5, "append"), gen_input(1), partitions=4),
    mc.case("random_s2_sliding_update_P3",
            "seed 2: 10 s windows sliding by 4 s, 8 s watermark, update, 3 partitions",
            mc.wq(mc.sliding(10, 4), 8, "update"), gen_input(2), partitions=3),
    mc.case("random_s3_session_append",
            "seed 3: session windows (gap 3 s), 6 s watermark, append, 2 partitions",
            mc.wq(mc.session(3), 6, "append"), gen_input(3), partitions=2),
    mc.case("random_s4_dedup_P8",
            "seed 4: dropDuplicates(id, event_time), 5 s watermark, 8 partitions; re-sent rows",
            mc.dq(["id", "event_time"], 5), gen_input(4, dedup="exact"), partitions=8),
    mc.case("random_s5_dedup_within_wm",
            "seed 5: dropDuplicatesWithinWatermark(id), 5 s watermark; ids re-sent with new "
            "event times",
            mc.dq(["id"], 5, within=True), gen_input(5, dedup="id"), partitions=4),
    mc.case("random_s6_tumbling_complete_nodata_off",
            "seed 6: 5 s tumbling, 10 s watermark, complete, no-data batches off",
            mc.wq(mc.tumbling(5), 10, "complete"), gen_input(6), nodata=False),
    mc.case("random_s7_session_complete_P1",
            "seed 7: session windows (gap 2 s), 4 s watermark, complete, 1 partition",
            mc.wq(mc.session(2), 4, "complete"), gen_input(7), partitions=1),
    mc.case("random_s8_tumbling_sum_update_P3",
            "seed 8: 5 s tumbling, 6 s watermark, update, sum(value) (values -20..100), "
            "3 partitions",
            mc.wq(mc.tumbling(5), 6, "update", "sum"), with_values(8, gen_input(8)),
            partitions=3),
    mc.case("random_s9_session_avg_append",
            "seed 9: session windows (gap 3 s), 5 s watermark, append, avg(value) (values "
            "-20..100), 2 partitions",
            mc.wq(mc.session(3), 5, "append", "avg"), with_values(9, gen_input(9)),
            partitions=2),
]

if __name__ == "__main__":
    mc.write_all(RANDOM_CASES)
