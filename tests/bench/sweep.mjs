// Benchmark (not a test): the page's 16-point stream sweep (1 s … 1 d, STREAM_GRID in
// www/sweep-panel.js) in headless Chromium, through the page's own button: time to the first
// point drawn, total time, and each point's arrival (since the click) and run time in its
// worker. The workload is the app's query (100 keys, exponential lateness 5 s, tumbling
// 60 s count, append, watermark 60 s, parquet sink) at the given duration and rate.
//   node tests/bench/sweep.mjs                     (after make build; a day at 1,000 events/s)
//   node tests/bench/sweep.mjs --duration-s 3600 --rate 1000
//   options: --duration-s S   --rate R   --cores N (the page sees N cores: N − 1 sweep workers;
//            default: this machine's)   --baseline (also time the same points one by one in the
//            single simulation worker, as the page did before the pool)   --screenshot FILE
//            (the page when the sweep is done, full length: to look at)
import { parseArgs } from 'node:util';
import os from 'node:os';
import { startServer, openBrowser } from '../e2e/harness.mjs';

const { values: opt } = parseArgs({
  options: {
    'duration-s': { type: 'string', default: '86400' },
    rate: { type: 'string', default: '1000' },
    cores: { type: 'string' },
    baseline: { type: 'boolean', default: false },
    screenshot: { type: 'string' },
  },
});
const durationS = Number(opt['duration-s']);
const rate = Number(opt.rate);
if (!(durationS > 0) || !(rate > 0)) throw new Error('--duration-s and --rate must be positive numbers');
const cores = opt.cores ? Number(opt.cores) : null;

// The app's scenario (www/state.js BASE) at this duration and rate.
const scenario = {
  version: 1, seed: 42,
  workload: { duration_s: durationS, rate_per_s: rate, keys: 100, lateness: { kind: 'exponential', mean_s: 5 } },
  trigger: { kind: 'processing_time', interval_s: 60 },
  query: { operator: 'window_count', window: { kind: 'tumbling', size_s: 60 }, watermark_delay_s: 60, output_mode: 'append' },
  engine: { shuffle_partitions: 200 },
  sink: { format: 'parquet' },
};
const b64 = (/** @type {unknown} */ v) => Buffer.from(JSON.stringify(v)).toString('base64url');
const s = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(1)} s`;

const server = await startServer();
const browser = await openBrowser();
const { page } = browser;
try {
  if (cores) {
    await page.addInitScript((n) => {
      Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n, configurable: true });
    }, cores);
  }
  const t0 = Date.now();
  await page.goto(new URL(`index.html?lang=en#v=1&view=sweep&s=${b64(scenario)}`, server.base).href);
  await page.waitForFunction(() => ['ready', 'invalid', 'crashed', 'error'].includes(document.getElementById('app')?.dataset.state ?? ''),
    null, { timeout: 3_600_000 });
  const pageRun = Date.now() - t0;
  const info = await page.evaluate(() => ({
    state: document.getElementById('app')?.dataset.state,
    events: document.querySelector('[data-metric="events"] dd')?.textContent,
    cores: navigator.hardwareConcurrency,
  }));
  console.log(`workload: ${durationS} s at ${rate} events/s (${info.events ?? '?'} events a point); the page's own run (trigger 60 s) took ${s(pageRun)} (${info.state})`);
  console.log(`machine: ${os.cpus().length} cores; the page sees ${info.cores}: ${Math.max(1, info.cores - 1)} sweep worker(s)`);

  // Watch the table: when each point is first drawn (done or failed), from the click.
  await page.evaluate(() => {
    const tbody = /** @type {HTMLTableSectionElement} */ (document.querySelector('#sweep-table tbody'));
    const app = /** @type {HTMLElement} */ (document.getElementById('app'));
    /** @type {any} */
    const b = { t0: 0, points: {}, end: 0, outcome: '' };
    /** @type {any} */ (window).__bench = b;
    new MutationObserver(() => {
      const now = performance.now();
      for (const tr of tbody.rows) {
        const label = tr.cells[0]?.textContent ?? '';
        if ((tr.dataset.point === 'done' || tr.dataset.point === 'failed') && !b.points[label]) {
          b.points[label] = { at: now - b.t0, state: tr.dataset.point, ms: Number(tr.dataset.ms ?? NaN), shared: Number(tr.dataset.shared ?? 1), known: tr.dataset.known === 'true' };
        }
      }
    }).observe(tbody, { childList: true, subtree: true });
    new MutationObserver(() => {
      if (['done', 'error', 'cancelled'].includes(app.dataset.sweep ?? '') && !b.end) {
        b.end = performance.now() - b.t0;
        b.outcome = app.dataset.sweep;
      }
    }).observe(app, { attributes: true, attributeFilter: ['data-sweep'] });
    b.t0 = performance.now();
    /** @type {HTMLButtonElement} */ (document.getElementById('sweep-run')).click();
  });
  await page.waitForFunction(() => /** @type {any} */ (window).__bench.end > 0, null, { timeout: 6 * 3_600_000, polling: 500 });
  const b = await page.evaluate(() => /** @type {any} */ (window).__bench);
  // The status, with a refusal's lines one a line.
  const status = await page.evaluate(() => [...(document.getElementById('sweep-status')?.childNodes ?? [])]
    .map((n) => (n.nodeName === 'BR' ? '\n  ' : n.textContent)).join(''));
  const rows = /** @type {[string, any][]} */ (Object.entries(b.points)).sort((x, y) => x[1].at - y[1].at);
  console.log(`sweep: ${b.outcome} — ${status}`);
  if (rows.length) console.log(`time to the first point drawn: ${s(rows[0][1].at)} (${rows[0][0]}${rows[0][1].known ? ': the page\'s own run, reused' : ''})`);
  const ran = rows.filter(([, p]) => !p.known);
  if (ran.length && ran[0] !== rows[0]) console.log(`time to the first point the sweep ran: ${s(ran[0][1].at)} (${ran[0][0]})`);
  console.log(`total: ${s(b.end)}`);
  if (opt.screenshot) await page.screenshot({ path: opt.screenshot, fullPage: true });
  console.log('per point, in order of arrival: trigger, drawn at (since the click), run time in its worker');
  for (const [label, p] of rows) {
    const shared = p.shared > 1 ? ` (one run shared by ${p.shared} points)` : '';
    const how = p.known ? 'the page\'s own run (not run again)' : p.state === 'done' ? s(p.ms) + shared : 'failed';
    console.log(`  ${label.padStart(7)}  ${s(p.at).padStart(8)}  ${how}`);
  }

  if (opt.baseline) {
    // The same points one by one in the single simulation worker (worker.js's 'sweep').
    const base = await page.evaluate(async () => {
      const sc = JSON.parse(document.getElementById('app')?.dataset.scenario ?? '{}');
      const { SimClient } = await import('./sim-client.js');
      const { sweepPoints } = await import('./sweep-panel.js');
      const client = new SimClient();
      const t = performance.now();
      await client.sweep(sc, sweepPoints('stream', 'en').map(({ label, trigger }) => ({ label, trigger })));
      client.close();
      return performance.now() - t;
    });
    console.log(`baseline, one worker point by point (nothing drawn until the end): ${s(base)}`);
  }
} finally {
  await browser.close();
  server.stop();
}
