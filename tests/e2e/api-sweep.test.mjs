// The JS API's sweep (issue #13's `sweep(scenario, triggers, {onProgress, signal})`), in
// Chromium: one row per trigger equal to a standalone run of that trigger, progress after
// each point, an impossible point refused before any runs (named; `SweepRefused` lists
// every one), and an abort that ends the sweep at once and leaves the API usable. The
// sweep runs in the pool of sweep workers (www/sweep-pool.js; tests/e2e/sweep-pool.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {Awaited<ReturnType<typeof openBrowser>>} */ let browser;

before(async () => {
  server = await startServer();
  browser = await openBrowser();
  await browser.page.goto(new URL('gallery.html', server.base).href);
});
after(async () => { await browser?.close(); server?.stop(); });

test('api.sweep: a row per trigger, each equal to a standalone run, with progress', async () => {
  const out = await browser.page.evaluate(async () => {
    const api = await import('./api.js');
    const scenario = { seed: 3, workload: { duration_s: 1800, rate_per_s: 20 }, sink: { format: 'parquet' } };
    const triggers = [
      { kind: 'processing_time', interval_s: 10 },
      { kind: 'processing_time', interval_s: 300 },
      { kind: 'scheduled', every_s: 900 },
    ];
    /** @type {[number, number][]} */
    const progress = [];
    const rows = await api.sweep(scenario, triggers, { onProgress: (d, t) => progress.push([d, t]) });
    const single = [];
    for (const trigger of triggers) {
      const r = await api.simulate({ ...scenario, trigger });
      single.push({ usd: r.cost.usd_per_month.total, p95: r.cost.freshness.p95_latency_s, files: r.cost.data_files_per_day });
    }
    return { rows: rows.map((r) => ({ label: r.label, usd: r.usdPerMonth, p95: r.p95s, files: r.dataFilesPerDay })), single, progress };
  });
  assert.deepEqual(out.rows.map((r) => r.label), ['processing_time 10 s', 'processing_time 300 s', 'scheduled every 900 s']);
  assert.deepEqual(out.rows.map(({ usd, p95, files }) => ({ usd, p95, files })), out.single);
  assert.ok(out.rows[0].files > out.rows[1].files, 'a shorter trigger writes more files');
  assert.deepEqual(out.progress.at(-1), [3, 3]);
  assert.deepEqual(browser.problems, []);
});

test('api.sweep: a point over the budget is refused before any runs, naming it', async () => {
  const out = await browser.page.evaluate(async () => {
    const api = await import('./api.js');
    let points = 0;
    try {
      await api.sweep({ seed: 1, workload: { duration_s: 2_592_000, rate_per_s: 2 } },
        [{ kind: 'processing_time', interval_s: 3600 }, { kind: 'processing_time', interval_s: 1 }],
        { onProgress: () => { points += 1; } });
      return { message: 'resolved', points, name: '', refusals: [] };
    } catch (e) {
      const err = /** @type {any} */ (e);
      return { message: String(err.message), points, name: err.name, refusals: err.refusals, isRefused: err instanceof api.SweepRefused };
    }
  });
  assert.match(out.message, /^\(sweep point 'processing_time 1 s'\) trigger\.interval_s: /, out.message);
  assert.equal(out.points, 0, 'no point ran');
  assert.equal(out.name, 'SweepRefused');
  assert.equal(out.isRefused, true);
  assert.equal(out.refusals.length, 1);
  assert.equal(out.refusals[0].index, 1);
  assert.equal(out.refusals[0].label, 'processing_time 1 s');
  assert.match(out.refusals[0].message, /^trigger\.interval_s: /);
  assert.deepEqual(browser.problems, []);
});

test('api.sweep: abort ends it at once with an AbortError; the next sweep works', async () => {
  const out = await browser.page.evaluate(async () => {
    const api = await import('./api.js');
    const ac = new AbortController();
    // A day at 500 events/s under 8 triggers: many seconds of work.
    const long = api.sweep({ seed: 1, workload: { duration_s: 86_400, rate_per_s: 500 } },
      [1, 10, 60, 300, 900, 1800, 3600, 7200].map((s) => ({ kind: 'processing_time', interval_s: s })),
      { signal: ac.signal });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    ac.abort();
    let name = 'resolved';
    try { await long; } catch (e) { name = /** @type {Error} */ (e).name; }
    const ms = performance.now() - t0;
    const rows = await api.sweep({ seed: 2, workload: { duration_s: 600 } }, [{ kind: 'processing_time', interval_s: 60 }]);
    return { name, ms, after: rows.length };
  });
  assert.equal(out.name, 'AbortError');
  assert.ok(out.ms < 1000, `the abort took ${out.ms} ms`);
  assert.equal(out.after, 1);
});
