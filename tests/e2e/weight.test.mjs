// What a first result costs a reader (issue #15): the files the app and an embed fetch until
// their first result, weighed as `make run` sends them (brotli quality 11, .ci/site.mjs),
// and the code that must not be among them: the formats module, the Korean labels for an
// English reader, the other views' code. The issue's budget is 250 KB on the wire: an
// embed meets it, the app not yet (the bench `node tests/bench/page-weight.mjs` prints
// where both stand), so the bounds here are what was reached, to keep it from growing back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, startServer, openBrowser } from './harness.mjs';

/** Bytes of the app's and the embed's first result, bodies as sent with brotli: the levels reached (258,971 and 232,534 B) plus ~3 %. */
const BOUND = { app: 267_000, embed: 240_000 };

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
before(async () => { server = await startServer(); });
after(() => server?.stop());

/** A file of www/ as .ci/site.mjs sends it: brotli quality 11 from 1 KB up. @param {string} rel */
function sentBytes(rel) {
  const file = path.join(ROOT, 'www', rel);
  if (statSync(file).size < 1024) return statSync(file).size;
  return zlib.brotliCompressSync(readFileSync(file), {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 },
  }).length;
}

/**
 * Loads `url` in a fresh browser until the first result; the www/ paths it fetched (page,
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

/** @param {string[]} files */
const total = (files) => files.reduce((sum, f) => sum + sentBytes(f), 0);
const NOT_FIRST = [/^pkg-formats\//, /^i18n-ko\.js$/, /^sweep-(panel|pool|worker)\.js$/, /^compare-panel\.js$/,
  /^charts\/(sweep-chart|histogram-chart)\.js$/, /^lesson-panel\.js$/];

test('the app\'s first result fetches the core and this view\'s code only, within its bound', async (t) => {
  const files = await fetchedUntilReady(new URL('?lang=en#v=1&s=e30', server.base).href);
  assert.ok(files.includes('pkg/pipeline_sim_bg.wasm'), files.join(', '));
  for (const re of [...NOT_FIRST, /^timeline-panel\.js$/]) {
    assert.deepEqual(files.filter((f) => re.test(f)), [], `${re} is not needed for the first result`);
  }
  const bytes = total(files);
  t.diagnostic(`app: ${files.length} files, ${bytes} B with brotli`);
  assert.ok(bytes <= BOUND.app, `the app's first result weighs ${bytes} B (bound ${BOUND.app})`);
});

test('an embed\'s first result fetches the core and its own view\'s code only, within its bound', async (t) => {
  const files = await fetchedUntilReady(new URL('embed.html?lang=en#v=1&s=e30', server.base).href);
  assert.ok(files.includes('pkg/pipeline_sim_bg.wasm'), files.join(', '));
  for (const re of [...NOT_FIRST, /^timeline-panel\.js$/, /^controls\.js$/]) {
    assert.deepEqual(files.filter((f) => re.test(f)), [], `${re} is not needed for an embed's first result`);
  }
  const bytes = total(files);
  t.diagnostic(`embed: ${files.length} files, ${bytes} B with brotli`);
  assert.ok(bytes <= BOUND.embed, `an embed's first result weighs ${bytes} B (bound ${BOUND.embed})`);
});

test('a Korean reader gets the Korean labels, fetched once', async () => {
  const files = await fetchedUntilReady(new URL('embed.html?lang=ko#v=1&s=e30', server.base).href);
  assert.ok(files.includes('i18n-ko.js'), files.join(', '));
});
