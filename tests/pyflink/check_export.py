#!/usr/bin/env python3
"""Runs each scenario's generated PyFlink job on real Flink and compares its window results
with the simulator's Flink rules on the same events (see run.sh). Usage: check_export.py
[--keep DIR] [SCENARIO.json ...]."""
import collections
import json
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = ROOT / "target" / "release" / "pipeline-sim"


def cli(*args):
    return subprocess.run([str(CLI), *args], check=True, capture_output=True, text=True).stdout


def ms(text):
    """RFC 3339 UTC to ms since the epoch (whole ms in these cases)."""
    from datetime import datetime, timezone
    d = datetime.strptime(text.replace("Z", ""), "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=timezone.utc)
    return int(d.timestamp() * 1000 + 0.5) if d.microsecond % 1000 == 0 else None


def expected(scenario, work):
    """The simulator's firings for the scenario's events: (key, start ms, end ms) -> counts."""
    case = work / "case.json"
    case.write_text(cli("flink-case", str(scenario)))
    answer = json.loads(cli("conform", str(case)))
    out = collections.Counter()
    for f in answer["firings"]:
        out[(f["key"], ms(f["window_start"]), ms(f["window_end"]), f["count"])] += 1
    late = len(answer["late_side_output"]) + len(answer["late_dropped"])
    return out, late


def actual(scenario, work):
    """The generated job's results on real Flink: (key, start ms, end ms, count) -> times."""
    job = work / "job.py"
    job.write_text(cli("pyflink", str(scenario)))
    events = work / "events.jsonl"
    events.write_text(cli("events", str(scenario)))
    out_dir = work / "out"
    # A short checkpoint interval: the bounded job's last files are committed by the
    # checkpoint after its tasks finish.
    subprocess.run([sys.executable, str(job), "--events", str(events), "--out", str(out_dir),
                    "--checkpoint-interval-ms", "200"], check=True, capture_output=True, text=True,
                   timeout=180)
    rows = collections.Counter()
    files = [p for p in out_dir.rglob("*") if p.is_file()]
    hidden = [p for p in files if p.name.startswith(".")]
    for p in files:
        if p.name.startswith("."):
            continue
        for line in p.read_text().splitlines():
            r = json.loads(line)
            rows[(r["key"], r["window_start_ms"], r["window_end_ms"], r["count"])] += 1
    return rows, len(files) - len(hidden), len(hidden)


def main(argv):
    keep = None
    if argv[:1] == ["--keep"]:
        keep, argv = pathlib.Path(argv[1]), argv[2:]
    scenarios = [pathlib.Path(a) for a in argv] or sorted((ROOT / "tests/pyflink/scenarios").glob("*.json"))
    passed = failed = 0
    for sc in scenarios:
        t0 = time.time()
        with tempfile.TemporaryDirectory() as tmp:
            work = pathlib.Path(tmp)
            if keep:
                work = keep / sc.stem
                work.mkdir(parents=True, exist_ok=True)
            want, late = expected(sc, work)
            got, files, hidden = actual(sc, work)
        ok = want == got and late == 0 and hidden == 0 and sum(want.values()) > 0
        if ok:
            passed += 1
            print(f"{sc.name}: same ({sum(got.values())} window results in {files} part files, "
                  f"{time.time() - t0:.1f} s)")
        else:
            failed += 1
            print(f"{sc.name}: DIFFERENT (simulator {sum(want.values())} results, {late} late; "
                  f"Flink {sum(got.values())} results, {hidden} uncommitted files)")
            for k in sorted(set(want) | set(got)):
                if want[k] != got[k]:
                    print(f"  {k}: simulator {want[k]}, Flink {got[k]}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
