#!/usr/bin/env bash
# Regenerates the `expected` section of the Flink conformance cases from real Apache Flink 2.3.0.
#   tests/conformance/flink/oracle.sh                  every tests/conformance/flink/cases/*.json
#   tests/conformance/flink/oracle.sh FILE.json ...    only these files
#   tests/conformance/flink/oracle.sh --check [FILE]   compare only, write nothing (exit 1 on a difference)
#   tests/conformance/flink/oracle.sh --keyby-check    also rerun with a real keyBy and compare
# Idempotent set-up first: a venv at .venv-flink with apache-flink==2.3.0 from PyPI (its jars are
# the Flink we run), Java 17 (Debian), then FlinkOracle.java compiled into build/.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv-flink"
FLINK_VERSION="2.3.0"
BUILD="$HERE/build"

if [ ! -x "$VENV/bin/python" ]; then
  echo "flink oracle: creating $VENV"
  PY="$(command -v python3.11 || command -v python3)"
  "$PY" -m venv "$VENV"
fi

have="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("apache-flink"))' 2>/dev/null || true)"
if [ "$have" != "$FLINK_VERSION" ]; then
  echo "flink oracle: installing apache-flink==$FLINK_VERSION into $VENV (~60 s, an 844 MB venv)"
  "$VENV/bin/pip" install --quiet "apache-flink==$FLINK_VERSION"
fi

if ! command -v javac >/dev/null 2>&1; then
  echo "flink oracle: installing Java 17 (JDK: javac is needed)"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq openjdk-17-jdk-headless
fi

LIB="$("$VENV/bin/python" -c 'import os, pyflink; print(os.path.join(os.path.dirname(pyflink.__file__), "lib"))')"
CLASSES="$BUILD/classes"
# Recompile when the source is newer than the classes.
if [ ! -f "$CLASSES/FlinkOracle.class" ] || [ "$HERE/FlinkOracle.java" -nt "$CLASSES/FlinkOracle.class" ]; then
  echo "flink oracle: compiling FlinkOracle.java"
  rm -rf "$CLASSES"
  mkdir -p "$CLASSES/META-INF/services"
  # the in-JVM metric reporter that hands the WindowOperator's numLateRecordsDropped counter over
  echo 'FlinkOracle$Reporter' > "$CLASSES/META-INF/services/org.apache.flink.metrics.reporter.MetricReporterFactory"
  javac -nowarn -d "$CLASSES" -cp "$LIB/*" "$HERE/FlinkOracle.java"
fi

export TZ=UTC
exec "$VENV/bin/python" "$HERE/oracle.py" --classpath "$CLASSES:$LIB/*" "$@"
