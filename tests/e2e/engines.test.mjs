// Spark and Flink on the page (issue #16): the engine switch swaps the controls (Flink's
// checkpoint interval for Spark's trigger), a Flink run fetches the Flink module and shows
// the native CLI's numbers and Flink's own figures, a Flink link opens on Flink, "compare"
// pins both engines at one interval, the sweep runs over the checkpoint interval, and the
// idle partition's stall is named. English and Korean, with screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ROOT, SHOTS, HOUR, startServer, openBrowser, change, cli, ready, setLang } from './harness.mjs';

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

/** The base64url hash of a scenario patch. @param {any} patch */
const hashOf = (patch) => `#v=1&s=${Buffer.from(JSON.stringify(patch)).toString('base64url')}`;

test('the engine switch runs the same workload on Flink with its own controls and the CLI\'s numbers', async () => {
  const { page, problems } = browser;
  /** @type {string[]} */
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
  await ready(page);
  assert.equal(fetched.filter((p) => p.includes('pkg-flink')).length, 0, 'a Spark page does not fetch the Flink module');
  // The switch comes with the page's later code (the first reach for anything loads it).
  await page.focus('#c-trigger-every');
  await page.waitForSelector('#c-engine-name');
  assert.equal(await page.locator('#c-flink-checkpoint_interval_s').count(), 0);
  const sc = await change(page, () => page.selectOption('#c-engine-name', 'flink'));
  assert.equal(sc.engine.name, 'flink');
  assert.equal(sc.flink.checkpoint_interval_s, 60, 'Flink starts at the Spark trigger interval');
  assert.ok(fetched.some((p) => p.endsWith('pkg-flink/pipeline_sim_bg.wasm')), 'the Flink module is fetched for a Flink run');
  // Flink's controls in, Spark's trigger and shuffle partitions out.
  assert.equal(await page.locator('#c-trigger-every').count(), 0);
  assert.equal(await page.locator('#c-engine-shuffle_partitions').count(), 0);
  assert.equal(await page.locator('#c-flink-checkpoint_interval_s').count(), 1);
  const r = cli(sc);
  assert.ok(r.flink, 'the CLI ran it on Flink');
  assert.equal(await metric(page, 'events'), r.summary.events);
  assert.equal(await metric(page, 'outputRows'), r.summary.output_rows);
  assert.equal(await page.textContent('[data-metric="usdTotal"] dd'), dollars(r.cost.usd_per_month.total));
  assert.equal(await metric(page, 'dataFiles'), r.cost.storage.data_files_written);
  await page.waitForSelector('#flink:not([hidden])');
  assert.equal(Number((await page.textContent('[data-flink="flinkCheckpoints"]'))?.replace(/\D/g, '')), r.flink.checkpoints);
  assert.equal(await page.textContent('#batches-h span'), 'Checkpoints');
  // A shorter checkpoint interval: about six times the checkpoints and fresher results, as the
  // CLI says (a 1-min window's results come once a minute: the part files stay 60).
  const fast = await change(page, async () => {
    await page.fill('#c-flink-checkpoint_interval_s-typed', '10 s');
    await page.press('#c-flink-checkpoint_interval_s-typed', 'Enter');
  });
  assert.equal(fast.flink.checkpoint_interval_s, 10);
  const rf = cli(fast);
  assert.ok(rf.flink.checkpoints > 5 * r.flink.checkpoints, `${rf.flink.checkpoints} vs ${r.flink.checkpoints}`);
  assert.ok(rf.summary.latency.p95_s < r.summary.latency.p95_s);
  assert.equal(Number((await page.textContent('[data-flink="flinkCheckpoints"]'))?.replace(/\D/g, '')), rf.flink.checkpoints);
  assert.equal(await metric(page, 'dataFiles'), rf.cost.storage.data_files_written);
  assert.doesNotMatch(await page.textContent('main') ?? '', /NaN|undefined/);
  // The code to run it is PyFlink's, as `pipeline-sim pyflink` writes it.
  assert.equal(await page.textContent('#pyspark summary'), 'Run it on a real cluster: the PyFlink code');
  await page.click('#pyspark summary');
  await page.waitForFunction(() => (document.getElementById('pyspark-code')?.textContent ?? '').length > 0);
  const code = await page.textContent('#pyspark-code') ?? '';
  const dir = mkdtempSync(path.join(tmpdir(), 'pyflink-'));
  writeFileSync(path.join(dir, 'sc.json'), JSON.stringify(fast));
  assert.equal(code.trim(), execFileSync(path.join(ROOT, 'target/release/pipeline-sim'), ['pyflink', path.join(dir, 'sc.json')]).toString().trim());
  assert.match(code, /from pyflink/);
  await page.screenshot({ path: path.join(SHOTS, 'engine-flink-en.png'), fullPage: true });
  // And back to Spark at the checkpoint interval.
  const back = await change(page, () => page.selectOption('#c-engine-name', 'spark'));
  assert.equal(back.engine.name, undefined);
  assert.equal(back.flink, undefined);
  assert.deepEqual(back.trigger, { kind: 'processing_time', interval_s: 10 });
  await page.waitForSelector('#flink', { state: 'hidden' });
  assert.deepEqual(problems, []);
});

test('compare pins Spark and Flink at one interval; the sweep runs over the checkpoint interval (Korean)', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=ko${hashOf({ engine: { name: 'flink' }, flink: { checkpoint_interval_s: 60 } })}`, server.base).href);
  await ready(page);
  // A Flink link opens on Flink, its switch and controls there at once.
  await page.waitForSelector('#c-flink-checkpoint_interval_s');
  assert.equal(await page.inputValue('#c-engine-name'), 'flink');
  assert.equal(await page.textContent('label[for="c-flink-checkpoint_interval_s"]'), '체크포인트 간격');
  await page.waitForSelector('#flink:not([hidden])');
  await page.screenshot({ path: path.join(SHOTS, 'engine-flink-ko.png'), fullPage: true });
  await page.click('#engine-compare');
  await page.waitForFunction(() => document.getElementById('app')?.dataset.compare === 'done');
  assert.equal(await page.locator('#compare-cards > *').count(), 2);
  const text = await page.textContent('#compare-cards') ?? '';
  assert.match(text, /Flink 1분/);
  assert.doesNotMatch(text, /NaN|undefined/);
  await page.screenshot({ path: path.join(SHOTS, 'engine-compare-ko.png'), fullPage: true });
  // The sweep: Flink's checkpoint interval from 1 s to 1 day. At 1 s the 1-s checkpoint
  // (flink.checkpoint_duration_s) would not finish before the next: refused, with its field.
  await page.click('#tab-sweep');
  await page.click('#sweep-run');
  await page.waitForFunction(() => document.getElementById('app')?.dataset.sweep === 'done', null, { timeout: 300_000 });
  assert.equal(await page.locator('#sweep-table tbody tr[data-point="done"]').count(), 15, await page.textContent('#sweep-table tbody') ?? '');
  assert.match(await page.textContent('#sweep-table tbody tr[data-point="refused"]') ?? '', /^1초.*flink\.checkpoint_duration_s/);
  await page.screenshot({ path: path.join(SHOTS, 'engine-sweep-ko.png'), fullPage: true });
  await setLang(page, 'en');
  assert.deepEqual(problems, []);
});

test('a silent Kafka partition stalls every Flink window, and an idle timeout lets it go', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  // 100 keys over 16 partitions: murmur2 leaves partition 7 without a key (lesson 11).
  const patch = { engine: { name: 'flink' }, source: { kafka_partitions: 16 } };
  await page.goto(new URL(`?lang=en${hashOf(patch)}`, server.base).href);
  await ready(page);
  await page.waitForSelector('#flink-stalled');
  assert.equal(await metric(page, 'outputRows'), 0);
  await page.screenshot({ path: path.join(SHOTS, 'engine-stall-en.png'), fullPage: true });
  const sc = await change(page, () => page.selectOption('#c-flink-idleness_s', '30'));
  assert.equal(sc.flink.idleness_s, 30);
  const r = cli(sc);
  assert.ok(r.summary.output_rows > 0);
  assert.equal(await metric(page, 'outputRows'), r.summary.output_rows);
  assert.equal(await page.locator('#flink-stalled').count(), 0);
  assert.deepEqual(problems, []);
});

test('the sweep over both engines draws Spark\'s and Flink\'s lines at the same intervals and names the cheapest', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${HOUR}&view=sweep`, server.base).href);
  await ready(page);
  await page.selectOption('#sweep-mode', 'engines');
  await page.click('#sweep-run');
  await page.waitForFunction(() => document.getElementById('app')?.dataset.sweep === 'done', null, { timeout: 300_000 });
  const rows = page.locator('#sweep-table tbody tr');
  assert.equal(await rows.count(), 32);
  // Flink at 1 s: its 1-s checkpoint would not finish in time (refused at its field).
  assert.equal(await page.locator('#sweep-table tbody tr[data-point="done"]').count(), 31);
  assert.match(await page.textContent('#sweep-table tbody tr[data-point="refused"]') ?? '', /^Flink 1 s.*flink\.checkpoint_duration_s/);
  assert.match(await rows.nth(0).textContent() ?? '', /^Spark 1 s/);
  assert.match(await rows.nth(16).textContent() ?? '', /^Flink 1 s/);
  // Both engines' cost and p95 lines and fronts (uPlot's legend).
  const legend = await page.locator('#sweep-chart .u-legend .u-series').allTextContents();
  for (const s of ['Spark: ', 'Flink: ']) assert.ok(legend.filter((l) => l.includes(s)).length === 3, legend.join(' | '));
  assert.match(await page.textContent('#sweep-answer') ?? '', /(Spark|Flink) \d/);
  await page.screenshot({ path: path.join(SHOTS, 'engine-sweep-both-en.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('the JS API runs a Flink scenario (on this thread and in a worker) as the CLI does', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
  await ready(page);
  const scenario = { seed: 3, engine: { name: 'flink' }, workload: { duration_s: 600 }, flink: { checkpoint_interval_s: 20 } };
  const got = await page.evaluate(async (sc) => {
    const api = await import('./api.js');
    const here = await api.simulate(sc);
    const there = await api.simulateInWorker(sc);
    return { here: here.digest, there: there.digest, checkpoints: here.flink?.checkpoints };
  }, scenario);
  const r = cli(scenario);
  const native = execFileSync(path.join(ROOT, 'target/release/pipeline-sim'), ['run', '-', '--format', 'digest'], { input: JSON.stringify(scenario) }).toString().trim();
  assert.equal(got.here, native);
  assert.equal(got.there, native);
  assert.equal(got.checkpoints, r.flink.checkpoints);
  assert.deepEqual(problems, []);
});

test('the timeline of a Flink run draws its periodic watermark and its window firings, as many as the CLI counts', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  const patch = {
    engine: { name: 'flink' },
    workload: { duration_s: 300, rate_per_s: 20, lateness: { kind: 'exponential', mean_s: 20 } },
    query: { watermark_delay_s: 10 },
    flink: { checkpoint_interval_s: 30, watermark_interval_ms: 5000, allowed_lateness_s: 30 },
  };
  await page.goto(new URL(`?lang=en${hashOf(patch)}&view=timeline`, server.base).href);
  await ready(page);
  await page.waitForSelector('#tl-legend li[data-flink="plus"]');
  const sc = JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}');
  const r = cli(sc);
  const numbers = async (/** @type {string} */ shape) => ((await page.textContent(`#tl-legend li[data-flink="${shape}"]`)) ?? '')
    .match(/\d[\d,]*/g)?.map((s) => Number(s.replace(/,/g, ''))) ?? [];
  // A 5-minute run is not thinned: every forwarded watermark, every firing row.
  assert.deepEqual(await numbers('line'), [r.flink.watermarks]);
  assert.equal((await numbers('tick'))[1], r.flink.watermark_firings);
  assert.equal((await numbers('plus'))[1], r.flink.element_firings);
  assert.ok(r.flink.element_firings > 0, 'late elements re-fired windows');
  assert.match(await page.textContent('#tl-note') ?? '', /every 5,000 ms/);
  assert.match(await page.textContent('#tl-info') ?? '', /^after checkpoint \d+ of \d+$/);
  assert.equal(await page.textContent('label.tl-scrub span'), 'Checkpoint');
  await page.locator('#view-timeline').screenshot({ path: path.join(SHOTS, 'engine-timeline-en.png') });
  assert.deepEqual(problems, []);
});
