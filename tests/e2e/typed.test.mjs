// Your own numbers, typed: a rate, a duration and a cluster size typed next to their
// controls reach the scenario (and the link), the core checks them and names the field,
// the cost panel says how its month was made and which cluster it chose.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { SHOTS, HOUR, startServer, openBrowser, change, cli, ready } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {Awaited<ReturnType<typeof openBrowser>>} */ let browser;

before(async () => { server = await startServer(); browser = await openBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

/** Types `text` into a box and commits it (Enter). @param {import('playwright-core').Page} page @param {string} sel @param {string} text */
async function type(page, sel, text) {
  await page.fill(sel, text);
  await page.press(sel, 'Enter');
}

test('typed values with units reach the scenario, the link and the CLI\'s numbers', async () => {
  const { page, problems } = browser;
  await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
  await ready(page);
  // 30 minutes at 2.5k events/s, typed with units.
  let sc = await change(page, () => type(page, '#c-workload-duration_s-typed', '30 min'));
  assert.equal(sc.workload.duration_s, 1800);
  sc = await change(page, () => type(page, '#c-workload-rate_per_s-typed', '2.5k'));
  assert.equal(sc.workload.rate_per_s, 2500);
  // The list shows the typed duration as an entry of its own; the slider stays in range.
  assert.equal(await page.inputValue('#c-workload-duration_s'), '1800');
  assert.equal(await page.textContent('.control[data-path="workload.rate_per_s"] output'), '2,500/s');
  const r = cli(sc);
  assert.equal(Number((await page.textContent('[data-metric="events"] dd'))?.replace(/[^0-9]/g, '')), r.summary.events);
  // The link carries them.
  const hash = new URL(page.url()).hash;
  const s = new URLSearchParams(hash.slice(1)).get('s') ?? '';
  const linked = JSON.parse(Buffer.from(s, 'base64url').toString());
  assert.equal(linked.workload.rate_per_s, 2500);
  assert.equal(linked.workload.duration_s, 1800);
  assert.deepEqual(problems, []);
});

test('a value that does not read is refused at its box; one the core refuses names its field', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
  await ready(page);
  const before = await page.getAttribute('#app', 'data-scenario');
  await type(page, '#c-workload-rate_per_s-typed', 'fast');
  assert.match(await page.textContent('.control[data-path="workload.rate_per_s"] .field-error') ?? '', /“fast” is not a number/);
  assert.equal(await page.getAttribute('#app', 'data-scenario'), before, 'nothing ran');
  // 20 M events/s is past the core's highest rate, said at the rate.
  await type(page, '#c-workload-rate_per_s-typed', '20M');
  await page.waitForSelector('#app[data-state="invalid"]');
  assert.match(await page.textContent('.control[data-path="workload.rate_per_s"] .field-error') ?? '',
    /^workload\.rate_per_s: must be at most 10000000 events\/s/);
  // A cluster of "many" nodes: the core's message at the nodes box.
  await change(page, () => type(page, '#c-workload-rate_per_s-typed', '200'));
  assert.equal(await page.getAttribute('#app', 'data-state'), 'ready');
  await type(page, '#c-cost-compute-nodes', 'many');
  await page.waitForSelector('#app[data-state="invalid"]');
  assert.match(await page.textContent('.control[data-path="cost.compute.nodes"] .field-error') ?? '',
    /^cost\.compute\.nodes: .*"many" is not a number of nodes/);
  await page.screenshot({ path: path.join(SHOTS, 'typed-invalid.png') });
  assert.deepEqual(problems, []);
});

test('auto nodes: the chosen cluster and how busy it is; a fixed small one falls behind; how the month was made', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
  await ready(page);
  let sc = await change(page, () => type(page, '#c-cost-compute-nodes', 'auto'));
  assert.equal(sc.cost.compute.nodes, 'auto');
  sc = await change(page, () => type(page, '#c-workload-rate_per_s-typed', '2000'));
  const r = cli(sc);
  const k = r.cost.cluster;
  assert.ok(k.auto && k.utilization <= 0.7 + 1e-9);
  const busy = k.utilization.toLocaleString('en', { style: 'percent', maximumFractionDigits: 0 });
  assert.equal(await page.textContent('[data-metric="cluster"] dd'), `${k.nodes} nodes (auto), ${busy} busy at peak`);
  // The month: a steady window of this hour, the reader's 24 h estimated.
  const basis = await page.textContent('#cost-basis') ?? '';
  assert.match(basis, /^Per month: the rates from .* of the run \(after a .* warm-up\), over 30 days\./);
  assert.match(basis, /Readers: estimated for a full 24 h lookback/);
  // A fixed 2-node cluster with a 5 ms row cannot keep up with 2,000 events/s.
  await page.waitForLoadState('networkidle');
  await page.goto('about:blank');
  const slow = Buffer.from(JSON.stringify({ workload: { rate_per_s: 2000, duration_s: 1800 },
    batch_cost: { per_row_us: 5000 }, cost: { compute: { nodes: 2 } } })).toString('base64url');
  await page.goto(new URL(`?lang=en#v=1&s=${slow}`, server.base).href);
  await ready(page);
  assert.match(await page.textContent('[data-metric="cluster"] dd') ?? '', /^2 nodes, [\d,]+% busy at peak: falling behind$/);
  await page.screenshot({ path: path.join(SHOTS, 'typed-cluster.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('Kafka brokers: the preset adds the same dollars for every trigger, in the bar, the panel and the month', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
  await ready(page);
  assert.equal(await page.inputValue('#c-cost-brokers-preset'), 'none');
  assert.equal(await page.$('[data-metric="usdBrokers"]'), null, 'no broker line while not priced');
  let sc = await change(page, () => page.selectOption('#c-cost-brokers-preset', 'gcp_managed_kafka'));
  assert.equal(sc.cost.brokers.preset, 'gcp_managed_kafka');
  const r = cli(sc);
  const m = r.cost.usd_per_month.source_brokers;
  // The page's hour at 1,000 events/s of 200 bytes is under the smallest cluster: $0.27 × 720 h.
  assert.ok(r.cost.brokers.at_minimum);
  assert.ok(Math.abs(m - 194.4) < 1e-6, String(m));
  const money = `$${m.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  assert.equal(await page.textContent('[data-metric="usdBrokers"] dd'), money);
  assert.equal(await page.textContent('.stack-legend li[data-part="c_brokers"]'), `Kafka brokers: ${money}`);
  assert.match(await page.textContent('#cost-basis') ?? '', /Kafka brokers: not simulated; estimated from the topic’s mean ingest/);
  // Another trigger: the brokers cost the same.
  sc = await change(page, () => page.selectOption('#c-trigger-mode', 'job'));
  assert.equal(cli(sc).cost.usd_per_month.source_brokers, m);
  assert.equal(await page.textContent('[data-metric="usdBrokers"] dd'), money);
  // In Korean, the line and its option are translated.
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=ko#v=1&s=${Buffer.from(JSON.stringify(sc)).toString('base64url')}`, server.base).href);
  await ready(page);
  assert.equal(await page.textContent('[data-metric="usdBrokers"] dt'), 'Kafka 브로커');
  await page.screenshot({ path: path.join(SHOTS, 'typed-brokers-ko.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
