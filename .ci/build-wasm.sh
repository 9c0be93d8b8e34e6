#!/usr/bin/env bash
# Builds the three wasm modules (git-ignored): cargo → wasm-bindgen → wasm-opt.
#   www/pkg/          the core (crate/, no `formats`): simulation, scenarios, CSV and PySpark
#                     exports; every page loads it.
#   www/pkg-formats/  the formats module (crate/formats): data file readers and the Arrow
#                     export; the page imports it only when it reads a file or exports Arrow.
#   www/pkg-flink/    the core with the Flink engine (feature `flink`); the page's workers
#                     import it only for a scenario whose engine is Flink.
set -euo pipefail
cd "$(dirname "$0")/.."
wasm_dir=target/wasm32-unknown-unknown/release
# Both modules are compiled for size (opt-level "s"; the native CLI keeps 3). Measured on
# the core (wasm-opt -O3 after): "s" is 693 KB and 201 KB with brotli, "3" 885 KB and
# 239 KB; a day at 1,000 events/s in Node takes 6.16 s against 5.76 s at "3" (the fastest
# of 10 runs each, alternated; medians 6.9 and 6.4 s): ~7 % slower for 16 % less to
# download. "z" is smaller still (676 KB) but ~1.5x slower. One line to change back.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=s
# WebAssembly SIMD (128-bit; every current browser has it: Chrome 91, Firefox 89, Safari
# 16.4): LLVM vectorizes the scans and copies. Measured 2026-11-29 on the core: 192,589 →
# 190,643 B gzipped, a day at 1,000 events/s in Node 2.79–2.90 s → 2.74–2.90 s (3 runs
# each, alternated), the same digest. Only the wasm target gets it (the native build's
# flags stay as they are).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128"
# The core library as a cdylib (its manifest says rlib: see crate/Cargo.toml), without the
# readers and with its wasm boundary.
cargo rustc --quiet --release --target wasm32-unknown-unknown -p pipeline-sim --lib \
  --crate-type cdylib --no-default-features --features wasm
cargo build --quiet --release --target wasm32-unknown-unknown -p pipeline-sim-formats --lib
# binaryen from npm (v132). Debian's binaryen (v108) writes modules Chromium rejects.
# wasm-opt takes a minute or more; its output is kept by the hash of its input and flags,
# so a build whose module did not change (`make run` on a built tree) skips it.
# The `producers` and `target_features` custom sections are metadata no browser reads
# (260 B raw, ~200 B gzip of the core).
OPT_FLAGS="-O3 --strip-producers --strip-target-features --enable-bulk-memory
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals
  --enable-reference-types --enable-multivalue --enable-simd"
cache=target/wasm-opt-cache
opt_version=$(node_modules/.bin/wasm-opt --version)
mkdir -p "$cache"
used=()
# module NAME OUT_DIR [EXTRA_FLAGS]: wasm-bindgen then wasm-opt (cached) of $wasm_dir/NAME.wasm
# into OUT_DIR.
module() {
  local name=$1 out=$2 extra=${3:-} key
  rm -rf "$out"
  .tools/bin/wasm-bindgen "$wasm_dir/$name.wasm" --target web --out-dir "$out" --remove-name-section
  key=$( (sha256sum "$out/${name}_bg.wasm" | cut -d' ' -f1; echo $OPT_FLAGS $extra; echo "$opt_version") \
    | sha256sum | cut -d' ' -f1)
  if [ -f "$cache/$key.wasm" ]; then
    cp "$cache/$key.wasm" "$out/${name}_bg.wasm"
    echo "[build] wasm-opt skipped for $name: the module is unchanged since the last build"
  else
    # shellcheck disable=SC2086
    node_modules/.bin/wasm-opt $OPT_FLAGS $extra "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
    cp "$out/${name}_bg.wasm" "$cache/$key.wasm"
  fi
  used+=("$key.wasm")
  local raw gz
  raw=$(stat -c %s "$out/${name}_bg.wasm")
  gz=$(gzip -9c "$out/${name}_bg.wasm" | wc -c)
  echo "[build] $out/${name}_bg.wasm: $raw bytes, $gz gzipped"
}
# The core (every page loads it, so every byte counts) with --converge: the -O3 passes
# again until the module stops shrinking. Measured 2026-11-29 on the core: 194,749 →
# 193,890 B gzipped, wasm-opt 8 s → 42 s (cached afterwards).
module pipeline_sim www/pkg --converge
module pipeline_sim_formats www/pkg-formats
# The extended module: the same core with the `flink`, `recovery` and `sweep_digest`
# features (the Flink engine as well as Spark's, failure injection, the sweep's shared chunk
# digest), fetched only for a Flink run, a failure, or a sweep. Built last, so that the
# core's cdylib above was the one wasm-bindgen read (both are target/…/pipeline_sim.wasm).
cargo rustc --quiet --release --target wasm32-unknown-unknown -p pipeline-sim --lib \
  --crate-type cdylib --no-default-features --features wasm,flink,recovery,sweep_digest
module pipeline_sim www/pkg-flink
# The cache keeps this build's modules only.
for f in "$cache"/*.wasm; do
  case " ${used[*]} " in *" $(basename "$f") "*) ;; *) rm -f "$f" ;; esac
done
# Charting library for the site, from npm (package-lock.json), into www/vendor/ (git-ignored).
# uPlot ships its ES module unminified (145 KB); esbuild minifies it (the page's largest
# script after the wasm glue), keeping its licence header.
mkdir -p www/vendor
uplot=node_modules/uplot/dist/uPlot.esm.js
node_modules/.bin/esbuild "$uplot" --minify --format=esm --log-level=warning \
  --banner:js="$(sed -n '1,/\*\//p' "$uplot")" --outfile=www/vendor/uPlot.esm.js
cp node_modules/uplot/dist/uPlot.min.css www/vendor/
# The bundled datasets and their scenarios, served beside the page (www/datasets/,
# git-ignored): the page fetches them from its own origin, never from elsewhere.
mkdir -p www/datasets/vega www/datasets/weblog www/datasets/scenarios
cp node_modules/vega-datasets/data/earthquakes.json node_modules/vega-datasets/data/flights-200k.arrow www/datasets/vega/
cp datasets/weblog/access.log datasets/weblog/status_codes.csv www/datasets/weblog/
cp datasets/scenarios/*.json www/datasets/scenarios/
# docs/model.md beside the page that shows it (www/docs/model.html; the copy is git-ignored):
# the app links to it, and the site serves www/ only.
cp docs/model.md www/docs/model.md
