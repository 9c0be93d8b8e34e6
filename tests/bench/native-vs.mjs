// Benchmark (not a test): the native engine end to end, a previous build against this one,
// in one run (alternating, median of 5 or --rounds N), on issue #13's scenario: 10 M events,
// 64 keys, exponential lateness 5 s, 60 s trigger, 60 s tumbling count, 10 s watermark,
// append. It prints the fastest runs' ratio too: this machine kind runs the same binary at
// two speeds that change from minute to minute (see wasm-vs-native.mjs).
//   sh tests/bench/native-vs.sh [REV]     (builds REV into /tmp, then runs this)
//   node tests/bench/native-vs.mjs OLD_BINARY NEW_BINARY [--rounds N]
import { execFileSync } from 'node:child_process';

const [oldBin, newBin, flag, n] = process.argv.slice(2);
const rounds = flag === '--rounds' ? Math.max(1, Number(n) || 5) : 5;
if (!oldBin || !newBin) {
  console.error('usage: node tests/bench/native-vs.mjs OLD_BINARY NEW_BINARY');
  process.exit(2);
}
const scenario = JSON.stringify({
  seed: 1,
  workload: { duration_s: 10000, rate_per_s: 1000, keys: 64, lateness: { kind: 'exponential', mean_s: 5 } },
  trigger: { kind: 'processing_time', interval_s: 60 },
  query: { operator: 'window_count', window: { kind: 'tumbling', size_s: 60 }, watermark_delay_s: 10, output_mode: 'append' },
});
/** @param {string} bin */
function once(bin) {
  const t0 = performance.now();
  const out = execFileSync(bin, ['run', '-', '--format', 'json'], { input: scenario, maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  return { ms, events: JSON.parse(out.toString()).summary.events };
}
const times = { old: /** @type {number[]} */ ([]), new: /** @type {number[]} */ ([]) };
let events = { old: 0, new: 0 };
for (let i = 0; i < rounds; i++) {
  for (const k of /** @type {const} */ (['old', 'new'])) {
    const r = once(k === 'old' ? oldBin : newBin);
    times[k].push(r.ms);
    events[k] = r.events;
  }
}
const median = (/** @type {number[]} */ a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const k of /** @type {const} */ (['old', 'new'])) {
  const m = median(times[k]);
  console.log(`${k}: ${events[k]} events, median ${m.toFixed(0)} ms (runs ${times[k].map((t) => t.toFixed(0)).join(', ')}) = ${(events[k] / m / 1000).toFixed(1)} M events/s`);
}
console.log(`speed-up (old median / new median): ${(median(times.old) / median(times.new)).toFixed(2)}x; `
  + `fastest runs: ${(Math.min(...times.old) / Math.min(...times.new)).toFixed(2)}x`);
