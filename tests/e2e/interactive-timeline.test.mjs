// The page's default (issue #13 part 3): a full day at 1,000 events/s whose lateness (an
// offline-device tail) and watermark make late-but-counted and dropped events show from
// the first picture. The day's first 16 minutes land first as a labelled preview, with every
// monthly figure marked as such; the full day replaces it. Both timelines are screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { SHOTS, startServer, openBrowser } from './harness.mjs';
import { PAGE_DEFAULT, previewSpanS } from '../../www/state.js';

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {Awaited<ReturnType<typeof openBrowser>>} */ let browser;

before(async () => { server = await startServer(); browser = await openBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

/** A number the page shows. @param {import('playwright-core').Page} page @param {string} sel */
async function num(page, sel) {
  return Number((await page.textContent(sel))?.replace(/[^0-9]/g, ''));
}

/** The legend's count of sampled events of a fate (1 late counted, 2 dropped). @param {import('playwright-core').Page} page @param {number} fate */
async function legend(page, fate) {
  return Number((await page.textContent(`#tl-legend [data-fate="${fate}"]`))?.match(/\(([\d,]+)\)$/)?.[1].replace(/,/g, ''));
}

test('the default timeline shows late-counted and dropped events, as a labelled preview and then as the full day', async () => {
  const { page, problems } = browser;
  const t0 = Date.now();
  await page.goto(new URL('?lang=en#v=1&view=timeline', server.base).href);
  await page.waitForSelector('#app[data-state="preview"]', { timeout: 60_000 });
  const previewMs = Date.now() - t0;
  assert.deepEqual(JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}'), PAGE_DEFAULT);
  // The preview: labelled, its monthly figure tagged, its scenario the first 16 minutes.
  assert.match(await page.textContent('#preview-note') ?? '', /^Preview: first 16 min — full day running… \(\d+ %\)$/);
  assert.equal(await page.textContent('[data-metric="stripUsd"] dt'), '$/monthpreview');
  assert.match(await page.textContent('#tl-help') ?? '', /preview$/);
  assert.equal(JSON.parse(await page.getAttribute('#app', 'data-shown') ?? '{}').workload.duration_s, previewSpanS(PAGE_DEFAULT.workload));
  assert.ok(await legend(page, 1) > 0 && await legend(page, 2) > 0, 'the preview draws late-counted and dropped events');
  assert.ok(await num(page, '[data-metric="lateCounted"] dd') > 0);
  assert.ok(await num(page, '[data-metric="droppedLate"] dd') > 0);
  await page.screenshot({ path: path.join(SHOTS, 'interactive-timeline-preview.png') });
  // The full day replaces it: no label, no tags.
  await page.waitForSelector('#app[data-state="ready"]', { timeout: 600_000 });
  const fullMs = Date.now() - t0;
  assert.equal(await page.isHidden('#preview-note'), true);
  assert.equal(await page.locator('.preview-tag').count(), 0);
  assert.equal(await page.getAttribute('#app', 'data-ran'), JSON.stringify(PAGE_DEFAULT));
  assert.ok(await legend(page, 1) > 0 && await legend(page, 2) > 0, 'the day draws late-counted and dropped events');
  await page.screenshot({ path: path.join(SHOTS, 'interactive-timeline-day.png') });
  // The summary, where a reader sees it.
  await page.click('#tab-run');
  const events = await num(page, '[data-metric="events"] dd');
  const late = await num(page, '[data-metric="lateCounted"] dd');
  const dropped = await num(page, '[data-metric="droppedLate"] dd');
  assert.ok(events > 80_000_000, `a day at 1,000 events/s: ${events}`);
  assert.ok(late > 0, 'late but counted');
  assert.ok(dropped > 0, 'dropped as late');
  assert.ok(late / events > 0.001 && dropped / events > 0.01, `late ${late}, dropped ${dropped} of ${events}`);
  assert.equal(await page.isVisible('[data-metric="lateCounted"]'), true);
  console.log(`default day: preview after ${previewMs} ms, full after ${fullMs} ms; ${events} events, ${late} late but counted, ${dropped} dropped`);
  assert.deepEqual(problems, []);
});
