// The scaled mode (crate/src/scenario/scale.rs): a workload past the exact budget runs as a
// thinned stream weighed back to the real volume. Checked two ways:
// - against the exact engine (CLI, both at a size where both run: an hour at 5,000
//   events/s, k = 10): files, requests and dollars within 1 %, p50/p95 latency and the
//   dropped-late share within 2 %, and state rows equal where every group keeps events;
// - in the page: a day at 100,000 events/s typed in is a labelled scaled result.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { SHOTS, HOUR, startServer, openBrowser, change, cli, ready } from './harness.mjs';
import { PAGE_DEFAULT, merge } from '../../www/state.js';

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {Awaited<ReturnType<typeof openBrowser>>} */ let browser;

before(async () => { server = await startServer(); browser = await openBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

/** The figures compared, and their tolerance (relative). */
const TOLERANCE = /** @type {const} */ ({ files: 0.01, requests: 0.01, usd: 0.01, p50: 0.02, p95: 0.02, dropped: 0.02 });

/** @param {any} r */
const figures = (r) => ({
  files: r.summary.files.data_files, requests: r.cost.requests.total, usd: r.cost.usd_per_month.total,
  p50: r.summary.latency.p50_s, p95: r.summary.latency.p95_s,
  dropped: r.summary.fates.dropped_late / r.summary.events,
});

/** @type {[string, any, number[]][]} name, patch of the page's default, seeds */
const CASES = [
  ['tumbling, parquet', {}, [1, 2]],
  ['sliding, Delta', { query: { window: { kind: 'sliding', size_s: 600, slide_s: 60 } }, sink: { format: 'delta' } }, [1, 2]],
  ['dedup on the id, parquet', { query: { operator: 'dedup_within_watermark', dedup_columns: ['id'], watermark_delay_s: 60, output_mode: 'append' } }, [1]],
  ['select, parquet, 100k rows a file', { query: { operator: 'select', output_mode: 'append' }, sink: { max_records_per_file: 100_000 } }, [1, 2]],
];

test('scaled runs agree with the exact engine within the stated tolerances', () => {
  /** @type {string[]} */
  const table = [];
  for (const [name, patch, seeds] of CASES) {
    for (const seed of seeds) {
      const base = merge(merge(PAGE_DEFAULT, patch), { seed, workload: { rate_per_s: 5000, duration_s: 3600, keys: 1000 }, report: { detail_events: 1000 } });
      if (patch.query?.operator) base.query = patch.query;
      const exact = cli(merge(base, { workload: { scale: 1 } }));
      const scaled = cli(merge(base, { workload: { scale: 10 } }));
      assert.equal(exact.scaled, undefined);
      assert.equal(scaled.scaled.factor, 10);
      assert.ok(Math.abs(scaled.summary.events / exact.summary.events - 1) < 0.01, `${name}: events`);
      const [a, b] = [figures(exact), figures(scaled)];
      const row = [];
      for (const [k, tol] of Object.entries(TOLERANCE)) {
        const x = a[/** @type {keyof typeof a} */ (k)], y = b[/** @type {keyof typeof b} */ (k)];
        const rel = x === 0 ? Math.abs(y) : Math.abs(y - x) / Math.abs(x);
        row.push(`${k} ${x.toPrecision(6)}→${y.toPrecision(6)} (${(rel * 100).toFixed(2)} %)`);
        assert.ok(rel <= tol, `${name}, seed ${seed}: ${k} ${x} exact vs ${y} scaled (${(rel * 100).toFixed(2)} % > ${tol * 100} %)`);
      }
      // Groups: 300 real events a (key, minute) group, 30 thinned: every group kept.
      if (scaled.scaled.group_coverage > 0.9999 && !patch.query?.operator) {
        assert.equal(scaled.summary.peak_state_rows, exact.summary.peak_state_rows, `${name}: state rows`);
      }
      table.push(`${name}, seed ${seed}: ${row.join(', ')}`);
    }
  }
  console.log(table.join('\n'));
});

test('queries whose results hang on one key\'s gaps are refused scaled, and run exact under auto', () => {
  const session = merge(PAGE_DEFAULT, { seed: 1, workload: { rate_per_s: 100, duration_s: 600, scale: 10 },
    query: { window: { kind: 'session', gap_s: 30 } } });
  session.query.window = { kind: 'session', gap_s: 30 };
  assert.throws(() => cli(session), /workload\.scale: session windows/);
  const auto = merge(session, { workload: { scale: 'auto' } });
  assert.equal(cli(auto).scaled, undefined);
});

test('a day at 100,000 events/s typed in runs scaled, and the page says so and by how much', async () => {
  const { page, problems } = browser;
  await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
  await ready(page);
  await change(page, () => page.fill('#c-workload-keys-typed', '10000').then(() => page.press('#c-workload-keys-typed', 'Enter')));
  await change(page, () => page.fill('#c-workload-duration_s-typed', '1 d').then(() => page.press('#c-workload-duration_s-typed', 'Enter')));
  const t0 = Date.now();
  const sc = await change(page, () => page.fill('#c-workload-rate_per_s-typed', '100k').then(() => page.press('#c-workload-rate_per_s-typed', 'Enter')));
  await page.waitForFunction(() => document.getElementById('app')?.dataset.state === 'ready' && !document.getElementById('scaled-note')?.hidden,
    null, { timeout: 120_000 });
  const ms = Date.now() - t0;
  assert.equal(sc.workload.rate_per_s, 100_000);
  assert.equal(sc.workload.duration_s, 86_400);
  const note = await page.textContent('#scaled-note') ?? '';
  assert.match(note, /^Scaled run: the workload is 8,6\d\d,\d{3},\d{3} events, .* each simulated event stands for 1,080 real ones/);
  assert.match(note, /The timeline shows an exact run of the first 20 s\.$/);
  // The page's figures are the CLI's scaled report's.
  const r = cli(sc);
  assert.equal(r.scaled.factor, 1080);
  assert.equal(Number((await page.textContent('[data-metric="events"] dd'))?.replace(/[^0-9]/g, '')), r.summary.events);
  console.log(`a day at 100,000 events/s, 10,000 keys: scaled result shown ${ms} ms after the change`);
  await page.screenshot({ path: path.join(SHOTS, 'scaled-day.png'), fullPage: false });
  // The JS API's sweep says its rows are scaled, by the same factor as the CLI's run.
  const rows = await page.evaluate(async () => {
    const api = await import('./api.js');
    return api.sweep({ seed: 1, workload: { duration_s: 86_400, rate_per_s: 5000 } },
      [{ kind: 'processing_time', interval_s: 60 }, { kind: 'scheduled', every_s: 3600 }]);
  });
  assert.deepEqual(rows.map((/** @type {any} */ r) => r.scale), [54, 54]);
  assert.equal(cli({ seed: 1, workload: { duration_s: 86_400, rate_per_s: 5000 } }).scaled.factor, 54);
  // Back to an hour at 200/s: exact again, the note hidden.
  await change(page, () => page.fill('#c-workload-rate_per_s-typed', '200').then(() => page.press('#c-workload-rate_per_s-typed', 'Enter')));
  await ready(page);
  assert.equal(await page.isHidden('#scaled-note'), true);
  // An embed of the scaled day says so too.
  const s = Buffer.from(JSON.stringify({ workload: { rate_per_s: 100_000, duration_s: 86_400, keys: 10_000 } })).toString('base64url');
  await page.goto('about:blank');
  await page.goto(new URL(`embed.html?lang=en#v=1&s=${s}`, server.base).href);
  await page.waitForSelector('#app[data-state="ready"]', { timeout: 60_000 });
  assert.match(await page.textContent('#scenario-text') ?? '', /Scaled run: each simulated event stands for 1,080 real ones/);
  assert.deepEqual(problems, []);
});
