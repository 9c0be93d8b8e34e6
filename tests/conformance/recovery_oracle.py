#!/usr/bin/env python3
"""Real Apache Spark oracle for failure and recovery (`pipeline-sim/recovery-v1` cases).

A case (tests/conformance/recovery/*.json, written by make_recovery_cases.py) is a streaming
query as in oracle.py, a source, a sink, the input elements and a `failure`: the query fails
deterministically in micro-batch `failure.batch` on its first attempt and is then restarted on
the SAME checkpoint. This script runs both attempts on real Spark and rewrites `expected`:
per attempt the batches that ran (ids, input elements, rows, watermark, state metrics, the rows
the sink received), the failed batch, and the checkpoint (offsets/, commits/, state files) and
the sink (rows written, duplicates; for the parquet file sink the files on disk vs the files in
_spark_metadata, i.e. the orphans) at the failure and at the end. See README.md, section
"Failure and recovery".

Sources
- memory: a MemoryStream[String]; one addData() per input element. A MemoryStream lives in the
  driver JVM, so the restart is a NEW query (new run id) over the SAME MemoryStream object in
  the same process: Spark's MemoryStream keeps every element after the last committed offset
  (commit() trims only up to the committed end offset), so a batch whose offsets/N exists
  without commits/N can be re-read. MemoryStream has no read limit (no maxOffsetsPerTrigger:
  it parses no option; its ReadLimit is allAvailable), so a memory case has no rate limit.
- files: a text file source over a directory, one file per input element (one JSON row per
  line), modification times 10 s apart in element order (FileStreamSource orders new files by
  modification time), optionally `maxFilesPerTrigger` = the rate limit. Survives a restart by
  construction (files on disk + the source log sources/0/N in the checkpoint).

Failure injection (`failure.when`), first attempt only (a marker file records it happened):
- before_sink / after_sink_write (foreachBatch sinks): the foreachBatch function raises in
  batch N before / after it wrote the batch to the table.
- in_input_task (parquet sink): a non-deterministic Python UDF filter on the raw input rows (the
  map stage, before any stateful operator) raises on the row with id `failure.marker_id`.
- in_write_task (parquet sink): the same filter on the query's OUTPUT rows (the final stage:
  state store save + parquet write tasks) raises on the output row with id `marker_id`.
- commit_log: a directory is created at checkpoint/commits/N just before batch N runs; the
  batch runs completely (sink written and, for the file sink, _spark_metadata/N written) and
  Spark then fails writing commits/N. The directory is removed before the restart.
Input elements: `input` are fed one at a time (add + processAllAvailable) until the failure;
`restart.backlog` more elements are added while the query is down (before the restart); the
rest are fed one at a time after the restart.

Usage: python recovery_oracle.py [--check] [case.json ...]   (default: recovery/*.json)
"""
import argparse
import glob
import json
import os
import re
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import oracle  # noqa: E402  (shared helpers: session, query building, row formatting)

FORMAT = "pipeline-sim/recovery-v1"
KEY_ORDER = ["format", "name", "description", "engine", "query", "source", "sink", "failure",
             "restart", "input", "expected"]
WHENS = ("before_sink", "after_sink_write", "in_input_task", "in_write_task", "commit_log",
         "process_killed")
KILL_SETTLE_S = 5  # process_killed: seconds without a new file in the sink dir before the kill
FB_SINKS = ("foreach_batch_append", "foreach_batch_idempotent")


class Injected(Exception):
    pass


# ---------------------------------------------------------------- query


def build(spark, source_df, q, failure, marker):
    """oracle.build_query plus the injected UDF gates; operator "select" = the parsed rows."""
    from pyspark.sql import functions as F

    def gate_fn(kind):
        mid = failure.get("marker_id")

        def gate(v):
            i = json.loads(v)["id"] if kind == "input" else v
            if i == mid and not os.path.exists(marker):
                open(marker, "w").close()
                if failure["when"] == "process_killed":
                    time.sleep(3600)  # hang this write task until the process is killed
                raise RuntimeError("INJECTED_FAILURE on row id %d" % i)
            return True
        return F.udf(gate, "boolean").asNondeterministic()

    if failure["when"] == "in_input_task":
        source_df = source_df.where(gate_fn("input")(F.col("value")))
    if q["operator"] == "select":
        res = source_df.select(F.from_json(
            F.col("value"), oracle.input_schema(q),
            {"timestampFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX"}).alias("r")
        ).select(*oracle.input_columns(q))
        if q.get("watermark_delay_s") is not None:
            res = res.withWatermark("event_time", "%d seconds" % q["watermark_delay_s"])
    else:
        res = oracle.build_query(spark, source_df, q)
    if failure["when"] in ("in_write_task", "process_killed"):
        res = res.where(gate_fn("output")(F.col("id")))
    return res


# ---------------------------------------------------------------- files on disk


def visible(root):
    return oracle._visible_files(root) if os.path.isdir(root) else []


def read_log_file(path):
    """An offsets/commits/sources log file: "v1" then JSON lines (or plain offsets)."""
    with open(path) as f:
        lines = [ln for ln in f.read().split("\n")]
    return lines


def offsets_entry(ckpt, bid):
    lines = read_log_file(os.path.join(ckpt, "offsets", str(bid)))
    meta = json.loads(lines[1])
    srcs = [ln for ln in lines[2:] if ln.strip()]
    return {"batch_watermark_ms": meta.get("batchWatermarkMs"),
            "source_offsets": [json.loads(s) if s != "-" else None for s in srcs]}


def checkpoint_state(ckpt):
    """offsets/ and commits/ entries (with each offsets/N's watermark and source offset) and the
    state store files (<v>.delta per operator/partition; .snapshot files listed separately)."""
    def ids(sub):
        out = []
        for p in visible(os.path.join(ckpt, sub)):
            if p.isdigit():
                out.append(int(p))
            else:
                raise RuntimeError("unexpected %s/%s" % (sub, p))
        return sorted(out)
    offs = ids("offsets")
    deltas = {}
    snapshots = 0
    for rel in visible(os.path.join(ckpt, "state")):
        parts = rel.split(os.sep)
        if "_metadata" in parts:
            continue
        name = parts[-1]
        if name.endswith(".delta"):
            v = int(name[:-len(".delta")])
            deltas[v] = deltas.get(v, 0) + 1
        elif name.endswith(".snapshot"):
            snapshots += 1
        else:
            raise RuntimeError("unexpected state file %s" % rel)
    if snapshots:
        print("note: %d state snapshot file(s), not recorded" % snapshots, flush=True)
    return {
        "offsets": offs,
        "commits": [c for c in ids("commits")],
        "offsets_content": {str(b): offsets_entry(ckpt, b) for b in offs},
        # store version v = what batch v-1 committed; value: files (one per shuffle partition)
        "state_delta_files": {str(v): n for v, n in sorted(deltas.items())},
    }


def file_sink_state(spark, q, schema, out_dir):
    """The parquet sink directory: per _spark_metadata log its files' rows; part files on disk
    not listed by any log (orphans) and their rows; what a reader through the log sees vs a
    plain read of every part file in the directory."""
    meta = os.path.join(out_dir, "_spark_metadata")
    logs = {}
    for fn in visible(meta):
        stem = fn[:-len(".compact")] if fn.endswith(".compact") else fn
        logs[int(stem)] = fn
    listed = {}
    for bid in sorted(logs):
        for e in oracle._read_log(os.path.join(meta, logs[bid])):
            lp = oracle._local_path(e["path"])
            listed.setdefault(lp, bid)
    on_disk = {os.path.normpath(os.path.join(out_dir, p)) for p in visible(out_dir)
               if not p.startswith("_spark_metadata" + os.sep)}
    if set(listed) - on_disk:
        raise RuntimeError("listed files missing on disk: %r" % sorted(set(listed) - on_disk))
    orphans = sorted(on_disk - set(listed))

    def rows_of(path):
        if os.path.getsize(path) == 0:
            return None
        df = spark.read.schema(schema).parquet("file://" + path)
        return oracle.flatten_batch(df, q)

    per_batch = {}
    for bid in sorted(logs):
        files = [lp for lp, b in listed.items() if b == bid]
        rows = []
        for lp in files:
            rows.extend(rows_of(lp))
        per_batch[str(bid)] = {"log_file": logs[bid], "data_files": len(files),
                               "empty_files": sum(1 for lp in files
                                                  if oracle._parquet_row_count(spark, "file://" + lp) == 0),
                               "rows": oracle.sort_rows(rows)}
    orphan_rows = []
    orphan_info = []
    for lp in orphans:
        r = rows_of(lp)
        orphan_info.append({"bytes_zero": os.path.getsize(lp) == 0,
                            "rows": None if r is None else len(r)})
        orphan_rows.extend(r or [])
    via_log = sum(len(b["rows"]) for b in per_batch.values())
    if logs:  # a reader of the directory goes through _spark_metadata
        n_log_reader = spark.read.schema(schema).parquet(out_dir).count()
        if n_log_reader != via_log:
            raise RuntimeError("reader through the log saw %d rows, logs list %d"
                               % (n_log_reader, via_log))
    return {
        "logs": per_batch,
        "files_on_disk": len(on_disk),
        "files_in_log": len(listed),
        "orphan_files": len(orphans),
        "orphans": sorted(orphan_info, key=lambda o: (o["bytes_zero"], o["rows"] or 0)),
        "orphan_rows": oracle.sort_rows(orphan_rows),
        "rows_read_through_log": via_log,
        "rows_plain_directory_read": via_log + len(orphan_rows),
    }


class Table:
    """The foreachBatch target: a directory of JSON-lines files, one per (batch, attempt) write.

    foreach_batch_append: every call appends its rows (a plain `df.write.mode("append")`).
    foreach_batch_idempotent: Delta's txnAppId/txnVersion emulated with a marker file `_txn`
    holding {"appId", "version"}: a batch whose id <= the recorded version is skipped; else the
    data file is written, then `_txn` is replaced (os.replace) with version = batch id."""

    def __init__(self, root, kind, app_id):
        self.root, self.kind, self.app_id = root, kind, app_id
        os.makedirs(root, exist_ok=True)
        self.writes = []

    def txn_version(self):
        p = os.path.join(self.root, "_txn")
        if not os.path.exists(p):
            return None
        with open(p) as f:
            t = json.load(f)
        return t["version"] if t["appId"] == self.app_id else None

    def write(self, attempt, batch_id, rows):
        if self.kind == "foreach_batch_idempotent":
            v = self.txn_version()
            if v is not None and batch_id <= v:
                self.writes.append({"attempt": attempt, "batch_id": batch_id,
                                    "action": "skipped", "rows": len(rows)})
                return
        if rows:
            with open(os.path.join(self.root, "b%05d-a%d.jsonl" % (batch_id, attempt)), "w") as f:
                for r in rows:
                    f.write(json.dumps(r, sort_keys=True) + "\n")
        if self.kind == "foreach_batch_idempotent":
            tmp = os.path.join(self.root, "._txn.tmp")
            with open(tmp, "w") as f:
                json.dump({"appId": self.app_id, "version": batch_id}, f)
            os.replace(tmp, os.path.join(self.root, "_txn"))
        self.writes.append({"attempt": attempt, "batch_id": batch_id,
                            "action": "appended", "rows": len(rows)})

    def state(self):
        rows = []
        for fn in sorted(os.listdir(self.root)):
            if fn.endswith(".jsonl"):
                with open(os.path.join(self.root, fn)) as f:
                    rows.extend(json.loads(ln) for ln in f if ln.strip())
        keys = [json.dumps(r, sort_keys=True) for r in rows]
        out = {"rows": len(rows), "distinct_rows": len(set(keys)),
               "duplicate_rows": len(rows) - len(set(keys)),
               "data_files": sum(1 for fn in os.listdir(self.root) if fn.endswith(".jsonl"))}
        if self.kind == "foreach_batch_idempotent":
            out["txn_version"] = self.txn_version()
        return out


# ---------------------------------------------------------------- a case


def progress_batches(query):
    out = {}
    for p in query._jsq.recentProgress():
        p = json.loads(p.json())
        if "addBatch" not in p.get("durationMs", {}):
            continue
        if p["batchId"] in out:
            raise RuntimeError("two progresses for batch %d" % p["batchId"])
        out[p["batchId"]] = p
    return out


def short_error(e, tmp):
    s = str(e)
    if "INJECTED_FAILURE" in s:
        for m in re.findall(r"INJECTED_FAILURE[^\n'\"]*", s):
            if "%" not in m:
                return m.strip()
    m = re.search(r"\[(?!STREAM_FAILED)([A-Z][A-Z_]+)\][^\n]*", s)
    if m:
        return m.group(0).strip()
    if isinstance(e, Injected):
        return s
    for line in s.splitlines():
        line = line.strip()
        if line:
            return re.sub(r"file:[^ ]*|/tmp/[^ ]*", "<path>", line)[:200]
    return repr(e)


def run_case(spark, case, child_tmp=None):
    """Both attempts; returns `expected`. With child_tmp (process_killed, in the child process):
    attempt 1 only, in that directory, recording progress to child_tmp/progress.jsonl, until
    the parent kills the process."""
    from pyspark.sql import DataFrame

    q, src, sink, failure = case["query"], case["source"], case["sink"], case["failure"]
    restart = case.get("restart", {})
    backlog = int(restart.get("backlog", 0))
    if failure["when"] not in WHENS:
        raise ValueError("unknown failure.when %r" % failure["when"])
    if sink["kind"] not in FB_SINKS + ("file",):
        raise ValueError("unknown sink.kind %r" % sink["kind"])
    fb = sink["kind"] in FB_SINKS
    allowed = ("before_sink", "after_sink_write", "commit_log") if fb else \
        ("in_input_task", "in_write_task", "commit_log", "process_killed")
    if failure["when"] == "process_killed" and src["kind"] != "files":
        raise ValueError("process_killed needs a source that survives the process: files")
    if failure["when"] not in allowed:
        raise ValueError("failure %r does not fit sink %r" % (failure["when"], sink["kind"]))
    conf = dict(oracle.DEFAULT_CONF)
    conf.update(case.get("engine", {}).get("conf", {}))
    for k, v in conf.items():
        spark.conf.set(k, oracle.conf_str(v))

    tmp = child_tmp or tempfile.mkdtemp(prefix="recovery-")
    ckpt = os.path.join(tmp, "ckpt")
    out_dir = os.path.join(tmp, "sink")
    src_dir = os.path.join(tmp, "src")
    marker = os.path.join(tmp, "failed-once")
    os.makedirs(src_dir, exist_ok=True)
    os.makedirs(out_dir, exist_ok=True)
    n_fail = failure["batch"]
    base_mtime = 1_700_000_000

    ms = None
    if src["kind"] == "memory":
        ms = spark._jvm.org.apache.spark.sql.execution.streaming.runtime.MemoryStream.apply(
            oracle.jvm_encoders_string(spark), spark._jsparkSession)
        source_df = DataFrame(ms.toDF(), spark)
    elif src["kind"] == "files":
        r = spark.readStream.schema("value STRING")
        if src.get("max_files_per_trigger") is not None:
            r = r.option("maxFilesPerTrigger", int(src["max_files_per_trigger"]))
        source_df = r.text(src_dir)
    else:
        raise ValueError("unknown source.kind %r" % src["kind"])
    result = build(spark, source_df, q, failure, marker)
    table = Table(out_dir, sink["kind"], "recovery_" + case["name"]) if fb else None

    deliveries = {}  # (attempt, batch_id) -> rows given to foreachBatch
    attempt_no = [1]

    def fb_fn(batch_df, batch_id):
        a = attempt_no[0]
        rows = oracle.flatten_batch(batch_df, q)
        if (a, batch_id) in deliveries:
            raise RuntimeError("batch %d delivered twice in attempt %d" % (batch_id, a))
        deliveries[(a, batch_id)] = rows
        hit = batch_id == n_fail and not os.path.exists(marker)
        if hit and failure["when"] == "before_sink":
            open(marker, "w").close()
            raise Injected("INJECTED_FAILURE in foreachBatch before the write, batch %d" % batch_id)
        table.write(a, batch_id, rows)
        if hit and failure["when"] == "after_sink_write":
            open(marker, "w").close()
            raise Injected("INJECTED_FAILURE in foreachBatch after the write, batch %d" % batch_id)

    def element_name(i):
        return "e%03d.txt" % i

    def add(i):
        rows = case["input"][i]
        if ms is not None:
            ms.addData(oracle.to_scala_seq(spark, [oracle.row_json(r) for r in rows]))
        else:
            p = os.path.join(src_dir, element_name(i))
            with open(os.path.join(src_dir, ".tmp"), "w") as f:
                for r in rows:
                    f.write(oracle.row_json(r) + "\n")
            os.utime(os.path.join(src_dir, ".tmp"), (base_mtime + 10 * i, base_mtime + 10 * i))
            os.replace(os.path.join(src_dir, ".tmp"), p)

    def start():
        w = (result.writeStream.outputMode(q["output_mode"])
             .option("checkpointLocation", ckpt).queryName("rec_%s_%d" % (case["name"], attempt_no[0])))
        if fb:
            w = w.foreachBatch(fb_fn)
        else:
            w = w.format("parquet").option("path", out_dir)
        return w.start()

    def block_commit():
        """commit_log: a directory at commits/N, made once the query has started (it lists
        the commit log only when it starts); batch N fails writing its commit."""
        if failure["when"] == "commit_log":
            os.makedirs(os.path.join(ckpt, "commits", str(n_fail)))
            open(marker, "w").close()

    def elements_of(p):
        """Input element indices a progress's batch read."""
        s = p["sources"][0]
        if ms is not None:
            a = -1 if s.get("startOffset") is None else int(s["startOffset"])
            return list(range(a + 1, int(s["endOffset"]) + 1))
        a = -1 if s.get("startOffset") is None else int(s["startOffset"]["logOffset"])
        b = int(s["endOffset"]["logOffset"])
        return source_log_elements(a, b)

    def source_log_elements(a, b):
        out = []
        for k in range(a + 1, b + 1):
            for ln in read_log_file(os.path.join(ckpt, "sources", "0", str(k)))[1:]:
                if ln.strip():
                    out.append(int(os.path.basename(json.loads(ln)["path"])[1:4]))
        return sorted(out)

    def batch_record(bid, p, attempt):
        ops = p.get("stateOperators") or []
        so = ops[0] if ops else None
        rec = {
            "batch_id": bid,
            "input_elements": elements_of(p),
            "input_rows": int(p["numInputRows"]),
            "element_rows": None,
            "watermark": p.get("eventTime", {}).get("watermark"),
        }
        if so is not None:
            cm = so.get("customMetrics", {})
            rec.update({
                "dropped_by_watermark": int(so["numRowsDroppedByWatermark"]),
                "state_rows_total": int(so["numRowsTotal"]),
                "state_rows_updated": int(so["numRowsUpdated"]),
                "state_rows_removed": int(so["numRowsRemoved"]),
                "state_loaded_map_cache_miss": cm.get("loadedMapCacheMissCount"),
            })
        # rows of the elements the batch's offsets cover; Spark's numInputRows (input_rows) is
        # lower when the batch's plan did not run (a file sink skipping a logged batch: 0)
        rec["element_rows"] = sum(len(case["input"][i]) for i in rec["input_elements"])
        if fb:
            rec["delivered"] = deliveries[(attempt, bid)]
        return rec

    def sink_snapshot():
        if fb:
            return table.state()
        return file_sink_state(spark, q, result.schema, out_dir)

    def run_attempt_1():
        query = start()
        try:
            query.processAllAvailable()  # started: the logs have been read
            block_commit()
            fed = 0
            err = None
            while fed < len(case["input"]) and err is None:
                add(fed)
                fed += 1
                try:
                    query.processAllAvailable()
                except Exception as e:  # noqa: BLE001 - the injected failure
                    err = e
            if err is None:
                raise RuntimeError("no failure happened")
            if query.isActive:
                raise RuntimeError("query still active after the failure")
            return progress_batches(query), fed, err
        finally:
            if query.isActive:
                query.stop()

    expected = {"attempts": []}
    query = None
    try:
        if child_tmp is not None:  # the child of a process_killed case: attempt 1 only
            query = start()
            query.processAllAvailable()
            with open(os.path.join(tmp, "progress.jsonl"), "a") as log:
                for i in range(len(case["input"])):
                    log.write(json.dumps({"fed": i + 1}) + "\n")
                    log.flush()
                    add(i)
                    query.processAllAvailable()
                    for b, p in sorted(progress_batches(query).items()):
                        log.write(json.dumps({"progress": p}) + "\n")
                    log.flush()
            raise RuntimeError("no failure happened")
        if failure["when"] == "process_killed":
            by, fed, err = run_killed_attempt(case, tmp, marker)
        else:
            by, fed, err = run_attempt_1()
        query = None
        if failure["when"] == "commit_log":
            shutil.rmtree(os.path.join(ckpt, "commits", str(n_fail)))
        cp1 = checkpoint_state(ckpt)
        if failure["when"] == "in_write_task":
            # which write tasks committed their state store before the job was aborted depends
            # on task scheduling (2 or 3 of 4 files in three runs): not recorded
            n = cp1["state_delta_files"].pop(str(n_fail + 1), 0)
            cp1["state_delta_files_of_failed_batch"] = "scheduling-dependent"
            print("note: %d state delta file(s) of the failed batch %d" % (n, n_fail), flush=True)
        if max(by, default=-1) != n_fail - 1 or cp1["offsets"][-1:] != [n_fail]:
            raise RuntimeError("failed after batches %r, offsets %r; expected failure in batch %d"
                               % (sorted(by), cp1["offsets"], n_fail))
        failed = {"batch_id": n_fail, "error": short_error(err, tmp),
                  "input_elements_fed": fed}
        if fb:
            failed["delivered"] = deliveries.get((1, n_fail))
        expected["attempts"].append({
            "attempt": 1,
            "batches": [batch_record(b, by[b], 1) for b in sorted(by)],
            "failed_batch": failed,
            "checkpoint_after": cp1,
            "sink_after": sink_snapshot(),
        })
        if fb:
            expected["attempts"][0]["sink_writes"] = list(table.writes)

        # ---- outage: backlog, then attempt 2 on the same checkpoint
        for _ in range(backlog):
            if fed < len(case["input"]):
                add(fed)
                fed += 1
        attempt_no[0] = 2
        nwrites = len(table.writes) if fb else 0
        query = start()
        query.processAllAvailable()
        while fed < len(case["input"]):
            add(fed)
            fed += 1
            query.processAllAvailable()
        query.processAllAvailable()
        if query.exception() is not None:
            raise RuntimeError(str(query.exception()))
        by2 = progress_batches(query)
        query.stop()
        query = None
        cp2 = checkpoint_state(ckpt)
        a2 = {
            "attempt": 2,
            "batches": [batch_record(b, by2[b], 2) for b in sorted(by2)],
            "checkpoint_after": cp2,
            "sink_after": sink_snapshot(),
        }
        if fb:
            a2["sink_writes"] = table.writes[nwrites:]
        expected["attempts"].append(a2)
    finally:
        if query is not None:
            query.stop()
        if child_tmp is None:
            shutil.rmtree(tmp, ignore_errors=True)
    return expected


def run_killed_attempt(case, tmp, marker):
    """process_killed: attempt 1 runs in a child process (its own driver JVM) that feeds the
    elements; a write task of batch N hangs on the marker row; once the hang is reached and no
    new file appeared in the sink directory for KILL_SETTLE_S seconds, the child's process
    group (python, its JVM, the python workers) is killed with SIGKILL: a driver crash."""
    import signal
    import subprocess

    out_dir = os.path.join(tmp, "sink")
    path = os.path.join(tmp, "case.json")
    with open(path, "w") as f:
        json.dump(case, f)
    child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--child", path, tmp],
                             start_new_session=True, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        t0 = time.time()
        while not os.path.exists(marker):
            if child.poll() is not None:
                raise RuntimeError("child exited with %r before the hang" % child.returncode)
            if time.time() - t0 > 300:
                raise RuntimeError("the hang was not reached in 300 s")
            time.sleep(0.5)
        last, since = None, time.time()
        while time.time() - since < KILL_SETTLE_S:
            now = visible(out_dir)
            if now != last:
                last, since = now, time.time()
            time.sleep(0.5)
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    by, fed = {}, 0
    with open(os.path.join(tmp, "progress.jsonl")) as f:
        for ln in f:
            d = json.loads(ln)
            if "fed" in d:
                fed = d["fed"]
            else:
                by[d["progress"]["batchId"]] = d["progress"]
    return by, fed, Injected("process killed (SIGKILL) while a write task of batch %d hung"
                             % case["failure"]["batch"])


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--child", nargs=2, metavar=("CASE", "TMP"), help=argparse.SUPPRESS)
    ap.add_argument("files", nargs="*")
    args = ap.parse_args(argv)
    if args.child:
        with open(args.child[0]) as f:
            case = json.load(f)
        spark = oracle.make_session()
        run_case(spark, case, child_tmp=args.child[1])
        return 1
    files = args.files or sorted(glob.glob(os.path.join(HERE, "recovery", "*.json")))
    t0 = time.time()
    spark = oracle.make_session()
    version = spark.version
    print("spark %s up in %.1f s" % (version, time.time() - t0), flush=True)
    failures = 0
    for path in files:
        with open(path) as f:
            case = json.load(f)
        if case.get("format") != FORMAT:
            print("%s: not a %s case, skipped" % (path, FORMAT))
            continue
        t = time.time()
        try:
            expected = run_case(spark, case)
        except Exception as e:  # noqa: BLE001
            failures += 1
            import traceback
            traceback.print_exc()
            print("%-45s FAILED after %.1f s: %s" % (case["name"], time.time() - t,
                                                    str(e).splitlines()[0] if str(e) else repr(e)),
                  flush=True)
            continue
        new = dict(case)
        new["engine"] = dict(new.get("engine", {}), name="spark", version=version)
        new["expected"] = expected
        new = {k: new[k] for k in KEY_ORDER if k in new} | {k: v for k, v in new.items()
                                                             if k not in KEY_ORDER}
        status = ""
        if args.check:
            if case.get("expected") != expected:
                status = " DIFFERS"
                failures += 1
            else:
                status = " same"
        else:
            with open(path, "w") as f:
                json.dump(new, f, indent=1)
                f.write("\n")
        nb = [len(a["batches"]) for a in expected["attempts"]]
        print("%-45s batches %r %6.1f s%s" % (case["name"], nb, time.time() - t, status), flush=True)
    print("total %.1f s for %d case(s)" % (time.time() - t0, len(files)), flush=True)
    spark.stop()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
