// What a first result costs a reader (issue #15): the files the app and an embed fetch until
// their first result, weighed as `make run` sends them (target/site/: the pages' scripts
// bundled and minified, each file's brotli and gzip copies made by .ci/site.mjs), and the
// code that must not be among them: the formats module, the Korean labels for an English
// reader, the other views' code (read through target/site/.bundle.json, which lists the
// modules of www/ in each bundled file). The budget is 250 KB on the wire, met by
// both with brotli and with gzip only (the bench `node tests/bench/page-weight.mjs` prints
// where they stand, headers included; the bodies alone are checked here).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SITE, startServer, openBrowser } from './harness.mjs';

/** Bytes of the first result as sent: the budget. */
const BOUND = { app: { br: 250_000, gz: 250_000 }, embed: { br: 250_000, gz: 250_000 } };
/** A response's headers from `make run`'s http-server (measured: ~330 B each), counted with
 * each file's body as the bench counts them. */
const HEADERS = 350;

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
before(async () => { server = await startServer(); });
after(() => server?.stop());

/** A file of the site as it is sent with `encoding`: its precompressed copy if it has one.
 * @param {string} rel @param {'br' | 'gz'} encoding */
function sentBytes(rel, encoding) {
  const file = path.join(SITE, rel);
  return statSync(existsSync(`${file}.${encoding}`) ? `${file}.${encoding}` : file).size;
}

/** The modules of www/ in `files` of the site (a file not bundled holds itself), from the
 * index the site's build writes. @param {string[]} files @returns {string[]} */
function modulesOf(files) {
  const bundles = /** @type {Record<string, string[]>} */ (JSON.parse(readFileSync(path.join(SITE, '.bundle.json'), 'utf8')));
  return files.flatMap((f) => bundles[f] ?? [f]);
}

/**
 * Loads `url` in a fresh browser until the first result; the site's paths it fetched (page,
 * frames, workers). @param {string} url @returns {Promise<string[]>}
 */
async function fetchedUntilReady(url) {
  const browser = await openBrowser();
  try {
    const { page, problems } = browser;
    /** @type {Set<string>} */ const seen = new Set();
    page.context().on('request', (r) => {
      const u = new URL(r.url());
      if (u.origin === new URL(server.base).origin) seen.add(u.pathname === '/' ? 'index.html' : u.pathname.slice(1));
    });
    await page.goto(url);
    await page.waitForSelector('#app[data-state="ready"]', { timeout: 120_000 });
    assert.deepEqual(problems, []);
    return [...seen].sort();
  } finally {
    await browser.close();
  }
}

/** @param {string[]} files @param {'br' | 'gz'} encoding */
const total = (files, encoding) => files.reduce((sum, f) => sum + sentBytes(f, encoding), 0);

/** Checks both encodings' totals against `bound`. @param {any} t @param {string} name @param {string[]} files @param {{br: number, gz: number}} bound */
function weighed(t, name, files, bound) {
  for (const encoding of /** @type {const} */ (['br', 'gz'])) {
    const bytes = total(files, encoding) + HEADERS * files.length;
    t.diagnostic(`${name}: ${files.length} files, ${bytes} B with ${encoding} (headers included)`);
    assert.ok(bytes <= bound[encoding], `${name}'s first result weighs ${bytes} B with ${encoding} (bound ${bound[encoding]})`);
  }
}
const NOT_FIRST = [/^pkg-formats\//, /^i18n-ko\.js$/, /^sweep-(panel|pool|worker)\.js$/, /^compare-panel\.js$/,
  /^charts\/(sweep-chart|histogram-chart)\.js$/, /^lesson-panel\.js$/];

test('the app\'s first result fetches the core and this view\'s code only, within its bound', async (t) => {
  const files = await fetchedUntilReady(new URL('?lang=en#v=1&s=e30', server.base).href);
  assert.ok(files.includes('pkg/pipeline_sim_bg.wasm'), files.join(', '));
  const modules = modulesOf(files);
  assert.ok(modules.includes('main.js') && modules.includes('controls.js'), modules.join(', '));
  for (const re of [...NOT_FIRST, /^timeline-panel\.js$/, /^lesson\.js$/, /^data-panel\.js$/, /^export-panel\.js$/]) {
    assert.deepEqual(modules.filter((f) => re.test(f)), [], `${re} is not needed for the first result`);
  }
  weighed(t, 'the app', files, BOUND.app);
});

test('an embed\'s first result fetches the core and its own view\'s code only, within its bound', async (t) => {
  const files = await fetchedUntilReady(new URL('embed.html?lang=en#v=1&s=e30', server.base).href);
  assert.ok(files.includes('pkg/pipeline_sim_bg.wasm'), files.join(', '));
  const modules = modulesOf(files);
  assert.ok(modules.includes('embed.js') && modules.includes('charts/time-chart.js'), modules.join(', '));
  for (const re of [...NOT_FIRST, /^timeline-panel\.js$/, /^controls\.js$/, /^lesson\.js$/]) {
    assert.deepEqual(modules.filter((f) => re.test(f)), [], `${re} is not needed for an embed's first result`);
  }
  weighed(t, 'an embed', files, BOUND.embed);
});

test('a Korean reader gets the Korean labels, fetched once', async () => {
  const files = await fetchedUntilReady(new URL('embed.html?lang=ko#v=1&s=e30', server.base).href);
  assert.ok(modulesOf(files).includes('i18n-ko.js'), files.join(', '));
});
