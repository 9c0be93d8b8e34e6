#!/usr/bin/env bash
# Installs what `make run` / `make test` need, idempotently: each step is skipped when
# its tool is already there at the right version. Sources: crates.io (wasm-bindgen-cli),
# rustup (the wasm32 target), the npm registry (package-lock.json), Debian (chromium).
#   .ci/setup.sh          build tools only (make run)
#   .ci/setup.sh browser  also the browser for the end-to-end tests (make test)
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="$PWD/.tools"
say() { printf '[setup] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else say "need root to run: $*"; exit 1; fi
}
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    say "apt-get update"
    as_root apt-get update -qq
    apt_updated=1
  fi
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# 1. Rust's wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock.
want=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
[ -n "$want" ] || { say "no wasm-bindgen in Cargo.lock"; exit 1; }
have() { "$1" --version 2>/dev/null | awk '{print $2}'; }
if [ "$(have "$TOOLS/bin/wasm-bindgen")" != "$want" ]; then
  if command -v wasm-bindgen >/dev/null && [ "$(have wasm-bindgen)" = "$want" ]; then
    mkdir -p "$TOOLS/bin" && ln -sf "$(command -v wasm-bindgen)" "$TOOLS/bin/wasm-bindgen"
  else
    say "cargo install wasm-bindgen-cli $want (a one-time build: 3-10 minutes on 2 cores)"
    # No --locked: one of its locked transitive versions is yanked on crates.io.
    CARGO_TARGET_DIR="$TOOLS/build" cargo install -q wasm-bindgen-cli --version "$want" --root "$TOOLS" --force
    rm -rf "$TOOLS/build"
  fi
fi

# 3. Node.js and the npm packages of package-lock.json (wasm-opt, playwright-core, tsc).
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
stamp=node_modules/.lock-sha256
sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$sum" > "$stamp"
fi

# 3b. The real datasets from the npm package vega-datasets (datasets/README.md): copied
#     into datasets/vega/ (git-ignored), checked against the package's own sha1 list.
mkdir -p datasets/vega
for f in earthquakes.json flights-200k.arrow; do
  if ! cmp -s "node_modules/vega-datasets/data/$f" "datasets/vega/$f"; then
    cp "node_modules/vega-datasets/data/$f" "datasets/vega/$f"
  fi
done

# 4. A real browser for the end-to-end tests: Debian's Chromium (the npm packages that
#    download their own browser cannot here).
#    Plus a Korean font, so that screenshots of the Korean UI show Hangul, not boxes.
if [ "${1:-}" = browser ]; then
  [ -x /usr/bin/chromium ] || apt_install chromium
  [ -e /usr/share/fonts/truetype/nanum/NanumGothic.ttf ] || apt_install fonts-nanum
  # 5. pyarrow (PyPI) in a venv of our own, for the test that reads the page's Arrow
  #    download back as a pandas user would.
  PYARROW_VERSION=26.0.1
  if [ "$("$TOOLS/py/bin/python" -c 'import pyarrow; print(pyarrow.__version__)' 2>/dev/null)" != "$PYARROW_VERSION" ]; then
    python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
    [ -x "$TOOLS/py/bin/pip" ] || python3 -m venv "$TOOLS/py"
    say "pip install pyarrow==$PYARROW_VERSION"
    "$TOOLS/py/bin/pip" install --quiet --disable-pip-version-check "pyarrow==$PYARROW_VERSION"
  fi
fi
exit 0
