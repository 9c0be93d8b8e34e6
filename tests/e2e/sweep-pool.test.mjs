// The pooled sweep (issue #13 part 2): its points across several workers (sweep-pool.js,
// sweep-worker.js), in the page and the JS API. Points that cannot run are refused before
// any runs, each named with its field and control; a point that fails while running keeps
// the others; pooled rows equal standalone runs; points are drawn as they arrive; Cancel
// (or a new sweep) ends it at once and nothing stale lands; a worker that fails mid-group
// loses no finished point.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { SHOTS, startServer, openBrowser, setLang } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {Awaited<ReturnType<typeof openBrowser>>} */ let browser;

/** @param {unknown} v */
const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');

before(async () => {
  server = await startServer();
  browser = await openBrowser();
  // The page's cores (`?cores=N`, else 2 as on the test machine) and a log of the sweep
  // workers: made, ended, and the message types posted to them.
  await browser.page.addInitScript(() => {
    const cores = Number(new URLSearchParams(location.search).get('cores') || 2);
    Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => cores, configurable: true });
    const log = { made: 0, ended: 0, posted: /** @type {string[]} */ ([]), workers: /** @type {Worker[]} */ ([]) };
    /** @type {any} */ (window).__sweepWorkers = log;
    const W = window.Worker;
    window.Worker = class extends W {
      /** @param {string | URL} url @param {WorkerOptions} [opts] */
      constructor(url, opts) {
        super(url, opts);
        this.sweep = String(url).includes('sweep-worker');
        if (this.sweep) {
          log.made += 1;
          log.workers.push(this);
        }
      }

      /** @param {any} m @param {any} [t] */
      postMessage(m, t) {
        if (this.sweep) log.posted.push(m?.type);
        if (this.sweep && m?.type === 'run') /** @type {any} */ (window).__sweepPoints = (/** @type {any} */ (window).__sweepPoints ?? 0) + m.points.length;
        return t === undefined ? super.postMessage(m) : super.postMessage(m, t);
      }

      terminate() {
        if (this.sweep) log.ended += 1;
        return super.terminate();
      }
    };
  });
});
after(async () => { await browser?.close(); server?.stop(); });

/**
 * Opens the app on the sweep view with a scenario (merged over the app's).
 * @param {any} scenario @param {{lang?: string, cores?: number}} [o]
 */
async function openSweep(scenario, o = {}) {
  const { page } = browser;
  await page.goto('about:blank');
  await page.goto(new URL(`index.html?lang=${o.lang ?? 'en'}&cores=${o.cores ?? 2}#v=1&view=sweep&s=${b64(scenario)}`, server.base).href);
  await page.waitForFunction(() => {
    const app = document.getElementById('app');
    return app?.getAttribute('aria-busy') === 'false' && ['ready', 'invalid'].includes(app.dataset.state ?? '');
  }, null, { timeout: 120_000 });
}

/** The table's rows: state (done, failed, pending), and cells. */
async function tableRows() {
  return browser.page.locator('#sweep-table tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    point: /** @type {HTMLElement} */ (tr).dataset.point,
    cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
  })));
}

/** Waits for the sweep to end (done, cancelled or error). */
async function sweepEnded(timeout = 300_000) {
  await browser.page.waitForFunction(() => ['done', 'cancelled', 'error'].includes(document.getElementById('app')?.dataset.sweep ?? ''), null, { timeout });
  return browser.page.getAttribute('#app', 'data-sweep');
}

/** A shot of the sweep view only (the sticky strip, hidden meanwhile, would cover its top). @param {string} name */
async function shot(name) {
  const { page } = browser;
  await page.evaluate(() => {
    window.scrollTo(0, 0);
    /** @type {HTMLElement} */ (document.getElementById('strip')).style.visibility = 'hidden';
  });
  const box = await page.locator('#view-sweep').boundingBox();
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true, ...(box ? { clip: box } : {}) });
  await page.evaluate(() => { /** @type {HTMLElement} */ (document.getElementById('strip')).style.visibility = ''; });
}

test('points that cannot run are named with their field and control, and the others run (en, ko)', async () => {
  const { page, problems } = browser;
  // 30 days at 2 events/s: the 1 s and 2 s streams would record over 2 million micro-batches
  // (refused before any runs); the other points run.
  await openSweep({ workload: { duration_s: 2_592_000, rate_per_s: 2 } });
  await page.click('#sweep-run');
  assert.equal(await sweepEnded(240_000), 'done');
  const rows = await tableRows();
  const refused = rows.filter((r) => r.point === 'refused');
  assert.ok(refused.length >= 1, JSON.stringify(rows.map((r) => r.point)));
  assert.equal(rows.filter((r) => r.point === 'done').length + refused.length, 16, JSON.stringify(rows.map((r) => r.point)));
  assert.match(refused[0].cells[1], /^Cannot run \(not started\): .*trigger\.interval_s.*Control to change: Trigger interval \(trigger\.interval_s\)/, refused[0].cells[1]);
  assert.equal(refused[0].cells[0], '1 s');
  assert.match((await page.textContent('#sweep-status')) ?? '', /^14 of 16 points ran; 2 cannot run and were not started/);
  assert.equal(await page.isVisible('#sweep-results'), true, 'the other points are shown');
  const log = await page.evaluate(() => /** @type {any} */ (window).__sweepWorkers);
  assert.ok(log.posted.indexOf('check') < log.posted.indexOf('run'), `checked before any run: ${log.posted.join()}`);
  assert.equal(log.ended, log.made, 'every sweep worker ended');
  await shot('sweep-refused.png');

  // The same table in Korean (the language switch redraws it).
  await setLang(page, 'ko');
  await page.waitForFunction(() => document.querySelector('#sweep-table tbody tr[data-point="refused"] td:nth-child(2)')?.textContent?.startsWith('실행'));
  const ko = (await tableRows()).filter((r) => r.point === 'refused');
  assert.match(ko[0].cells[1], /^실행할 수 없음 \(시작 안 함\): .+바꿀 항목: 트리거 간격 \(trigger\.interval_s\)/, ko[0].cells[1]);
  assert.deepEqual(problems, []);
});

// A point that the budget lets through but that fails while running: at most 200 rows a
// micro-batch (source.max_rows_per_trigger) of 100 events/s keeps up at short intervals,
// but at 30 min and longer the backlog outlasts the simulated clock's limit (30 days past
// the hour), and the core stops that run.
const FALLS_BEHIND = { workload: { duration_s: 3600, rate_per_s: 100 }, source: { max_rows_per_trigger: 200 } };

test('a point that fails while running is listed with its reason; the points that ran are kept', async () => {
  const { page, problems } = browser;
  await openSweep(FALLS_BEHIND, { cores: 3 });
  await page.click('#sweep-run');
  assert.equal(await sweepEnded(), 'done');
  const rows = await tableRows();
  const failed = rows.filter((r) => r.point === 'failed');
  const done = rows.filter((r) => r.point === 'done');
  assert.equal(rows.length, 16);
  assert.ok(failed.length >= 1 && done.length >= 1, JSON.stringify(rows));
  assert.equal(failed.length + done.length, 16);
  assert.equal(rows[0].point, 'done', 'the 1 s stream keeps up');
  assert.equal(rows[15].point, 'failed', 'the 1 d stream falls behind');
  assert.match(failed[0].cells[1], /^Failed while running: [\w.]+: .*the simulated clock passed [\d.]+ days.*\. Control to change: /, failed[0].cells[1]);
  assert.match(done[0].cells[1], /^\$[\d,.]+$/);
  const status = (await page.textContent('#sweep-status')) ?? '';
  assert.equal(status, `${done.length} of 16 points ran; ${failed.length} failed while running (the table says why).`);
  assert.match((await page.textContent('#sweep-answer')) ?? '', new RegExp(`^Of the ${done.length} of 16 points that ran: `));
  await page.waitForSelector('#sweep-chart canvas');
  await shot('sweep-failed-point.png');

  // The API: a row per trigger, the failed one with its error and NaN figures.
  const api = await page.evaluate(async (sc) => {
    const api = await import('./api.js');
    const rows = await api.sweep({ seed: 42, ...sc }, [1, 60, 3600].map((s) => ({ kind: 'processing_time', interval_s: s })));
    return rows.map((r) => ({ label: r.label, usd: r.usdPerMonth, error: r.error ?? null }));
  }, FALLS_BEHIND);
  assert.equal(api.length, 3);
  assert.ok(api[0].usd > 0 && api[0].error === null, JSON.stringify(api));
  assert.ok(api[1].usd > 0 && api[1].error === null, JSON.stringify(api));
  assert.ok(Number.isNaN(api[2].usd) || api[2].usd === null, JSON.stringify(api));
  assert.match(api[2].error ?? '', /the simulated clock passed/);
  assert.deepEqual(problems, []);
});

test('pooled rows equal standalone runs of each trigger (page and API, generated and dropped data)', async () => {
  const { page, problems } = browser;
  const scenario = { workload: { duration_s: 1800, rate_per_s: 50 } };
  await openSweep(scenario, { cores: 4 });
  await page.click('#sweep-run');
  assert.equal(await sweepEnded(), 'done');
  const log = await page.evaluate(() => /** @type {any} */ (window).__sweepWorkers);
  assert.equal(log.made, 3, 'three workers on four cores');
  assert.equal(log.ended, 3);
  const shown = await tableRows();
  assert.ok(shown.every((r) => r.point === 'done'), JSON.stringify(shown));
  // The page's own run's point (its trigger) is that run's row, drawn at once: only the
  // other 15 were given to the workers.
  const known = await page.locator('#sweep-table tbody tr[data-known="true"] td:first-child').allTextContents();
  const ownTrigger = JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}').trigger;
  assert.deepEqual(known, [await page.evaluate(async (s) => (await import('./format.js')).duration(s, 'en'), ownTrigger.interval_s)]);
  const given = await page.evaluate(() => /** @type {any} */ (window).__sweepPoints);
  assert.equal(given, 15);
  // Each trigger alone, on the page's thread, formatted as the table formats.
  const full = JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}');
  const alone = await page.evaluate(async (sc) => {
    const api = await import('./api.js');
    const { STREAM_GRID } = await import('./sweep-panel.js');
    const { usd } = await import('./cost-summary.js');
    const { duration, int } = await import('./format.js');
    const out = [];
    for (const s of STREAM_GRID) {
      const c = (await api.simulate({ ...sc, trigger: { kind: 'processing_time', interval_s: s } })).cost;
      out.push([duration(s, 'en'), usd(c.usd_per_month.total, 'en'), c.freshness.p95_latency_s >= 0 ? duration(c.freshness.p95_latency_s, 'en') : '–',
        int(c.data_files_per_day, 'en'), int(c.requests_per_day, 'en')]);
    }
    return out;
  }, full);
  assert.deepEqual(shown.map((r) => r.cells.slice(0, 5)), alone);

  // The API with three workers, streams and jobs: every figure equal.
  const out = await page.evaluate(async () => {
    const api = await import('./api.js');
    const sc = { seed: 5, workload: { duration_s: 3600, rate_per_s: 40 }, sink: { format: 'delta' } };
    const triggers = [1, 5, 30, 60, 300, 900].map((s) => ({ kind: 'processing_time', interval_s: s }))
      .concat([900, 3600].map((s) => ({ kind: 'scheduled', every_s: s, startup_s: 270 })));
    const rows = await api.sweep(sc, triggers, { workers: 3 });
    const single = [];
    for (const trigger of triggers) {
      const r = await api.simulate({ ...sc, trigger });
      single.push({ usd: r.cost.usd_per_month, p95: r.cost.freshness.p95_latency_s, files: r.cost.data_files_per_day, requests: r.cost.requests_per_day, sla: r.cost.freshness.sla_class });
    }
    return { rows: rows.map((r) => ({ usd: r.usd, p95: r.p95s, files: r.dataFilesPerDay, requests: r.requestsPerDay, sla: r.sla })), single };
  });
  assert.deepEqual(out.rows, out.single);

  // Data given to the API (a file of its own) reaches the pool's workers.
  const data = await page.evaluate(async () => {
    const api = await import('./api.js');
    const lines = ['ts,arrived,user'];
    for (let i = 0; i < 400; i++) {
      const t = Date.UTC(2024, 2, 1, 10) + i * 9_000;
      lines.push(`${new Date(t).toISOString()},${new Date(t + (i % 7) * 5_000).toISOString()},u${i % 13}`);
    }
    const bytes = new TextEncoder().encode(lines.join('\n'));
    const sc = { seed: 1, workload: { data: { file: 'mine.csv', format: 'csv', event_time: { column: 'ts', unit: 'rfc3339' }, arrival: { column: 'arrived', unit: 'rfc3339' }, key: 'user' } } };
    const triggers = [10, 60, 600].map((s) => ({ kind: 'processing_time', interval_s: s }));
    const rows = await api.sweep(sc, triggers, { files: { 'mine.csv': bytes }, workers: 2 });
    const single = [];
    for (const trigger of triggers) single.push((await api.simulate({ ...sc, trigger }, { files: { 'mine.csv': bytes } })).cost.usd_per_month.total);
    return { rows: rows.map((r) => r.usdPerMonth), single };
  });
  assert.deepEqual(data.rows, data.single);

  // A file dropped on the page reaches the sweep's workers too.
  await page.selectOption('#data-source', 'file');
  const csv = ['event_time,arrival_time,user_id', '2024-03-01T10:00:00Z,2024-03-01T10:00:04Z,u1',
    '2024-03-01T10:00:30Z,2024-03-01T10:00:31Z,u2', '2024-03-01T10:02:00Z,2024-03-01T10:02:02Z,u2'].join('\n');
  await page.setInputFiles('#data-file', { name: 'dropped.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction(() => JSON.parse(document.getElementById('app')?.dataset.ran ?? '{}').workload?.data?.file === 'dropped.csv'
    && document.getElementById('app')?.dataset.state === 'ready', null, { timeout: 60_000 });
  await page.click('#tab-sweep');
  await page.click('#sweep-run');
  assert.equal(await sweepEnded(), 'done', (await page.textContent('#sweep-status')) ?? '');
  const dropped = await tableRows();
  assert.ok(dropped.filter((r) => r.point === 'done').length >= 10, JSON.stringify(dropped));
  assert.deepEqual(problems, []);
});

// Two hours at 300 events/s: about 2 million events a point, some seconds each here.
const BIG = { workload: { duration_s: 7200, rate_per_s: 300 } };

test('points are drawn as they arrive: the chart and table show some before the sweep ends', async () => {
  const { page, problems } = browser;
  await openSweep(BIG);
  await page.click('#sweep-run');
  // Some points are drawn while the sweep still runs (checked in one go, in the page).
  const seen = await page.waitForFunction(() => {
    const app = document.getElementById('app');
    // (A point the sweep ran: the page's own run's point is drawn at once, not run.)
    const done = document.querySelectorAll('#sweep-table tbody tr[data-point="done"]:not([data-known])').length;
    const bar = /** @type {HTMLProgressElement} */ (document.getElementById('sweep-progress'));
    return app?.dataset.sweep === 'running' && done >= 1 && document.querySelector('#sweep-chart canvas')
      ? { done, bar: bar.value, hidden: bar.hidden, status: document.getElementById('sweep-status')?.textContent } : null;
  }, null, { timeout: 120_000, polling: 50 }).then((h) => h.jsonValue());
  assert.ok(seen.done < 16, JSON.stringify(seen));
  assert.equal(seen.hidden, false);
  assert.ok(seen.bar > 0 && seen.bar < 1, JSON.stringify(seen));
  assert.match(seen.status ?? '', /^\d+ of 16 runs$/);
  assert.match((await page.textContent('#sweep-answer')) ?? '', /^So far \(\d+ of 16 points\): /);
  assert.ok(await page.locator('#sweep-table tbody tr[data-point="pending"]').count() >= 1);
  await shot('sweep-progressive.png');
  assert.equal(await sweepEnded(), 'done');
  assert.equal(await page.locator('#sweep-table tbody tr[data-point="done"]').count(), 16);
  assert.match((await page.textContent('#sweep-answer')) ?? '', /^Cheapest meeting p95 ≤ 15 min: |^No interval meets/);
  await shot('sweep-done.png');
  assert.deepEqual(problems, []);
});

test('Cancel ends the sweep at once; nothing stale lands, from a cancelled sweep or a replaced one', async () => {
  const { page, problems } = browser;
  await openSweep(BIG);
  await page.click('#sweep-run');
  await page.waitForSelector('#sweep-table tbody tr[data-point="done"]', { timeout: 120_000 });
  const t0 = Date.now();
  await page.click('#sweep-cancel');
  await page.waitForSelector('#app[data-sweep="cancelled"]', { timeout: 5_000 });
  const ms = Date.now() - t0;
  assert.ok(ms < 1500, `the cancel took ${ms} ms`);
  assert.equal(await page.textContent('#sweep-status'), 'Sweep cancelled.');
  const log = await page.evaluate(() => /** @type {any} */ (window).__sweepWorkers);
  assert.equal(log.ended, log.made, 'the sweep workers were terminated');
  const before = await tableRows();
  const kept = before.filter((r) => r.point === 'done').length;
  assert.ok(kept >= 1 && kept < 16, JSON.stringify(before));
  assert.ok(before.filter((r) => r.point === 'pending').every((r) => r.cells[1] === 'not run'));
  await page.waitForTimeout(2_000);
  assert.deepEqual(await tableRows(), before, 'nothing landed after the cancel');
  assert.equal(await page.isEnabled('#sweep-run'), true);
  assert.equal(await page.isEnabled('#sweep-cancel'), false);
  await shot('sweep-cancelled.png');

  // In the pool: a sweep aborted and replaced at once; none of its points lands after the
  // abort, and the new sweep's points are its own.
  const out = await page.evaluate(async () => {
    const { SweepPool } = await import('./sweep-pool.js');
    const pool = new SweepPool({ size: 2 });
    const big = { seed: 1, workload: { duration_s: 7200, rate_per_s: 300 } };
    const grid = [1, 2, 5, 10, 30, 60, 300, 900].map((s) => ({ label: `${s}`, trigger: { kind: 'processing_time', interval_s: s } }));
    const ac = new AbortController();
    /** @type {number[]} */
    const a = [];
    let afterAbort = 0;
    let firstA = () => {};
    const first = new Promise((r) => { firstA = () => r(undefined); });
    const sweepA = pool.sweep(big, grid, { signal: ac.signal, onPoint: (r) => { if (ac.signal.aborted) afterAbort += 1; a.push(r.index); firstA(); } });
    await first;
    ac.abort();
    const aCount = a.length;
    let aError = '';
    try { await sweepA; } catch (e) { aError = /** @type {Error} */ (e).name; }
    /** @type {string[]} */
    const b = [];
    const rows = await pool.sweep({ seed: 2, workload: { duration_s: 600, rate_per_s: 10 } }, grid.slice(0, 3), { onPoint: (r) => b.push(grid[r.index].label) });
    await new Promise((r) => setTimeout(r, 1500));
    return { aCount, aAfter: a.length, afterAbort, aError, b: b.sort(), rows: rows.map((r) => 'row' in r ? r.row.label : 'failed') };
  });
  assert.equal(out.aError, 'AbortError');
  assert.equal(out.afterAbort, 0);
  assert.equal(out.aAfter, out.aCount, 'no point of the aborted sweep landed later');
  assert.deepEqual(out.rows, ['1', '2', '5']);
  assert.deepEqual(out.b, ['1', '2', '5']);
  assert.deepEqual(problems, []);
});

test('a worker that fails mid-group loses no finished point; its group\'s others run again alone', async () => {
  const { page, problems } = browser;
  const out = await page.evaluate(async () => {
    const { SweepPool } = await import('./sweep-pool.js');
    const log = /** @type {any} */ (window).__sweepWorkers;
    const pool = new SweepPool({ size: 1 });
    const sc = { seed: 3, workload: { duration_s: 1800, rate_per_s: 100 } };
    const grid = [1, 10, 60, 600].map((s) => ({ label: `${s}`, trigger: { kind: 'processing_time', interval_s: s } }));
    const from = log.workers.length;
    /** @type {number[]} */
    const order = [];
    let failedOnce = false;
    const results = await pool.sweep(sc, grid, {
      onPoint: (r) => {
        order.push(r.index);
        // After its first point, the worker "crashes" (as a trap would end it).
        if (!failedOnce) {
          failedOnce = true;
          log.workers[from].dispatchEvent(new ErrorEvent('error', { message: 'a simulated crash' }));
        }
      },
    });
    const alone = [];
    const api = await import('./api.js');
    for (const g of grid) alone.push((await api.simulate({ ...sc, trigger: g.trigger })).cost.usd_per_month.total);
    return { made: log.workers.length - from, order, usd: results.map((r) => ('row' in r ? r.row.usdPerMonth : r.error)), alone };
  });
  assert.ok(out.made >= 2, `a fresh worker took over (${out.made} made)`);
  assert.equal(new Set(out.order).size, 4, `each point once: ${out.order}`);
  assert.deepEqual(out.usd, out.alone);
  assert.deepEqual(problems, []);
});
