#!/usr/bin/env bash
# Regenerates the `expected` section of the conformance cases from real Apache Spark.
#   tests/conformance/oracle.sh                 every tests/conformance/cases/*.json
#   tests/conformance/oracle.sh FILE.json ...   only these files
#   tests/conformance/oracle.sh --check [FILE]  compare only, write nothing (exit 1 on a difference)
# Idempotent set-up first: a Python venv at .venv with pyspark==4.3.0 (from PyPI), and Java.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv"
PYSPARK_VERSION="4.3.0"

if [ ! -x "$VENV/bin/python" ]; then
  echo "oracle: creating $VENV"
  PY="$(command -v python3.11 || command -v python3)"
  "$PY" -m venv "$VENV"
fi

have="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("pyspark"))' 2>/dev/null || true)"
if [ "$have" != "$PYSPARK_VERSION" ]; then
  echo "oracle: installing pyspark==$PYSPARK_VERSION into $VENV (a ~460 MB download)"
  "$VENV/bin/pip" install --quiet "pyspark==$PYSPARK_VERSION"
fi

if ! command -v java >/dev/null 2>&1; then
  echo "oracle: installing Java 17"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq openjdk-17-jre-headless
fi

export TZ=UTC
export PYSPARK_PYTHON="$VENV/bin/python"
# Spark's own start-up chatter goes to stderr; keep the per-case lines on stdout.
exec "$VENV/bin/python" "$ROOT/tests/conformance/oracle.py" "$@" 2> >(grep -v -E '^(WARNING: Using incubator|Using Spark.s default|Setting default log level|To adjust logging level|[0-9/]+ [0-9:]+ WARN (Utils|NativeCodeLoader))' >&2)
