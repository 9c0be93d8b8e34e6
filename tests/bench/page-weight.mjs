// Benchmark (not a test): the bytes a reader downloads until the first result, from the
// server `make run` uses (http-server over target/site: precompressed brotli and gzip),
// measured in headless Chromium from the network's encoded (on-the-wire) lengths. Two
// pages: the app (its default link, an hour), and an embed's frame (embed.html, what each
// <pipeline-sim> element loads); each with brotli (what browsers ask for) and with gzip
// only (a host without brotli). By type: wasm, JS, CSS, HTML, data. Issue #15's budget:
// 250 KB for each first result.
//   node tests/bench/page-weight.mjs [--files]   (after make build; it refreshes target/site)
//   --files: also each file's bytes on the wire, largest first
import { spawn, execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, openBrowser } from '../e2e/harness.mjs';

/** Starts http-server on a free port, as `make run` does; resolves to its base URL. */
function startServe() {
  execFileSync('node', [path.join(ROOT, '.ci/site.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const proc = spawn(path.join(ROOT, 'node_modules/.bin/http-server'),
    ['target/site', '-a', '127.0.0.1', '-p', String(port), '-b', '-g', '-c-1', '-d', 'false', '--no-dotfiles'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('http-server did not start within 10 s')), 10_000);
    let out = '';
    const seen = (/** @type {Buffer} */ d) => {
      out += d;
      if (out.includes('Available on')) {
        clearTimeout(timer);
        resolve({ base: `http://127.0.0.1:${port}/`, stop: () => proc.kill() });
      }
    };
    proc.stdout.on('data', seen);
    proc.stderr.on('data', seen);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`http-server exited with ${code}: ${out}`)); });
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
/** @type {Record<string, string>} */ const wasmEncoding = {};

/**
 * Loads `url` in a fresh browser (an empty cache), waits for `done`, returns the bytes
 * on the wire by type: the body as received (encoded) plus headers, of every request of
 * the page, its frames and its workers.
 * @param {string} url @param {(page: import('playwright-core').Page) => Promise<unknown>} done
 */
async function weigh(url, done, encoding = 'br') {
  const browser = await openBrowser();
  const { page } = browser;
  // gzip only: as from a host that does not send brotli.
  if (encoding === 'gzip') await page.context().setExtraHTTPHeaders({ 'Accept-Encoding': 'gzip' });
  /** @type {Promise<void>[]} */ const pending = [];
  /** @type {Record<string, number>} */ const by = { wasm: 0, js: 0, css: 0, html: 0, data: 0 };
  let files = 0;
  /** @type {[string, number][]} */ const each = [];
  page.context().on('requestfinished', (req) => {
    if (!req.url().startsWith('http')) return;
    pending.push((async () => {
      const sizes = await req.sizes();
      // A worker's script can be reported with an empty body; the header's length is the
      // body as sent (the precompressed file).
      const length = Number((await req.response())?.headers()['content-length'] ?? 0);
      const bytes = Math.max(sizes.responseBodySize, length) + sizes.responseHeadersSize;
      by[kind(req.url())] += bytes;
      each.push([new URL(req.url()).pathname, bytes]);
      files += 1;
      if (req.url().endsWith('.wasm')) {
        wasmEncoding[encoding] = (await req.response())?.headers()['content-encoding'] ?? 'none';
      }
    })());
  });
  await page.goto(url);
  await done(page);
  await Promise.all(pending);
  await browser.close();
  const total = Object.values(by).reduce((a, b) => a + b, 0);
  return { by, total, files, each };
}

const ready = (/** @type {import('playwright-core').Page} */ page) =>
  page.waitForSelector('#app[data-state="ready"]', { timeout: 120_000 });
/** @type {[string, Awaited<ReturnType<typeof weigh>>][]} */
const rows = [];
for (const encoding of ['br', 'gzip']) {
  rows.push([`app, ${encoding}`, await weigh(new URL('?lang=en#v=1&s=e30', server.base).href, ready, encoding)]);
  // The frame a <pipeline-sim> element loads (a worker inside an iframe is not seen by the
  // page's network events, so the frame is weighed as a page of its own).
  rows.push([`embed (embed.html), ${encoding}`,
    await weigh(new URL('embed.html?lang=en#v=1&s=e30', server.base).href, ready, encoding)]);
}
server.stop();

const kb = (/** @type {number} */ b) => `${(b / 1000).toFixed(1)} KB`;
console.log('page weight until the first result, on the wire (http-server, precompressed), KB = 1,000 bytes');
console.log(`wasm content-encoding: ${JSON.stringify(wasmEncoding)}`);
console.log('| page | wasm | JS | CSS | HTML | data | total | files | budget 250 KB |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
for (const [name, w] of rows) {
  console.log(`| ${name} | ${kb(w.by.wasm)} | ${kb(w.by.js)} | ${kb(w.by.css)} | ${kb(w.by.html)} | ${kb(w.by.data)} | ${kb(w.total)} | ${w.files} | ${w.total <= 250_000 ? 'met' : 'not met'} |`);
}
if (process.argv.includes('--files')) {
  for (const [name, w] of rows) {
    console.log(`\n${name}:`);
    for (const [p, b] of w.each.sort((x, y) => y[1] - x[1])) console.log(`  ${kb(b).padStart(9)}  ${p}`);
  }
}
