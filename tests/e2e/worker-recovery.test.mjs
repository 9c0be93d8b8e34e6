// A run that crashes or never ends must not take the page with it. The tests serve the
// worker a wrapped core module (the page and the worker are the real ones): seed 901 fills
// the wasm memory to its 4 GiB limit and then its heap before simulating, so an allocation
// fails and the module traps for real (`unreachable`), leaving it as an out-of-memory run did
// (defect 7: every later run in that worker trapped too); seed 902 makes the worker
// busy-loop forever without a word (defect 3: a scenario the core looped on). The page must
// say what happened in words, replace the worker, and run the next scenario normally.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { SHOTS, HOUR, startServer, openBrowser, settled, setLang } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {Awaited<ReturnType<typeof openBrowser>>} */ let browser;

const TRAP_SEED = 901; // within the seed slider's range (0–999)
const HANG_SEED = 902;

/** The wrapper served as pkg/pipeline_sim.js: the real module, with two faults added. */
const WRAPPER = `
import * as real from './pipeline_sim.js?real';
export * from './pipeline_sim.js?real';
let wasm = null;
export default async function init(...args) { wasm = await real.default(...args); return wasm; }
function fault(json) {
  const seed = JSON.parse(json).seed;
  if (seed === ${TRAP_SEED}) {
    // Take every page of memory there is, as a huge run would, then what the heap has left
    // (a run may fit in the memory an earlier run freed): an allocation fails, and the
    // module traps (unreachable) as it does when a run outgrows the memory.
    for (const step of [4096, 256, 16, 1]) {
      for (;;) { try { wasm.memory.grow(step); } catch { break; } }
    }
    for (;;) wasm.__wbindgen_malloc(1 << 20, 8);
  }
  if (seed === ${HANG_SEED}) for (;;) {}
}
export function simulate(json) { fault(json); return real.simulate(json); }
export function simulateWithProgress(json, cb) { fault(json); return real.simulateWithProgress(json, cb); }
`;

before(async () => {
  server = await startServer();
  browser = await openBrowser();
  await browser.page.context().route(
    (url) => url.pathname.endsWith('/pkg/pipeline_sim.js') && url.search === '',
    (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: WRAPPER }),
  );
});
after(async () => { await browser?.close(); server?.stop(); });

/**
 * The problems the harness saw, less one that terminating a worker can leave behind: the
 * fetch of the core it was compiling, reported aborted (a worker stuck in a loop never
 * finishes its bookkeeping of that request).
 * @param {string[]} problems
 */
function unexpected(problems) {
  return problems.filter((p) => !/^request failed: \S+\/pkg\/pipeline_sim_bg\.wasm net::ERR_ABORTED$/.test(p));
}

/** A link to the app on `scenario` (fields over the defaults). @param {any} scenario @param {string} lang */
function link(scenario, lang) {
  return new URL(`index.html?lang=${lang}#v=1&s=${Buffer.from(JSON.stringify(scenario)).toString('base64url')}`, server.base).href;
}

/** Sets the seed slider as a person would (an input event). @param {import('playwright-core').Page} page @param {number} seed */
async function setSeed(page, seed) {
  await page.$eval('#c-seed', (el, v) => {
    const input = /** @type {HTMLInputElement} */ (el);
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, seed);
}

for (const lang of /** @type {const} */ (['en', 'ko'])) {
  test(`after an out-of-memory trap the page says so in words (${lang}), replaces the worker, and the next run works`, async () => {
    const { page, problems } = browser;
    await page.goto('about:blank');
    await page.goto(link({ seed: TRAP_SEED }, lang));
    await page.waitForSelector('#app[data-state="crashed"]', { timeout: 60_000 });
    const note = await page.textContent('#run-note') ?? '';
    if (lang === 'en') {
      assert.match(note, /ran out of memory or hit an internal error while simulating the scenario/);
      assert.match(note, /Simulated time \(workload\.duration_s\)/);
      assert.match(note, /Events per second \(workload\.rate_per_s\)/);
      assert.match(note, /Trigger interval \(trigger\)/);
    } else {
      assert.match(note, /메모리가 부족했거나 내부 오류/);
      assert.match(note, /시뮬레이션 시간 \(workload\.duration_s\)/);
    }
    assert.doesNotMatch(note, /unreachable|RuntimeError/i);
    assert.equal(await page.isVisible('#run-note'), true);
    assert.equal(await page.getAttribute('#app', 'aria-busy'), 'false');
    await page.screenshot({ path: path.join(SHOTS, `worker-trap-${lang}.png`) });
    // The same worker would trap again (its memory is full); the next run gets a fresh one.
    await setSeed(page, 7);
    await settled(page);
    assert.equal(await page.getAttribute('#app', 'data-state'), 'ready');
    assert.equal(await page.textContent('#run-note'), '');
    assert.match(await page.textContent('#scenario-text') ?? '', lang === 'en' ? /seed 7\./ : /시드 7\./);
    // And again, to be sure the fresh worker is healthy (and its results are the CLI's own
    // numbers is app.test's business): a trap in it is caught the same way.
    await setSeed(page, TRAP_SEED);
    await page.waitForSelector('#app[data-state="crashed"]', { timeout: 60_000 });
    await setSeed(page, 8);
    await settled(page);
    assert.equal(await page.getAttribute('#app', 'data-state'), 'ready');
    assert.deepEqual(unexpected(problems), []);
  });
}

test('a run the worker never finishes shows Cancel at once; cancelling replaces the worker and the next run works', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  // The very first run of the page never answers (no progress message ever comes).
  await page.goto(link({ seed: HANG_SEED }, 'en'));
  await page.waitForSelector('#run-cancel', { state: 'visible', timeout: 5_000 });
  assert.equal(await page.getAttribute('#app', 'aria-busy'), 'true');
  // The tab is responsive meanwhile.
  await setLang(page, 'ko');
  assert.equal(await page.textContent('h1'), '파이프라인 시뮬레이터');
  await setLang(page, 'en');
  await page.screenshot({ path: path.join(SHOTS, 'worker-hang-cancel.png') });
  const t0 = Date.now();
  await page.click('#run-cancel');
  await page.waitForSelector('#app[data-state="cancelled"]', { timeout: 5_000 });
  assert.ok(Date.now() - t0 < 5_000);
  assert.match(await page.textContent('#run-note') ?? '', /^Run cancelled/);
  assert.equal(await page.isHidden('#run-busy'), true);
  assert.equal(await page.isHidden('#status'), true, 'no "could not run" error for a cancelled first run');
  await setSeed(page, 3);
  await settled(page);
  assert.equal(await page.getAttribute('#app', 'data-state'), 'ready');
  // A hang after a good run: cancelled the same way, the shown results stay.
  await setSeed(page, HANG_SEED);
  await page.waitForSelector('#run-cancel', { state: 'visible', timeout: 5_000 });
  await page.click('#run-cancel');
  await page.waitForSelector('#app[data-state="cancelled"]', { timeout: 5_000 });
  assert.match(await page.textContent('#scenario-text') ?? '', /seed 3\./);
  await setSeed(page, 4);
  await settled(page);
  assert.equal(await page.getAttribute('#app', 'data-state'), 'ready');
  assert.deepEqual(unexpected(problems), []);
});

test('the watchdog stops a silent worker on its own, and the client\'s next run works', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  await page.goto(new URL(`index.html?lang=en${HOUR}`, server.base).href);
  await settled(page);
  const out = await page.evaluate(async ({ hang }) => {
    const { SimClient, WorkerFailure } = await import('./sim-client.js');
    const { BASE, clone } = await import('./state.js');
    const sim = new SimClient({ watchdogMs: 1500 });
    const t0 = performance.now();
    /** @type {any} */
    let err = null;
    try {
      await sim.run({ ...clone(BASE), seed: hang });
    } catch (e) {
      err = e;
    }
    const waited = performance.now() - t0;
    const next = await sim.run({ ...clone(BASE), seed: 5, workload: { ...BASE.workload, duration_s: 600 } });
    return {
      failure: err instanceof WorkerFailure, kind: err?.kind, stage: err?.stage, waited,
      events: next.summary.events,
    };
  }, { hang: HANG_SEED });
  assert.equal(out.failure, true);
  assert.equal(out.kind, 'stuck');
  assert.equal(out.stage, 'simulate');
  assert.ok(out.waited >= 1400 && out.waited < 10_000, `waited ${out.waited} ms`);
  assert.ok(out.events > 0);
  assert.deepEqual(unexpected(problems), []);
});
