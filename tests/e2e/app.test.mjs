// The app in a real browser (Chromium via playwright-core) against the real server: it
// loads and computes in wasm (in a worker), its numbers equal the native CLI's for the same
// scenario, the controls move them the right way, invalid input is shown at its field, the
// sweep runs with progress and can be cancelled, the URL round-trips, ko/en, keyboard only,
// 375 px wide, and no console error, exception or failed request along the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, SHOTS, HOUR, startServer, openBrowser, change, shown, cli, ready, setLang } from './harness.mjs';
import { MAX_ROWS } from '../../www/batch-table.js';

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {Awaited<ReturnType<typeof openBrowser>>} */ let browser;

before(async () => { server = await startServer(); browser = await openBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

/** @param {import('playwright-core').Page} page @param {string} key */
async function metric(page, key) {
  return Number((await page.textContent(`[data-metric="${key}"] dd`))?.replace(/[^0-9.]/g, ''));
}

/** @param {number} v */
const dollars = (v) => `$${v.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

test('the server sends wasm as application/wasm', async () => {
  const r = await fetch(new URL('pkg/pipeline_sim_bg.wasm', server.base));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/wasm');
});

test('loads, computes in the worker, and shows the CLI\'s numbers', async () => {
  const { page, problems } = browser;
  // (The hour that was the page's default; the day it opens with now: interactive-*.test.mjs.)
  await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
  await ready(page);
  assert.equal(await page.getAttribute('#app', 'data-state'), 'ready');
  const scenario = JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}');
  const r = cli(scenario);
  assert.ok(r.summary.events > 100_000, 'the page scenario is a real workload');
  assert.equal(await metric(page, 'events'), r.summary.events);
  assert.equal(await metric(page, 'microBatches'), r.summary.batches);
  assert.equal(await metric(page, 'outputRows'), r.summary.output_rows);
  assert.equal(await page.textContent('[data-metric="usdTotal"] dd'), dollars(r.cost.usd_per_month.total));
  assert.equal(await page.textContent('[data-metric="stripUsd"] dd'), dollars(r.cost.usd_per_month.total));
  assert.equal(await metric(page, 'requestsPerDay'), Math.round(r.cost.requests_per_day));
  assert.equal(await metric(page, 'dataFiles'), r.cost.storage.data_files_written);
  // Charts are drawn by uPlot (canvas), with legends.
  assert.equal(await page.locator('#chart-files canvas').count(), 1);
  assert.equal(await page.locator('#chart-cost .u-legend .u-series').count(), 3);
  assert.equal(await page.locator('#batch-table tbody tr').count(), Math.min(r.summary.batches, MAX_ROWS) + (r.summary.batches > MAX_ROWS ? 1 : 0));
  assert.doesNotMatch(await page.textContent('main') ?? '', /NaN|undefined/);
  await page.screenshot({ path: path.join(SHOTS, 'app-run-en.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('a shorter trigger interval (keyboard on the slider) writes more files and costs more, as the CLI says', async () => {
  const { page, problems } = browser;
  const before = JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}');
  const filesBefore = await metric(page, 'dataFiles');
  const usdBefore = await metric(page, 'usdTotal');
  const scenario = await change(page, async () => {
    await page.focus('#c-trigger-every');
    for (let i = 0; i < 120; i++) await page.keyboard.press('ArrowLeft');
  });
  assert.ok(scenario.trigger.interval_s < before.trigger.interval_s, `${scenario.trigger.interval_s}`);
  const r = cli(scenario);
  assert.equal(await metric(page, 'dataFiles'), r.cost.storage.data_files_written);
  assert.equal(await page.textContent('[data-metric="usdTotal"] dd'), dollars(r.cost.usd_per_month.total));
  assert.ok(r.cost.storage.data_files_written > filesBefore, 'more files');
  assert.ok(r.cost.usd_per_month.total > usdBefore, 'higher cost');
  assert.match(page.url(), /#v=1&s=/);
  assert.deepEqual(problems, []);
});

test('the window kind switches between tumbling, sliding and session', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
  await ready(page);
  for (const kind of ['session', 'sliding']) {
    const scenario = await change(page, () => page.selectOption('#c-query-window-kind', kind));
    assert.equal(scenario.query.window.kind, kind);
    const r = cli(scenario);
    assert.equal(await page.textContent('[data-metric="stripUsd"] dd'), dollars(r.cost.usd_per_month.total));
    assert.equal(await metric(page, 'outputRows'), r.summary.output_rows);
  }
  assert.deepEqual(problems, []);
});

test('operator and lateness distribution controls', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
  await ready(page);
  /** @param {string} sel @param {string} value */
  const choose = (sel, value) => change(page, () => page.selectOption(sel, value));
  let sc = await choose('#c-workload-lateness-kind', 'uniform');
  assert.deepEqual(sc.workload.lateness, { kind: 'uniform', min_s: 0, max_s: 10 });
  sc = await choose('#c-query-operator', 'dedup');
  assert.equal(sc.query.operator, 'dedup');
  let r = cli(sc);
  assert.equal(await page.textContent('[data-metric="stripUsd"] dd'), dollars(r.cost.usd_per_month.total));
  assert.match(await page.textContent('#scenario-text') ?? '', /dropDuplicates/);
  sc = await choose('#c-query-operator', 'select');
  r = cli(sc);
  assert.equal(await metric(page, 'dataFiles'), r.cost.storage.data_files_written);
  assert.equal(r.cost.storage.state_delta_files, 0);
  await choose('#c-query-operator', 'window_count');
  await choose('#c-workload-lateness-kind', 'exponential');
  // A dashboard once a day instead of every 5 min: reader requests fall, as in the CLI.
  const readersBefore = cli(JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}')).cost.usd_per_month.reader_requests;
  sc = await change(page, async () => {
    await page.focus('#c-cost-reader-every_min');
    await page.keyboard.press('End');
  });
  assert.equal(sc.cost.reader.every_min, 1440);
  r = cli(sc);
  assert.ok(r.cost.usd_per_month.reader_requests < readersBefore);
  assert.equal(await page.textContent('[data-metric="stripUsd"] dd'), dollars(r.cost.usd_per_month.total));
  await page.keyboard.press('Home');
  assert.doesNotMatch(await page.textContent('main') ?? '', /NaN|undefined/);
  assert.deepEqual(problems, []);
});

test('a long run shows its progress and can be cancelled', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  // An hour at 400 events/s with log-normal lateness (the generator's general path, the
  // slower one), then a day of it: 35 M events, about 6 s in wasm (Node, 2026-11-30), long
  // enough to cancel after the steps below. (A day at 200 events/s with the default
  // exponential lateness is now over in half a second.) Its first 41 minutes (~1 M events)
  // come first, as a labelled preview, while the day runs.
  const slow = { workload: { rate_per_s: 400, lateness: { kind: 'log_normal', median_s: 5, sigma: 1 } } };
  await page.goto(new URL(`?lang=en#v=1&s=${Buffer.from(JSON.stringify(slow)).toString('base64url')}`, server.base).href);
  await ready(page);
  await page.selectOption('#c-workload-duration_s', '86400');
  await page.waitForSelector('#run-busy:not([hidden])', { timeout: 20_000 });
  await page.waitForSelector('#app[data-state="preview"]', { timeout: 60_000 });
  assert.match(await page.textContent('#preview-note') ?? '', /^Preview: first 41 min — full day running… \(\d+ %\)$/);
  await page.waitForFunction(() => Number(/** @type {HTMLProgressElement} */ (document.getElementById('run-progress')).value) > 0);
  // The page stays responsive while the worker runs: the language switch still works.
  await setLang(page, 'ko');
  assert.equal(await page.textContent('h1'), '파이프라인 시뮬레이터');
  await setLang(page, 'en');
  await page.click('#run-cancel');
  await page.waitForSelector('#app[data-state="cancelled"]');
  assert.match(await page.textContent('#run-note') ?? '', /^Full run cancelled: the results shown are the preview/);
  assert.equal(await page.textContent('#preview-label'), 'Preview: first 41 min only — the full day did not finish.');
  assert.match(await page.textContent('#scenario-text') ?? '', /for 41 min,/, 'the shown results keep their own scenario (the first 41 minutes)');
  assert.equal(await page.isHidden('#run-busy'), true);
  await page.screenshot({ path: path.join(SHOTS, 'app-cancelled.png') });
  // Back to an hour: it runs again.
  await page.selectOption('#c-workload-duration_s', '3600');
  await page.waitForSelector('#app[data-state="ready"]', { timeout: 60_000 });
  assert.deepEqual(problems, []);
});

test('the URL reproduces the view', async () => {
  const { page, problems } = browser;
  const url = page.url();
  const strip = await page.textContent('#strip-list');
  const scenario = await page.getAttribute('#app', 'data-scenario');
  await page.goto('about:blank');
  await page.goto(url);
  await ready(page);
  assert.equal(await page.textContent('#strip-list').then((s) => s?.replace(/Run time.*$/, '')), strip?.replace(/Run time.*$/, ''));
  assert.equal(await page.getAttribute('#app', 'data-scenario'), scenario);
  assert.deepEqual(problems, []);
});

test('an invalid scenario shows the core\'s message next to its field', async () => {
  const { page, problems } = browser;
  const s = Buffer.from(JSON.stringify({ workload: { lateness: { kind: 'exponential', mean_s: -3 } } })).toString('base64url');
  // Typed into the address bar of the open page: only the hash changes.
  await page.goto(new URL(`?lang=en#v=1&s=${s}`, server.base).href);
  await page.waitForSelector('#app[data-state="invalid"]');
  assert.equal(await page.getAttribute('#app', 'data-state'), 'invalid');
  const err = await page.textContent('.control[data-path="workload.lateness.mean_s"] .field-error');
  assert.match(err ?? '', /^workload\.lateness\.mean_s: /);
  await page.screenshot({ path: path.join(SHOTS, 'app-invalid.png') });
  // A day at 2,000 events/s run exact in one batch would not fit the browser's memory budget
  // (~430 MB of the batch's compact lists): refused up front, at the trigger.
  const day = Buffer.from(JSON.stringify({ workload: { duration_s: 86400, rate_per_s: 2000, scale: 1 },
    trigger: { kind: 'scheduled', every_s: 86400, startup_s: 270 } })).toString('base64url');
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en#v=1&s=${day}`, server.base).href);
  await page.waitForSelector('#app[data-state="invalid"]');
  assert.match(await page.textContent('.control[data-path="trigger.every"] .field-error') ?? '',
    /^trigger: one micro-batch would take about 172\.8 million rows, about 432 MB/);
  assert.deepEqual(problems, []);
});

test('price overrides and partitionBy change the bill and the files as the CLI says; a bad price is shown at its field', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
  await ready(page);
  const usd0 = await metric(page, 'usdTotal');
  // Ten times S3's PUT price: the sink and checkpoint requests cost more.
  let scenario = await change(page, () => page.fill('#c-cost-storage-write_per_1k', '0.05'));
  assert.equal(scenario.cost.storage.write_per_1k, 0.05);
  let r = cli(scenario);
  assert.equal(await page.textContent('[data-metric="usdTotal"] dd'), dollars(r.cost.usd_per_month.total));
  assert.ok(r.cost.usd_per_month.total > usd0, `${r.cost.usd_per_month.total} > ${usd0}`);
  // Emptied: back to the preset's price and the first bill.
  scenario = await change(page, () => page.fill('#c-cost-storage-write_per_1k', ''));
  assert.equal(scenario.cost.storage.write_per_1k ?? null, null);
  assert.equal(await metric(page, 'usdTotal'), usd0);
  // partitionBy(key): a file per (task, key) instead of one per task.
  const files0 = await metric(page, 'dataFiles');
  scenario = await change(page, () => page.check('#c-sink-partition_by'));
  assert.deepEqual(scenario.sink.partition_by, ['key']);
  r = cli(scenario);
  assert.equal(await metric(page, 'dataFiles'), r.cost.storage.data_files_written);
  assert.ok(r.cost.storage.data_files_written > files0, 'more files with partitionBy');
  await change(page, () => page.uncheck('#c-sink-partition_by'));
  // A negative price: the core's message, next to the field.
  await page.fill('#c-cost-compute-vm_per_h', '-1');
  await page.waitForSelector('#app[data-state="invalid"]');
  assert.match(await page.textContent('.control[data-path="cost.compute.vm_per_h"] .field-error') ?? '',
    /^cost\.compute\.vm_per_h: /);
  await change(page, () => page.fill('#c-cost-compute-vm_per_h', ''));
  assert.equal(await page.getAttribute('#app', 'data-state'), 'ready');
  assert.deepEqual(problems, []);
});

test('the sweep shows progress, can be cancelled, and answers the SLA question', async () => {
  const { page, problems } = browser;
  await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
  await ready(page);
  await page.click('#tab-sweep');
  assert.match(page.url(), /view=sweep/);
  await page.click('#sweep-run');
  await page.waitForSelector('#sweep-progress:not([hidden])');
  await page.waitForFunction(() => /^[1-9]\d* of 16 runs$/.test(document.getElementById('sweep-status')?.textContent ?? ''));
  await page.click('#sweep-cancel');
  await page.waitForSelector('#app[data-sweep="cancelled"]');
  assert.equal(await page.textContent('#sweep-status'), 'Sweep cancelled.');
  // Again, to the end.
  await page.click('#sweep-run');
  await page.waitForSelector('#app[data-sweep="done"]', { timeout: 120_000 });
  assert.equal(await page.locator('#sweep-table tbody tr').count(), 16);
  assert.match(await page.textContent('#sweep-answer') ?? '', /^Cheapest meeting p95 ≤ 15 min: .+ at \$[\d,.]+\/month/);
  // The 1-minute row equals the CLI for that trigger.
  const scenario = JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}');
  const r = cli({ ...scenario, trigger: { kind: 'processing_time', interval_s: 60 } });
  const row = await page.locator('#sweep-table tbody tr', { hasText: /^1 min/ }).first().locator('td').allTextContents();
  assert.equal(row[1], dollars(r.cost.usd_per_month.total));
  await page.fill('#sla', '1');
  assert.match(await page.textContent('#sweep-answer') ?? '', /p95 ≤ 1 min/);
  await page.screenshot({ path: path.join(SHOTS, 'app-sweep.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('the timeline draws each event by fate and explains the one under the pointer', async () => {
  const { page, problems } = browser;
  const sc = { workload: { duration_s: 600, rate_per_s: 20, keys: 10, lateness: { mean_s: 20 } },
    query: { watermark_delay_s: 30 }, trigger: { interval_s: 30 } };
  const s = Buffer.from(JSON.stringify(sc)).toString('base64url');
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en#v=1&s=${s}&view=timeline`, server.base).href);
  await ready(page);
  const scenario = JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}');
  const r = cli(scenario);
  // The legend counts the sampled events by fate: the CLI's sample, fate by fate.
  const fates = [0, 1, 2, 3, 4, 5].map((f) => r.events.fate.filter((/** @type {number} */ x) => x === f).length);
  for (const [i, n] of fates.entries()) {
    const text = await page.textContent(`#tl-legend [data-fate="${i}"]`);
    assert.match(text ?? '', new RegExp(`\\(${n.toLocaleString('en')}\\)$`));
  }
  assert.ok(fates[2] > 0 && fates[1] > 0, 'this scenario has late and dropped events');
  const box = await page.locator('#tl-chart .u-over').boundingBox();
  assert.ok(box);
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.7);
  await page.waitForFunction(() => (document.getElementById('tl-hover')?.textContent ?? '').includes('→'));
  assert.match(await page.textContent('#tl-hover') ?? '', /^Event [\d,]+ \(event time .+\): .+ → /);
  // Step back a batch, then forward; play and pause.
  await page.click('#tl-back');
  assert.equal(await page.textContent('#tl-info'), `after batch ${r.summary.batches - 2} of ${r.summary.batches}`);
  await page.click('#tl-step');
  assert.equal(await page.textContent('#tl-info'), `after batch ${r.summary.batches - 1} of ${r.summary.batches}`);
  await page.click('#tl-play');
  await page.waitForFunction(() => /after batch [0-9] of/.test(document.getElementById('tl-info')?.textContent ?? ''));
  await page.click('#tl-play');
  assert.equal(await page.getAttribute('#tl-play', 'aria-pressed'), 'false');
  await page.screenshot({ path: path.join(SHOTS, 'app-timeline.png') });
  // 200 000 events drawn (the hour of BASE, every 4th event): stepping stays smooth, because
  // the points are drawn once and only clipped at "now".
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${HOUR}&view=timeline`, server.base).href);
  await ready(page);
  const big = cli(await change(page, () => page.selectOption('#tl-detail', '200000')));
  assert.ok(big.events.id.length > 100_000, `${big.events.id.length} events drawn`);
  assert.match(await page.textContent('#tl-note') ?? '', new RegExp(`^Showing ${big.events.id.length.toLocaleString('en')} events`));
  const stepMs = await page.evaluate(async () => {
    const back = /** @type {HTMLElement} */ (document.getElementById('tl-back'));
    const out = [];
    for (let i = 0; i < 9; i++) {
      const t0 = performance.now();
      back.click();
      await new Promise((r) => requestAnimationFrame(() => r(0)));
      out.push(performance.now() - t0);
    }
    return out.sort((a, b) => a - b)[4];
  });
  console.log(`timeline step at ${big.events.id.length} events: median ${stepMs.toFixed(1)} ms`);
  assert.ok(stepMs < 250, `a step took ${stepMs} ms`);
  assert.deepEqual(problems, []);
});

test('pin and compare configurations side by side; pins survive the link', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
  await ready(page);
  await page.click('#pin');
  const first = JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}');
  const second = await change(page, () => page.selectOption('#c-trigger-mode', 'job'));
  await page.click('#pin');
  assert.equal(second.trigger.kind, 'scheduled');
  assert.equal(await page.textContent('#pin-count'), '2');
  await page.click('#tab-compare');
  await page.waitForSelector('#app[data-compare="done"]');
  const cards = page.locator('#compare-cards .card');
  assert.equal(await cards.count(), 2);
  for (const [i, sc] of [first, second].entries()) {
    const r = cli(sc);
    assert.equal(await cards.nth(i).locator('[data-metric="stripUsd"] dd').textContent(), dollars(r.cost.usd_per_month.total));
  }
  assert.match(await cards.nth(0).locator('h3').textContent() ?? '', /^stream 1 min/);
  assert.match(await cards.nth(1).locator('h3').textContent() ?? '', /^job 1 min/);
  // A job every minute whose cluster takes 4.5 min to start never stops: its runs follow
  // each other, so a steady month bills it like the always-on stream (docs/model.md §9).
  const [stream, job] = [cli(first), cli(second)].map((r) => r.cost.usd_per_month.compute);
  assert.ok(Math.abs(job - stream) <= 0.01 * stream, `${job} vs ${stream}`);
  assert.ok(cli(second).summary.overlapping_runs > 0);
  assert.equal(await page.locator('#cmp-files canvas').count(), 1);
  await page.screenshot({ path: path.join(SHOTS, 'app-compare.png'), fullPage: true });
  // The link carries the pins.
  const url = page.url();
  await page.goto('about:blank');
  await page.goto(url);
  await ready(page);
  await page.waitForSelector('#app[data-compare="done"]');
  assert.equal(await page.locator('#compare-cards .card').count(), 2);
  await page.click('#compare-cards .card >> nth=0 >> .unpin');
  assert.equal(await page.locator('#compare-cards .card').count(), 1);
  assert.equal(await page.textContent('#pin-count'), '1');
  assert.deepEqual(problems, []);
});

test('the JS API runs a scenario and links to the app', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
  await ready(page);
  const sc = { seed: 9, workload: { duration_s: 600, rate_per_s: 50 }, sink: { format: 'parquet' }, trigger: { kind: 'processing_time', interval_s: 10 } };
  const out = await page.evaluate(async (sc) => {
    const api = await import('./api.js');
    const r = await api.simulate(sc);
    const w = await api.simulateInWorker(sc);
    let error = '';
    try { await api.simulate({ ...sc, trigger: { kind: 'processing_time', interval_s: 0 } }); } catch (e) { error = String(e); }
    return { digest: r.digest, workerDigest: w.digest, usd: r.cost.usd_per_month.total, files: Array.from(r.batches.dataFiles),
      link: api.link(sc, { view: 'timeline' }), error };
  }, sc);
  const native = execFileSync(path.join(ROOT, 'target/release/pipeline-sim'), ['run', '-', '--format', 'digest'], { input: JSON.stringify(sc) }).toString().trim();
  assert.equal(out.digest, native);
  assert.equal(out.workerDigest, native);
  const r = cli(sc);
  assert.equal(out.usd, r.cost.usd_per_month.total);
  assert.deepEqual(out.files, r.batches.data_files);
  assert.match(out.error, /trigger\.interval_s: must be greater than 0/);
  await page.goto(out.link);
  await ready(page);
  assert.equal(await page.getAttribute('#tab-timeline', 'aria-selected'), 'true');
  assert.equal(JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}').workload.rate_per_s, 50);
  assert.deepEqual(problems, []);
});

test('dark mode follows the system', async () => {
  const { page, problems } = browser;
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${HOUR}&view=sweep`, server.base).href);
  await ready(page);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(13, 17, 23)');
  await page.click('#tab-run');
  await page.screenshot({ path: path.join(SHOTS, 'app-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  assert.deepEqual(problems, []);
});

test('Korean, and 375 px wide: the default day\'s preview and its label', async () => {
  const { page, problems } = browser;
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(new URL('?lang=ko', server.base).href);
  await shown(page);
  assert.equal(await page.textContent('h1'), '파이프라인 시뮬레이터');
  assert.equal(await page.textContent('label[for="c-trigger-every"]'), '트리거 간격');
  assert.equal(await page.getAttribute('#app', 'data-state'), 'preview');
  assert.match(await page.textContent('#preview-note') ?? '', /^미리보기: 첫 16분 — 전체 하루 실행 중… \(\d+%\)$/);
  assert.equal(await page.isVisible('#preview-note'), true);
  assert.equal(await page.textContent('[data-metric="stripUsd"] dt'), '월 $미리보기');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page wider than the screen by ${overflow}px`);
  await page.screenshot({ path: path.join(SHOTS, 'app-ko-375.png'), fullPage: true });
  await page.setViewportSize({ width: 1200, height: 900 });
  assert.deepEqual(problems, []);
});
