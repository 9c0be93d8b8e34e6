#!/usr/bin/env bash
# State memory / state store files of real Spark (issue #17); writes results.json here.
#   tests/conformance/state_memory/measure.sh [memory|versions|files|executor|all] [options]
# Uses the project's .venv (pyspark 4.3.0, see ../oracle.sh for its set-up) and Java 17.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
VENV="$ROOT/.venv"
export TZ=UTC
export PYSPARK_PYTHON="$VENV/bin/python"
exec "$VENV/bin/python" "$ROOT/tests/conformance/state_memory/measure.py" "$@" 2> >(grep -v -E '^(WARNING: Using incubator|Using Spark.s default|Setting default log level|To adjust logging level|[0-9/]+ [0-9:]+ WARN (Utils|NativeCodeLoader))' >&2)
