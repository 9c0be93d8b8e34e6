// Benchmark (not a test): runs a scenario in the wasm build (www/pkg, made by make build)
// under Node and prints events/s, next to the native CLI's time for the same scenario.
//   node tests/bench/wasm-day.mjs [SCENARIO.json]   default: a day at 1 000 events/s
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initSync, simulate } from '../../www/pkg/pipeline_sim.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wasm = initSync({ module: readFileSync(path.join(root, 'www/pkg/pipeline_sim_bg.wasm')) });
const scenario = process.argv[2]
  ? readFileSync(process.argv[2], 'utf8')
  : JSON.stringify({
    seed: 1,
    workload: { duration_s: 86400, rate_per_s: 1000, keys: 100 },
    trigger: { kind: 'processing_time', interval_s: 60 },
  });

let t0 = performance.now();
const run = simulate(scenario);
const wasmS = (performance.now() - t0) / 1000;
const summary = JSON.parse(run.summaryJson());
const wasmDigest = run.digest();

t0 = performance.now();
const nativeDigest = execFileSync(path.join(root, 'target/release/pipeline-sim'), ['run', '-', '--format', 'digest'],
  { input: scenario }).toString().trim();
const nativeS = (performance.now() - t0) / 1000;

const mev = (/** @type {number} */ s) => (summary.events / s / 1e6).toFixed(2);
console.log(`${summary.events} events, ${summary.batches} batches`);
console.log(`wasm (Node ${process.version}): ${wasmS.toFixed(1)} s = ${mev(wasmS)} M events/s`);
console.log(`native CLI:            ${nativeS.toFixed(1)} s = ${mev(nativeS)} M events/s (incl. process start)`);
console.log(`wasm/native speed ratio: ${(nativeS / wasmS).toFixed(2)}; digests ${wasmDigest === nativeDigest ? 'equal' : 'DIFFER'}`);
console.log(`wasm linear memory after the run: ${(wasm.memory.buffer.byteLength / 2 ** 20).toFixed(0)} MiB`);
