#!/usr/bin/env python3
"""State memory and state-store checkpoint files of real Apache Spark (issue #17).

Three measurements, each writing its section of results.json (next to this file):

  memory    memoryUsedBytes (and the providers' custom metrics) per state row, from
            query.lastProgress.stateOperators, for the simulator's stateful operators
            (window_count, dedup, dedup_within_watermark, session_count), the HDFS-backed and
            the RocksDB state store provider, several state sizes and key sizes; then
            "versions": how the HDFS provider's memoryUsedBytes moves across batches that
            update every state row (it keeps maxBatchesToRetainInMemory versions).
  files     the files written under the checkpoint's state/ directory, batch by batch, for a
            windowed count at 4 shuffle partitions over 40 batches: HDFS-backed, RocksDB with
            changelog checkpointing, RocksDB without it; default maintenance settings and a
            fast-maintenance variant (maintenanceInterval 2 s, minBatchesToRetain 10).
  executor  Spark's unified memory defaults as this Spark reports them, and the real
            UnifiedMemoryManager's maxHeapMemory for a few executor heap sizes.

The source is a MemoryStream[String] (as in ../oracle.py); every element is a key string of
exactly K bytes (ASCII: hex id, zero-padded to 8, followed by sha2 hex filler), all events at the
same event time 2026-01-01T00:00:00Z, so no state is evicted. The rows of one addData() are
built in the JVM (spark.range -> collectAsList), so a 1M-row batch costs no Python round trips.
The sink is the `noop` sink in append mode (the state operators do the same work as under
foreachBatch; no Python callback per batch).

Usage: python measure.py [memory|files|executor|all] [--sizes 1000,10000,100000]
                         [--keys 8,36,100] [--ops ...] [--providers hdfs,rocksdb] [--repeat 2]
"""
import argparse
import datetime
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
RESULTS = os.path.join(HERE, "results.json")

PROVIDERS = {
    "hdfs": "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider",
    "rocksdb": "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider",
}
OPS = ("window_count", "dedup", "dedup_within_watermark", "session_count")
T0 = 1767225600  # 2026-01-01T00:00:00Z
SHUFFLE_PARTITIONS = 4
DRIVER_MEMORY = os.environ.get("STATEMEM_DRIVER_MEMORY", "4g")


def make_session():
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("pipeline-sim-state-memory")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(SHUFFLE_PARTITIONS))
        .config("spark.default.parallelism", "2")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.streaming.numRecentProgressUpdates", "100000")
        .config("spark.sql.streaming.noDataProgressEventInterval", "100000000")
        .config("spark.sql.streaming.forceDeleteTempCheckpointLocation", "true")
        .config("spark.driver.memory", DRIVER_MEMORY)
        .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="statemem-wh-"))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def key_expr(k):
    """SQL for a key of exactly k ASCII bytes from `id`, unique per id."""
    filler = "repeat(sha2(cast(id as string), 256), 4)"  # 256 hex chars
    return "substr(concat(lpad(hex(id), 8, '0'), %s), 1, %d)" % (filler, k)


def jvm_rows(spark, start, end, k):
    """A scala Seq[String] of the keys of ids start..end-1, built inside the JVM."""
    jdf = spark.range(start, end, 1, 2).selectExpr(key_expr(k) + " AS value")._jdf
    enc = spark._jvm.org.apache.spark.sql.Encoders.STRING()
    lst = getattr(jdf, "as")(enc).collectAsList()
    return spark._jvm.scala.jdk.javaapi.CollectionConverters.asScala(lst).toList()


def new_stream(spark):
    from pyspark.sql import DataFrame

    MemoryStream = spark._jvm.org.apache.spark.sql.execution.streaming.runtime.MemoryStream
    ms = MemoryStream.apply(spark._jvm.org.apache.spark.sql.Encoders.STRING(),
                            spark._jsparkSession)
    return ms, DataFrame(ms.toDF(), spark)


def build(src, op, event_time_sql=None):
    from pyspark.sql import functions as F

    et = event_time_sql or ("timestamp_seconds(%d + 0 * length(value))" % T0)
    df = src.select(F.col("value").alias("key"), F.expr(et).alias("event_time"))
    if op == "window_count":
        return (df.withWatermark("event_time", "1 hour")
                .groupBy(F.window("event_time", "1 hour"), F.col("key")).count())
    if op == "window_count_10s":  # the files experiment: 10 s windows, 10 s watermark delay
        return (df.withWatermark("event_time", "10 seconds")
                .groupBy(F.window("event_time", "10 seconds"), F.col("key")).count())
    if op == "dedup":  # no watermark: the state grows forever
        return df.dropDuplicates(["key"])
    if op == "dedup_within_watermark":
        return df.withWatermark("event_time", "1 hour").dropDuplicatesWithinWatermark(["key"])
    if op == "session_count":
        return (df.withWatermark("event_time", "1 hour")
                .groupBy(F.session_window("event_time", "10 minutes"), F.col("key")).count())
    raise ValueError(op)


def progresses(q):
    return [json.loads(p.json()) for p in q._jsq.recentProgress()]


def state_ops(p):
    return p.get("stateOperators") or []


def summarize_state(p):
    """Sum the stateful operators of one progress (each query here has exactly one)."""
    ops = state_ops(p)
    if not ops:
        return None
    out = {"batchId": p["batchId"], "numInputRows": p.get("numInputRows"),
           "operatorName": ops[0].get("operatorName"),
           "numRowsTotal": sum(o["numRowsTotal"] for o in ops),
           "numRowsUpdated": sum(o["numRowsUpdated"] for o in ops),
           "memoryUsedBytes": sum(o["memoryUsedBytes"] for o in ops),
           "numShufflePartitions": ops[0].get("numShufflePartitions"),
           "numStateStoreInstances": ops[0].get("numStateStoreInstances"),
           "customMetrics": ops[0].get("customMetrics", {}),
           "durationMs": p.get("durationMs", {}).get("triggerExecution")}
    return out


def set_provider(spark, provider, extra=None):
    spark.conf.set("spark.sql.streaming.stateStore.providerClass", PROVIDERS[provider])
    for k, v in (extra or {}).items():
        spark.conf.set(k, v)


# ----------------------------------------------------------------------------------- memory
def memory_run(spark, op, provider, k, sizes, touch=True):
    """One query; its state grows through `sizes` (cumulative distinct keys); after each size
    one 'touch' batch re-sends 1 000 (or fewer) existing keys. Returns one point per size."""
    set_provider(spark, provider)
    ms, src = new_stream(spark)
    ckpt = tempfile.mkdtemp(prefix="statemem-ck-")
    q = (build(src, op).writeStream.format("noop").outputMode("append")
         .option("checkpointLocation", ckpt).start())
    points = []
    have = 0
    t_start = time.time()
    try:
        for n in sizes:
            ms.addData(jvm_rows(spark, have, n, k))
            q.processAllAvailable()
            fill = summarize_state(json.loads(q._jsq.lastProgress().json()))
            have = n
            point = {"op": op, "provider": provider, "key_bytes": k, "rows": n, "fill": fill}
            if touch:
                ms.addData(jvm_rows(spark, 0, min(1000, n), k))
                q.processAllAvailable()
                point["touch"] = summarize_state(json.loads(q._jsq.lastProgress().json()))
            points.append(point)
            m = (point.get("touch") or fill)
            print("  %-22s %-7s k=%3d rows=%8d total=%8d mem=%11d  %.0f B/row  (%.1fs)" % (
                op, provider, k, n, m["numRowsTotal"], m["memoryUsedBytes"],
                m["memoryUsedBytes"] / max(1, m["numRowsTotal"]), time.time() - t_start),
                flush=True)
    finally:
        q.stop()
        shutil.rmtree(ckpt, ignore_errors=True)
    return points


def versions_run(spark, provider, n, k, updates=6, op="window_count", extra=None):
    """Fill n keys, then `updates` batches that each re-send all n keys (every state row of
    a windowed count gets a new value): memoryUsedBytes after every batch."""
    set_provider(spark, provider, extra)
    ms, src = new_stream(spark)
    ckpt = tempfile.mkdtemp(prefix="statemem-ck-")
    q = (build(src, op).writeStream.format("noop").outputMode("append")
         .option("checkpointLocation", ckpt).start())
    rows = jvm_rows(spark, 0, n, k)
    out = []
    try:
        for i in range(updates + 1):
            ms.addData(rows)
            q.processAllAvailable()
            s = summarize_state(json.loads(q._jsq.lastProgress().json()))
            s["batch"] = "fill" if i == 0 else "update %d" % i
            out.append(s)
            print("  versions %-7s %s rows=%d mem=%d %s" % (
                provider, s["batch"], s["numRowsTotal"], s["memoryUsedBytes"],
                {kk: v for kk, v in s["customMetrics"].items()
                 if "Size" in kk or "Memory" in kk or "Cache" in kk}), flush=True)
    finally:
        q.stop()
        shutil.rmtree(ckpt, ignore_errors=True)
    return out


def linfit(xs, ys):
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    a = my - b * mx
    res = [y - (a + b * x) for x, y in zip(xs, ys)]
    rmse = (sum(r * r for r in res) / n) ** 0.5
    return {"intercept": a, "slope": b, "rmse": rmse, "n": n}


FIT_METRICS = ("memoryUsedBytes", "stateOnCurrentVersionSizeBytes", "rocksdbSstFileSize",
               "rocksdbPinnedBlocksMemoryUsage")


def metric(state, name):
    if name in state:
        return state[name]
    return state.get("customMetrics", {}).get(name)


def fits(points):
    """Per metric, per (op, provider, key): value = c + s·rows over the sizes (taken at the
    touch batch); per (op, provider): s = a + b·key_bytes over the key sizes."""
    out = {}
    for name in FIT_METRICS:
        groups = {}
        for p in points:
            st = p.get("touch") or p["fill"]
            if metric(st, name) is None:
                continue
            groups.setdefault((p["op"], p["provider"], p["key_bytes"]), []).append(
                (p["rows"], metric(st, name)))
        if not groups:
            continue
        per_key, per_op = {}, {}
        for (op, prov, k), m in sorted(groups.items()):
            f = linfit([x for x, _ in m], [y for _, y in m])
            big = max(m)
            per_key["%s/%s/k%d" % (op, prov, k)] = {
                "slope_bytes_per_row": None if f is None else round(f["slope"], 1),
                "intercept_bytes": None if f is None else round(f["intercept"]),
                "rmse": None if f is None else round(f["rmse"]),
                "largest_rows": big[0], "bytes_per_row_at_largest": round(big[1] / big[0], 1)}
            if f is not None:
                per_op.setdefault((op, prov), []).append((k, f["slope"]))
        summary = {}
        for (op, prov), lst in sorted(per_op.items()):
            f = linfit([k for k, _ in lst], [v for _, v in lst])
            summary["%s/%s" % (op, prov)] = {
                "a": None if f is None else round(f["intercept"], 1),
                "b_per_key_byte": None if f is None else round(f["slope"], 3),
                "rmse": None if f is None else round(f["rmse"], 1),
                "slope_by_key_bytes": {str(k): round(v, 1) for k, v in lst}}
        out[name] = {"per_key": per_key, "bytes_per_row = a + b*key_bytes": summary}
    return out


# ----------------------------------------------------------------------------------- files
def list_state(ckpt):
    root = os.path.join(ckpt, "state")
    files = {}
    for dp, _, fns in os.walk(root):
        for fn in fns:
            if fn.endswith(".crc"):
                continue
            full = os.path.join(dp, fn)
            try:
                files[os.path.relpath(full, root)] = os.path.getsize(full)
            except FileNotFoundError:
                pass
    return files


def classify(path):
    base = os.path.basename(path)
    if "/SSTs/" in "/" + path or base.endswith(".sst"):
        return "sst"
    for ext in ("delta", "snapshot", "changelog", "zip"):
        if base.endswith("." + ext):
            return ext
    if base.endswith(".log"):
        return "log"
    if "_metadata" in path:
        return "metadata"
    return "other"


def files_run(spark, provider, label, extra, batches=40, keys_per_batch=200, k=36,
              sleep_s=0.0):
    """A windowed count (10 s windows, 10 s watermark delay) at SHUFFLE_PARTITIONS; batch b
    carries keys_per_batch keys at event time T0 + 5·b s (the state keeps ~2-3 windows)."""
    set_provider(spark, provider, extra)
    ms, src = new_stream(spark)
    ckpt = tempfile.mkdtemp(prefix="statemem-files-")
    # event time from the key's suffix "@<seconds>"
    et = "timestamp_seconds(cast(substring_index(value, '@', -1) as long))"
    from pyspark.sql import functions as F
    q = (build(src, "window_count_10s", et).writeStream.format("noop").outputMode("append")
         .option("checkpointLocation", ckpt).start())
    per_batch = []
    before = {}
    t_start = time.time()
    try:
        for b in range(batches):
            ts = T0 + 5 * b
            jdf = spark.range(0, keys_per_batch, 1, 2).selectExpr(
                "concat(%s, '@', '%d') AS value" % (key_expr(k), ts))._jdf
            lst = getattr(jdf, "as")(spark._jvm.org.apache.spark.sql.Encoders.STRING()) \
                .collectAsList()
            ms.addData(spark._jvm.scala.jdk.javaapi.CollectionConverters.asScala(lst).toList())
            q.processAllAvailable()
            if sleep_s:
                time.sleep(sleep_s)
            now = list_state(ckpt)
            new = {f: s for f, s in now.items() if f not in before}
            gone = [f for f in before if f not in now]
            changed = {f: s for f, s in now.items() if f in before and before[f] != s}
            batch_ids = sorted({p["batchId"] for p in progresses(q)})
            rec = {"addData": b, "t_s": round(time.time() - t_start, 2),
                   "last_batch_id": batch_ids[-1] if batch_ids else None,
                   "new_by_kind": {}, "new_bytes_by_kind": {}, "deleted_by_kind": {},
                   "changed": len(changed), "files_now": len(now),
                   "bytes_now": sum(now.values()), "new_files": sorted(new)}
            for f, s in new.items():
                c = classify(f)
                rec["new_by_kind"][c] = rec["new_by_kind"].get(c, 0) + 1
                rec["new_bytes_by_kind"][c] = rec["new_bytes_by_kind"].get(c, 0) + s
            for f in gone:
                c = classify(f)
                rec["deleted_by_kind"][c] = rec["deleted_by_kind"].get(c, 0) + 1
            rec["deleted_files"] = sorted(gone)
            per_batch.append(rec)
            before = now
            print("  files %-28s add %2d -> batch %s new %s deleted %s (t=%.1fs)" % (
                label, b, rec["last_batch_id"], rec["new_by_kind"], rec["deleted_by_kind"],
                rec["t_s"]), flush=True)
        progs = progresses(q)
    finally:
        q.stop()
    # after stop: a final listing (a maintenance run may still have happened)
    final = list_state(ckpt)
    shutil.rmtree(ckpt, ignore_errors=True)
    totals_new, totals_bytes, totals_del = {}, {}, {}
    for r in per_batch:
        for c, n in r["new_by_kind"].items():
            totals_new[c] = totals_new.get(c, 0) + n
        for c, n in r["new_bytes_by_kind"].items():
            totals_bytes[c] = totals_bytes.get(c, 0) + n
        for c, n in r["deleted_by_kind"].items():
            totals_del[c] = totals_del.get(c, 0) + n
    final_by_kind = {}
    for f in final:
        c = classify(f)
        final_by_kind[c] = final_by_kind.get(c, 0) + 1
    return {"label": label, "provider": provider, "conf": extra, "batches_added": batches,
            "micro_batches_run": len(progs),
            "no_data_batches": sum(1 for p in progs if p.get("numInputRows", 0) == 0),
            "keys_per_batch": keys_per_batch, "key_bytes": k,
            "state_rows_last": (summarize_state(progs[-1]) or {}).get("numRowsTotal"),
            "totals_new_by_kind": totals_new, "totals_new_bytes_by_kind": totals_bytes,
            "totals_deleted_by_kind": totals_del, "final_files_by_kind": final_by_kind,
            "final_files": len(final), "final_bytes": sum(final.values()),
            "per_batch": per_batch}


# -------------------------------------------------------------------------------- executor
def executor_section(spark):
    jvm = spark._jvm
    cfg = jvm.java.lang.Class.forName("org.apache.spark.internal.config.package$") \
        .getField("MODULE$").get(None)
    defaults = {}
    for name in ("MEMORY_FRACTION", "MEMORY_STORAGE_FRACTION", "EXECUTOR_MEMORY",
                 "EXECUTOR_MEMORY_OVERHEAD_FACTOR", "EXECUTOR_MIN_MEMORY_OVERHEAD",
                 "MEMORY_OFFHEAP_ENABLED", "MEMORY_OFFHEAP_SIZE"):
        try:
            e = getattr(cfg, name)()
            defaults[e.key()] = e.defaultValueString()
        except Exception as ex:  # noqa: BLE001
            defaults[name] = "unavailable: %s" % ex
    sql_defaults = {}
    for key in ("spark.sql.streaming.stateStore.providerClass",
                "spark.sql.streaming.maxBatchesToRetainInMemory",
                "spark.sql.streaming.minBatchesToRetain",
                "spark.sql.streaming.stateStore.minDeltasForSnapshot",
                "spark.sql.streaming.stateStore.maintenanceInterval",
                "spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled",
                "spark.sql.streaming.stateStore.rocksdb.boundedMemoryUsage",
                "spark.sql.streaming.stateStore.rocksdb.maxMemoryUsageMB",
                "spark.sql.streaming.stateStore.rocksdb.blockCacheSizeMB",
                "spark.sql.streaming.stateStore.rocksdb.writeBufferSizeMB",
                "spark.sql.streaming.stateStore.rocksdb.maxWriteBufferNumber",
                "spark.sql.streaming.stateStore.rocksdb.compactOnCommit",
                "spark.sql.streaming.stateStore.compression.codec",
                "spark.sql.streaming.stateStore.checkpointFormatVersion"):
        try:  # without a default argument: the registered entry's default if unset
            v = jvm.org.apache.spark.sql.internal.SQLConf.get().getConfString(key)
        except Exception as ex:  # noqa: BLE001
            v = "unavailable: %s" % str(ex).splitlines()[0][:200]
        sql_defaults[key] = v
    # RocksDB's settings (spark.sql.streaming.stateStore.rocksdb.*): the RocksDBConf case
    # class built from a default StateStoreConf, field name -> value
    try:
        rc = jvm.org.apache.spark.sql.execution.streaming.state.RocksDBConf.apply()
        names = list(rc.productElementNames().toList().mkString("\u0001").split("\u0001"))
        rocks = {n: str(rc.productElement(i)) for i, n in enumerate(names)
                 if n != "sqlConf"}
    except Exception as ex:  # noqa: BLE001
        rocks = {"unavailable": str(ex)[:200]}
    um = jvm.java.lang.Class.forName("org.apache.spark.memory.UnifiedMemoryManager$") \
        .getField("MODULE$").get(None)
    reserved = um.RESERVED_SYSTEM_MEMORY_BYTES()
    # The real UnifiedMemoryManager for a few heaps: spark.testing.memory plays the heap
    # (Runtime.maxMemory); without spark.testing the 300 MiB reservation applies.
    mib = 1024 * 1024
    heaps = {}
    for heap_gib in (1, 4, 8, 10, 12, 16):
        conf = jvm.org.apache.spark.SparkConf(False)
        conf.set("spark.testing.memory", str(heap_gib * 1024 * mib))
        mm = jvm.org.apache.spark.memory.UnifiedMemoryManager.apply(conf, 4)
        heaps["%d GiB" % heap_gib] = {
            "heap_bytes": heap_gib * 1024 * mib,
            "unified_max_bytes(maxHeapMemory)": mm.maxHeapMemory(),
            "storage_region_bytes(maxHeapMemory*storageFraction)":
                int(mm.maxHeapMemory() * 0.5),
            "formula_(heap-300MiB)*0.6": int((heap_gib * 1024 * mib - 300 * mib) * 0.6),
            "user_memory_(heap-300MiB)*0.4": int((heap_gib * 1024 * mib - 300 * mib) * 0.4),
        }
    return {"core_defaults": defaults, "sql_state_defaults": sql_defaults,
            "rocksdb_conf_defaults": rocks,
            "UnifiedMemoryManager.RESERVED_SYSTEM_MEMORY_BYTES": reserved,
            "unified_memory_manager": heaps,
            "java_runtime_maxMemory_this_driver": jvm.java.lang.Runtime.getRuntime().maxMemory()}


# ------------------------------------------------------------------------------------- oom
def oom_child(spark, provider, rows_per_batch, max_rows, timeout_s, out_path, k=36):
    """dropDuplicates(["key"]) without watermark on a `rate-micro-batch` source (the source
    keeps nothing in the driver, unlike a MemoryStream), rows_per_batch new keys per batch,
    until the JVM dies, the query fails, max_rows or timeout_s. One JSON line per batch, flushed
    at once: an OutOfMemoryError in a task makes Spark's uncaught-exception handler exit the
    JVM (and this Python process loses its gateway)."""
    from pyspark.sql import functions as F

    set_provider(spark, provider)
    src = (spark.readStream.format("rate-micro-batch").option("rowsPerBatch", rows_per_batch)
           .option("numPartitions", 2).load())
    df = src.select(F.expr(key_expr(k).replace("id", "value")).alias("key"))
    ckpt = tempfile.mkdtemp(prefix="statemem-oom-")
    q = (df.dropDuplicates(["key"]).writeStream.format("noop").outputMode("append")
         .option("checkpointLocation", ckpt).trigger(processingTime="0 seconds").start())
    rt = spark._jvm.java.lang.Runtime.getRuntime()
    seen = set()
    t0 = time.time()
    with open(out_path, "w") as out:
        out.write(json.dumps({"start": True, "provider": provider, "heap_max": rt.maxMemory(),
                              "rows_per_batch": rows_per_batch}) + "\n")
        out.flush()
        end = "timeout"
        while time.time() - t0 < timeout_s:
            time.sleep(0.5)
            if not q.isActive:
                end = "query stopped: %s" % (q.exception(),)
                break
            for pr in progresses(q):
                if pr["batchId"] in seen:
                    continue
                seen.add(pr["batchId"])
                st = summarize_state(pr) or {}
                rec = {"batchId": pr["batchId"], "t_s": round(time.time() - t0, 1),
                       "numRowsTotal": st.get("numRowsTotal"),
                       "memoryUsedBytes": st.get("memoryUsedBytes"),
                       "stateOnCurrentVersionSizeBytes":
                           st.get("customMetrics", {}).get("stateOnCurrentVersionSizeBytes"),
                       "rocksdbSstFileSize":
                           st.get("customMetrics", {}).get("rocksdbSstFileSize"),
                       "durationMs": st.get("durationMs"),
                       "heap_used_after": rt.totalMemory() - rt.freeMemory()}
                out.write(json.dumps(rec) + "\n")
                out.flush()
                print("  oom %s batch %d rows %s mem %s heap used %.0f MiB t=%.0fs" % (
                    provider, rec["batchId"], rec["numRowsTotal"], rec["memoryUsedBytes"],
                    rec["heap_used_after"] / 2**20, rec["t_s"]), flush=True)
                if (rec["numRowsTotal"] or 0) >= max_rows:
                    end = "max_rows"
            if end == "max_rows":
                break
        out.write(json.dumps({"end": end}) + "\n")
    q.stop()
    shutil.rmtree(ckpt, ignore_errors=True)


def oom_section(providers, heap, rows_per_batch, max_rows, timeout_s):
    import subprocess

    runs = {}
    for prov in providers:
        path = os.path.join(tempfile.mkdtemp(prefix="statemem-oomlog-"), "log.jsonl")
        env = dict(os.environ, STATEMEM_DRIVER_MEMORY=heap)
        t0 = time.time()
        pr = subprocess.run([sys.executable, os.path.abspath(__file__), "oom-child",
                             "--providers", prov, "--oom-rows-per-batch", str(rows_per_batch),
                             "--oom-max-rows", str(max_rows), "--oom-timeout", str(timeout_s),
                             "--oom-out", path], env=env, capture_output=True, text=True,
                            timeout=timeout_s + 180)
        lines = [json.loads(x) for x in open(path) if x.strip()]
        tail = [x for x in (pr.stderr or "").splitlines()
                if "OutOfMemory" in x or "Exception" in x or "exit" in x.lower()][:10]
        runs[prov] = {"exit_code": pr.returncode, "wall_s": round(time.time() - t0),
                      "batches": [x for x in lines if "batchId" in x],
                      "end": next((x["end"] for x in lines if "end" in x),
                                  "JVM/process died (no end record)"),
                      "heap_max": next((x["heap_max"] for x in lines if "heap_max" in x), None),
                      "stderr_lines": tail}
        print("  oom %s: exit %s, end %s, last %s" % (
            prov, pr.returncode, runs[prov]["end"],
            runs[prov]["batches"][-1] if runs[prov]["batches"] else None), flush=True)
    return {"op": "dedup (dropDuplicates(['key']), no watermark)", "key_bytes": 36,
            "spark.driver.memory": heap, "rows_per_batch": rows_per_batch,
            "source": "rate-micro-batch", "runs": runs}


# ---------------------------------------------------------------------------------- report
def report(res):
    """The README's tables from results.json."""
    def row(cells):
        print("| " + " | ".join(str(c) for c in cells) + " |")

    for tag in ("memory", "memory_1m"):
        if tag not in res:
            continue
        m = res[tag]
        print("\n### %s: raw points (the touch batch after each size)\n" % tag)
        row(["op", "provider", "key B", "rows", "numRowsTotal", "memoryUsedBytes", "B/row",
             "stateOnCurrentVersion B/row", "SST B/row", "repeat memoryUsedBytes"])
        row(["---"] * 10)
        rep = {(p["op"], p["provider"], p["key_bytes"], p["rows"]):
               (p.get("touch") or p["fill"])["memoryUsedBytes"] for p in m.get("repeat_points", [])}
        for p in m["points"]:
            st = p.get("touch") or p["fill"]
            n = max(1, st["numRowsTotal"])
            cur = metric(st, "stateOnCurrentVersionSizeBytes")
            sst = metric(st, "rocksdbSstFileSize")
            row([p["op"], p["provider"], p["key_bytes"], p["rows"], st["numRowsTotal"],
                 st["memoryUsedBytes"], round(st["memoryUsedBytes"] / n),
                 "" if cur is None else round(cur / n), "" if sst is None else round(sst / n),
                 rep.get((p["op"], p["provider"], p["key_bytes"], p["rows"]), "")])
        for e in m.get("errors", []):
            print("\nerror: %s %s k=%s sizes=%s: %s" % (e["op"], e["provider"], e["key_bytes"],
                                                       e["sizes"], e["error"][:300]))
        if m.get("fits"):
            print("\n### %s: fits, bytes per row = a + b x key_bytes (slope over rows per key "
                  "size, then a line over key sizes)\n" % tag)
            row(["metric", "op/provider", "a", "b", "rmse", "slope at 8 / 36 / 100 B keys"])
            row(["---"] * 6)
            for name, f in m["fits"].items():
                for k, v in f["bytes_per_row = a + b*key_bytes"].items():
                    if name == "rocksdbPinnedBlocksMemoryUsage":
                        continue
                    row([name, k, "-" if v["a"] is None else v["a"],
                         "-" if v["b_per_key_byte"] is None else v["b_per_key_byte"],
                         "-" if v["rmse"] is None else v["rmse"],
                         " / ".join(str(x) for x in v["slope_by_key_bytes"].values())])
    if "versions" in res:
        print("\n### versions: window_count, 100k rows, 36 B keys; every update batch re-sends "
              "all keys\n")
        row(["run", "batch", "numRowsTotal", "memoryUsedBytes", "stateOnCurrentVersionSizeBytes",
             "rocksdbSstFileSize"])
        row(["---"] * 6)
        for run, lst in res["versions"]["runs"].items():
            for s_ in lst:
                row([run, s_["batch"], s_["numRowsTotal"], s_["memoryUsedBytes"],
                     metric(s_, "stateOnCurrentVersionSizeBytes") or "",
                     metric(s_, "rocksdbSstFileSize") or ""])
    for tag in ("files", "files_fast"):
        if tag not in res:
            continue
        print("\n### %s: files under state/ (4 partitions, 40 addData = 80 micro-batches)\n"
              % tag)
        row(["run", "micro-batches (no-data)", "new files by kind", "new bytes by kind",
             "deleted by kind", "left at the end", "bytes left"])
        row(["---"] * 7)
        for r in res[tag]["runs"]:
            row([r["label"], "%d (%d)" % (r["micro_batches_run"], r["no_data_batches"]),
                 r["totals_new_by_kind"], r["totals_new_bytes_by_kind"],
                 r["totals_deleted_by_kind"], r["final_files_by_kind"], r["final_bytes"]])
        for r in res[tag]["runs"]:
            ev = []
            for b in r["per_batch"]:
                odd = {k: v for k, v in b["new_by_kind"].items()
                       if k not in ("delta", "changelog", "zip", "sst", "metadata")}
                if odd or b["deleted_by_kind"]:
                    ev.append("add %d (t=%.0fs, batch %s): new %s deleted %s" % (
                        b["addData"], b["t_s"], b["last_batch_id"], odd, b["deleted_by_kind"]))
            if r["provider"] == "rocksdb" and r["totals_new_by_kind"].get("sst"):
                ev.append("SSTs per addData: " + " ".join(
                    str(b["new_by_kind"].get("sst", 0)) for b in r["per_batch"]))
            if ev:
                print("\n%s %s:\n" % (tag, r["label"]))
                for e in ev:
                    print("- " + e)


# ------------------------------------------------------------------------------------ main
def load_results():
    if os.path.exists(RESULTS):
        with open(RESULTS) as f:
            return json.load(f)
    return {}


def save_results(res):
    with open(RESULTS, "w") as f:
        json.dump(res, f, indent=1, sort_keys=False)
        f.write("\n")


def environment(spark):
    jvm = spark._jvm
    return {"spark_version": spark.version,
            "java_version": jvm.java.lang.System.getProperty("java.version"),
            "java_vm": jvm.java.lang.System.getProperty("java.vm.name"),
            "rocksdbjni": "9.8.4 (pyspark/jars/rocksdbjni-9.8.4.jar)",
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "master": "local[2]", "driver_memory": DRIVER_MEMORY,
            "spark.sql.shuffle.partitions": SHUFFLE_PARTITIONS,
            "spark.sql.adaptive.enabled": False, "sink": "noop, append mode",
            "host_cores": os.cpu_count()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", nargs="?", default="all",
                    choices=["memory", "versions", "files", "executor", "fit", "report", "oom",
                             "oom-child", "all"])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--keys", default="8,36,100")
    ap.add_argument("--ops", default=",".join(OPS))
    ap.add_argument("--providers", default="hdfs,rocksdb")  # oom-child: the first
    ap.add_argument("--repeat-keys", default="36",
                    help="key sizes measured a second time (noise)")
    ap.add_argument("--oom-heap", default="1g")
    ap.add_argument("--oom-rows-per-batch", type=int, default=200000)
    ap.add_argument("--oom-max-rows", type=int, default=8000000)
    ap.add_argument("--oom-timeout", type=int, default=300)
    ap.add_argument("--oom-out", default="")
    ap.add_argument("--files-set", default="default", choices=["default", "fast"])
    ap.add_argument("--tag", default="memory", help="the results.json section to write")
    ap.add_argument("--big", default="", help="extra size for key 36 only, e.g. 1000000")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    keys = [int(s) for s in args.keys.split(",")]
    ops = args.ops.split(",")
    provs = args.providers.split(",")

    if args.what == "report":  # markdown tables of results.json, no Spark
        report(load_results())
        return 0
    if args.what == "fit":  # recompute the fits of results.json, no Spark
        res = load_results()
        for tag in ("memory", "memory_1m"):
            if tag in res:
                res[tag]["fits"] = fits(res[tag]["points"])
        save_results(res)
        return 0
    if args.what == "oom":  # each provider in its own JVM (an OOM exits it)
        res = load_results()
        res["oom"] = oom_section(provs, args.oom_heap, args.oom_rows_per_batch,
                                 args.oom_max_rows, args.oom_timeout)
        save_results(res)
        return 0
    spark = make_session()
    if args.what == "oom-child":
        oom_child(spark, provs[0], args.oom_rows_per_batch, args.oom_max_rows,
                  args.oom_timeout, args.oom_out)
        return 0
    res = load_results()
    res["environment"] = environment(spark)
    t0 = time.time()
    if args.what in ("executor", "all"):
        res["executor"] = executor_section(spark)
        save_results(res)
    if args.what in ("memory", "all"):
        pts, rep, errors = [], [], []

        def one(op, prov, k, s, into):
            try:
                into += memory_run(spark, op, prov, k, s)
            except Exception as ex:  # noqa: BLE001  (e.g. an OutOfMemoryError in a task)
                errors.append({"op": op, "provider": prov, "key_bytes": k, "sizes": s,
                               "error": str(ex)[:2000]})
                print("  ERROR %s %s k=%d: %s" % (op, prov, k, str(ex)[:300]), flush=True)
            res[args.tag] = {"sizes": sizes, "keys": keys, "big": args.big, "points": pts,
                             "repeat_points": rep, "errors": errors,
                             "fits": fits(pts) if pts else None,
                             "runtime_s": round(time.time() - t0)}
            save_results(res)

        for prov in provs:
            for op in ops:
                for k in keys:
                    one(op, prov, k, sizes + ([int(args.big)] if args.big and k == 36 else []),
                        pts)
                    if str(k) in args.repeat_keys.split(","):
                        one(op, prov, k, sizes, rep)
    if args.what in ("versions", "all"):
        v = {}
        for prov in provs:
            v[prov] = versions_run(spark, prov, 100000, 36)
        v["hdfs_maxBatchesToRetainInMemory=1"] = versions_run(
            spark, "hdfs", 100000, 36,
            extra={"spark.sql.streaming.maxBatchesToRetainInMemory": "1"})
        spark.conf.unset("spark.sql.streaming.maxBatchesToRetainInMemory")
        res["versions"] = {"op": "window_count", "rows": 100000, "key_bytes": 36, "runs": v}
        save_results(res)
    if args.what in ("files", "all"):
        runs = []
        chg = "spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled"
        fast = {"spark.sql.streaming.stateStore.maintenanceInterval": "2s",
                "spark.sql.streaming.minBatchesToRetain": "10"}
        dflt = {"spark.sql.streaming.stateStore.maintenanceInterval": "60s",
                "spark.sql.streaming.minBatchesToRetain": "100"}
        # The state store maintenance task is one per JVM and takes its interval from the
        # first store loaded: run the fast-maintenance set in its own process
        # (`files --files-set fast`), not after the default set.
        sets = {"default": (("hdfs default", "hdfs", dict(dflt)),
                            ("rocksdb changelog", "rocksdb", dict(dflt, **{chg: "true"})),
                            ("rocksdb no changelog", "rocksdb", dict(dflt, **{chg: "false"}))),
                "fast": (("hdfs fast-maint", "hdfs", dict(fast)),
                         ("rocksdb changelog fast-maint", "rocksdb",
                          dict(fast, **{chg: "true"})),
                         ("rocksdb no changelog fast-maint", "rocksdb",
                          dict(fast, **{chg: "false"})))}
        tag = "files" if args.files_set == "default" else "files_" + args.files_set
        for label, prov, extra in sets[args.files_set]:
            runs.append(files_run(spark, prov, label, extra,
                                  sleep_s=0.5 if "fast" in label else 0.0))
            res[tag] = {"shuffle_partitions": SHUFFLE_PARTITIONS, "runs": runs}
            save_results(res)
        for k in set(list(dflt) + list(fast) + [chg]):
            spark.conf.unset(k)
    print("done in %.0fs" % (time.time() - t0))
    spark.stop()


if __name__ == "__main__":
    sys.exit(main())
