// Benchmark (not a test): in headless Chromium, the app's re-run time at about 1 M events
// (what a slider drag costs), and wasm vs native events/s on the same scenario; the page's
// default (a day) as it loads and re-runs: when its preview and its full result land, and
// the longest main-thread stall while it runs (long tasks, and gaps between animation
// frames, which include style, layout and paint); plus the page weight (gzipped wasm + JS
// + CSS the app loads).
//   node tests/bench/browser-rerun.mjs          (after make build)
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { ROOT, startServer, openBrowser, openSmallApp } from '../e2e/harness.mjs';

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
await openSmallApp(page, server.base);
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
  // Issue #13's day: the same query over a day at 1,000 events/s (86.4 M events), one run
  // through the worker, twice (the second with a warm worker and wasm).
  const day = [];
  let dayEvents = 0;
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    const r = await api.simulateInWorker({ ...sc, workload: { ...sc.workload, duration_s: 86_400, rate_per_s: 1000 } });
    day.push(performance.now() - t0);
    dayEvents = r.summary.events;
  }
  // The page's default day (its offline tail makes late and dropped events), the same way.
  const { PAGE_DEFAULT } = await import('./state.js');
  const pageDay = [];
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    await api.simulateInWorker(PAGE_DEFAULT);
    pageDay.push(performance.now() - t0);
  }
  return { worker: out, inThread, events, day, dayEvents, pageDay };
}, scenario);
const secs = (/** @type {number[]} */ a) => a.map((ms) => (ms / 1000).toFixed(2)).join(' s, ');
console.log(`a day at 1,000 events/s (${times.dayEvents} events), one run through the worker: ${secs(times.day)} s`);
console.log(`the page's default day (PAGE_DEFAULT), one run through the worker: ${secs(times.pageDay)} s`);

// The page's default (a day at 1,000 events/s) in the run view: loaded, then re-run after
// a control change. Stalls are measured from the change to the full result: long tasks
// (PerformanceObserver) and gaps between animation frames (a requestAnimationFrame probe).
await page.addInitScript(() => {
  const w = /** @type {any} */ (window);
  w.__stalls = { long: /** @type {{at: number, ms: number}[]} */ ([]), gaps: /** @type {{at: number, ms: number}[]} */ ([]) };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__stalls.long.push({ at: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  let prev = performance.now();
  const tick = (/** @type {number} */ now) => {
    if (now - prev > 50) w.__stalls.gaps.push({ at: prev, ms: now - prev });
    prev = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  // When each result (preview or full) started to be drawn, and when a key went down.
  w.__shownAt = [];
  new MutationObserver(() => w.__shownAt.push(performance.now()))
    .observe(document, { subtree: true, attributes: true, attributeFilter: ['data-shown'] });
  addEventListener('keydown', () => { w.__keyAt = performance.now(); }, true);
});
/** @type {Record<string, number>[]} */
const days = [];
for (const view of ['run', 'timeline']) {
  await page.goto('about:blank');
  const t0 = Date.now();
  await page.goto(new URL(`?lang=en${view === 'run' ? '' : '#v=1&view=timeline'}`, server.base).href);
  await page.waitForSelector('#app[data-state="preview"]', { timeout: 300_000 });
  const previewMs = Date.now() - t0;
  await page.waitForSelector('#app[data-state="ready"]', { timeout: 600_000 });
  const fullMs = Date.now() - t0;
  // A change (the trigger interval, by keyboard) while nothing runs: preview, then full.
  const t1 = await page.evaluate(() => performance.now());
  const t2 = Date.now();
  await page.focus('#c-trigger-every');
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('#app[data-state="preview"]', { timeout: 300_000 });
  const rePreviewMs = Date.now() - t2;
  await page.waitForSelector('#app[data-state="ready"]', { timeout: 600_000 });
  const reFullMs = Date.now() - t2;
  await page.waitForTimeout(300);
  const worst = await page.evaluate((from) => {
    const w = /** @type {any} */ (window);
    const s = w.__stalls;
    const max = (/** @type {{at: number, ms: number}[]} */ a) => Math.max(0, ...a.filter((e) => e.at >= from).map((e) => e.ms));
    const first = w.__shownAt.find((/** @type {number} */ t) => t >= w.__keyAt);
    return { long: max(s.long), gap: max(s.gaps), firstFigures: first - w.__keyAt };
  }, t1);
  days.push({ previewMs, fullMs, rePreviewMs, reFullMs, longMs: worst.long, gapMs: worst.gap });
  console.log(`the default day (${view} view): preview on the page after ${previewMs} ms, full result after ${fullMs} ms (from navigation); `
    + `after a change: the preview's first figures ${worst.firstFigures.toFixed(0)} ms after the key, all of it drawn by ${rePreviewMs} ms, full ${reFullMs} ms`);
  console.log(`  ${view} view: longest long task ${worst.long.toFixed(0)} ms, longest gap between frames ${worst.gap.toFixed(0)} ms (from the change to the full result)`);
}
const stall = Math.max(...days.map((d) => Math.max(d.longMs, d.gapMs)));
console.log(`longest main-thread stall during a run: ${stall.toFixed(0)} ms`);
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
