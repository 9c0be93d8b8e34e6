// Benchmark (not a test): the bytes a reader downloads until the first result, from the
// server `make run` uses (npm `serve`, gzip on), measured in headless Chromium from the
// network's encoded (on-the-wire) lengths. Two pages: the app (its default link, an hour),
// and an embed's frame (embed.html, what each <pipeline-sim> element loads). By type: wasm, JS, CSS,
// HTML, data. Issue #15's budget: 250 KB gzipped for each first result.
//   node tests/bench/page-weight.mjs          (after make build)
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT, openBrowser } from '../e2e/harness.mjs';

/** Starts `serve` on a free port; resolves to its base URL. */
function startServe() {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const proc = spawn(path.join(ROOT, 'node_modules/.bin/serve'),
    ['www', '--listen', `tcp://127.0.0.1:${port}`, '--no-clipboard', '--config', '../.ci/serve.json'],
    { cwd: ROOT, env: { ...process.env, NO_UPDATE_CHECK: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve did not start within 10 s')), 10_000);
    let out = '';
    const seen = (/** @type {Buffer} */ d) => {
      out += d;
      const m = out.match(/Accepting connections at (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolve({ base: m[1].replace(/\/?$/, '/'), stop: () => proc.kill() }); }
    };
    proc.stdout.on('data', seen);
    proc.stderr.on('data', seen);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code}: ${out}`)); });
  });
}

/** @param {string} url @returns {string} */
function kind(url) {
  const p = new URL(url).pathname;
  if (p.endsWith('.wasm')) return 'wasm';
  if (p.endsWith('.js')) return 'js';
  if (p.endsWith('.css')) return 'css';
  if (p.endsWith('.html') || p.endsWith('/')) return 'html';
  return 'data';
}

const server = /** @type {{base: string, stop: () => void}} */ (await startServe());
/** @type {string | undefined} */ let wasmEncoding;

/**
 * Loads `url` in a fresh browser (an empty cache), waits for `done`, returns the bytes
 * on the wire by type: the body as received (encoded) plus headers, of every request of
 * the page, its frames and its workers.
 * @param {string} url @param {(page: import('playwright-core').Page) => Promise<unknown>} done
 */
async function weigh(url, done) {
  const browser = await openBrowser();
  const { page } = browser;
  /** @type {Promise<void>[]} */ const pending = [];
  /** @type {Record<string, number>} */ const by = { wasm: 0, js: 0, css: 0, html: 0, data: 0 };
  let files = 0;
  page.context().on('requestfinished', (req) => {
    if (!req.url().startsWith('http')) return;
    pending.push((async () => {
      const sizes = await req.sizes();
      by[kind(req.url())] += sizes.responseBodySize + sizes.responseHeadersSize;
      files += 1;
      if (req.url().endsWith('.wasm')) {
        wasmEncoding = (await req.response())?.headers()['content-encoding'] ?? 'none';
      }
    })());
  });
  await page.goto(url);
  await done(page);
  await Promise.all(pending);
  await browser.close();
  const total = Object.values(by).reduce((a, b) => a + b, 0);
  return { by, total, files };
}

const app = await weigh(new URL('?lang=en#v=1&s=e30', server.base).href,
  (page) => page.waitForSelector('#app[data-state="ready"]', { timeout: 120_000 }));
// The frame a <pipeline-sim> element loads (a worker inside an iframe is not seen by the
// page's network events, so the frame is weighed as a page of its own).
const embed = await weigh(new URL('embed.html?lang=en#v=1&s=e30', server.base).href,
  (page) => page.waitForSelector('#app[data-state="ready"]', { timeout: 120_000 }));
server.stop();

const kb = (/** @type {number} */ b) => `${(b / 1000).toFixed(1)} KB`;
console.log('page weight until the first result, on the wire (npm serve: brotli or gzip), KB = 1,000 bytes');
console.log(`wasm content-encoding: ${wasmEncoding}`);
console.log('| page | wasm | JS | CSS | HTML | data | total | files | budget 250 KB |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
for (const [name, w] of /** @type {[string, typeof app][]} */ ([['app', app], ['embed (embed.html)', embed]])) {
  console.log(`| ${name} | ${kb(w.by.wasm)} | ${kb(w.by.js)} | ${kb(w.by.css)} | ${kb(w.by.html)} | ${kb(w.by.data)} | ${kb(w.total)} | ${w.files} | ${w.total <= 250_000 ? 'met' : 'not met'} |`);
}
