#!/usr/bin/env python3
"""Real Apache Spark oracle for the `pipeline-sim/conformance-v1` cases.

For every case file given on the command line (default: tests/conformance/cases/*.json) this
runs the case's streaming query on real Spark (local mode) and rewrites the file's `expected`
section (and `engine.version`), keeping everything else as it is.

Per case: a `MemoryStream[String]` whose rows are JSON strings, parsed with `from_json` into
(id long, key string, event_time timestamp[, value long]); optional `withWatermark`; then
`groupBy(window|session_window, key).agg(count("*") as count[, sum(value) as sum |
avg(value) as avg])` (query.aggregate: count (default) | sum | avg) or `dropDuplicates(cols)` /
`dropDuplicatesWithinWatermark(cols)`; written with `foreachBatch` (a collector) in the case's
output mode. Per element of `input`: one `addData()` + `processAllAvailable()`, so Spark decides
by itself whether a no-data micro-batch follows. Metrics come from `StreamingQueryProgress`.

Usage: python oracle.py [--check] [--out DIR] [case.json ...]
  --check   do not write anything; exit 1 if any file's `expected` differs from what Spark does
  --out DIR write the regenerated cases into DIR instead of in place
"""
import argparse
import glob
import json
import os
import shutil
import sys
import tempfile
import time

os.environ["TZ"] = "UTC"
if hasattr(time, "tzset"):
    time.tzset()

HERE = os.path.dirname(os.path.abspath(__file__))
FORMAT = "pipeline-sim/conformance-v1"
TS_FMT = "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'"  # 6 fractional digits, UTC
KEY_ORDER = ["format", "name", "description", "engine", "query", "input", "expected"]

DEFAULT_CONF = {
    "spark.sql.shuffle.partitions": 4,
    "spark.sql.streaming.noDataMicroBatches.enabled": True,
    "spark.sql.streaming.statefulOperator.allowMultiple": True,
}


def conf_str(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def make_session():
    from pyspark.sql import SparkSession

    b = (
        SparkSession.builder.master("local[2]")
        .appName("pipeline-sim-oracle")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
        .config("spark.executor.extraJavaOptions", "-Duser.timezone=UTC")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.streaming.numRecentProgressUpdates", "100000")
        # no "idle" progress events between our addData() calls
        .config("spark.sql.streaming.noDataProgressEventInterval", "100000000")
        .config("spark.sql.streaming.stateStore.providerClass",
                "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider")
        .config("spark.sql.streaming.forceDeleteTempCheckpointLocation", "true")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="oracle-wh-"))
    )
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def jvm_encoders_string(spark):
    return spark._jvm.org.apache.spark.sql.Encoders.STRING()


def to_scala_seq(spark, items):
    jl = spark._jvm.java.util.ArrayList()
    for it in items:
        jl.add(it)
    return spark._jvm.scala.jdk.javaapi.CollectionConverters.asScala(jl).toList()


AGGREGATES = ("count", "sum", "avg")


def aggregate_of(q):
    """query.aggregate: "count" (default when absent) | "sum" | "avg"; window_count only."""
    agg = q.get("aggregate", "count")
    if agg not in AGGREGATES:
        raise ValueError("unknown aggregate %r" % agg)
    if agg != "count" and q["operator"] != "window_count":
        raise ValueError("aggregate %r needs operator window_count" % agg)
    return agg


def input_schema(q):
    # `value` (LongType) is parsed only when an aggregate needs it: a count query is exactly
    # the query it was before `value` existed.
    if aggregate_of(q) == "count":
        return "id LONG, key STRING, event_time TIMESTAMP"
    return "id LONG, key STRING, event_time TIMESTAMP, value LONG"


def input_columns(q):
    cols = ["r.id", "r.key", "r.event_time"]
    if aggregate_of(q) != "count":
        cols.append("r.value")
    return cols


def build_query(spark, source_df, q):
    from pyspark.sql import functions as F

    parsed = source_df.select(
        F.from_json(
            F.col("value"),
            input_schema(q),
            {"timestampFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX"},
        ).alias("r")
    ).select(*input_columns(q))
    df = parsed
    if q.get("watermark_delay_s") is not None:
        df = df.withWatermark("event_time", "%d seconds" % q["watermark_delay_s"])
    op = q["operator"]
    agg = aggregate_of(q)
    if op == "window_count":
        w = q["window"]
        if w["kind"] == "tumbling":
            wcol = F.window("event_time", "%d seconds" % w["size_s"])
        elif w["kind"] == "sliding":
            wcol = F.window("event_time", "%d seconds" % w["size_s"], "%d seconds" % w["slide_s"])
        elif w["kind"] == "session":
            wcol = F.session_window("event_time", "%d seconds" % w["gap_s"])
        else:
            raise ValueError("unknown window kind %r" % w["kind"])
        aggs = [F.count("*").alias("count")]
        if agg == "sum":
            aggs.append(F.sum("value").alias("sum"))
        elif agg == "avg":
            aggs.append(F.avg("value").alias("avg"))
        return df.groupBy(wcol.alias("window"), F.col("key")).agg(*aggs)
    if op == "dedup":
        return df.dropDuplicates(list(q["dedup_columns"]))
    if op == "dedup_within_watermark":
        return df.dropDuplicatesWithinWatermark(list(q["dedup_columns"]))
    raise ValueError("unknown operator %r" % op)


def flatten_batch(batch_df, q):
    from pyspark.sql import functions as F

    op = q["operator"]
    if op == "window_count":
        agg = aggregate_of(q)
        cols = [
            F.date_format(F.col("window.start"), TS_FMT).alias("window_start"),
            F.date_format(F.col("window.end"), TS_FMT).alias("window_end"),
            F.col("key"),
            F.col("count"),
        ]
        if agg != "count":
            cols.append(F.col(agg))
        rows = batch_df.select(*cols).collect()
        out = []
        for r in rows:
            o = {"window_start": r.window_start, "window_end": r.window_end, "key": r.key,
                 "count": int(r["count"])}
            if agg == "sum":  # LongType -> JSON integer (null if every value is null)
                o["sum"] = None if r["sum"] is None else int(r["sum"])
            elif agg == "avg":  # DoubleType -> JSON number, Python's repr of the double
                o["avg"] = None if r["avg"] is None else float(r["avg"])
            out.append(o)
    else:
        rows = batch_df.select(
            F.col("id"), F.col("key"), F.date_format(F.col("event_time"), TS_FMT).alias("event_time")
        ).collect()
        out = [{"id": r.id, "key": r.key, "event_time": r.event_time} for r in rows]
    return sort_rows(out)


def _sort_key(row):
    # deterministic: values in the order of the sorted field names ([avg,] count, key, [sum,]
    # window_end, window_start / event_time, id, key); None sorts first
    return tuple((v is not None, v) for _, v in sorted(row.items()))


def sort_rows(rows):
    return sorted(rows, key=_sort_key)


def check_input_parsing(spark, case):
    """from_json must parse every input row exactly (no null, no precision loss)."""
    from pyspark.sql import functions as F

    q = case["query"]
    rows = [r for batch in case["input"] for r in batch]
    if not rows:
        return
    with_value = aggregate_of(q) != "count"
    strs = [json.dumps(r) for r in rows]
    df = spark.createDataFrame([(s,) for s in strs], "value STRING")
    cols = ["r.id", "r.key", F.date_format("r.event_time", TS_FMT).alias("t")]
    if with_value:
        cols.append("r.value")
    got = df.select(
        F.from_json("value", input_schema(q),
                    {"timestampFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX"}).alias("r")
    ).select(*cols).collect()
    for r, g in zip(rows, got):
        if g.id != r["id"] or g.key != r["key"] or g.t != r["event_time"]:
            raise RuntimeError("input row %r parsed as %r" % (r, g))
        if with_value and g.value != r.get("value"):
            raise RuntimeError("input row %r: value parsed as %r" % (r, g.value))


def run_case(spark, case):
    from pyspark.sql import DataFrame

    q = case["query"]
    conf = dict(DEFAULT_CONF)
    conf.update(case.get("engine", {}).get("conf", {}))
    for k, v in conf.items():
        spark.conf.set(k, conf_str(v))
    check_input_parsing(spark, case)

    ms = spark._jvm.org.apache.spark.sql.execution.streaming.runtime.MemoryStream.apply(
        jvm_encoders_string(spark), spark._jsparkSession
    )
    source_df = DataFrame(ms.toDF(), spark)
    result = build_query(spark, source_df, q)

    collected = {}  # batch_id -> sorted rows

    def collector(batch_df, batch_id):
        if batch_id in collected:
            raise RuntimeError("batch %d delivered twice" % batch_id)
        collected[batch_id] = flatten_batch(batch_df, q)

    ckpt = tempfile.mkdtemp(prefix="oracle-ckpt-")
    query = None
    try:
        query = (
            result.writeStream.outputMode(q["output_mode"])
            .foreachBatch(collector)
            .option("checkpointLocation", ckpt)
            .queryName("oracle_" + case["name"])
            .start()
        )
        for rows in case["input"]:
            ms.addData(to_scala_seq(spark, [json.dumps(r) for r in rows]))
            query.processAllAvailable()
        query.processAllAvailable()
        progresses = [json.loads(p.json()) for p in query._jsq.recentProgress()]
        exc = query.exception()
        if exc is not None:
            raise RuntimeError(str(exc))
    finally:
        if query is not None:
            query.stop()
        shutil.rmtree(ckpt, ignore_errors=True)

    # Progresses of executed micro-batches. Spark also reports "idle" progresses (no batch ran;
    # they carry the id of the next batch and no addBatch duration): skip those.
    by_batch = {}
    for p in progresses:
        if "addBatch" not in p.get("durationMs", {}):
            continue
        if p["batchId"] in by_batch:
            raise RuntimeError("two progresses for batch %d" % p["batchId"])
        by_batch[p["batchId"]] = p
    if sorted(by_batch) != sorted(collected):
        raise RuntimeError("executed batches %r != batches delivered to foreachBatch %r"
                           % (sorted(by_batch), sorted(collected)))

    # which input element each batch read: a batch whose source offset advanced read data
    batches = []
    executed = sorted(collected)
    if executed != list(range(len(executed))):
        raise RuntimeError("unexpected batch ids %r" % executed)
    # offsets: MemoryStream offset n (0-based) = after n+1 addData calls
    for bid in executed:
        p = by_batch.get(bid)
        if p is None:
            raise RuntimeError("no progress for batch %d" % bid)
        src = p["sources"][0]
        start = src.get("startOffset")
        end = src.get("endOffset")
        start_n = -1 if start is None else int(start)
        end_n = int(end)
        if end_n != start_n:
            if end_n - start_n != 1:
                raise RuntimeError("batch %d read several addData()s: %r..%r" % (bid, start, end))
            input_index = end_n
        else:
            input_index = None
        wm = p.get("eventTime", {}).get("watermark")
        ops = p.get("stateOperators") or []
        so = ops[0] if ops else None
        batches.append({
            "batch_id": bid,
            "input_index": input_index,
            "input_rows": int(p["numInputRows"]),
            "watermark": wm,
            "dropped_by_watermark": None if so is None else int(so["numRowsDroppedByWatermark"]),
            "state_rows_total": None if so is None else int(so["numRowsTotal"]),
            "state_rows_updated": None if so is None else int(so["numRowsUpdated"]),
            "state_rows_removed": None if so is None else int(so["numRowsRemoved"]),
            "output": collected[bid],
        })
    seen = [b["input_index"] for b in batches if b["input_index"] is not None]
    if seen != list(range(len(case["input"]))):
        raise RuntimeError("input elements read by batches: %r" % seen)
    for b in batches:
        want = 0 if b["input_index"] is None else len(case["input"][b["input_index"]])
        if b["input_rows"] != want:
            raise RuntimeError("batch %d read %d rows, expected %d" % (b["batch_id"],
                                                                       b["input_rows"], want))
    if q.get("watermark_delay_s") is None:
        for b in batches:
            if b["watermark"] is not None:
                raise RuntimeError("watermark reported for a query without watermark")
    return {"batches": batches}


def ordered(case):
    out = {k: case[k] for k in KEY_ORDER if k in case}
    for k, v in case.items():
        if k not in out:
            out[k] = v
    return out


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args(argv)
    files = args.files or sorted(glob.glob(os.path.join(HERE, "cases", "*.json")))
    if not files:
        print("no case files", file=sys.stderr)
        return 2

    t0 = time.time()
    spark = make_session()
    version = spark.version
    print("spark %s up in %.1f s" % (version, time.time() - t0), flush=True)
    failures = 0
    for path in files:
        with open(path) as f:
            case = json.load(f)
        if case.get("format") != FORMAT:
            print("%s: not a %s case, skipped" % (path, FORMAT))
            continue
        stem = os.path.splitext(os.path.basename(path))[0]
        if case.get("name") != stem:
            print("warning: %s: name %r != file stem" % (path, case.get("name")))
        t = time.time()
        try:
            expected = run_case(spark, case)
        except Exception as e:  # noqa: BLE001 - report and go on with the next case
            failures += 1
            print("%-40s FAILED after %.1f s: %s" % (case.get("name"), time.time() - t,
                                                    str(e).splitlines()[0] if str(e) else repr(e)),
                  flush=True)
            continue
        dt = time.time() - t
        new = dict(case)
        new.setdefault("engine", {})
        new["engine"] = dict(new["engine"])
        new["engine"]["name"] = "spark"
        new["engine"]["version"] = version
        new["expected"] = expected
        new = ordered(new)
        status = ""
        if args.check:
            if case.get("expected") != expected or case.get("engine", {}).get("version") != version:
                status = " DIFFERS"
                failures += 1
            else:
                status = " same"
        else:
            out = path if not args.out else os.path.join(args.out, os.path.basename(path))
            with open(out, "w") as f:
                json.dump(new, f, indent=1)  # same layout as the shared examples
        print("%-40s %3d batches %6.1f s%s" % (case["name"], len(expected["batches"]), dt, status),
              flush=True)
    print("total %.1f s for %d case(s)" % (time.time() - t0, len(files)), flush=True)
    spark.stop()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
