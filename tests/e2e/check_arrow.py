"""Reads an Arrow IPC file the page saved, as a pandas/pyarrow user would, and checks it
against the native CLI's JSON report of the same scenario: the same columns in the same
order, the same row count, the same values.

usage: check_arrow.py TABLE.arrow REPORT.json batches|events
"""
import json
import sys

import pyarrow as pa
import pyarrow.ipc as ipc


def main() -> int:
    arrow_path, report_path, table = sys.argv[1:4]
    with pa.memory_map(arrow_path) as src:
        t = ipc.open_file(src).read_all()
    with open(report_path) as f:
        report = json.load(f)
    cols = {k: v for k, v in report[table].items() if k != "stride"}
    problems = []
    if t.column_names != list(cols):
        problems.append(f"columns {t.column_names} != report's {list(cols)}")
    n = len(next(iter(cols.values())))
    if t.num_rows != n:
        problems.append(f"{t.num_rows} rows != report's {n}")
    for name, want in cols.items():
        if name in t.column_names and t.column(name).to_pylist() != want:
            problems.append(f"column {name} differs")
    meta = {k.decode(): v.decode() for k, v in (t.schema.metadata or {}).items()}
    if meta.get("pipeline_sim.table") != table:
        problems.append(f"schema metadata table = {meta.get('pipeline_sim.table')!r}")
    if problems:
        print("\n".join(problems))
        return 1
    print(f"ok: {table}: {t.num_rows} rows x {t.num_columns} columns equal the CLI's report")
    return 0


if __name__ == "__main__":
    sys.exit(main())
