// Real data in the browser: each bundled dataset runs end to end with the CLI's numbers; a
// dropped file is read in the page (no request leaves the origin), its bad rows are shown as
// text, never HTML; malformed files give the core's message and never freeze the page; the
// report goes out as Arrow IPC (read back with pyarrow against the CLI's JSON report), CSV,
// PNG and SVG.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, SHOTS, HOUR, startServer, openBrowser, change, settled } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {Awaited<ReturnType<typeof openBrowser>>} */ let browser;
/** Every URL the page requested. @type {string[]} */
const requested = [];
const TMP = mkdtempSync(path.join(tmpdir(), 'pipeline-sim-data-'));

before(async () => {
  server = await startServer();
  browser = await openBrowser();
  browser.page.on('request', (r) => requested.push(r.url()));
});
after(async () => { await browser?.close(); server?.stop(); });

const CLI = path.join(ROOT, 'target/release/pipeline-sim');

/** The CLI's JSON report text for a scenario (data paths are relative to the repo root). @param {any} scenario */
function cliText(scenario) {
  const file = path.join(TMP, 'scenario.json');
  writeFileSync(file, JSON.stringify(scenario));
  return execFileSync(CLI, ['run', file], { cwd: ROOT, maxBuffer: 1 << 30 }).toString();
}
/** @param {any} scenario */
const cli = (scenario) => JSON.parse(cliText(scenario));

/** @param {import('playwright-core').Page} page @param {string} key */
async function stat(page, key) {
  return (await page.textContent(`#data-stats [data-metric="${key}"] dd`)) ?? '';
}
const num = (/** @type {string} */ s) => Number(s.replace(/[^0-9.]/g, ''));

for (const [name, rows, events] of [['earthquakes', 1707, 1707], ['flights', 200000, 200000], ['weblog', 3252, 2173]]) {
  test(`the bundled ${name} dataset runs end to end with the CLI's numbers`, async () => {
    const { page, problems } = browser;
    await page.goto('about:blank');
    await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
    await settled(page);
    const t0 = Date.now();
    const scenario = await change(page, () => page.selectOption('#data-source', name));
    const wall = Date.now() - t0;
    assert.equal(scenario.workload.data.file.startsWith('datasets/'), true);
    assert.equal(await page.getAttribute('#app', 'data-state'), 'ready');
    assert.equal(num(await stat(page, 'dRows')), rows);
    assert.equal(num(await stat(page, 'dEvents')), events);
    const r = cli(scenario);
    assert.equal(r.data.rows, rows);
    assert.equal(r.data.events, events);
    assert.equal(num(await page.textContent('[data-metric="events"] dd') ?? ''), r.summary.events);
    assert.equal(num(await page.textContent('[data-metric="dataFiles"] dd') ?? ''), r.cost.storage.data_files_written);
    assert.equal(num(await stat(page, 'dBad')), r.data.bad_rows);
    const loadMs = await stat(page, 'dLoadMs');
    console.log(`# ${name}: ${rows} rows, ${r.data.bad_rows} bad, lateness p50 ${r.data.lateness_p50_s} s, p99 ${r.data.lateness_p99_s} s; browser: parse ${loadMs}, fetch + parse + run ${await page.textContent('[data-metric="stripRan"] dd')}, pick to drawn ${wall} ms`);
    await page.screenshot({ path: path.join(SHOTS, `data-${name}.png`), fullPage: true });
    assert.doesNotMatch(await page.textContent('main') ?? '', /NaN|undefined/);
    assert.deepEqual(problems, []);
  });
}

test('the link keeps a bundled dataset, and the sweep replays it', async () => {
  const { page, problems } = browser;
  const url = page.url();
  assert.match(url, /#v=1&s=/);
  await page.goto('about:blank');
  await page.goto(url);
  await settled(page);
  assert.equal(await page.inputValue('#data-source'), 'weblog');
  assert.equal(num(await stat(page, 'dEvents')), 2173);
  await page.click('#tab-sweep');
  await page.click('#sweep-run');
  await page.waitForSelector('#app[data-sweep="done"]', { timeout: 120_000 });
  assert.ok(await page.locator('#sweep-table tbody tr').count() >= 9);
  assert.deepEqual(problems, []);
});

test('a dropped CSV is read in the page: bad rows are counted and shown as text, never as HTML', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
  await settled(page);
  await page.selectOption('#data-source', 'file');
  const csv = [
    'event_time,arrival_time,user_id,amount',
    '2024-03-01T10:00:00Z,2024-03-01T10:00:04Z,u1,5',
    '2024-03-01T10:00:30Z,2024-03-01T10:00:31Z,u2,7',
    '<img src=x onerror="window.__pwned=1">,2024-03-01T10:00:31Z,u3,1',
    '2024-03-01T10:01:10Z,2024-03-01T10:03:00Z,u1',
    '2024-03-01T10:02:00Z,2024-03-01T10:02:02Z,u2,9',
  ].join('\n');
  const scenario = await change(page, () => page.setInputFiles('#data-file',
    { name: 'my events.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }));
  // The mapping was guessed from the header and the first row.
  assert.deepEqual(scenario.workload.data, {
    file: 'my events.csv', format: 'csv',
    event_time: { column: 'event_time', unit: 'rfc3339' },
    arrival: { column: 'arrival_time', unit: 'rfc3339' },
    key: 'user_id',
  });
  assert.equal(num(await stat(page, 'dRows')), 5);
  assert.equal(num(await stat(page, 'dEvents')), 3);
  assert.equal(num(await stat(page, 'dBad')), 2);
  const bad = await page.locator('#data-bad li').allTextContents();
  assert.equal(bad.length, 2);
  assert.match(bad[0], /^line 4: event_time: '<img src=x onerror="window\.__pwned=1">' is not an RFC 3339 time$/);
  assert.match(bad[1], /^line 5: 3 fields where the header has 4$/);
  assert.equal(await page.locator('#data-bad img').count(), 0);
  assert.equal(await page.evaluate(() => /** @type {any} */ (window).__pwned), undefined);
  // The same file through the CLI gives the same run.
  writeFileSync(path.join(TMP, 'my events.csv'), csv);
  const r = cli({ ...scenario, workload: { ...scenario.workload, data: { ...scenario.workload.data, file: path.join(TMP, 'my events.csv') } } });
  assert.equal(num(await page.textContent('[data-metric="events"] dd') ?? ''), r.summary.events);
  await page.screenshot({ path: path.join(SHOTS, 'data-dropped-csv.png'), fullPage: true });
  // Remapped by hand: no arrival column, the lateness model draws arrivals.
  const s2 = await change(page, () => page.selectOption('#data-arrival_mode', 'model'));
  assert.equal(s2.workload.data.arrival, undefined);
  assert.match(await stat(page, 'dLateModel'), /model/);
  assert.deepEqual(problems, []);
});

test('malformed files give the core\'s message at the data panel and the page stays responsive', async () => {
  const { page, problems } = browser;
  await page.selectOption('#data-source', 'file');
  const cases = [
    { name: 'garbage.arrow', buffer: Buffer.from('ARROW1\0\0this is not arrow at all'), want: /^workload\.data: 'garbage\.arrow' \(Arrow\): not a readable Arrow IPC file/ },
    { name: 'broken.json', buffer: Buffer.from('[{"time": 1, "updated": '), want: /^workload\.data: 'broken\.json' \(Json\): not a JSON document/ },
    { name: 'noise.csv', buffer: Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x0a, 0x80, 0x81]), want: /^workload\.data: / },
    { name: 'empty.jsonl', buffer: Buffer.from(''), want: /gives no events: it has no rows/ },
  ];
  for (const c of cases) {
    await page.setInputFiles('#data-file', { name: c.name, mimeType: 'application/octet-stream', buffer: c.buffer });
    await page.waitForFunction((n) => {
      const app = document.getElementById('app');
      return app?.dataset.state === 'invalid' && app.dataset.ran?.includes(n) && app.getAttribute('aria-busy') === 'false';
    }, c.name, { timeout: 30_000 });
    assert.match(await page.textContent('#data-problem') ?? '', c.want, c.name);
    // Still responsive: the main thread answers at once.
    assert.equal(await page.evaluate(() => 1 + 1), 2);
  }
  await page.screenshot({ path: path.join(SHOTS, 'data-malformed.png') });
  // An unknown extension is refused before anything is read.
  await page.setInputFiles('#data-file', { name: 'notes.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('x') });
  assert.match(await page.textContent('#data-problem') ?? '', /Cannot tell the format of notes\.xlsx/);
  assert.deepEqual(problems, []);
});

test('the JS API replays a given file and a bundled one', async () => {
  const { page, problems } = browser;
  const out = await page.evaluate(async () => {
    const api = await import('./api.js');
    const csv = 'ts,key\n2024-01-01T00:00:00Z,a\n2024-01-01T00:00:30Z,b\nbad,c\n';
    const sc = { seed: 3, workload: { data: { file: 'x.csv', event_time: { column: 'ts', unit: 'rfc3339' }, key: 'key' } } };
    const r = await api.simulate(sc, { files: { 'x.csv': new TextEncoder().encode(csv) } });
    const q = await api.simulateInWorker({ seed: 1, workload: { data: { file: 'datasets/vega/earthquakes.json',
      event_time: { column: 'time', unit: 'epoch_ms' }, arrival: { column: 'updated', unit: 'epoch_ms' } } },
    query: { watermark_delay_s: 21600, window: { kind: 'tumbling', size_s: 3600 } } });
    let missing = '';
    try { await api.simulate({ ...sc, workload: { data: { ...sc.workload.data, file: 'y.csv' } } }); } catch (e) { missing = String(e); }
    return { events: r.summary.events, bad: r.data.bad_rows, reason: r.data.bad_examples[0].reason, quakes: q.data.events, missing };
  });
  assert.equal(out.events, 2);
  assert.equal(out.bad, 1);
  assert.match(out.reason, /^ts: 'bad' is not an RFC 3339 time/);
  assert.equal(out.quakes, 1707);
  assert.match(out.missing, /the file 'y\.csv' was not given/);
  assert.deepEqual(problems, []);
});

test('no request ever left the page\'s origin', () => {
  const origin = new URL(server.base).origin;
  const outside = requested.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:') && u !== 'about:blank');
  assert.deepEqual(outside, []);
  assert.ok(requested.some((u) => u.includes('/datasets/vega/flights-200k.arrow')), 'bundled data came from the same origin');
});

test('the report goes out as Arrow IPC (pyarrow reads it back equal to the CLI\'s JSON), CSV, PNG and SVG', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
  await settled(page);
  const scenario = await change(page, () => page.selectOption('#data-source', 'weblog'));
  const reportFile = path.join(TMP, 'report.json');
  // The CLI's text as it is: i64 values (i64::MIN for "none") must not pass through JS numbers.
  writeFileSync(reportFile, cliText(scenario));
  /** @param {string} selector */
  const save = async (selector) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    const file = path.join(TMP, dl.suggestedFilename());
    await dl.saveAs(file);
    return file;
  };
  for (const table of ['batches', 'events']) {
    const file = await save(`[data-export="${table}.arrow"]`);
    const out = execFileSync(path.join(ROOT, '.tools/py/bin/python'),
      [path.join(ROOT, 'tests/e2e/check_arrow.py'), file, reportFile, table]).toString();
    assert.match(out, new RegExp(`^ok: ${table}: \\d+ rows`));
    console.log(`# ${out.trim()}`);
  }
  const csvFile = await save('[data-export="batches.csv"]');
  const lines = readFileSync(csvFile, 'utf8').trim().split('\n');
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  assert.equal(lines.length, report.batches.id.length + 1);
  assert.equal(lines[0].split(',').length, Object.keys(report.batches).length);
  const [svgDl] = await Promise.all([page.waitForEvent('download'), page.click('[data-chart-export="svg"]')]);
  const svgFile = path.join(TMP, svgDl.suggestedFilename());
  await svgDl.saveAs(svgFile);
  const svg = readFileSync(svgFile, 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /<path d="M[\d.]+,[\d.]+L/);
  // The PySpark code of this scenario: what the CLI's `pyspark` prints.
  await page.click('#pyspark summary');
  await page.waitForFunction(() => (document.getElementById('pyspark-code')?.textContent ?? '').length > 0);
  const code = await page.textContent('#pyspark-code') ?? '';
  writeFileSync(path.join(TMP, 'sc.json'), JSON.stringify(scenario));
  assert.equal(code.trim(), execFileSync(CLI, ['pyspark', path.join(TMP, 'sc.json')], { cwd: ROOT }).toString().trim());
  assert.match(code, /def build_query\(spark, events\)/);
  assert.match(code, /withWatermark\("event_time", "1 minute"\)/);
  const [pngDl] = await Promise.all([page.waitForEvent('download'), page.click('[data-chart-export="png"]')]);
  const png = readFileSync(await pngDl.path() ?? '');
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  assert.deepEqual(problems, []);
});
