#!/usr/bin/env python3
"""Benchmark (not a test): how a Spark Structured Streaming micro-batch's duration grows with
its number of input rows, measured with real Apache Spark (PySpark 4.3.0, local[2]).

It backs the simulator's throughput constants `batch_cost.per_row_us` (µs of ONE executor
core per input row) and `batch_cost.overhead_s` (fixed seconds per batch) with a measurement.

What it measures
- Input: JSON-lines files with the simulator's event schema
  (`id LONG, key STRING, event_time TIMESTAMP, value LONG`; event_time as RFC 3339 with µs,
  as the exported PySpark job reads them), 100 keys, event times spread uniformly over a
  20-minute span per file (two 10-minute windows), each file's span after the previous one
  so the watermark advances and windows close. JSON parsing is therefore part of the
  per-row cost.
- One file per micro-batch: all files are written first, with increasing modification
  times, and read with `maxFilesPerTrigger=1` and `Trigger.AvailableNow`.
- Queries (each with its own checkpoint and parquet sink in a temp dir):
    agg   `withWatermark("event_time", "2 minutes")`,
          `groupBy(window("event_time", "10 minutes"), "key").count()`, append mode, parquet
          sink -- the simulator's default query; once with spark.sql.shuffle.partitions = 2
          and once with 200 (Spark's default);
    select  a plain stateless `select(id, key, event_time, value)` to parquet.
- Per batch, from the query's progress: numInputRows and every durationMs key
  (triggerExecution, addBatch, queryPlanning, walCommit, commitOffsets, latestOffset, ...),
  the state rows, and `others_cpu`: the share of the machine's cores that OTHER processes
  used during the batch (from /proc/stat minus the JVM's and this script's own CPU time,
  sampled every 0.1 s) -- a batch that shared the cores is slower, so this is the noise
  indicator; a second fit uses only the "quiet" batches (others_cpu <= --max-others).
  Also `our_cpu_s`: the CPU seconds the JVM and this script used during the batch (all
  threads: tasks, driver, GC, JIT), fitted against rows too -- its slope is one core's CPU
  time per row measured directly, and it is less disturbed than wall time by other load.
- A least-squares fit `triggerExecution = a + b * rows` over the measured batches (warm-up
  batches excluded): a in seconds, b in µs per row of the whole local[2] run, and b * 2 as
  µs of one core per row (an upper bound on one core's cost: it assumes both cores are busy
  for the whole per-row part, which holds only when the batch has >= 2 input splits; the
  split count of each file size is printed).

How to run (from the repository root, after `tests/conformance/oracle.sh --help` has
created .venv with pyspark 4.3.0 and checked for Java 17):

    .venv/bin/python tests/bench/spark_per_row.py
    .venv/bin/python tests/bench/spark_per_row.py --sizes 10000,100000 --repeats 1 --queries agg2

With the defaults it took 5.5-6 minutes on a 2-core VM (writing the 873 MB of input ~30 s,
Spark start-up ~10 s, agg200 most of the rest); Linux only (it reads /proc). Everything is
written under a temp dir that is removed at the end (--keep keeps it).

Results are machine-specific: they depend on the CPU, the JVM, the disk, and on whatever else
the machine is running (the load average is printed before and after each query). Treat the
numbers as one machine's measurement, not as a property of Spark.
"""

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime

EVENT_SCHEMA = "id LONG, key STRING, event_time TIMESTAMP, value LONG"
KEYS = 100
FILE_SPAN_S = 20 * 60  # each file's event times cover 20 minutes = two 10-minute windows
DAY0 = "2026-01-01"
CORES = 2


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10000,30000,100000,300000,1000000,3000000",
                   help="rows per measured file (comma-separated)")
    p.add_argument("--repeats", type=int, default=2, help="files of each size")
    p.add_argument("--warmup", default="100000,300000,1000000,300000,100000",
                   help="rows of the warm-up files read first by every query (not fitted)")
    p.add_argument("--queries", default="agg2,agg200,select",
                   help="which queries: agg2 (aggregation, 2 shuffle partitions), agg200 "
                        "(aggregation, 200), select (stateless)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--max-others", type=float, default=0.1,
                   help="a batch is 'quiet' if other processes used at most this share of the "
                        "cores during it (a second fit uses only quiet batches)")
    p.add_argument("--keep", action="store_true", help="keep the temp dir")
    return p.parse_args()


# ---------------------------------------------------------------------------- input files


def write_file(path, rows, start_s, id0, rng):
    """`rows` JSON lines with event times uniform in [start_s, start_s + FILE_SPAN_S) seconds
    after DAY0 00:00:00Z (every span stays inside that day)."""
    span_us = FILE_SPAN_S * 1_000_000
    base_us = start_s * 1_000_000
    rnd = rng.random
    chunk = []
    with open(path, "w") as f:
        for i in range(rows):
            t = base_us + int(rnd() * span_us)
            s, us = divmod(t, 1_000_000)
            h, rem = divmod(s, 3600)
            m, sec = divmod(rem, 60)
            chunk.append(
                '{"id":%d,"key":"k%d","event_time":"%sT%02d:%02d:%02d.%06dZ","value":%d}\n'
                % (id0 + i, int(rnd() * KEYS), DAY0, h, m, sec, us, int(rnd() * 1000)))
            if len(chunk) >= 50_000:
                f.write("".join(chunk))
                chunk = []
        f.write("".join(chunk))


def make_inputs(src, warmup, measured, seed):
    """Writes the files in read order; returns [(path, rows, is_warmup)]."""
    rng = random.Random(seed)
    plan = [(n, True) for n in warmup] + [(n, False) for n in measured]
    if (len(plan) + 1) * FILE_SPAN_S > 86_400:
        sys.exit("too many files for one day of event time")
    out = []
    now = time.time()
    id0 = 0
    for pos, (rows, warm) in enumerate(plan):
        path = os.path.join(src, "%03d-%d.json" % (pos, rows))
        write_file(path, rows, pos * FILE_SPAN_S, id0, rng)
        id0 += rows
        # distinct, increasing modification times: the file source reads the oldest first
        t = now - 10 * (len(plan) - pos)
        os.utime(path, (t, t))
        out.append((path, rows, warm))
    return out


# ---------------------------------------------------------------------------- CPU sampler


def _busy_jiffies():
    """All CPUs' busy time (user+nice+system+irq+softirq+steal) from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return v[0] + v[1] + v[2] + v[5] + v[6] + v[7]


def _proc_jiffies(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


class CpuSampler(threading.Thread):
    """Samples, every `period` s, the machine's busy CPU time and ours (the JVM + this
    Python), so each batch can be told how much CPU other processes took during it."""

    def __init__(self, pids, period=0.1):
        super().__init__(daemon=True)
        self.pids, self.period = pids, period
        self.hz = os.sysconf("SC_CLK_TCK")
        self.samples = []  # (unix time, all busy jiffies, our jiffies)
        self.stop_flag = threading.Event()

    def sample(self):
        try:
            ours = sum(_proc_jiffies(p) for p in self.pids)
            self.samples.append((time.time(), _busy_jiffies(), ours))
        except OSError:
            pass

    def run(self):
        while not self.stop_flag.is_set():
            self.sample()
            self.stop_flag.wait(self.period)

    def _at(self, t):
        """(all busy, ours) jiffies at unix time t, linearly interpolated between samples."""
        s = self.samples
        for a, b in zip(s, s[1:]):
            if a[0] <= t <= b[0]:
                f = (t - a[0]) / (b[0] - a[0]) if b[0] > a[0] else 0.0
                return a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])
        return None

    def between(self, t0, t1):
        """(share of the CORES other processes used, our CPU seconds) in [t0, t1], or
        (None, None) if the samples do not cover it."""
        a, b = self._at(t0), self._at(t1)
        if a is None or b is None or t1 <= t0:
            return None, None
        ours = (b[1] - a[1]) / self.hz
        others = ((b[0] - a[0]) - (b[1] - a[1])) / self.hz
        return max(0.0, others / (t1 - t0) / CORES), ours


# ---------------------------------------------------------------------------- Spark


def make_session(tmp):
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[%d]" % CORES)
        .appName("pipeline-sim-bench-per-row")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
        .config("spark.executor.extraJavaOptions", "-Duser.timezone=UTC")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.streaming.numRecentProgressUpdates", "100000")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.warehouse.dir", os.path.join(tmp, "warehouse"))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def build_query(spark, kind, src, out, ckpt):
    from pyspark.sql import functions as F

    events = (spark.readStream.format("json").schema(EVENT_SCHEMA)
              .option("maxFilesPerTrigger", 1).load(src))
    if kind == "select":
        df, mode = events.select("id", "key", "event_time", "value"), "append"
    else:
        df = (events.withWatermark("event_time", "2 minutes")
              .groupBy(F.window("event_time", "10 minutes"), "key").count())
        mode = "append"
    return (df.writeStream.format("parquet").outputMode(mode)
            .option("path", out).option("checkpointLocation", ckpt)
            .trigger(availableNow=True).start())


def run_query(spark, sampler, name, kind, shuffle_partitions, src, tmp):
    spark.conf.set("spark.sql.shuffle.partitions", str(shuffle_partitions))
    out = os.path.join(tmp, "out-" + name)
    ckpt = os.path.join(tmp, "ckpt-" + name)
    load0 = os.getloadavg()
    t0 = time.monotonic()
    q = build_query(spark, kind, src, out, ckpt)
    q.awaitTermination()
    wall = time.monotonic() - t0
    time.sleep(2 * sampler.period)  # a sample after the last batch
    load1 = os.getloadavg()
    if q.exception() is not None:
        raise RuntimeError("%s failed: %s" % (name, q.exception()))
    progress = [json.loads(p.json()) for p in q._jsq.recentProgress()]
    return progress, wall, load0, load1


# ---------------------------------------------------------------------------- fit


def fit(xs, ys):
    """Ordinary least squares y = a + b x, with standard errors and R²."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    b = sxy / sxx
    a = my - b * mx
    res = [y - (a + b * x) for x, y in zip(xs, ys)]
    sse = sum(r * r for r in res)
    sst = sum((y - my) ** 2 for y in ys)
    r2 = 1 - sse / sst if sst > 0 else float("nan")
    s2 = sse / (n - 2) if n > 2 else float("nan")
    se_b = (s2 / sxx) ** 0.5
    se_a = (s2 * (1 / n + mx * mx / sxx)) ** 0.5
    return a, b, se_a, se_b, r2, s2 ** 0.5, res


# ---------------------------------------------------------------------------- report


MAIN_KEYS = ["triggerExecution", "addBatch", "queryPlanning", "getBatch", "latestOffset",
             "walCommit", "commitOffsets"]


def batch_interval(p):
    """(start, end) unix time of a batch from its progress event."""
    t0 = datetime.strptime(p["timestamp"].rstrip("Z")[:26] + "+0000",
                           "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
    return t0, t0 + p.get("durationMs", {}).get("triggerExecution", 0) / 1000.0


def report(name, progress, files, wall, load0, load1, sampler, max_others):
    print("\n=== %s: %d progress events, %.1f s wall (load avg %.2f -> %.2f)"
          % (name, len(progress), wall, load0[0], load1[0]))
    other_keys = sorted({k for p in progress for k in p.get("durationMs", {})} - set(MAIN_KEYS))
    keys = MAIN_KEYS + other_keys
    print("batch  file_rows  numInputRows  warm  " + "  ".join("%s_ms" % k for k in keys)
          + "  stateRows  our_cpu_s  others_cpu")
    data_batches = [p for p in progress if p.get("numInputRows", 0) > 0]
    xs, ys, ya, busy, cpu = [], [], [], [], []
    fi = 0
    for p in progress:
        n = p.get("numInputRows", 0)
        d = p.get("durationMs", {})
        so = p.get("stateOperators") or []
        state_rows = so[0].get("numRowsTotal", "") if so else ""
        share, ours = sampler.between(*batch_interval(p))
        if n > 0 and fi < len(files):
            _, frows, warm = files[fi]
            fi += 1
            if frows != n:
                print("  WARNING: batch %s read %d rows, expected the file of %d"
                      % (p["batchId"], n, frows))
        else:
            frows, warm = 0, False
        print("%5s  %9d  %12d  %4s  " % (p["batchId"], frows, n, "yes" if warm else "")
              + "  ".join("%*s" % (len(k) + 3, d.get(k, "")) for k in keys)
              + "  %9s  %9s  %10s" % (state_rows, "?" if ours is None else "%.2f" % ours,
                                      "?" if share is None else "%.0f%%" % (100 * share)))
        if n > 0 and not warm:
            xs.append(n)
            ys.append(d["triggerExecution"] / 1000.0)
            ya.append(d.get("addBatch", 0) / 1000.0)
            busy.append(share)
            cpu.append(ours)
    if len(data_batches) != len(files):
        print("  WARNING: %d batches with data, %d files" % (len(data_batches), len(files)))
    result = {"query": name}
    quiet = [i for i, b in enumerate(busy) if b is not None and b <= max_others]
    print("  others_cpu: share of the %d cores other processes used during the batch; %d of %d "
          "measured batches at <= %.0f%%" % (CORES, len(quiet), len(xs), 100 * max_others))
    if len(set(xs)) < 2:
        print("  (not enough distinct sizes to fit)")
        return result
    qx, qy = [xs[i] for i in quiet], [ys[i] for i in quiet]
    if len(set(qx)) >= 3 and len(qx) >= 6:  # fewer quiet points than that fit anything
        a, b, se_a, se_b, r2, sd, _ = fit(qx, qy)
        print("  fit triggerExecution, quiet batches only (%d): a = %.3f s (± %.3f), b = %.3f "
              "µs/row (± %.3f), b*%d = %.3f µs; R² = %.4f, residual sd = %.3f s"
              % (len(qx), a, se_a, b * 1e6, se_b * 1e6, CORES, b * 1e6 * CORES, r2, sd))
        result.update(quiet=(a, se_a, b * 1e6, se_b * 1e6, r2, len(qx)))
    if all(c is not None for c in cpu):
        a, b, se_a, se_b, r2, sd, _ = fit(xs, cpu)
        print("  fit our CPU seconds (JVM + this script) = a + b*rows over %d batches: a = %.3f "
              "CPU-s (± %.3f), b = %.3f CPU-µs per row (± %.3f) -- one core's µs per row, "
              "measured; R² = %.4f, residual sd = %.3f CPU-s"
              % (len(xs), a, se_a, b * 1e6, se_b * 1e6, r2, sd))
        result.update(cpu=(a, se_a, b * 1e6, se_b * 1e6, r2, len(xs)))
    for label, y in (("triggerExecution", ys), ("addBatch", ya)):
        a, b, se_a, se_b, r2, sd, res = fit(xs, y)
        b_us = b * 1e6
        print("  fit %-16s = a + b*rows over %d batches: a = %.3f s (± %.3f), "
              "b = %.3f µs/row (± %.3f) for the whole local[%d] run, b*%d = %.3f µs of one "
              "core per row; R² = %.4f, residual sd = %.3f s"
              % (label, len(xs), a, se_a, b_us, se_b * 1e6, CORES, CORES, b_us * CORES, r2, sd))
        if label == "triggerExecution":
            print("    residuals (s): " + ", ".join(
                "%d rows %+.3f" % (x, r) for x, r in sorted(zip(xs, res))))
            result.update(a_s=a, se_a_s=se_a, b_us=b_us, se_b_us=se_b * 1e6,
                          b_core_us=b_us * CORES, r2=r2, resid_sd_s=sd, n=len(xs))
    # the per-row rate from the largest batches alone (the overhead hardly matters there)
    big = max(xs)
    tb = [y for x, y in zip(xs, ys) if x == big]
    print("  largest batches (%d rows): mean %.3f s -> %.3f µs/row whole run (incl. overhead)"
          % (big, sum(tb) / len(tb), sum(tb) / len(tb) / big * 1e6))
    return result


def machine_facts():
    print("machine: %s, %s, nproc = %s" % (platform.platform(), platform.processor() or "?",
                                            os.cpu_count()))
    try:
        model = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                 if l.startswith("model name")]
        print("cpu: %s x %d" % (model[0], len(model)))
    except (OSError, IndexError):
        pass
    try:
        j = subprocess.run(["java", "-version"], capture_output=True, text=True)
        print("java: " + " | ".join(j.stderr.strip().splitlines()))
    except OSError:
        print("java: not found on PATH")
    import pyspark
    print("pyspark: %s, python %s" % (pyspark.__version__, platform.python_version()))


def main():
    args = parse_args()
    os.environ["TZ"] = "UTC"
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    warmup = [int(s) for s in args.warmup.split(",") if s]
    queries = [q for q in args.queries.split(",") if q]
    known = {"agg2": ("agg", 2), "agg200": ("agg", 200), "select": ("select", 2)}
    for q in queries:
        if q not in known:
            sys.exit("unknown query %r (agg2, agg200, select)" % q)

    machine_facts()
    rng = random.Random(args.seed)
    measured = [n for n in sizes for _ in range(args.repeats)]
    rng.shuffle(measured)  # sizes in a mixed order, so JIT warm-up or drift is not a trend in size
    tmp = tempfile.mkdtemp(prefix="spark-per-row-")
    t_all = time.monotonic()
    try:
        src = os.path.join(tmp, "src")
        os.makedirs(src)
        t0 = time.monotonic()
        files = make_inputs(src, warmup, measured, args.seed)
        mb = sum(os.path.getsize(f[0]) for f in files) / 1e6
        print("inputs: %d files, %d rows, %.0f MB in %s, written in %.1f s"
              % (len(files), sum(f[1] for f in files), mb, src, time.monotonic() - t0))
        print("read order: " + ", ".join("%d%s" % (r, "w" if w else "") for _, r, w in files))

        t0 = time.monotonic()
        spark = make_session(tmp)
        print("spark %s session up in %.1f s; state store %s" % (
            spark.version, time.monotonic() - t0,
            spark.conf.get("spark.sql.streaming.stateStore.providerClass", "(default)")))
        # input splits per file size: a file in one split is parsed by one core only
        seen = set()
        for path, rows, _ in files:
            if rows in seen:
                continue
            seen.add(rows)
            parts = spark.read.schema(EVENT_SCHEMA).json(path).rdd.getNumPartitions()
            print("  %8d rows, %7.1f MB: %d input split(s)"
                  % (rows, os.path.getsize(path) / 1e6, parts))

        jvm_pid = int(spark._jvm.java.lang.ProcessHandle.current().pid())
        sampler = CpuSampler([jvm_pid, os.getpid()])
        sampler.start()
        results = []
        for q in queries:
            kind, sp = known[q]
            name = "%s (shuffle.partitions=%d)" % (q, sp) if kind == "agg" else q
            progress, wall, l0, l1 = run_query(spark, sampler, q, kind, sp, src, tmp)
            results.append(report(name, progress, files, wall, l0, l1, sampler, args.max_others))
        sampler.stop_flag.set()
        spark.stop()

        print("\n=== summary (triggerExecution = a + b*rows; b*%d = one core's µs per row)" % CORES)
        for r in results:
            if "b_us" in r:
                print("  %-32s a = %6.3f s ± %.3f   b = %6.3f µs/row ± %.3f   b*%d = %6.3f µs   "
                      "R² = %.4f   n = %d"
                      % (r["query"], r["a_s"], r["se_a_s"], r["b_us"], r["se_b_us"], CORES,
                         r["b_core_us"], r["r2"], r["n"]))
            if "cpu" in r:
                a, se_a, b, se_b, r2, n = r["cpu"]
                print("  %-32s a = %6.3f CPU-s ± %.3f   b = %6.3f CPU-µs/row ± %.3f   "
                      "R² = %.4f   n = %d" % ("  our CPU time (all batches)", a, se_a, b, se_b,
                                               r2, n))
            if "quiet" in r:
                a, se_a, b, se_b, r2, n = r["quiet"]
                print("  %-32s a = %6.3f s ± %.3f   b = %6.3f µs/row ± %.3f   b*%d = %6.3f µs   "
                      "R² = %.4f   n = %d" % ("  quiet batches only", a, se_a, b, se_b, CORES,
                                               b * CORES, r2, n))
        print("total %.1f s" % (time.monotonic() - t_all))
    finally:
        if args.keep:
            print("kept " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
