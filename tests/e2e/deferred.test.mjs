// The app's code a first result does not need (the data panel and the downloads, one file
// fetched after the first result: www/deferred.js, issue #15): a data source chosen before
// that file is there still takes effect, and a fetch that fails says so at the data panel
// and is tried again on the next reach, never a dead control.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SHOTS, SITE, HOUR, startServer, openBrowser, settled } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
before(async () => { server = await startServer(); });
after(() => server?.stop());

/** The served file that holds the data panel's code (from the site's bundle index). */
function deferredFile() {
  const bundles = /** @type {Record<string, string[]>} */ (JSON.parse(readFileSync(path.join(SITE, '.bundle.json'), 'utf8')));
  const files = Object.entries(bundles).filter(([f, mods]) => !f.startsWith('main') && mods.includes('data-panel.js')).map(([f]) => f);
  assert.equal(files.length, 1, JSON.stringify(files));
  return files[0];
}

test('a data source chosen before the panel\'s code arrives is replayed once it does', async () => {
  const file = deferredFile();
  const browser = await openBrowser();
  try {
    const { page, problems } = browser;
    let held = 0;
    // The deferred file arrives 1.5 s late.
    await page.route(`**/${file}`, async (route) => {
      held += 1;
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
    await settled(page);
    // Not fetched by the first result.
    assert.equal(held, 0);
    await page.selectOption('#data-source', 'weblog');
    await page.waitForFunction(() => (document.getElementById('app')?.dataset.ran ?? '').includes('access.log'), null, { timeout: 120_000 });
    await settled(page);
    assert.equal(held, 1);
    assert.equal(await page.inputValue('#data-source'), 'weblog');
    assert.match(await page.textContent('#data-stats') ?? '', /\d/);
    assert.ok(await page.isVisible('#export'), 'the downloads are shown with the result');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('a deferred file that cannot be fetched is said at the data panel, and the next reach fetches it', async () => {
  const file = deferredFile();
  const browser = await openBrowser();
  try {
    const { page, problems } = browser;
    let fail = true;
    await page.route(`**/${file}`, (route) => (fail ? route.abort('failed') : route.continue()));
    await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
    await settled(page);
    await page.selectOption('#data-source', 'weblog');
    await page.waitForFunction(() => (document.getElementById('data-problem')?.textContent ?? '').includes('could not be fetched'), null, { timeout: 30_000 });
    await page.screenshot({ path: path.join(SHOTS, 'deferred-failed.png') });
    assert.ok(!(await page.isVisible('#export')), 'no download buttons without their code');
    fail = false;
    await page.selectOption('#data-source', 'generated');
    await page.selectOption('#data-source', 'weblog');
    await page.waitForFunction(() => (document.getElementById('app')?.dataset.ran ?? '').includes('access.log'), null, { timeout: 120_000 });
    await settled(page);
    assert.ok(await page.isVisible('#export'));
    // The failed fetch is the only problem on record.
    assert.ok(problems.length >= 1 && problems.every((p) => p.includes(file) || /Failed to load resource: net::ERR_FAILED|dynamically imported/.test(p)), problems.join('\n'));
  } finally {
    await browser.close();
  }
});
