#!/usr/bin/env bash
# Runs every test of the project (called by `make test` after set-up) and ends with one
# line "N passed, N failed": each check step counts as one test, each cargo and node
# test case as one more.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
passed=0; failed=0; failures=()

step() { # step NAME CMD...: a check that passes or fails as a whole
  local name=$1; shift
  printf '\n== %s\n' "$name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}

counted() { # counted NAME LOG CMD...: a runner whose own cases are counted from its log
  local name=$1 log=$2; shift 2
  printf '\n== %s\n' "$name"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]} p f
  case $name in
    Py*) p=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1 | awk '{print $1}')
              f=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1 | awk '{print $3}')
              p=${p:-0}; f=${f:-0} ;;
    cargo*) p=$(grep -oE '[0-9]+ passed' "$log" | awk '{s+=$1} END {print s+0}')
            f=$(grep -oE '[0-9]+ failed' "$log" | awk '{s+=$1} END {print s+0}') ;;
    *)      p=$(grep -E '^# pass ' "$log" | awk '{s+=$3} END {print s+0}')
            f=$(grep -E '^# fail ' "$log" | awk '{s+=$3} END {print s+0}') ;;
  esac
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi # the runner itself failed
  [ "$p" -gt 0 ] || [ "$f" -gt 0 ] || f=1         # a runner that ran nothing fails
  passed=$((passed + p)); failed=$((failed + f))
  [ "$f" = 0 ] || failures+=("$name")
}

step "cargo fmt --check" cargo fmt --all -- --check
step "cargo clippy (native)" cargo clippy --quiet --workspace --all-targets -- -D warnings
step "cargo clippy (wasm32, core)" cargo clippy --quiet -p pipeline-sim --lib --target wasm32-unknown-unknown \
  --no-default-features --features wasm -- -D warnings
step "cargo clippy (wasm32, formats)" cargo clippy --quiet -p pipeline-sim-formats --lib --target wasm32-unknown-unknown -- -D warnings
counted "cargo test" test-results/cargo-test.log cargo test --workspace
step "native release build (the CLI the browser test compares with)" cargo build --quiet --release
step "wasm build" .ci/build-wasm.sh
# The bounded fuzz pass of the release CLI (issue #12): every parser, 3,000 seeded inputs
# each plus the corpus of inputs that once crashed; fails on a panic, an input over 10 s
# or 1 GiB, or a refusal naming no field. (The debug build's pass is in cargo test; the
# wasm build is checked against this one in tests/e2e/fuzz-wasm.test.mjs.)
step "fuzz pass (release, 3,000 inputs per target)" \
  target/release/pipeline-sim fuzz --inputs 3000 --seed "${FUZZ_SEED:-1}" --corpus tests/fuzz/corpus --out test-results/fuzz
step "type-check www/ (tsc --checkJs)" node_modules/.bin/tsc -p www/jsconfig.json
counted "browser end-to-end (Chromium)" test-results/e2e.log \
  node --test --test-reporter=tap --test-concurrency=1 tests/e2e/
# The PySpark export on real Spark 4.3.0 (pyspark from PyPI and Java 17, set up like make
# oracle; a one-time ~460 MB download): each generated script must give the simulator's batches.
counted "PySpark export on real Spark" test-results/pyspark.log tests/pyspark/run.sh
# The PyFlink export on real Flink 2.3.0 (apache-flink from PyPI in the Flink oracle's venv, set
# up like make oracle-flink; a one-time ~850 MB install): each generated job's window results
# must equal the simulator's Flink rules on the same events.
counted "PyFlink export on real Flink" test-results/pyflink.log tests/pyflink/run.sh

printf '\n'
for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
