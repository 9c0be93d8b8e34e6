// Failure and recovery on the page (issue #17): a link with a failure runs in the extended
// module and shows the CLI's recovery figures; the writer changes duplicates into none;
// turning the failure off hides them; the core module is never asked for a failure; Korean
// labels. With screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { SHOTS, startServer, openBrowser, change, cli, ready, setLang } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {Awaited<ReturnType<typeof openBrowser>>} */ let browser;

before(async () => { server = await startServer(); browser = await openBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

/** The base64url hash of a scenario patch. @param {any} patch */
const hashOf = (patch) => `#v=1&s=${Buffer.from(JSON.stringify(patch)).toString('base64url')}`;

/** A recovery card's number. @param {import('playwright-core').Page} page @param {string} key */
async function card(page, key) {
  return (await page.textContent(`#recovery [data-metric="${key}"] dd`)) ?? '';
}

test('a killed driver: duplicates with a plain foreachBatch append, none keyed on the batch id, as the CLI says', async () => {
  const { page, problems } = browser;
  /** @type {string[]} */
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  const patch = {
    sink: { format: 'delta', writer: 'foreach_batch_append' },
    failure: { at_s: 1800.2, restart_s: 300, when: 'after_write' },
  };
  await page.goto(new URL(`?lang=en${hashOf(patch)}`, server.base).href);
  await ready(page);
  await page.waitForSelector('#recovery:not([hidden])');
  assert.ok(fetched.some((p) => p.endsWith('pkg-flink/pipeline_sim_bg.wasm')), 'a failure runs in the extended module');
  const sc = JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}');
  const r = cli(sc);
  assert.equal(r.recovery.during, 'batch');
  assert.ok(r.recovery.duplicate_rows > 0, 'the CLI counts duplicates');
  assert.equal(Number((await card(page, 'recDuplicates')).replace(/\D/g, '')), r.recovery.duplicate_rows);
  assert.equal(Number((await card(page, 'recBacklog')).replace(/\D/g, '')), r.recovery.backlog_rows);
  assert.match(await card(page, 'recDuring'), new RegExp(`batch ${r.recovery.failed_batch} in flight`));
  assert.doesNotMatch(await page.textContent('main') ?? '', /NaN|undefined/);
  await page.screenshot({ path: path.join(SHOTS, 'recovery-append-en.png'), fullPage: true });

  // The controls come with the later code; keyed on the batch id, no duplicate.
  await page.waitForSelector('#c-sink-writer');
  const idem = await change(page, () => page.selectOption('#c-sink-writer', 'foreach_batch_idempotent'));
  assert.equal(idem.sink.writer, 'foreach_batch_idempotent');
  const ri = cli(idem);
  assert.equal(ri.recovery.duplicate_rows, 0);
  assert.equal(Number((await card(page, 'recDuplicates')).replace(/\D/g, '')), 0);
  assert.match(await page.textContent('#recovery p.muted') ?? '', /skipped/);

  // The format's own sink, failing after its tasks wrote: orphan files, as many as the CLI's.
  const own = await change(page, () => page.selectOption('#c-sink-writer', 'sink'));
  const ro = cli(own);
  assert.ok(ro.recovery.orphan_files > 0);
  assert.match(await card(page, 'recOrphans'), new RegExp(`^${ro.recovery.orphan_files} `));

  // Korean labels.
  await setLang(page, 'ko');
  assert.equal(await page.textContent('#recovery-h'), '장애와 복구');
  assert.equal(await page.textContent('label[for="c-failure-on"]'), '드라이버를 한 번 죽이기');
  await page.screenshot({ path: path.join(SHOTS, 'recovery-ko.png'), fullPage: true });
  await setLang(page, 'en');

  // Off: no failure in the scenario, no recovery figures.
  const off = await change(page, () => page.uncheck('#c-failure-on'));
  assert.equal(off.failure, undefined);
  await page.waitForSelector('#recovery[hidden]', { state: 'attached' });
  assert.deepEqual(problems, []);
});

test('the timeline shades the outage and says what it was', async () => {
  const { page, problems } = browser;
  const patch = { failure: { at_s: 1800.2, restart_s: 300 } };
  await page.goto(new URL(`?lang=en${hashOf(patch)}&view=timeline`, server.base).href);
  await ready(page);
  await page.waitForFunction(() => /red band/.test(document.getElementById('tl-note')?.textContent ?? ''));
  const sc = JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}');
  const r = cli(sc);
  const note = await page.textContent('#tl-note') ?? '';
  assert.match(note, new RegExp(`batch ${r.recovery.failed_batch} then ran again`));
  assert.match(note, new RegExp(r.recovery.backlog_rows.toLocaleString('en')));
  await page.screenshot({ path: path.join(SHOTS, 'recovery-timeline-en.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('a failure time outside the workload is refused at its control', async () => {
  const { page } = browser;
  const patch = { failure: { at_s: 1800.2 } };
  await page.goto(new URL(`?lang=en${hashOf(patch)}`, server.base).href);
  await ready(page);
  await page.focus('#c-trigger-every');
  await page.waitForSelector('#c-failure-at_s-typed');
  await page.fill('#c-failure-at_s-typed', '30 d');
  await page.press('#c-failure-at_s-typed', 'Enter');
  await page.waitForFunction(() => (document.getElementById('c-failure-at_s-error')?.textContent ?? '').length > 0);
  assert.match(await page.textContent('#c-failure-at_s-error') ?? '', /within the workload/);
  assert.equal(await page.getAttribute('#app', 'data-state'), 'invalid');
});
