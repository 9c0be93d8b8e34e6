// Every page carries a strict Content-Security-Policy as a <meta> (a static host cannot
// send headers), and nothing the pages do breaks it: the app (a run, every view, the sweep,
// downloads through blob: URLs), a lesson opened from the gallery, the embed, and both docs
// pages with their live examples, each watched for `securitypolicyviolation` events (in
// every frame) and console reports. The static half: each inline import map's sha256 is in
// its page's policy, and nothing inline (scripts, styles, `style=`, `on…=`) is left.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT, SHOTS, startServer, openBrowser, settled, setLang } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {Awaited<ReturnType<typeof openBrowser>>} */ let browser;
/** Console messages about the policy, from any frame or worker. @type {string[]} */
const reports = [];

before(async () => {
  server = await startServer();
  browser = await openBrowser();
  // In every frame, before any of its scripts: keep each violation on the window.
  await browser.page.context().addInitScript(() => {
    const w = /** @type {any} */ (window);
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  browser.page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) reports.push(m.text()); });
});
after(async () => { await browser?.close(); server?.stop(); });

const WWW = path.join(ROOT, 'www');
/** Directories of generated or vendored files (not pages of ours). */
const SKIP = new Set(['pkg', 'pkg-formats', 'vendor', 'datasets', 'node_modules']);

/** Every .html file under www/, relative paths. @param {string} dir @returns {string[]} */
function pages(dir = WWW) {
  return readdirSync(dir).flatMap((f) => {
    const full = path.join(dir, f);
    if (statSync(full).isDirectory()) return SKIP.has(f) ? [] : pages(full);
    return f.endsWith('.html') ? [path.relative(WWW, full)] : [];
  });
}

/** The policy of a page's text, as directive → sources. @param {string} html */
function policyOf(html) {
  const m = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/);
  assert.ok(m, 'a CSP <meta>');
  return new Map(m[1].split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
}

const REQUIRED = {
  'default-src': ["'none'"],
  'worker-src': ["'self'"],
  'style-src': ["'self'"],
  'connect-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'frame-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'object-src': ["'none'"],
};

test('every page under www/ has the policy, before anything it governs', () => {
  const all = pages();
  for (const p of ['index.html', 'gallery.html', 'embed.html', 'docs/embedding.html', 'docs/lessons.html']) assert.ok(all.includes(p), p);
  for (const p of all) {
    const html = readFileSync(path.join(WWW, p), 'utf8');
    const policy = policyOf(html);
    for (const [k, v] of Object.entries(REQUIRED)) assert.deepEqual(policy.get(k), v, `${p}: ${k}`);
    assert.deepEqual(policy.get('script-src')?.slice(0, 2), ["'self'", "'wasm-unsafe-eval'"], p);
    assert.ok(!policy.has('frame-ancestors'), `${p}: frame-ancestors is ignored in a <meta>`);
    assert.ok(![...policy.values()].flat().some((s) => /^('unsafe-inline'|'unsafe-eval'|\*|https?:|'unsafe-hashes')$/.test(s)), `${p}: nothing loose`);
    const head = html.slice(0, html.indexOf('</head>'));
    const meta = head.indexOf('http-equiv="Content-Security-Policy"');
    for (const tag of ['<script', '<link', '<style']) {
      const at = head.indexOf(tag);
      assert.ok(at < 0 || meta < at, `${p}: the policy comes before the first ${tag}`);
    }
  }
});

test('each inline import map\'s sha256 is in its page\'s script-src, and no other hash is', () => {
  for (const p of pages()) {
    const html = readFileSync(path.join(WWW, p), 'utf8');
    const maps = [...html.matchAll(/<script type="importmap">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    const want = maps.map((text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
    const have = (policyOf(html).get('script-src') ?? []).filter((s) => s.startsWith("'sha256-"));
    assert.deepEqual(have.sort(), [...new Set(want)].sort(),
      `${p}: script-src hashes must be exactly those of its import maps (${want.join(' ')}); update the <meta> when an import map changes`);
  }
});

test('no inline scripts, styles or event handlers are left in the pages', () => {
  for (const p of pages()) {
    const html = readFileSync(path.join(WWW, p), 'utf8')
      .replace(/<pre[\s\S]*?<\/pre>/g, ''); // snippets shown as text
    for (const m of html.matchAll(/<script\b([^>]*)>/g)) {
      assert.ok(/\bsrc=/.test(m[1]) || /type="importmap"/.test(m[1]), `${p}: an inline <script${m[1]}>`);
    }
    assert.doesNotMatch(html, /<style\b/, `${p}: a <style> element`);
    assert.doesNotMatch(html, /\sstyle="/, `${p}: a style attribute`);
    assert.doesNotMatch(html, /\son[a-z]+="/, `${p}: an inline event handler`);
  }
});

/** Violations seen so far in the page and its frames. @param {import('playwright-core').Page} page */
async function violations(page) {
  const all = [];
  for (const f of page.frames()) {
    try {
      all.push(...await f.evaluate(() => /** @type {any} */ (window).__csp ?? []));
    } catch {
      // a frame that went away
    }
  }
  return [...all, ...reports];
}

/** The page's policy, as the browser sees it. @param {import('playwright-core').Page | import('playwright-core').Frame} page */
async function livePolicy(page) {
  return page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
}

/** Asserts a clean page: its policy there, no violation, no problem. @param {string} what */
async function clean(what) {
  const { page, problems } = browser;
  assert.match(await livePolicy(page) ?? '', /^default-src 'none';/, what);
  assert.deepEqual(await violations(page), [], what);
  assert.deepEqual(problems, [], what);
}

/** @param {unknown} v */
const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');

test('the app under its policy: a run, every view, the sweep, and downloads', async () => {
  const { page } = browser;
  await page.goto(new URL(`index.html?lang=en#v=1&s=${b64({ workload: { duration_s: 600 } })}`, server.base).href);
  await settled(page);
  // Downloads go through blob: URLs (tables, SVG and PNG charts).
  for (const sel of ['[data-export="batches.csv"]', '[data-export="events.arrow"]', '[data-chart-export="svg"]', '[data-chart-export="png"]']) {
    const download = page.waitForEvent('download');
    await page.click(sel);
    const d = await download;
    assert.match(d.url(), /^blob:/);
    assert.ok(d.suggestedFilename().length > 0);
    assert.equal(await d.failure(), null, sel);
  }
  await page.click('#pyspark summary');
  await page.waitForFunction(() => (document.getElementById('pyspark-code')?.textContent ?? '').length > 100);
  await page.click('#tab-timeline');
  await page.waitForSelector('#tl-chart canvas');
  await page.click('#tl-play');
  await page.waitForTimeout(300);
  await page.click('#tl-step');
  await page.click('#pin');
  await page.click('#tab-compare');
  await page.waitForSelector('#app[data-compare="done"]', { timeout: 60_000 });
  await page.click('#tab-sweep');
  await page.click('#sweep-run');
  await page.waitForSelector('#app[data-sweep="done"]', { timeout: 120_000 });
  await page.waitForSelector('#sweep-chart canvas');
  await page.click('#tab-run');
  await setLang(page, 'ko');
  await setLang(page, 'en');
  // Enter in a field submits nothing (the form's handler is a listener now).
  await page.focus('#sla');
  await page.keyboard.press('Enter');
  assert.match(page.url(), /index\.html\?lang=en#/);
  await page.screenshot({ path: path.join(SHOTS, 'csp-app.png') });
  await clean('app');
});

test('the gallery, and a lesson opened from it, under their policies', async () => {
  const { page } = browser;
  await page.goto(new URL('gallery.html?lang=en', server.base).href);
  await page.waitForSelector('#gallery[data-state="ready"]');
  await clean('gallery');
  await page.click('#gallery-list li:first-child h2 a');
  await page.waitForURL(/index\.html\?lang=en&lesson=/);
  await settled(page);
  await page.waitForSelector('#lesson h2');
  const a = page.locator('input[name="lesson-choice"]');
  if (await a.count()) await a.first().check();
  else await page.fill('#lesson-guess', '1');
  await page.click('#lesson-reveal');
  await page.waitForSelector('#app[data-lesson="revealed"]', { timeout: 120_000 });
  await clean('a gallery lesson');
});

test('the embed under its policy', async () => {
  const { page } = browser;
  await page.goto(new URL(`embed.html?lang=en#v=1&s=${b64({ workload: { duration_s: 600 } })}&view=timeline`, server.base).href);
  await page.waitForSelector('#app[data-state="ready"]', { timeout: 60_000 });
  await page.waitForSelector('#tl-chart canvas');
  await clean('embed');
});

test('the embedding docs page: its element and its iframe run under the policies', async () => {
  const { page } = browser;
  await page.goto(new URL('docs/embedding.html', server.base).href);
  for (const sel of ['#demo-element iframe', '#demo-iframe']) {
    const frame = await (await page.waitForSelector(sel)).contentFrame();
    assert.ok(frame);
    await frame.waitForSelector('#app[data-state="ready"]', { timeout: 60_000 });
    assert.match(await livePolicy(frame) ?? '', /^default-src 'none';/);
  }
  // The iframe follows the height its embed posts (the page's script is a file now).
  await page.waitForFunction(() => (document.getElementById('demo-iframe')?.style.height ?? '') !== '');
  await page.click('[data-copy="snippet-element"]');
  await page.screenshot({ path: path.join(SHOTS, 'csp-docs-embedding.png'), fullPage: true });
  await clean('docs/embedding.html');
});

test('the "write a lesson" docs page and the link it makes, under their policies', async () => {
  const { page } = browser;
  await page.goto(new URL('docs/lessons.html', server.base).href);
  assert.equal(await page.$eval('#lesson-json', (el) => getComputedStyle(el).fontFamily.includes('monospace')), true);
  await page.click('#make-link');
  await page.waitForSelector('#lesson-link:not([hidden])');
  await clean('docs/lessons.html');
  await page.goto(await page.getAttribute('#lesson-link', 'href') ?? '');
  await settled(page);
  await page.waitForSelector('#lesson h2');
  await clean('an inline lesson');
});

test('the watch works: an inline style and an inline script are reported', async () => {
  const { page, problems } = browser;
  await page.goto(new URL('gallery.html?lang=en', server.base).href);
  await page.waitForSelector('#gallery[data-state="ready"]');
  await page.evaluate(() => {
    document.body.setAttribute('style', 'color: red');
    const s = document.createElement('script');
    s.textContent = 'window.ranInline = true';
    document.body.append(s);
  });
  await page.waitForFunction(() => /** @type {any} */ (window).__csp.length >= 2);
  const seen = await violations(page);
  assert.ok(seen.some((v) => v.startsWith('style-src')), seen.join('\n'));
  assert.ok(seen.some((v) => v.startsWith('script-src')), seen.join('\n'));
  assert.equal(await page.evaluate(() => /** @type {any} */ (window).ranInline), undefined);
  // Those were this test's own doing: the browser's console reports of them are expected.
  reports.length = 0;
  problems.splice(0, problems.length, ...problems.filter((p) => !/Content Security Policy/.test(p)));
  assert.deepEqual(problems, []);
});
