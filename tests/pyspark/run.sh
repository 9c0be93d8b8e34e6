#!/usr/bin/env bash
# Checks `pipeline-sim pyspark` on real Apache Spark: each scenario in tests/pyspark/scenarios/
# (or the files given) gets its generated script run on the simulator's own micro-batches and
# end to end on JSON files (check_export.py says how). One line per scenario, then
# "N passed, N failed"; exit 1 on any difference. Idempotent.
#   tests/pyspark/run.sh                      every scenario
#   tests/pyspark/run.sh FILE.json ...        only these
#   tests/pyspark/run.sh --keep DIR ...       keep the scripts, cases and outputs in DIR
#   tests/pyspark/run.sh --no-own-process     skip the two scripts run as their own processes
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# The conformance oracle's set-up (venv .venv with pyspark 4.3.0 from PyPI, Java 17), done by
# oracle.sh itself: with --help it sets up, then oracle.py only prints its usage.
tests/conformance/oracle.sh --help >/dev/null

# The CLI that generates the scripts and answers the cases.
cargo build --quiet --release

export TZ=UTC
export PYSPARK_PYTHON="$ROOT/.venv/bin/python"
# Spark's own start-up chatter goes to stderr (the same filter as oracle.sh).
exec "$ROOT/.venv/bin/python" "$ROOT/tests/pyspark/check_export.py" "$@" 2> >(grep -v -E '^(WARNING: Using incubator|Using Spark.s default|Setting default log level|To adjust logging level|[0-9/]+ [0-9:]+ WARN (Utils|NativeCodeLoader))' >&2)
