#!/usr/bin/env bash
# Checks `pipeline-sim pyflink` on real Apache Flink 2.3.0: for each scenario in
# tests/pyflink/scenarios/ (or the files given), the generated PyFlink job runs on the
# scenario's events (`pipeline-sim events`) in a local mini-cluster, and its window results
# must equal, as a multiset of (key, window start, window end, count), what the simulator's
# Flink rules give for the same events (`pipeline-sim flink-case` answered by `conform`).
# One line per scenario, then "N passed, N failed"; exit 1 on any difference. Idempotent.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# The Flink oracle's set-up (venv tests/conformance/flink/.venv-flink with apache-flink 2.3.0
# from PyPI, Java 17), done by oracle.sh itself: with --help it sets up, then only prints usage.
tests/conformance/flink/oracle.sh --help >/dev/null
cargo build --quiet --release
export TZ=UTC
VENV="$ROOT/tests/conformance/flink/.venv-flink"
# PyFlink's Python worker starts `python` from PATH: the venv's.
export PATH="$VENV/bin:$PATH"
exec "$VENV/bin/python" "$ROOT/tests/pyflink/check_export.py" "$@"
