// Embeds as a blog would use them, from another path of another site layout: the site is
// served under /sim/ (sub-path hosting) and a post at /blog/post.html loads
// /sim/pipeline-sim.js with two <pipeline-sim> elements and an <iframe> of embed.html.
// Each must run on its own, fit its height to its content, and reach nothing outside.
// The docs page (www/docs/embedding.html, itself one level below the site) works too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SHOTS, SITE, buildSite, openBrowser } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof openBrowser>>} */ let browser;
/** @type {import('node:child_process').ChildProcess} */ let server;
let base = '';

const POST = `<!doctype html><html><head><meta charset="utf-8"><title>A blog post</title><link rel="icon" href="data:,">
<script type="module" src="/sim/pipeline-sim.js"></script></head><body>
<h1>Why my trigger interval costs money</h1>
<p>A one-second trigger:</p>
<pipeline-sim id="a" lang="en" scenario='{"seed": 3, "workload": {"duration_s": 600, "rate_per_s": 50}, "trigger": {"kind": "processing_time", "interval_s": 1}}'></pipeline-sim>
<p>The same stream, a ten-minute trigger, in Korean, as a timeline:</p>
<pipeline-sim id="b" lang="ko" view="timeline" scenario='{"seed": 3, "workload": {"duration_s": 600, "rate_per_s": 50}, "trigger": {"kind": "processing_time", "interval_s": 600}}'></pipeline-sim>
<p>And an iframe:</p>
<iframe id="c" title="sim" style="width:100%;border:0;height:300px" src="/sim/embed.html?lang=en#v=1&s=eyJ0cmlnZ2VyIjp7ImludGVydmFsX3MiOjF9fQ&view=run"></iframe>
<script>addEventListener('message', (e) => { const f = document.getElementById('c');
  if (e.source === f.contentWindow && e.data?.type === 'pipeline-sim:height') { f.style.height = e.data.height + 'px'; f.dataset.fitted = '1'; } });</script>
</body></html>`;

before(async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'pipeline-sim-blog-'));
  buildSite();
  symlinkSync(SITE, path.join(root, 'sim'));
  mkdirSync(path.join(root, 'blog'));
  writeFileSync(path.join(root, 'blog', 'post.html'), POST);
  for (const view of ['run', 'timeline']) {
    for (const lang of ['en', 'ko']) {
      writeFileSync(path.join(root, 'blog', `${view}-${lang}.html`), `<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>post</title><link rel="icon" href="data:,">
<script type="module" src="/sim/pipeline-sim.js"></script></head><body><p>Before.</p>
<pipeline-sim id="e" view="${view}" lang="${lang}" scenario='{"seed": 3, "workload": {"duration_s": 600, "rate_per_s": 50}}'></pipeline-sim>
<p id="after">After.</p>
<pipeline-sim id="auto" height="auto" view="${view}" lang="${lang}" scenario='{"seed": 3, "workload": {"duration_s": 600, "rate_per_s": 50}}'></pipeline-sim>
</body></html>`);
    }
  }
  server = spawn('python3', ['-u', '-m', 'http.server', '--bind', '127.0.0.1', '--directory', root, '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('no server')), 10_000);
    server.stdout?.on('data', (d) => {
      out += d;
      const m = out.match(/port (\d+)/);
      if (m) { clearTimeout(timer); resolve(`http://127.0.0.1:${m[1]}/`); }
    });
  });
  server.stderr?.resume();
  browser = await openBrowser();
});
after(async () => { await browser?.close(); server?.kill(); });

/** The state of the embed page inside a frame. @param {import('playwright-core').Frame} f */
async function embedReady(f) {
  await f.waitForFunction(() => {
    const app = document.getElementById('app');
    return app?.dataset.state === 'ready' && app.getAttribute('aria-busy') === 'false';
  }, null, { timeout: 60_000 });
  return {
    usd: await f.textContent('[data-metric="stripUsd"] dd'),
    lang: await f.evaluate(() => document.documentElement.lang),
    timeline: await f.isVisible('#tl-chart canvas'),
    text: await f.textContent('main'),
  };
}

test('two <pipeline-sim> elements and an iframe on a blog post under another path', async () => {
  const { page, problems } = browser;
  /** @type {string[]} */
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  await page.goto(new URL('blog/post.html', base).href);
  const frames = {};
  for (const id of ['a', 'b']) {
    const handle = await page.waitForSelector(`#${id} iframe`);
    const f = await handle.contentFrame();
    assert.ok(f);
    frames[id] = await embedReady(f);
    // The element took the height its content reported.
    await page.waitForSelector(`#${id}[data-ready="true"]`, { timeout: 10_000 });
  }
  const c = await (await page.waitForSelector('#c')).contentFrame();
  assert.ok(c);
  const fc = await embedReady(c);
  await page.waitForSelector('#c[data-fitted="1"]');
  // Independent runs: a 1 s trigger costs more than a 10 min one; languages as asked.
  const dollars = (/** @type {string | null} */ s) => Number((s ?? '').replace(/[^0-9.]/g, ''));
  assert.ok(dollars(frames.a.usd) > dollars(frames.b.usd), `${frames.a.usd} > ${frames.b.usd}`);
  assert.equal(frames.a.lang, 'en');
  assert.equal(frames.b.lang, 'ko');
  assert.equal(frames.b.timeline, true);
  assert.equal(frames.a.timeline, false);
  assert.equal(fc.lang, 'en');
  for (const f of [frames.a, frames.b, fc]) assert.doesNotMatch(f.text ?? '', /NaN|undefined|\{\w+\}/);
  // Every request stayed on this host, below /sim/ or the post itself.
  const origin = new URL(base).origin;
  assert.deepEqual(urls.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:')), []);
  assert.ok(urls.some((u) => u.includes('/sim/pkg/pipeline_sim_bg.wasm')));
  await page.screenshot({ path: path.join(SHOTS, 'embed-blog-post.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('the embedding docs page: its two live examples run, its snippets are there to copy', async () => {
  const { page, problems } = browser;
  await page.goto(new URL('sim/docs/embedding.html', base).href);
  const el = await (await page.waitForSelector('#demo-element iframe')).contentFrame();
  assert.ok(el);
  const a = await embedReady(el);
  assert.equal(a.timeline, true);
  const fr = await (await page.waitForSelector('#demo-iframe')).contentFrame();
  assert.ok(fr);
  const b = await embedReady(fr);
  assert.equal(b.lang, 'ko');
  assert.match(await page.textContent('#snippet-element') ?? '', /<pipeline-sim view="timeline"/);
  assert.match(await page.textContent('#snippet-iframe') ?? '', /embed\.html\?lang=ko#v=1&s=/);
  await page.screenshot({ path: path.join(SHOTS, 'embed-docs.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('an embed keeps the height it reserved before loading (no layout shift), at 1200 and 375 px; the docs page fits 375 px', async () => {
  const { page, problems } = browser;
  for (const width of [1200, 375]) {
    await page.setViewportSize({ width, height: 900 });
    for (const view of ['run', 'timeline']) {
      for (const lang of ['en', 'ko']) {
        await page.goto(new URL(`blog/${view}-${lang}.html`, base).href);
        await page.waitForSelector('#e iframe', { state: 'attached' });
        const box = () => page.evaluate(() => ({
          e: document.getElementById('e')?.getBoundingClientRect().height ?? -1,
          after: document.getElementById('after')?.getBoundingClientRect().top ?? -1,
        }));
        const before = await box();
        assert.equal(before.e, width < 600 ? (view === 'run' ? 650 : 1000) : (view === 'run' ? 500 : 710));
        await page.waitForSelector('#e[data-ready="true"]', { timeout: 60_000 });
        await page.waitForSelector('#auto[data-ready="true"]', { timeout: 60_000 });
        await page.waitForTimeout(500);
        const now = await box();
        // Nothing below the embed moved, and the result fits the reserved box.
        assert.deepEqual(now, before, `${width} ${view} ${lang}`);
        const content = Number(await page.getAttribute('#e', 'data-content-height'));
        assert.ok(content > 100 && content <= before.e, `${width} ${view} ${lang}: content ${content} > ${before.e}`);
        // height="auto" follows its content instead.
        const auto = await page.evaluate(() => document.getElementById('auto')?.getBoundingClientRect().height);
        assert.equal(auto, Number(await page.getAttribute('#auto', 'data-content-height')));
      }
    }
    if (width === 375) await page.screenshot({ path: path.join(SHOTS, 'embed-375-timeline-ko.png'), fullPage: true });
  }
  // The docs page fits a phone: no sideways scrolling.
  await page.goto(new URL('sim/docs/embedding.html', base).href);
  await page.waitForSelector('#demo-element[data-ready="true"]', { timeout: 60_000 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.screenshot({ path: path.join(SHOTS, 'embed-docs-375.png'), fullPage: true });
  assert.ok(wide <= 375, `the docs page is ${wide} px wide at 375`);
  await page.setViewportSize({ width: 1200, height: 900 });
  assert.deepEqual(problems, []);
});
