// Shared set-up for the browser tests: serves the site as `make run` builds it (www/ with its
// pages' scripts bundled and minified, target/site/ made by .ci/site.mjs; once a test
// process) with a plain static server (python3 -m http.server; `make run`'s http-server
// adds the precompressed copies) on a free loopback port, and launches Debian's Chromium
// through playwright-core with a fresh profile. Collects console errors, uncaught
// exceptions and failed requests so that every test can assert there were none.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
/** The served site (.ci/site.mjs's output). */
export const SITE = path.join(ROOT, 'target', 'site');

let built = false;
/** Builds target/site/ from www/ (once a process; files unchanged since are skipped). */
export function buildSite() {
  if (built) return;
  execFileSync('node', [path.join(ROOT, '.ci/site.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  built = true;
}

/** Starts the static server; resolves with its base URL and a stop function. */
export async function startServer() {
  buildSite();
  const proc = spawn('python3', ['-u', '-m', 'http.server', '--bind', '127.0.0.1', '--directory', SITE, '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start within 10 s')), 10_000);
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/port (\d+)/);
      if (m) { clearTimeout(timer); resolve(`http://127.0.0.1:${m[1]}/`); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}`)); });
  });
  proc.stderr.resume();
  return { base: /** @type {string} */ (base), stop: () => proc.kill() };
}

/** Launches headless Chromium and opens a page that records every problem. */
export async function openBrowser() {
  const profile = mkdtempSync(path.join(tmpdir(), 'pipeline-sim-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
    viewport: { width: 1200, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  /** @type {string[]} */
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  // A request the page itself gave up (net::ERR_ABORTED: a navigation away while the app's
  // deferred code was still on its way, a worker terminated) is not a failure of the page.
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  mkdirSync(SHOTS, { recursive: true });
  return {
    page,
    problems,
    close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); },
  };
}

/**
 * Opens the app on a small scenario (ten minutes) and waits for its result: a page up for
 * code that imports its `./api.js` (the benchmarks).
 * @param {import('playwright-core').Page} page @param {string} base the server's URL
 */
export async function openSmallApp(page, base) {
  const small = Buffer.from(JSON.stringify({ workload: { duration_s: 600 } })).toString('base64url');
  await page.goto(new URL(`?lang=en#v=1&s=${small}`, base).href);
  await page.waitForSelector('#app[data-state="ready"]', { timeout: 60_000 });
}

/**
 * Does `action` (a control change), then waits until the page shows results computed from
 * the scenario it led to; returns that scenario.
 * @param {import('playwright-core').Page} page @param {() => Promise<unknown>} action
 */
export async function change(page, action) {
  const before = await page.getAttribute('#app', 'data-scenario');
  await action();
  await page.waitForFunction((prev) => {
    const app = document.getElementById('app');
    return app?.dataset.scenario !== prev && app?.dataset.ran === app?.dataset.scenario
      && app?.getAttribute('aria-busy') === 'false';
  }, before, { timeout: 60_000 });
  return JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}');
}

/**
 * Waits until the page is idle and shows the run of its current scenario (or its error).
 * @param {import('playwright-core').Page} page
 */
export async function settled(page) {
  await page.waitForFunction(() => {
    const app = document.getElementById('app');
    return app?.getAttribute('aria-busy') === 'false' && app.dataset.ran === app.dataset.scenario
      && ['ready', 'invalid'].includes(app.dataset.state ?? '');
  }, null, { timeout: 120_000 });
}

/**
 * A link's hash for BASE (state.js): an hour at 200 events/s, the page's default before it
 * became a day (PAGE_DEFAULT). Tests that are not about the default open it: their numbers
 * stay what they were, and each run takes a second, not a day's.
 */
export const HOUR = '#v=1&s=e30';

/**
 * Waits until the page is idle or shows a result of its current scenario: the full run's,
 * or its preview's (the first minutes of a longer scenario, while the full run goes on). For
 * tests that need no full result of a long scenario, such as the default day.
 * @param {import('playwright-core').Page} page
 */
export async function shown(page) {
  await page.waitForFunction(() => {
    const app = document.getElementById('app');
    const d = app?.dataset ?? {};
    if (d.state === 'preview') return d.previewOf === d.scenario;
    return app?.getAttribute('aria-busy') === 'false' && d.ran === d.scenario
      && ['ready', 'invalid'].includes(d.state ?? '');
  }, null, { timeout: 120_000 });
}

/** The native CLI's report for a scenario (the oracle the page is checked against). @param {any} scenario */
export function cli(scenario) {
  const out = execFileSync(path.join(ROOT, 'target/release/pipeline-sim'), ['run', '-'], {
    input: JSON.stringify(scenario), maxBuffer: 1 << 30,
  });
  return JSON.parse(out.toString());
}

/** Waits until the page is idle with a result or an error. @param {import('playwright-core').Page} page */
export async function ready(page) {
  await page.waitForFunction(() => {
    const app = document.getElementById('app');
    return app?.getAttribute('aria-busy') === 'false' && ['ready', 'invalid'].includes(app.dataset.state ?? '');
  }, null, { timeout: 60_000 });
}

/**
 * Picks the page's language in its select and waits until the page shows it (the Korean
 * labels are a module of their own, fetched on the first switch).
 * @param {import('playwright-core').Page} page @param {'en' | 'ko'} lang
 */
export async function setLang(page, lang) {
  await page.selectOption('#lang', lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}
