// The two wasm modules (issue #15): the page's first result needs the core only
// (www/pkg/); the formats module (www/pkg-formats/: the file readers and the Arrow export)
// is fetched when a data source other than the generator is chosen, and then works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HOUR, startServer, openBrowser, change, settled } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {Awaited<ReturnType<typeof openBrowser>>} */ let browser;
/** Every URL the page, its workers and frames requested. @type {string[]} */
const requested = [];

before(async () => {
  server = await startServer();
  browser = await openBrowser();
  browser.page.context().on('request', (r) => requested.push(r.url()));
});
after(async () => { await browser?.close(); server?.stop(); });

const formatsFetched = () => requested.filter((u) => new URL(u).pathname.includes('/pkg-formats/'));

test('a generated-events run fetches the core module only', async () => {
  const { page, problems } = browser;
  await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
  await settled(page);
  assert.equal(await page.getAttribute('#app', 'data-state'), 'ready');
  assert.ok(requested.some((u) => new URL(u).pathname.endsWith('/pkg/pipeline_sim_bg.wasm')), 'the core was fetched');
  assert.deepEqual(formatsFetched(), [], 'the formats module was not fetched');
  assert.deepEqual(problems, []);
});

test('choosing the bundled earthquakes dataset fetches the formats module, which reads it', async () => {
  const { page, problems } = browser;
  const scenario = await change(page, () => page.selectOption('#data-source', 'earthquakes'));
  assert.equal(scenario.workload.data.file, 'datasets/vega/earthquakes.json');
  assert.equal(await page.getAttribute('#app', 'data-state'), 'ready');
  const rows = await page.textContent('#data-stats [data-metric="dRows"] dd');
  assert.equal(Number((rows ?? '').replace(/[^0-9]/g, '')), 1707);
  const fetched = formatsFetched().map((u) => new URL(u).pathname.split('/').pop());
  assert.ok(fetched.includes('pipeline_sim_formats_bg.wasm'), `fetched: ${fetched.join(', ')}`);
  assert.ok(fetched.includes('pipeline_sim_formats.js'), `fetched: ${fetched.join(', ')}`);
  assert.deepEqual(problems, []);
});

test('the server sends the formats module as application/wasm', async () => {
  const r = await fetch(new URL('pkg-formats/pipeline_sim_formats_bg.wasm', server.base));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/wasm');
});

test('a CSV export needs the core only; an Arrow export fetches the formats module, which writes it', async () => {
  const fresh = await openBrowser();
  try {
    const { page, problems } = fresh;
    /** @type {string[]} */ const seen = [];
    page.context().on('request', (r) => seen.push(new URL(r.url()).pathname));
    const formats = () => seen.filter((p) => p.includes('/pkg-formats/'));
    await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
    await settled(page);
    /** @param {string} selector */
    const save = async (selector) => {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
      return readFileSync(await dl.path() ?? '');
    };
    const csv = await save('[data-export="batches.csv"]');
    assert.match(csv.toString('utf8'), /^id,start_us,end_us,/);
    assert.deepEqual(formats(), [], 'a CSV export did not fetch the formats module');
    const arrow = await save('[data-export="events.arrow"]');
    assert.equal(arrow.subarray(0, 6).toString('latin1'), 'ARROW1');
    assert.ok(formats().some((p) => p.endsWith('/pipeline_sim_formats_bg.wasm')), `fetched: ${formats().join(', ')}`);
    assert.deepEqual(problems, []);
  } finally {
    await fresh.close();
  }
});

test('when the formats module cannot be fetched, the data panel says so, naming workload.data', async () => {
  const fresh = await openBrowser();
  try {
    const { page } = fresh;
    await page.context().route('**/pkg-formats/**', (r) => r.abort());
    await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
    await settled(page);
    await page.selectOption('#data-source', 'earthquakes');
    await page.waitForFunction(() => {
      const app = document.getElementById('app');
      return app?.dataset.state === 'invalid' && app.getAttribute('aria-busy') === 'false';
    }, null, { timeout: 30_000 });
    assert.match(await page.textContent('#data-problem') ?? '', /^workload\.data: the file formats module could not be loaded/);
    assert.equal(await page.evaluate(() => 1 + 1), 2);
  } finally {
    await fresh.close();
  }
});
