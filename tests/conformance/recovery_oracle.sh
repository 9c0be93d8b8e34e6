#!/usr/bin/env bash
# Regenerates the `expected` section of the failure-and-recovery cases from real Apache Spark.
#   tests/conformance/recovery_oracle.sh                 every tests/conformance/recovery/*.json
#   tests/conformance/recovery_oracle.sh FILE.json ...   only these files
#   tests/conformance/recovery_oracle.sh --check [FILE]  compare only (exit 1 on a difference)
# Uses the same venv (.venv, pyspark==4.3.0) and Java as oracle.sh (run oracle.sh once to set
# them up). Not part of `make test`: the cases are data, checked without Spark.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv"
if [ ! -x "$VENV/bin/python" ]; then
  echo "recovery_oracle: no $VENV; run tests/conformance/oracle.sh first (it sets it up)" >&2
  exit 2
fi
export TZ=UTC
export PYSPARK_PYTHON="$VENV/bin/python"
exec "$VENV/bin/python" "$ROOT/tests/conformance/recovery_oracle.py" "$@" 2> >(grep -v -E '^(WARNING: Using incubator|Using Spark.s default|Setting default log level|To adjust logging level|[0-9/]+ [0-9:]+ WARN (Utils|NativeCodeLoader))' >&2)
