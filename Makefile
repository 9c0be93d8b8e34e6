# The two commands of README.md. Each installs what it needs first (.ci/setup.sh).
#   make run    build native + wasm (release) and serve the site at http://127.0.0.1:$(PORT)/
#               (brotli/gzip)
#   make test   every test; ends with one line "N passed, N failed"
#   make export-check  only the PySpark export on real Spark vs the simulator (part of make test)
#   make fuzz   a long fuzz run of every parser (20,000 inputs a target, release build; the
#               debug build's pass with 2,000; the page's URL and lesson decoders with 20,000)
#   make oracle regenerate the conformance cases' expected sections from real Apache Spark
#               (PySpark 4.3.0 from PyPI + Java 17; ~6 min, first run downloads ~460 MB)
#   make oracle-flink  the same for the Flink cases (tests/conformance/flink/, Flink 2.3.0 from
#               PyPI's apache-flink + Java 17; ~30 s, first run downloads ~850 MB)
PORT ?= 8080
HOST ?= 127.0.0.1

.PHONY: run test build setup serve clean oracle oracle-flink export-check fuzz

# The site is www/ plus its build outputs, copied to target/site/ with each page's scripts
# bundled and minified, and a brotli and a gzip copy of each compressible file (.ci/site.mjs). `http-server` (npm, package-lock.json)
# sends those precompressed copies (-b -g) and the wasm MIME type, as nginx or Caddy would
# with their precompressed options; no directory listings, no caching while developing.
run: build
	@node .ci/site.mjs
	@echo "Serving the demo at http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@node_modules/.bin/http-server target/site -a $(HOST) -p $(PORT) -b -g -c-1 -d false --no-dotfiles -s

build: setup
	cargo build --quiet --release
	.ci/build-wasm.sh

setup:
	@.ci/setup.sh

test:
	@.ci/setup.sh browser
	@.ci/test.sh

oracle:
	tests/conformance/oracle.sh

oracle-flink:
	tests/conformance/flink/oracle.sh

clean:
	rm -rf target www/pkg www/pkg-formats www/pkg-flink test-results

export-check:
	tests/pyspark/run.sh

FUZZ_INPUTS ?= 20000
fuzz: setup
	cargo build --quiet --release
	target/release/pipeline-sim fuzz --inputs $(FUZZ_INPUTS) --seed $${FUZZ_SEED:-$$(date +%s)} --corpus tests/fuzz/corpus --out test-results/fuzz
	FUZZ_INPUTS=2000 cargo test --quiet --test fuzz -- --nocapture
	FUZZ_INPUTS=$(FUZZ_INPUTS) node --test tests/e2e/decoders-fuzz.test.mjs
