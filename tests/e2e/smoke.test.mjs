// Smoke test: the demo page loads from the real server, the wasm core runs the default
// scenario, and the result is drawn, with no console error, exception or failed request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, SHOTS, startServer, openBrowser } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {Awaited<ReturnType<typeof openBrowser>>} */ let browser;

before(async () => { server = await startServer(); browser = await openBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

test('the server sends wasm as application/wasm', async () => {
  const r = await fetch(new URL('pkg/pipeline_sim_bg.wasm', server.base));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/wasm');
});

test('the default simulation is computed in wasm and drawn', async () => {
  const { page, problems } = browser;
  await page.goto(new URL('?lang=en', server.base).href);
  await page.waitForSelector('#app[data-state="ready"]', { timeout: 30_000 });

  // The page's numbers are the native CLI's for the same (default) scenario.
  const scenario = await page.evaluate(async () => {
    const m = await import('./pkg/pipeline_sim.js');
    return m.defaultScenario();
  });
  const cli = JSON.parse(execFileSync(path.join(ROOT, 'target/release/pipeline-sim'), ['run', '-'], { input: scenario, maxBuffer: 1 << 28 }).toString());
  const metric = async (/** @type {string} */ k) =>
    Number((await page.textContent(`[data-metric="${k}"] dd`))?.replace(/[^0-9]/g, ''));
  assert.equal(await metric('events'), cli.summary.events);
  assert.equal(await metric('microBatches'), cli.summary.batches);
  assert.equal(await metric('outputRows'), cli.summary.output_rows);
  assert.equal(await metric('droppedLate'), cli.summary.fates.dropped_late);
  assert.ok(cli.summary.events > 10_000, 'the default scenario generates a real workload');
  const p95 = await page.textContent('[data-metric="latencyP95"] dd');
  assert.equal(p95, `${Math.round(cli.summary.latency.p95_s)} s`);

  // The cost panel shows the CLI's cost model: total $/month to the cent, the class.
  const total = await page.textContent('[data-metric="usdTotal"] dd');
  assert.equal(total, `$${cli.cost.usd_per_month.total.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
  assert.ok(cli.cost.usd_per_month.compute > 0, 'an always-on cluster costs something');
  assert.equal(await metric('requestsPerDay'), Math.round(cli.cost.requests_per_day));
  assert.match(await page.textContent('[data-metric="slaClass"] dd') ?? '', /^(real-time|near-real-time|batch) \(p95/);

  const rows = await page.locator('#batch-table tbody tr').count();
  assert.equal(rows, cli.summary.batches);
  const firstRow = await page.locator('#batch-table tbody tr').first().locator('td').allTextContents();
  assert.equal(firstRow[0], '0');
  assert.equal(Number(firstRow[3].replace(/,/g, '')), cli.batches.input_rows[0]);

  await page.screenshot({ path: path.join(SHOTS, 'smoke-en.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('Korean labels', async () => {
  const { page, problems } = browser;
  await page.selectOption('#lang', 'ko');
  assert.equal(await page.textContent('h1'), '파이프라인 시뮬레이터');
  assert.equal(await page.textContent('[data-metric="events"] dt'), '이벤트');
  assert.match(page.url(), /lang=ko/);
  assert.match(await page.textContent('#ran-in') ?? '', /^시뮬레이션 [0-9.]+ ms$/);
  await page.screenshot({ path: path.join(SHOTS, 'smoke-ko.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
