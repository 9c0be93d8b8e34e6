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

With `input_partitions` = N (every row then has a `partition` in 0..N-1) each micro-batch is
read as exactly N input partitions, partition p holding the rows marked p in their listed
order: a `MemoryStream` with numPartitions = N deals one addData()'s elements round-robin, so
feed_partitioned() interleaves the partitions' rows and pads short partitions with PAD, which
the query filters out before parsing; check_partitioning() verifies the placement in Spark.

With `query.sink` = {"format": "parquet", "partition_by": [] | ["key"]} the query is written by
a real parquet file sink (`format("parquet")`, a temporary `path` and `checkpointLocation`,
`partitionBy("key")` if asked; any operator, append mode) instead of foreachBatch. Per
micro-batch N the output rows are read back from the part files that `_spark_metadata/N` (or
`N.compact`: only its entries new since batch N-1) lists, and the batch gets a `sink` section
(data_files, empty_files — footer row count 0 —, partition_dirs, log_file) and a `checkpoint`
section (files named N under offsets/ and commits/; `<N+1>.delta` files under
state/<operator>/<partition>/). See sink_batches() for exactly what is counted.

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
KEY_ORDER = ["format", "name", "description", "engine", "query", "input_partitions", "input",
             "expected"]
# A padding element of a partitioned micro-batch (see feed_partitioned): the query filters it
# out (value != PAD) before parsing, so nothing after the source sees it.
PAD = "null"

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


def build_query(spark, source_df, q, padded=False):
    from pyspark.sql import functions as F

    if padded:  # a partitioned case: drop the padding elements (PAD) first
        source_df = source_df.where(F.col("value") != F.lit(PAD))
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


def window_row(r, agg):
    """A collected window_count row -> the case's output row."""
    o = {"window_start": r.window_start, "window_end": r.window_end, "key": r.key,
         "count": int(r["count"])}
    if agg == "sum":  # LongType -> JSON integer (null if every value is null)
        o["sum"] = None if r["sum"] is None else int(r["sum"])
    elif agg == "avg":  # DoubleType -> JSON number, Python's repr of the double
        o["avg"] = None if r["avg"] is None else float(r["avg"])
    return o


def flatten_batch(batch_df, q):
    return sort_rows([output_row(r, q) for r in batch_df.select(*output_cols(q)).collect()])


def flatten_batch_tagged(df, q):
    """Like flatten_batch for a DataFrame with a `_file` column: [(file, row)]."""
    from pyspark.sql import functions as F

    return [(r["_file"], output_row(r, q))
            for r in df.select(F.col("_file"), *output_cols(q)).collect()]


def output_cols(q):
    """The columns of the query's output row, timestamps formatted as in the cases."""
    if q["operator"] == "window_count":
        return window_cols(aggregate_of(q))
    return dedup_cols()


def output_row(r, q):
    """A collected row of output_cols(q) -> the case's output row."""
    if q["operator"] == "window_count":
        return window_row(r, aggregate_of(q))
    return {"id": r.id, "key": r.key, "event_time": r.event_time}


def dedup_cols():
    """The columns of a dedup output row (the input columns; event_time formatted)."""
    from pyspark.sql import functions as F

    return [F.col("id"), F.col("key"),
            F.date_format(F.col("event_time"), TS_FMT).alias("event_time")]


def window_cols(agg):
    """The columns of a window_count output row, timestamps formatted as in the cases."""
    from pyspark.sql import functions as F

    cols = [
        F.date_format(F.col("window.start"), TS_FMT).alias("window_start"),
        F.date_format(F.col("window.end"), TS_FMT).alias("window_end"),
        F.col("key"),
        F.col("count"),
    ]
    if agg != "count":
        cols.append(F.col(agg))
    return cols


def _sort_key(row):
    # deterministic: values in the order of the sorted field names ([avg,] count, key, [sum,]
    # window_end, window_start / event_time, id, key); None sorts first
    return tuple((v is not None, v) for _, v in sorted(row.items()))


def sort_rows(rows):
    return sorted(rows, key=_sort_key)


def row_json(r):
    """An input row as the JSON string Spark reads: without its `partition` (not a column)."""
    return json.dumps({k: v for k, v in r.items() if k != "partition"})


def input_partitions_of(case):
    """`input_partitions` (N >= 1) of a partitioned case, None for a classic case. Each row of
    a partitioned case carries `"partition": p` (0 <= p < N); a classic case has none."""
    n = case.get("input_partitions")
    rows = [r for batch in case["input"] for r in batch]
    if n is None:
        if any("partition" in r for r in rows):
            raise ValueError("a row has `partition` but the case no `input_partitions`")
        return None
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError("input_partitions must be an integer >= 1, got %r" % (n,))
    for r in rows:
        p = r.get("partition")
        if not isinstance(p, int) or isinstance(p, bool) or not 0 <= p < n:
            raise ValueError("row %r: partition must be an integer in [0, %d)" % (r, n))
    return n


def feed_partitioned(rows, n):
    """One micro-batch of a partitioned case -> (the strings for ONE addData, padding count).

    MemoryStream(numPartitions = n) deals the rows of a micro-batch round-robin: element i
    goes to input partition i mod n, in order. So element k*n + p is the k-th row of
    partition p, or PAD when partition p has fewer than k+1 rows; every partition's rows keep
    their order, and the padding comes after them (and is filtered out by the query)."""
    parts = [[] for _ in range(n)]
    for r in rows:
        parts[r["partition"]].append(row_json(r))
    depth = max((len(p) for p in parts), default=0)
    out = []
    for k in range(depth):
        for p in parts:
            out.append(p[k] if k < len(p) else PAD)
    return out, len(out) - len(rows)


def check_partitioning(spark, case, n):
    """Feeds the case's micro-batches, exactly as run_case does, to a stateless query that
    records where every row is (in foreachBatch): `monotonically_increasing_id()` is (partition index << 33) +
    the row's position in its partition. Fails unless every micro-batch has exactly n input
    partitions and partition p holds exactly the rows with `partition` p, in input order."""
    from pyspark.sql import DataFrame
    from pyspark.sql import functions as F

    ms = spark._jvm.org.apache.spark.sql.execution.streaming.runtime.MemoryStream.apply(
        spark._jsparkSession, n, jvm_encoders_string(spark))
    df = DataFrame(ms.toDF(), spark)
    seen = {}

    def collect(batch_df, batch_id):
        # inside foreachBatch the micro-batch is a batch DataFrame with the source's partitions
        # (a narrow projection keeps them), where monotonically_increasing_id() is allowed
        got = batch_df.select(
            F.monotonically_increasing_id().alias("m"),
            F.get_json_object(F.col("value"), "$.id").cast("long").alias("id")).collect()
        seen[batch_id] = (batch_df.rdd.getNumPartitions(),
                          [(r.m >> 33, r.m & ((1 << 33) - 1), r.id) for r in got])

    ckpt = tempfile.mkdtemp(prefix="oracle-parts-")
    query = df.writeStream.foreachBatch(collect).option("checkpointLocation", ckpt).start()
    try:
        for rows in case["input"]:
            data, _ = feed_partitioned(rows, n)
            ms.addData(to_scala_seq(spark, data))
            query.processAllAvailable()
    finally:
        query.stop()
        shutil.rmtree(ckpt, ignore_errors=True)
    if sorted(seen) != list(range(len(case["input"]))):
        raise RuntimeError("partition check: batches %r" % sorted(seen))
    for bid, rows in enumerate(case["input"]):
        nparts, got = seen[bid]
        if nparts != n:
            raise RuntimeError("batch %d had %d input partitions, not %d" % (bid, nparts, n))
        want = {}
        for r in rows:
            want.setdefault(r["partition"], []).append(r["id"])
        have = {}
        for p, pos, i in sorted(got):
            if i is None:
                continue  # padding, after the partition's rows
            if pos != len(have.get(p, [])):
                raise RuntimeError("batch %d: partition %d position %d" % (bid, p, pos))
            have.setdefault(p, []).append(i)
        if have != want:
            raise RuntimeError("batch %d: rows by partition %r, wanted %r" % (bid, have, want))


def check_input_parsing(spark, case):
    """from_json must parse every input row exactly (no null, no precision loss)."""
    from pyspark.sql import functions as F

    q = case["query"]
    rows = [r for batch in case["input"] for r in batch]
    if not rows:
        return
    with_value = aggregate_of(q) != "count"
    strs = [row_json(r) for r in rows]
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


SINK_FORMATS = ("parquet",)


def sink_of(q):
    """query.sink: None (foreachBatch collector) or {"format": "parquet", "partition_by": [...]}."""
    sink = q.get("sink")
    if sink is None:
        return None
    if sink.get("format") not in SINK_FORMATS:
        raise ValueError("unknown sink format %r" % sink.get("format"))
    pb = list(sink.get("partition_by", []))
    if pb not in ([], ["key"]):
        raise ValueError("unsupported partition_by %r" % pb)
    if q["operator"] not in ("window_count", "dedup", "dedup_within_watermark"):
        raise ValueError("a file sink is not modelled for operator %r" % q["operator"])
    return {"format": sink["format"], "partition_by": pb}


def _local_path(uri):
    """file:///tmp/x/key=a/part-0 (a Hadoop URI, as _spark_metadata and input_file_name() write
    it) -> /tmp/x/key=a/part-0."""
    import urllib.parse

    u = urllib.parse.urlparse(uri)
    if u.scheme not in ("", "file"):
        raise RuntimeError("unexpected file URI %r" % uri)
    return os.path.normpath(urllib.parse.unquote(u.path))


def _read_log(path):
    """A _spark_metadata log file: "v1" then one JSON entry per line."""
    with open(path) as f:
        lines = f.read().split("\n")
    if lines[0] != "v1":
        raise RuntimeError("%s: unknown log version %r" % (path, lines[0]))
    return [json.loads(line) for line in lines[1:] if line.strip()]


def _parquet_row_count(spark, uri):
    """Row count from the parquet footer (no data read)."""
    jvm = spark._jvm
    hconf = spark._jsc.hadoopConfiguration()
    inp = jvm.org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
        jvm.org.apache.hadoop.fs.Path(uri), hconf)
    reader = jvm.org.apache.parquet.hadoop.ParquetFileReader.open(inp)
    try:
        return int(reader.getRecordCount())
    finally:
        reader.close()


def _visible_files(root):
    """Relative paths of the files under root, without Hadoop's hidden .crc side files."""
    out = []
    for d, _, files in os.walk(root):
        for fn in files:
            if fn.startswith("."):
                continue
            out.append(os.path.relpath(os.path.join(d, fn), root))
    return sorted(out)


def sink_batches(spark, q, schema, out_dir, ckpt):
    """Reads a finished file-sink query's output and checkpoint directories back, per batch.

    Returns (rows, info): rows[batch_id] = the batch's output rows, flattened and sorted like the
    foreachBatch collector's; info[batch_id] = {"sink": {...}, "checkpoint": {...}}.

    - Batches: one `_spark_metadata` log per batch, `N` or (every compactInterval-th batch,
      default 10: batch 9, 19, ...) `N.compact`. A plain log lists the files batch N added; a
      compact log lists every file so far, so the batch's own files are the entries not listed
      by any earlier log.
    - data_files: those files; empty_files: those whose parquet footer says 0 rows;
      partition_dirs: distinct directories (relative to the output path) among them, 0 when
      they all lie in the output path itself.
    - checkpoint.offsets / commits: files named N in offsets/ and commits/.
    - checkpoint.state_files: files named <N+1>.delta (state store version N+1 is the one
      batch N commits) in state/<operator>/<partition>/. The per-query metadata files that
      batch 0 also writes (state/<op>/_metadata/metadata, state/<op>/<part>/_metadata/schema)
      are not counted; `.snapshot` files are written by the background maintenance task, not by
      a batch, so they are not counted either (a note is printed if one appears). Any other file
      is an error, so a layout change cannot go unnoticed.
    """
    from pyspark.sql import functions as F

    meta = os.path.join(out_dir, "_spark_metadata")
    logs = {}
    for fn in os.listdir(meta):
        if fn.startswith("."):
            continue
        stem = fn[:-len(".compact")] if fn.endswith(".compact") else fn
        if not stem.isdigit():
            raise RuntimeError("unexpected file _spark_metadata/%s" % fn)
        bid = int(stem)
        if bid in logs:
            raise RuntimeError("two logs for batch %d" % bid)
        logs[bid] = fn
    bids = sorted(logs)
    if bids != list(range(len(bids))):
        raise RuntimeError("_spark_metadata logs for batches %r" % bids)

    seen = set()  # local paths of files listed by earlier logs
    files_of = {}  # batch id -> [(uri, local path)]
    for bid in bids:
        entries = _read_log(os.path.join(meta, logs[bid]))
        new = []
        for e in entries:
            if e.get("action") != "add" or e.get("isDir"):
                raise RuntimeError("batch %d log entry %r" % (bid, e))
            lp = _local_path(e["path"])
            if lp in seen:
                if not logs[bid].endswith(".compact"):
                    raise RuntimeError("batch %d re-lists %s" % (bid, lp))
                continue
            new.append((e["path"], lp))
        if logs[bid].endswith(".compact") and len(entries) - len(new) != len(seen):
            raise RuntimeError("%s does not list every earlier file" % logs[bid])
        seen.update(lp for _, lp in new)
        files_of[bid] = new

    # every part file on disk is listed by exactly one log
    on_disk = {os.path.normpath(os.path.join(out_dir, p)) for p in _visible_files(out_dir)
               if not p.startswith("_spark_metadata" + os.sep)}
    if on_disk != seen:
        raise RuntimeError("part files on disk %r != files in _spark_metadata %r"
                           % (sorted(on_disk - seen), sorted(seen - on_disk)))

    state_root = os.path.join(ckpt, "state")
    state_files = {}
    snapshots = []
    for rel in (_visible_files(state_root) if os.path.isdir(state_root) else []):
        parts = rel.split(os.sep)
        if len(parts) == 3 and parts[1] == "_metadata" and parts[2] == "metadata":
            continue
        if len(parts) == 4 and parts[2] == "_metadata" and parts[3] == "schema":
            continue
        if len(parts) == 3 and parts[0].isdigit() and parts[1].isdigit():
            name = parts[2]
            if name.endswith(".delta") and name[:-len(".delta")].isdigit():
                v = int(name[:-len(".delta")])
                state_files[v - 1] = state_files.get(v - 1, 0) + 1
                continue
            if name.endswith(".snapshot") and name[:-len(".snapshot")].isdigit():
                snapshots.append(rel)
                continue
        raise RuntimeError("unexpected state file %s" % rel)
    if snapshots:
        print("note: state snapshot files (not counted): %s" % " ".join(snapshots), flush=True)
    if set(state_files) - set(bids):
        raise RuntimeError("state deltas for batches %r that did not run"
                           % sorted(set(state_files) - set(bids)))

    def named(sub, bid):
        d = os.path.join(ckpt, sub)
        return sum(1 for p in _visible_files(d) if p == str(bid))

    flat = [uri for bid in bids for uri, _ in files_of[bid]]
    rows_by_file = {}  # local path -> flattened rows
    if flat:
        df = (spark.read.schema(schema).option("basePath", "file://" + out_dir)
              .parquet(*flat).withColumn("_file", F.input_file_name()))
        tagged = flatten_batch_tagged(df, q)
        for lp, row in tagged:
            rows_by_file.setdefault(_local_path(lp), []).append(row)
        unknown = set(rows_by_file) - seen
        if unknown:
            raise RuntimeError("rows from unlisted files %r" % sorted(unknown))

    rows = {}
    info = {}
    for bid in bids:
        out = []
        empty = 0
        dirs = set()
        for uri, lp in files_of[bid]:
            n = _parquet_row_count(spark, uri)
            got = rows_by_file.get(lp, [])
            if n != len(got):
                raise RuntimeError("%s: footer says %d rows, read %d" % (lp, n, len(got)))
            if n == 0:
                empty += 1
            out.extend(got)
            d = os.path.relpath(os.path.dirname(lp), os.path.normpath(out_dir))
            if d != ".":
                dirs.add(d)
        if dirs and not q["sink"]["partition_by"]:
            raise RuntimeError("batch %d: files in subdirectories %r without partitionBy"
                               % (bid, sorted(dirs)))
        if q["sink"]["partition_by"] and any(
                os.path.dirname(lp) == os.path.normpath(out_dir) for _, lp in files_of[bid]):
            raise RuntimeError("batch %d: partitioned files in the output path itself" % bid)
        rows[bid] = sort_rows(out)
        info[bid] = {
            "sink": {
                "data_files": len(files_of[bid]),
                "empty_files": empty,
                "partition_dirs": len(dirs),
                "log_file": logs[bid],
            },
            "checkpoint": {
                "offsets": named("offsets", bid),
                "commits": named("commits", bid),
                "state_files": state_files.get(bid, 0),
            },
        }
    return rows, info


def run_case(spark, case):
    from pyspark.sql import DataFrame

    q = case["query"]
    conf = dict(DEFAULT_CONF)
    conf.update(case.get("engine", {}).get("conf", {}))
    for k, v in conf.items():
        spark.conf.set(k, conf_str(v))
    check_input_parsing(spark, case)
    nparts = input_partitions_of(case)
    if nparts is not None:
        check_partitioning(spark, case, nparts)

    MemoryStream = spark._jvm.org.apache.spark.sql.execution.streaming.runtime.MemoryStream
    if nparts is None:
        # one addData() = one block = one input partition
        ms = MemoryStream.apply(jvm_encoders_string(spark), spark._jsparkSession)
    else:
        ms = MemoryStream.apply(spark._jsparkSession, nparts, jvm_encoders_string(spark))
    source_df = DataFrame(ms.toDF(), spark)
    result = build_query(spark, source_df, q, padded=nparts is not None)
    padding = []  # per input element: padding rows Spark counted as input

    collected = {}  # batch_id -> sorted rows
    sink_info = {}  # batch_id -> {"sink": ..., "checkpoint": ...} (file sink only)

    def collector(batch_df, batch_id):
        if batch_id in collected:
            raise RuntimeError("batch %d delivered twice" % batch_id)
        collected[batch_id] = flatten_batch(batch_df, q)

    sink = sink_of(q)
    ckpt = tempfile.mkdtemp(prefix="oracle-ckpt-")
    out_dir = tempfile.mkdtemp(prefix="oracle-sink-") if sink is not None else None
    query = None
    try:
        writer = (
            result.writeStream.outputMode(q["output_mode"])
            .option("checkpointLocation", ckpt)
            .queryName("oracle_" + case["name"])
        )
        if sink is None:
            writer = writer.foreachBatch(collector)
        else:
            writer = writer.format(sink["format"]).option("path", out_dir)
            if sink["partition_by"]:
                writer = writer.partitionBy(*sink["partition_by"])
        query = writer.start()
        for rows in case["input"]:
            if nparts is None:
                data, pad = [row_json(r) for r in rows], 0
            else:
                data, pad = feed_partitioned(rows, nparts)
            padding.append(pad)
            ms.addData(to_scala_seq(spark, data))
            query.processAllAvailable()
        query.processAllAvailable()
        progresses = [json.loads(p.json()) for p in query._jsq.recentProgress()]
        exc = query.exception()
        if exc is not None:
            raise RuntimeError(str(exc))
        query.stop()
        query = None
        if sink is not None:
            collected, sink_info = sink_batches(spark, q, result.schema, out_dir, ckpt)
    finally:
        if query is not None:
            query.stop()
        shutil.rmtree(ckpt, ignore_errors=True)
        if out_dir is not None:
            shutil.rmtree(out_dir, ignore_errors=True)

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
        raise RuntimeError("executed batches %r != batches delivered to the sink %r"
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
        pad = 0 if input_index is None else padding[input_index]
        batches.append({
            "batch_id": bid,
            "input_index": input_index,
            "input_rows": int(p["numInputRows"]) - pad,
            "watermark": wm,
            "dropped_by_watermark": None if so is None else int(so["numRowsDroppedByWatermark"]),
            "state_rows_total": None if so is None else int(so["numRowsTotal"]),
            "state_rows_updated": None if so is None else int(so["numRowsUpdated"]),
            "state_rows_removed": None if so is None else int(so["numRowsRemoved"]),
            "output": collected[bid],
        })
        if bid in sink_info:
            batches[-1].update(sink_info[bid])
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
