#!/usr/bin/env bash
# Builds the wasm module into www/pkg/ (git-ignored): cargo → wasm-bindgen → wasm-opt.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release --target wasm32-unknown-unknown -p pipeline-sim --lib
rm -rf www/pkg
.tools/bin/wasm-bindgen target/wasm32-unknown-unknown/release/pipeline_sim.wasm \
  --target web --out-dir www/pkg --remove-name-section
# binaryen from npm (v132). Debian's binaryen (v108) writes modules Chromium rejects.
# wasm-opt takes a minute or more; its output is kept by the hash of its input and flags,
# so a build whose module did not change (`make run` on a built tree) skips it.
OPT_FLAGS="-O3 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue"
cache=target/wasm-opt-cache
key=$( (sha256sum www/pkg/pipeline_sim_bg.wasm | cut -d' ' -f1; echo $OPT_FLAGS; \
  node_modules/.bin/wasm-opt --version) | sha256sum | cut -d' ' -f1)
if [ -f "$cache/$key.wasm" ]; then
  cp "$cache/$key.wasm" www/pkg/pipeline_sim_bg.wasm
  echo "[build] wasm-opt skipped: the module is unchanged since the last build"
else
  # shellcheck disable=SC2086
  node_modules/.bin/wasm-opt $OPT_FLAGS www/pkg/pipeline_sim_bg.wasm -o www/pkg/pipeline_sim_bg.wasm
  rm -rf "$cache" && mkdir -p "$cache" && cp www/pkg/pipeline_sim_bg.wasm "$cache/$key.wasm"
fi
raw=$(stat -c %s www/pkg/pipeline_sim_bg.wasm)
gz=$(gzip -9c www/pkg/pipeline_sim_bg.wasm | wc -c)
echo "[build] www/pkg/pipeline_sim_bg.wasm: $raw bytes, $gz gzipped"
# Charting library for the site, from npm (package-lock.json), into www/vendor/ (git-ignored).
mkdir -p www/vendor
cp node_modules/uplot/dist/uPlot.esm.js node_modules/uplot/dist/uPlot.min.css www/vendor/
# The bundled datasets and their scenarios, served beside the page (www/datasets/,
# git-ignored): the page fetches them from its own origin, never from elsewhere.
mkdir -p www/datasets/vega www/datasets/weblog www/datasets/scenarios
cp node_modules/vega-datasets/data/earthquakes.json node_modules/vega-datasets/data/flights-200k.arrow www/datasets/vega/
cp datasets/weblog/access.log datasets/weblog/status_codes.csv www/datasets/weblog/
cp datasets/scenarios/*.json www/datasets/scenarios/
# docs/model.md beside the page that shows it (www/docs/model.html; the copy is git-ignored):
# the app links to it, and the site serves www/ only.
cp docs/model.md www/docs/model.md
