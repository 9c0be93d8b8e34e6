#!/usr/bin/env python3
"""Real Apache Flink oracle for the Flink `pipeline-sim/conformance-v1` cases.

Runs every case file given (default: tests/conformance/flink/cases/*.json) through
FlinkOracle.java on a local Flink 2.3.0 mini-cluster (one JVM for all cases) and rewrites each
file's `expected` section, keeping everything else as it is. See README.md.

Usage: python oracle.py --classpath CP [--check] [--keyby-check] [--out DIR] [case.json ...]
  --check        write nothing; exit 1 if any file's `expected` differs from what Flink does
  --keyby-check  also run every case with a real keyBy (window operator in a second task) and
                 compare what does not depend on the cross-task order: the firings as a list in
                 order without after_index/end_of_input/by, the side output and the dropped counts
  --out DIR      write the regenerated cases into DIR instead of in place
  --splits       run the cases without engine.conf.source_partitions through the partitioned
                 job too (one split; with --check: does it reproduce the single-source job?)
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
KEY_ORDER = ["format", "name", "description", "engine", "query", "checkpoints_after_index", "input",
             "input_end_ms", "expected"]


def run_java(classpath, files, keyby=False, splits=False):
    out = tempfile.mkdtemp(prefix="flink-oracle-")
    cmd = ["java", "-Duser.timezone=UTC", "-cp", classpath, "FlinkOracle"]
    if keyby:
        cmd.append("--keyby")
    if splits:
        cmd.append("--splits")
    cmd += [out] + files
    t0 = time.time()
    subprocess.run(cmd, check=True)
    took = time.time() - t0
    res = {}
    for f in files:
        with open(os.path.join(out, os.path.basename(f))) as fh:
            res[f] = json.load(fh)
    return res, took


def order_keys(c):
    return {k: c[k] for k in KEY_ORDER if k in c} | {k: v for k, v in c.items() if k not in KEY_ORDER}


def order_independent(exp):
    """What a keyBy run must reproduce: everything computed inside the window task."""
    fires = [{k: v for k, v in f.items() if k not in ("after_index", "end_of_input", "by")}
             for f in exp["firings"]]
    return {"firings": fires,
            "late_side_output": exp["late_side_output"],
            "late_dropped": len(exp["late_dropped"])}


def write_case(case, f, out):
    """Writes a case filled by Flink: over its file, or into the directory `out`."""
    dest = os.path.join(out, os.path.basename(f)) if out else f
    if out:
        os.makedirs(out, exist_ok=True)
    with open(dest, "w") as fh:
        json.dump(order_keys(case), fh, indent=1)
        fh.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--classpath", required=True)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--keyby-check", action="store_true")
    ap.add_argument("--splits", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    files = a.files or sorted(glob.glob(os.path.join(HERE, "cases", "*.json")))
    files = [os.path.abspath(f) for f in files]

    res, took = run_java(a.classpath, files, splits=a.splits)
    bad = 0
    for f in files:
        r = res[f]
        run = r["run"]
        if "attempts" in run:  # a sink_elements case (FileSink, checkpoints at chosen points)
            if run["unplanned"]:
                raise SystemExit("%s: a checkpoint barrier outside the planned pauses in %d attempts" % (f, run["attempts"]))
            with open(f) as fh:
                case = json.load(fh)
            same = case.get("expected") == r["expected"]
            finals = sum(1 for e in run["events"] if e["event"] == "barrier" and e["after_end_of_input"])
            print("%-45s %2d checkpoints %2d files, %d after end, %d attempt(s)  %5d ms  %s" % (
                os.path.basename(f), len(r["expected"]["files"]),
                sum(len(x["committed"]) for x in r["expected"]["files"]), finals, run["attempts"],
                run["case_ms"], "same" if same else ("DIFFERENT" if "expected" in case else "new")))
            if a.check:
                bad += 0 if same else 1
                continue
            case["expected"] = r["expected"]
            write_case(case, f, a.out)
            continue
        if run["threads"] != 1:
            raise SystemExit("%s: the job ran in %d threads, not one chain" % (f, run["threads"]))
        if not run["dropped_counter_seen"] or run["dropped_counter_registrations"] != 1:
            raise SystemExit("%s: numLateRecordsDropped counter not seen exactly once" % f)
        if -1 in r["expected"]["late_dropped"]:
            raise SystemExit("%s: a dropped element outside an element's processing" % f)
        with open(f) as fh:
            case = json.load(fh)
        same = case.get("expected") == r["expected"]
        print("%-45s %2d firings %2d late %2d dropped  %5d ms  %s" % (
            os.path.basename(f), len(r["expected"]["firings"]),
            len(r["expected"]["late_side_output"]), len(r["expected"]["late_dropped"]),
            run["case_ms"], "same" if same else ("DIFFERENT" if "expected" in case else "new")))
        if a.check:
            if not same:
                bad += 1
            continue
        case["expected"] = r["expected"]
        case["engine"]["version"] = "2.3.0"
        write_case(case, f, a.out)
    print("flink oracle: %d cases in %.1f s (one JVM)" % (len(files), took))

    if a.keyby_check:
        kres, ktook = run_java(a.classpath, files, keyby=True)
        for f in files:
            if "attempts" in res[f]["run"]:
                continue  # a sink case: no window operator to rerun after a keyBy
            x, y = order_independent(res[f]["expected"]), order_independent(kres[f]["expected"])
            ok = x == y
            if not ok:
                bad += 1
            print("keyBy %-40s %s (threads %d)" % (os.path.basename(f), "same" if ok else "DIFFERENT",
                                                   kres[f]["run"]["threads"]))
        print("flink oracle keyBy run: %.1f s" % ktook)
    if bad:
        print("%d case(s) differ" % bad)
        sys.exit(1)


if __name__ == "__main__":
    main()
