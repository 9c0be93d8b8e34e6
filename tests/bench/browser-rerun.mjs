// Benchmark (not a test): in headless Chromium, the app's re-run time at about 1 M events
// (what a slider drag costs), and wasm vs native events/s on the same scenario; plus the
// page weight (gzipped wasm + JS + CSS the app loads).
//   node tests/bench/browser-rerun.mjs          (after make build)
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { ROOT, startServer, openBrowser } from '../e2e/harness.mjs';

// The app's scenario at 278 events/s for an hour: 1.0 M events.
const scenario = {
  version: 1, seed: 42,
  workload: { duration_s: 3600, rate_per_s: 278, keys: 100, lateness: { kind: 'exponential', mean_s: 5 } },
  trigger: { kind: 'processing_time', interval_s: 60 },
  query: { operator: 'window_count', window: { kind: 'tumbling', size_s: 60 }, watermark_delay_s: 60, output_mode: 'append' },
  engine: { shuffle_partitions: 200 },
  sink: { format: 'parquet' },
  report: { detail_events: 20000 },
};

const server = await startServer();
const browser = await openBrowser();
const { page } = browser;
await page.goto(new URL('?lang=en', server.base).href);
await page.waitForSelector('#app[data-state="ready"]', { timeout: 60_000 });
const times = await page.evaluate(async (sc) => {
  const api = await import('./api.js');
  const out = [];
  let events = 0;
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const r = await api.simulateInWorker({ ...sc, trigger: { kind: 'processing_time', interval_s: 30 + i } });
    out.push(performance.now() - t0);
    events = r.summary.events;
  }
  const inThread = [];
  for (let i = 0; i < 3; i++) inThread.push((await api.simulate(sc)).ms);
  return { worker: out, inThread, events };
}, scenario);
await browser.close();
server.stop();

const median = (/** @type {number[]} */ a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const nativeRuns = [];
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  execFileSync(path.join(ROOT, 'target/release/pipeline-sim'), ['run', '-', '--format', 'digest'], { input: JSON.stringify(scenario) });
  nativeRuns.push(performance.now() - t0);
}
const wasmMs = median(times.inThread);
const nativeMs = median(nativeRuns);
console.log(`events per run: ${times.events}`);
console.log(`re-run through the worker (post → result on the page), median of 6: ${median(times.worker).toFixed(0)} ms`);
console.log(`wasm in the page, median of 3: ${wasmMs.toFixed(0)} ms = ${(times.events / wasmMs / 1000).toFixed(2)} M events/s`);
console.log(`native CLI (incl. process start, JSON out), median of 3: ${nativeMs.toFixed(0)} ms = ${(times.events / nativeMs / 1000).toFixed(2)} M events/s`);
console.log(`wasm / native events/s: ${(nativeMs / wasmMs).toFixed(2)}`);

// Page weight: what index.html loads: the app's HTML, CSS, JS and wasm under www/; not the
// embed page and element, the docs pages, the bundled datasets or the gallery.
let raw = 0;
let gz = 0;
const walk = (/** @type {string} */ dir) => {
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) {
      if (!['docs', 'datasets', 'gallery'].includes(f)) walk(p);
    } else if (/\.(js|css|html|wasm)$/.test(f) && !f.endsWith('.d.ts') && !/^(embed\.(js|html)|pipeline-sim\.js)$/.test(f)) {
      const b = readFileSync(p);
      raw += b.length;
      gz += gzipSync(b, { level: 9 }).length;
    }
  }
};
walk(path.join(ROOT, 'www'));
console.log(`page weight (www/: wasm + JS + CSS + HTML): ${raw} B raw, ${gz} B gzipped`);
