// Links whose state is broken or ill-typed (defect 8: `{"query": null}` left the page on
// "Loading…" for ever with an uncaught TypeError): every one of them must load to a result
// with a notice that names the part not understood (the rest of the link kept), and no
// uncaught error. Broken lessons, inline or by path, always say why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { SHOTS, HOUR, startServer, openBrowser, settled, shown } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {Awaited<ReturnType<typeof openBrowser>>} */ let browser;

before(async () => { server = await startServer(); browser = await openBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

/** @param {unknown} v */
const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/**
 * Opens `hash` on `page` (en) and waits for its result: the full one, or for a link that
 * falls back to the page's default (a day), its preview (`state` is then 'ready' too, and
 * `ran` the scenario it previews).
 * @param {string} page @param {string} hash
 */
async function open(page, hash) {
  const { page: p } = browser;
  await p.goto('about:blank');
  await p.goto(new URL(`${page}?lang=en${hash}`, server.base).href);
  await shown(p);
  const state = await p.getAttribute('#app', 'data-state');
  return {
    state: state === 'preview' ? 'ready' : state,
    notice: (await p.isVisible('#link-problem')) ? (await p.textContent('#link-problem')) ?? '' : '',
    ran: JSON.parse(await p.getAttribute('#app', state === 'preview' ? 'data-preview-of' : 'data-ran') ?? '{}'),
  };
}

const BIG = 'x'.repeat(200_000);

/** [name, the `s` JSON (or raw text), what the notice must name] */
const SECTIONS = /** @type {[string, unknown, RegExp][]} */ ([
  ['query: null', { query: null }, /\(`query`\)/],
  ['workload: null', { workload: null }, /\(`workload`\)/],
  ['trigger: null', { trigger: null }, /\(`trigger`\)/],
  ['cost: null', { cost: null }, /\(`cost`\)/],
  ['query.window: null', { query: { window: null } }, /\(`query\.window`\)/],
  ['engine: a string', { engine: 'fast' }, /\(`engine`\)/],
  ['workload: an array', { workload: [1, 2, 3] }, /\(`workload`\)/],
  ['query.window: an array', { query: { window: [] } }, /\(`query\.window`\)/],
  ['a string where a number goes', { workload: { rate_per_s: '200' } }, /\(`workload\.rate_per_s`\)/],
  ['a number where a string goes', { query: { operator: 5 } }, /\(`query\.operator`\)/],
  ['a boolean where an object goes', { report: true }, /\(`report`\)/],
  ['a trigger of another kind with a string for a number', { trigger: { kind: 'scheduled', every_s: 900, startup_s: 'slow' } }, /\(`trigger\.startup_s`\)/],
  ['a huge string', { query: { operator: BIG } }, /\(`query\.operator`\)/],
  ['a huge key', { [BIG.slice(0, 5000)]: 1 }, /\(`x{37}…`\)/],
  ['a number too large for a double', '{"workload": {"keys": 1e400}}', /\(`workload\.keys`\)/],
  ['__proto__', '{"__proto__": {"polluted": true}, "workload": {"__proto__": {"rate_per_s": 1}}}', /`__proto__`, `workload\.__proto__`/],
  ['deep nesting', { workload: { data: JSON.parse('['.repeat(500) + ']'.repeat(500)) } }, /\(`workload\.data`\)/],
  ['an unusable price override', { cost: { storage: { write_per_1k: 'cheap' } } }, /\(`cost\.storage\.write_per_1k`\)/],
]);

for (const [name, s, names] of SECTIONS) {
  test(`a link with ${name} loads with the defaults there and says so`, async () => {
    const r = await open('index.html', `#v=1&s=${b64(s)}`);
    assert.equal(r.state, 'ready');
    assert.match(r.notice, /^Part of the link was not understood \(.*\); the defaults are used there\.$/);
    assert.match(r.notice, names);
    assert.ok(r.notice.length < 400, 'the notice stays short');
    assert.equal(typeof r.ran.query?.window, 'object');
    assert.equal(({}).polluted, undefined);
    assert.deepEqual(browser.problems, []);
  });
}

test('the valid parts of a partly broken link are kept', async () => {
  const r = await open('index.html', `#v=1&s=${b64({ workload: { rate_per_s: 50, keys: 'many' }, trigger: { interval_s: 10 }, query: { window: null } })}&view=timeline`);
  assert.equal(r.state, 'ready');
  assert.match(r.notice, /\(`workload\.keys`, `query\.window`\)/);
  assert.equal(r.ran.workload.rate_per_s, 50);
  assert.equal(r.ran.workload.keys, 100);
  assert.equal(r.ran.trigger.interval_s, 10);
  assert.deepEqual(r.ran.query.window, { kind: 'tumbling', size_s: 60 });
  assert.equal(await browser.page.isVisible('#view-timeline'), true);
  await browser.page.screenshot({ path: path.join(SHOTS, 'url-partly-broken.png') });
  assert.deepEqual(browser.problems, []);
});

/** [name, the hash] of links that cannot be used at all: defaults, with a reason. */
const WHOLE = /** @type {[string, string, RegExp][]} */ ([
  ['a number as the scenario', `#v=1&s=${b64(5)}`, /not a JSON object/],
  ['a string as the scenario', `#v=1&s=${b64('"hello"')}`, /not a JSON object/],
  ['an array as the scenario', `#v=1&s=${b64([{ seed: 1 }])}`, /not a JSON object/],
  ['null as the scenario', `#v=1&s=${b64('null')}`, /not a JSON object/],
  ['not base64', '#v=1&s=%%%***', /could not be read/],
  ['not JSON', `#v=1&s=${b64('{"query": ')}`, /could not be read/],
  ['pins that are not a list', `#v=1&p=${b64({ a: 1 })}`, /pinned configurations could not be read/],
  ['an unknown version', '#v=99&s=abc', /v99/],
]);

for (const [name, hash, why] of WHOLE) {
  test(`a link with ${name} loads the defaults and says why`, async () => {
    const r = await open('index.html', hash);
    assert.equal(r.state, 'ready');
    assert.match(r.notice, /^The link could not be used \(.*\); showing the defaults\./);
    assert.match(r.notice, why);
    assert.equal(r.ran.seed, 42);
    assert.deepEqual(browser.problems, []);
  });
}

test('pins with null and ill-typed sections are kept with their defaults', async () => {
  const r = await open('index.html', `${HOUR}&view=compare&p=${b64([null, { query: null }, { trigger: { interval_s: 'x' } }])}`);
  assert.equal(r.state, 'ready');
  assert.match(r.notice, /`p\[1\]\.query`, `p\[2\]\.trigger\.interval_s`/);
  await browser.page.waitForSelector('#app[data-compare="done"]', { timeout: 60_000 });
  assert.equal(await browser.page.textContent('#pin-count'), '3');
  assert.deepEqual(browser.problems, []);
});

test('`sink: null` (no table, as docs/scenario.md allows) runs without a notice', async () => {
  const r = await open('index.html', `#v=1&s=${b64({ sink: null })}`);
  assert.equal(r.state, 'ready');
  assert.equal(r.notice, '');
  assert.equal(r.ran.sink, null);
  assert.deepEqual(browser.problems, []);
});

test('a link pasted over a loaded page (hashchange) is checked the same way', async () => {
  const { page, problems } = browser;
  await open('index.html', HOUR);
  await page.evaluate((h) => { location.hash = h; }, `v=1&s=${b64({ query: null, workload: { rate_per_s: 30 } })}`);
  await page.waitForFunction(() => document.getElementById('app')?.dataset.ran?.includes('"rate_per_s":30'));
  await settled(page);
  assert.match(await page.textContent('#link-problem') ?? '', /\(`query`\)/);
  assert.deepEqual(problems, []);
});

test('the embed page takes the same links: a notice, then its result', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  await page.goto(new URL(`embed.html?lang=en#v=1&s=${b64({ query: null, workload: { duration_s: 600 } })}`, server.base).href);
  await page.waitForSelector('#app[data-state="ready"]', { timeout: 60_000 });
  assert.match(await page.textContent('#link-problem') ?? '', /\(`query`\)/);
  assert.match(await page.textContent('#scenario-text') ?? '', /for 10 min/);
  assert.deepEqual(problems, []);
});

/** Broken lessons: [name, the URL after index.html?lang=en, what the notice says]. */
const LESSONS = /** @type {[string, string, RegExp][]} */ ([
  ['an inline lesson that is not base64', '#lesson=%%%***', /not base64url text/],
  ['an inline lesson that is not JSON', `#lesson=${b64('{"title": ')}`, /not JSON/],
  ['an inline lesson that is null', `#lesson=${b64('null')}`, /a lesson is a JSON object/],
  ['an inline lesson that is an array', `#lesson=${b64([1])}`, /a lesson is a JSON object/],
  ['a lesson whose variant has a null query', `#lesson=${b64({
    title: { en: 't', ko: 't' }, explain: { en: 'e', ko: 'e' },
    variants: [{ label: { en: 'a', ko: 'a' }, scenario: { seed: 1, query: null } }],
  })}`, /variants\[0\]\.scenario: `query` not understood/],
  ['a lesson with an unknown view and a string SLA', `#lesson=${b64({
    title: { en: 't', ko: 't' }, explain: { en: 'e', ko: 'e' }, view: 'nowhere', sla_min: '15',
    variants: [{ label: { en: 'a', ko: 'a' }, scenario: { seed: 1 } }],
  })}`, /view is one of run, compare, sweep, timeline; sla_min is a number/],
  ['a lesson whose choices are not text', `#lesson=${b64({
    title: { en: 't', ko: 't' }, explain: { en: 'e', ko: 'e' },
    variants: [{ label: { en: 'a', ko: 'a' }, scenario: { seed: 1 } }],
    question: { en: 'q', ko: 'q', answer: { kind: 'choice', choices: [null], metric: 'cost.usd_per_month.total', pick: 'min' } },
  })}`, /question\.answer\.choices\[0\] needs "en" and "ko" text/],
  ['a lesson by path that is not JSON', '&lesson=index.html', /lesson index\.html: not JSON/],
  ['a lesson from another site', '&lesson=https%3A%2F%2Fexample.org%2Fl.json', /only lessons from this site/],
]);

for (const [name, rest, why] of LESSONS) {
  test(`${name}: the page says why and runs the link's scenario`, async () => {
    const { page, problems } = browser;
    await page.goto('about:blank');
    await page.goto(new URL(`index.html?lang=en${rest}`, server.base).href);
    await shown(page); // the page's default (a day): its preview is enough here
    assert.match(await page.getAttribute('#app', 'data-state') ?? '', /^(ready|preview)$/);
    const notice = await page.textContent('#link-problem') ?? '';
    assert.match(notice, /^This lesson cannot be used: /);
    assert.match(notice, why);
    assert.equal(await page.isHidden('#lesson'), true);
    assert.deepEqual(problems, []);
  });
}

// Well-typed links the core refuses (issue #12's inputs): the page runs nothing, and the
// refusal, naming its field, stands at the top of the results, not only beside a control
// that may be far down the page (or that does not exist for that field).
const REFUSED = /** @type {[string, unknown, string][]} */ ([
  ['a bursty on-phase below 1 µs', { workload: { shape: { kind: 'bursty', on_s: 1e-7, off_s: 1 } } }, 'workload.shape.on_s'],
  ['a sliding window of 86 400 000 000 windows a row', { query: { window: { kind: 'sliding', size_s: 86400, slide_s: 0.000001 } } }, 'query.window.slide_s'],
  ['a lateness of 1e308 s', { workload: { lateness: { kind: 'fixed', s: 1e308 } } }, 'workload.lateness.s'],
  ['a cost series step of 1 ms over an hour', { cost: { series_step_s: 0.001 } }, 'cost.series_step_s'],
]);

for (const [name, s, field] of REFUSED) {
  test(`a link with ${name} says what to change at the top`, async () => {
    const { page } = browser;
    const r = await open('index.html', `#v=1&s=${b64(s)}`);
    assert.equal(r.state, 'invalid');
    assert.ok(await page.isVisible('#run-note'));
    const note = (await page.textContent('#run-note')) ?? '';
    assert.match(note, new RegExp(`^This scenario cannot run\\. ${field.replace(/[.[\]]/g, '\\$&')}: `), note);
    assert.ok(((await page.locator('#run-note').boundingBox())?.y ?? 1e9) < 300, 'the note is at the top of the page');
    assert.deepEqual(browser.problems, []);
  });
}

test('a refused link, then a valid change: the note goes and the results come', async () => {
  const { page } = browser;
  await open('index.html', `#v=1&s=${b64({ workload: { shape: { kind: 'bursty', on_s: 1e-7, off_s: 1 } } })}`);
  await page.screenshot({ path: path.join(SHOTS, 'url-refused-bursty.png') });
  await page.goto(new URL(`index.html?lang=en#v=1&s=${b64({ workload: { shape: { kind: 'bursty', on_s: 20, off_s: 40 } } })}`, server.base).href);
  await settled(page);
  assert.equal(await page.getAttribute('#app', 'data-state'), 'ready');
  assert.equal(await page.isVisible('#run-note'), false);
});

test('a sweep (JS API) with a point over the budget is refused before any point runs, naming it', async () => {
  const { page } = browser;
  await open('index.html', '');
  // 30 days at 2 events/s: the 1 s stream would record about 5 million micro-batches. (The
  // page's own sweep shows such a point as refused and runs the others: sweep-pool.test.mjs.)
  const got = await page.evaluate(async () => {
    const api = await import('./api.js');
    const sc = { ...api.appScenario(), workload: { duration_s: 2_592_000, rate_per_s: 2 } };
    try {
      await api.sweep(sc, [{ kind: 'processing_time', interval_s: 1 }, { kind: 'processing_time', interval_s: 3600 }]);
      return { ok: true, message: '' };
    } catch (e) {
      return { ok: false, name: e instanceof Error ? e.name : '', message: e instanceof Error ? e.message : String(e) };
    }
  });
  assert.equal(got.ok, false);
  assert.equal(got.name, 'SweepRefused');
  assert.match(got.message, /\(sweep point '[^']+'\) trigger\.interval_s: the micro-batches would be about \d+/, got.message);
  assert.deepEqual(browser.problems, []);
});
