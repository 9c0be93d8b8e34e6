#!/bin/sh
# Builds REV (default: 8bd3e98, the engine before issue #13) into /tmp and compares it with
# this tree's release binary on the same scenario in one run (tests/bench/native-vs.mjs).
set -eu
rev=${1:-8bd3e98}
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=/tmp/pipeline-sim-bench-$rev
if [ ! -x "$dir/target/release/pipeline-sim" ]; then
  rm -rf "$dir"
  git -C "$root" worktree add --detach -f "$dir" "$rev"
  (cd "$dir" && cargo build --release --bin pipeline-sim)
fi
(cd "$root" && cargo build --release --bin pipeline-sim)
node "$root/tests/bench/native-vs.mjs" "$dir/target/release/pipeline-sim" "$root/target/release/pipeline-sim"
