#!/usr/bin/env python3
"""Checks `pipeline-sim pyspark` against real Apache Spark (run by run.sh, which sets up the venv).

For every scenario in scenarios/*.json (or the files given):

1. `pipeline-sim pyspark S.json` writes the script; it is compiled and imported as a module.
2. `pipeline-sim case S.json` turns the scenario into a conformance case: the events of each
   micro-batch the simulator's engine ran (and, as `scenario_run`, the engine report's batch
   columns).
3. The case runs on Spark through the conformance oracle (tests/conformance/oracle.py: a
   MemoryStream, one addData() + processAllAvailable() per batch, progress metrics, a real
   parquet file sink read back per batch when the scenario has one), with the oracle's query
   replaced by the generated script's build_query(). Spark's batches then go through
   `pipeline-sim conform CASE --check` (every batch id, input, watermark, state metric and output
   row) and are compared with the engine report (same numbers, file counts with a sink).
4. End to end: the scenario's events (`pipeline-sim events`) are written as JSON files, one event
   a file (so maxFilesPerTrigger counts rows), and the script's main() runs on them with
   --available-now (in this process; a parquet sink, or a memory sink for update/complete).
   Its batches are compared with the simulator's run of the same scenario under an availableNow
   trigger (input rows, watermark, state metrics and output rows per batch); the parquet output
   and the checkpoint must be there. For a scenario with a parquet sink, the script also runs as
   its own process (`python job.py ...`), and its output is read back from the files.

One line per scenario; the last line is "N passed, N failed"; exit 1 on any difference.
Usage: check_export.py [--keep DIR] [--no-own-process] [scenario.json ...]
"""
import argparse
import glob
import importlib.util
import json
import math
import os
import py_compile
import shutil
import subprocess
import sys
import tempfile
import time

os.environ["TZ"] = "UTC"
if hasattr(time, "tzset"):
    time.tzset()

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CLI = os.environ.get("PIPELINE_SIM", os.path.join(ROOT, "target", "release", "pipeline-sim"))
sys.path.insert(0, os.path.join(ROOT, "tests", "conformance"))
import oracle  # noqa: E402  (the conformance oracle: session, MemoryStream discipline, sink read-back)

EVENT_SCHEMA = "id LONG, key STRING, event_time TIMESTAMP, value LONG"
METRICS = ["input_rows", "watermark", "dropped_by_watermark", "state_rows_total",
           "state_rows_updated", "state_rows_removed"]


def cli(*args):
    """Runs the CLI; its stdout, or an exception with its stderr."""
    p = subprocess.run([CLI, *args], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("pipeline-sim %s: %s" % (" ".join(args), p.stderr.strip()))
    return p.stdout


def load_script(path, name):
    py_compile.compile(path, doraise=True)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for fn in ("build_query", "main"):
        if not callable(getattr(mod, fn, None)):
            raise RuntimeError("the script has no %s()" % fn)
    return mod


def use_generated_query(gen):
    """Makes the oracle run the generated build_query: the MemoryStream's JSON strings parsed into
    the script's event columns, then the script's query. (The oracle looks build_query up at call
    time.)"""
    from pyspark.sql import functions as F

    def build_query(spark, source_df, q, padded=False):
        if padded:  # a partitioned case's padding elements (the oracle's PAD) go first
            source_df = source_df.where(F.col("value") != F.lit(oracle.PAD))
        events = source_df.select(
            F.from_json(F.col("value"), EVENT_SCHEMA,
                        {"timestampFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX"}).alias("r")
        ).select("r.id", "r.key", "r.event_time", "r.value")
        return gen.build_query(spark, events)

    oracle.build_query = build_query


def stateless_fixup(q, batches):
    """Spark reports no state operator for a stateless query (null metrics); the simulator's
    conformance answer says 0."""
    if q["operator"] != "select":
        return
    for b in batches:
        for k in ("dropped_by_watermark", "state_rows_total", "state_rows_updated",
                  "state_rows_removed"):
            if b[k] is None:
                b[k] = 0


def conform_check(case, expected, tmp):
    """`pipeline-sim conform --check` on the case with Spark's batches as `expected`."""
    c = dict(case)
    c["expected"] = expected
    path = os.path.join(tmp, "case.json")
    with open(path, "w") as f:
        json.dump(c, f, indent=1)
    p = subprocess.run([CLI, "conform", path, "--check"], capture_output=True, text=True)
    return [] if p.returncode == 0 else [p.stderr.strip()]


def engine_check(spark_batches, run_batches):
    """Spark's batches against the engine report's columns (scenario_run)."""
    diffs = []
    if len(spark_batches) != len(run_batches):
        diffs.append("engine: %d batches, Spark %d" % (len(run_batches), len(spark_batches)))
    for s, r in zip(spark_batches, run_batches):
        got = {k: s[k] for k in METRICS}
        got["output_rows"] = len(s["output"])
        if "data_files" in r and "sink" in s:
            got["data_files"] = s["sink"]["data_files"]
            got["empty_files"] = s["sink"]["empty_files"]
        want = {k: r[k] for k in got}
        if got != want:
            diffs.append("engine batch %d: spark %s, engine %s" % (s["batch_id"], got, want))
    return diffs


def same_value(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return a == b or abs(a - b) <= 4 * math.ulp(max(abs(a), abs(b)))
    return a == b


def same_rows(a, b):
    """Output rows as multisets; avg within 4 ulps (the conformance runner's rule)."""
    if len(a) != len(b):
        return False
    rest = list(b)
    for row in a:
        for i, other in enumerate(rest):
            if row.keys() == other.keys() and all(same_value(row[k], other[k]) for k in row):
                rest.pop(i)
                break
        else:
            return False
    return True


def project(rows, q):
    """For a dedup, which of a batch's duplicates survives depends on the read order of the input
    files (several tasks); compare the dedup columns only."""
    if q["operator"] not in ("dedup", "dedup_within_watermark"):
        return rows
    cols = q["dedup_columns"] or ["id", "key", "event_time"]
    return [{c: r[c] for c in cols} for r in rows]


def progress_batches(query):
    """Executed micro-batches of a finished query, from its progress (as the oracle reads them)."""
    out = []
    for p in [json.loads(p.json()) for p in query._jsq.recentProgress()]:
        if "addBatch" not in p.get("durationMs", {}):
            continue
        ops = p.get("stateOperators") or []
        so = ops[0] if ops else None
        out.append({
            "batch_id": p["batchId"],
            "input_rows": int(p["numInputRows"]),
            "watermark": p.get("eventTime", {}).get("watermark"),
            "dropped_by_watermark": None if so is None else int(so["numRowsDroppedByWatermark"]),
            "state_rows_total": None if so is None else int(so["numRowsTotal"]),
            "state_rows_updated": None if so is None else int(so["numRowsUpdated"]),
            "state_rows_removed": None if so is None else int(so["numRowsRemoved"]),
        })
    return out


def write_event_files(scenario_path, folder):
    """The scenario's events as JSON files, one event a file, modification times in arrival
    order (the file source reads the oldest first)."""
    os.makedirs(folder)
    lines = [line for line in cli("events", scenario_path).splitlines() if line.strip()]
    t0 = time.time() - len(lines) - 10
    for i, line in enumerate(lines):
        path = os.path.join(folder, "part-%05d.json" % i)
        with open(path, "w") as f:
            f.write(line + "\n")
        os.utime(path, (t0 + i, t0 + i))
    return len(lines)


def available_now_answer(scenario_path, tmp):
    """The simulator's batches for the scenario under trigger availableNow (run after the last
    arrival, so it reads every event): its case and `conform`'s answer."""
    with open(scenario_path) as f:
        s = json.load(f)
    s["trigger"] = {"kind": "available_now"}
    path = os.path.join(tmp, "available_now.json")
    with open(path, "w") as f:
        json.dump(s, f)
    case = json.loads(cli("case", path))
    cpath = os.path.join(tmp, "available_now_case.json")
    with open(cpath, "w") as f:
        json.dump(case, f)
    return case, json.loads(cli("conform", cpath))["batches"]


def sink_check(spark, q, schema, out_dir, ckpt):
    """The parquet sink's output and checkpoint, read back per batch (oracle.sink_batches checks
    that every part file is in exactly one _spark_metadata log)."""
    for must in (os.path.join(out_dir, "_spark_metadata", "0"), os.path.join(ckpt, "offsets", "0"),
                 os.path.join(ckpt, "commits", "0"), os.path.join(ckpt, "sources", "0", "0")):
        if not os.path.exists(must):
            raise RuntimeError("missing %s" % must)
    sq = dict(q)
    sq["sink"] = {"format": "parquet", "partition_by": q.get("sink", {}).get("partition_by", [])}
    return oracle.sink_batches(spark, sq, schema, out_dir, ckpt)


def end_to_end(spark, gen, path, case, tmp):
    """main() on JSON files with --available-now; compared with the simulator's availableNow run."""
    from pyspark.sql import DataFrame

    q = case["query"]
    n = write_event_files(path, os.path.join(tmp, "in"))
    _, sim = available_now_answer(path, tmp)
    sink = "parquet" if q["output_mode"] == "append" else "memory"
    out_dir, ckpt = os.path.join(tmp, "out"), os.path.join(tmp, "ckpt")
    query = gen.main(["--input", os.path.join(tmp, "in"), "--output", out_dir, "--checkpoint", ckpt,
                      "--available-now", "--sink", sink])
    diffs = []
    got = progress_batches(query)
    stateless_fixup(q, got)
    if [b["batch_id"] for b in got] != list(range(len(got))):
        diffs.append("e2e: batch ids %r" % [b["batch_id"] for b in got])
    if sum(b["input_rows"] for b in got) != n:
        diffs.append("e2e: Spark read %d rows of %d events" % (sum(b["input_rows"] for b in got), n))
    if len(got) != len(sim):
        diffs.append("e2e: Spark ran %d batches, the simulator %d" % (len(got), len(sim)))
    for g, s in zip(got, sim):
        want = {k: s[k] for k in METRICS}
        have = {k: g[k] for k in METRICS}
        if have != want:
            diffs.append("e2e batch %d: spark %s, sim %s" % (g["batch_id"], have, want))

    # The output rows.
    if sink == "parquet":
        ms = spark._jvm.org.apache.spark.sql.execution.streaming.runtime.MemoryStream.apply(
            oracle.jvm_encoders_string(spark), spark._jsparkSession)
        use_generated_query(gen)
        schema = oracle.build_query(spark, DataFrame(ms.toDF(), spark), q).schema
        rows, _ = sink_check(spark, q, schema, out_dir, ckpt)
        for bid, s in enumerate(sim):
            if not same_rows(project(rows.get(bid, []), q), project(s["output"], q)):
                diffs.append("e2e batch %d output: spark %s, sim %s"
                             % (bid, rows.get(bid), s["output"]))
        if len(rows) != len(sim):
            diffs.append("e2e: %d sink logs, %d batches" % (len(rows), len(sim)))
    else:
        table = spark.table(gen.QUERY_NAME)
        have = oracle.flatten_batch(table, q)
        if q["output_mode"] == "complete":
            want = sim[-1]["output"] if sim else []
        else:
            want = [r for s in sim for r in s["output"]]
        if not same_rows(project(have, q), project(want, q)):
            diffs.append("e2e memory table: spark %s, sim %s" % (have, want))
        if not os.path.exists(os.path.join(ckpt, "commits", "0")):
            diffs.append("e2e: no checkpoint commits")
    return diffs, len(got)


def standalone(script, path, case, tmp, spark, gen):
    """The script as its own process (python job.py ... --available-now) into a parquet sink; its
    output read back per batch equals the in-process run's availableNow answer."""
    from pyspark.sql import DataFrame

    q = case["query"]
    out_dir, ckpt = os.path.join(tmp, "proc-out"), os.path.join(tmp, "proc-ckpt")
    p = subprocess.run([sys.executable, script, "--input", os.path.join(tmp, "in"),
                        "--output", out_dir, "--checkpoint", ckpt, "--available-now"],
                       capture_output=True, text=True, timeout=600, cwd=tmp)
    if p.returncode != 0:
        return ["standalone run failed (exit %d): %s" % (p.returncode, p.stderr.strip()[-2000:])]
    _, sim = available_now_answer(path, tmp)
    ms = spark._jvm.org.apache.spark.sql.execution.streaming.runtime.MemoryStream.apply(
        oracle.jvm_encoders_string(spark), spark._jsparkSession)
    use_generated_query(gen)
    schema = oracle.build_query(spark, DataFrame(ms.toDF(), spark), q).schema
    rows, _ = sink_check(spark, q, schema, out_dir, ckpt)
    diffs = []
    if len(rows) != len(sim):
        diffs.append("standalone: %d batches, the simulator %d" % (len(rows), len(sim)))
    for bid, s in enumerate(sim):
        if not same_rows(project(rows.get(bid, []), q), project(s["output"], q)):
            diffs.append("standalone batch %d output: spark %s, sim %s"
                         % (bid, rows.get(bid), s["output"]))
    # Per-batch input rows and watermarks from the checkpoint: sources/0/N lists batch N's
    # files (one event each), offsets/N carries the batch's watermark.
    for bid, s in enumerate(sim):
        src = os.path.join(ckpt, "sources", "0", str(bid))
        files = 0
        if os.path.exists(src):
            with open(src) as f:
                files = sum(1 for line in f.read().split("\n")[1:] if line.strip())
        with open(os.path.join(ckpt, "offsets", str(bid))) as f:
            meta = json.loads(f.read().split("\n")[1])
        wm = meta.get("batchWatermarkMs", 0)
        want_wm = None if s["watermark"] is None else oracle_ms(s["watermark"])
        if files != s["input_rows"] or (want_wm is not None and wm != want_wm):
            diffs.append("standalone batch %d: %d files, watermark %d ms; sim %d rows, %s"
                         % (bid, files, wm, s["input_rows"], s["watermark"]))
    return diffs


def oracle_ms(rfc3339):
    """'2024-01-01T00:00:05.000Z' -> ms since the epoch."""
    from datetime import datetime, timezone

    t = datetime.strptime(rfc3339, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return int(round(t.timestamp() * 1000))


def check(spark, path, keep, own_process=True):
    name = os.path.splitext(os.path.basename(path))[0]
    tmp = tempfile.mkdtemp(prefix="pyspark-export-%s-" % name)
    diffs = []
    info = ""
    try:
        script = os.path.join(tmp, "job_%s.py" % name)
        with open(script, "w") as f:
            f.write(cli("pyspark", path))
        gen = load_script(script, "job_%s" % name)
        case = json.loads(cli("case", path, "--name", name))
        use_generated_query(gen)
        t = time.time()
        expected = oracle.run_case(spark, case)
        times = ["batches %.1f s" % (time.time() - t)]
        stateless_fixup(case["query"], expected["batches"])
        diffs += conform_check(case, expected, tmp)
        diffs += engine_check(expected["batches"], case["scenario_run"]["batches"])
        t = time.time()
        e2e_diffs, e2e_batches = end_to_end(spark, gen, path, case, tmp)
        times.append("main() %.1f s" % (time.time() - t))
        diffs += e2e_diffs
        with open(path) as f:
            sink = json.load(f).get("sink")
        proc = ""
        if own_process and sink and sink.get("format", "parquet") == "parquet":
            t = time.time()
            diffs += standalone(script, path, case, tmp, spark, gen)
            times.append("own process %.1f s" % (time.time() - t))
            proc = ", own process"
        info = "%-8s %2d batches on Spark = simulator; end to end %d batches%s" % (
            "explicit" if case["schedule"] == "explicit" else "spark", len(expected["batches"]),
            e2e_batches, proc) + " (%s)" % ", ".join(times)
    except Exception as e:  # noqa: BLE001 - a failing scenario is reported, the next one runs
        diffs.append("%s: %s" % (type(e).__name__, str(e).strip().splitlines()[0] if str(e).strip()
                                 else repr(e)))
    finally:
        for q in spark.streams.active:
            q.stop()
        if keep:
            dest = os.path.join(keep, name)
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(tmp, dest)
        shutil.rmtree(tmp, ignore_errors=True)
    return diffs, info


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", help="copy each scenario's scripts, cases and outputs into DIR")
    ap.add_argument("--no-own-process", action="store_true",
                    help="skip running the scripts of parquet-sink scenarios as their own processes")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args(argv)
    files = args.files or sorted(glob.glob(os.path.join(HERE, "scenarios", "*.json")))
    if not os.path.exists(CLI):
        print("no %s: run cargo build --release first" % CLI, file=sys.stderr)
        return 2
    t0 = time.time()
    spark = oracle.make_session()
    print("spark %s up in %.1f s" % (spark.version, time.time() - t0), flush=True)
    passed = failed = 0
    for path in files:
        t = time.time()
        diffs, info = check(spark, path, args.keep, not args.no_own_process)
        name = os.path.splitext(os.path.basename(path))[0]
        if diffs:
            failed += 1
            print("FAIL %-46s %5.1f s" % (name, time.time() - t), flush=True)
            for d in diffs:
                print("     " + d.replace("\n", "\n     "), flush=True)
        else:
            passed += 1
            print("ok   %-46s %5.1f s  %s" % (name, time.time() - t, info), flush=True)
    warehouse = spark.conf.get("spark.sql.warehouse.dir")
    spark.stop()
    # oracle.make_session's empty warehouse folder (a temporary one of its own)
    wh = warehouse[len("file:"):] if warehouse.startswith("file:") else warehouse
    if os.path.basename(os.path.normpath(wh)).startswith("oracle-wh-"):
        shutil.rmtree(wh, ignore_errors=True)
    print("total %.1f s" % (time.time() - t0))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
