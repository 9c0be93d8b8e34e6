// Keyboard and first-visit help (issue #15): the skip link, the view tabs as a WAI-ARIA tab
// list reached a few Tab presses in, the trigger interval's readable keyboard stops, Play
// under reduced motion, the timeline's events by keyboard with their rule in a live region,
// and what a first visit sees (each view's introduction, the sweep's question, the links to
// the lessons and the docs), in English and Korean and 375 px wide.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { SHOTS, HOUR, startServer, openBrowser, change, ready, shown, cli } from './harness.mjs';
import { STRINGS, t, loadLang } from '../../www/i18n.js';

await loadLang('ko');
import { clock, int } from '../../www/format.js';

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {Awaited<ReturnType<typeof openBrowser>>} */ let browser;

before(async () => { server = await startServer(); browser = await openBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

/** @param {import('playwright-core').Page} page */
const focused = (page) => page.evaluate(() => {
  const e = document.activeElement;
  return { id: e?.id ?? '', role: e?.getAttribute('role') ?? '', selected: e?.getAttribute('aria-selected') ?? '' };
});

/**
 * The rule the timeline gives for the CLI's sampled event i (English; the scenario's
 * tumbling windows of `windowUs`): built from the CLI's event columns, an oracle for the
 * page's text. @param {any} r @param {number} i @param {number} windowUs
 */
function ruleOf(r, i, windowUs) {
  const e = r.events;
  const et = e.event_time_us[i];
  const wm = e.late_watermark_us[i] <= -9e18 ? NaN : e.late_watermark_us[i]; // i64::MIN: none
  const vars = {
    id: int(e.id[i], 'en'), et: clock(et, et), arr: clock(e.arrival_us[i], et),
    wm: Number.isFinite(wm) ? clock(wm, et) : '–', we: clock(Math.floor(et / windowUs) * windowUs + windowUs, et), b: int(e.batch[i], 'en'),
  };
  const key = [Number.isFinite(wm) ? 'rule_on_time' : 'rule_on_time_nowm', 'rule_late_counted', 'rule_dropped_window',
    'rule_duplicate', 'rule_in_state', 'rule_unprocessed'][e.fate[i]];
  return `${t('en', 'ruleHead', vars)} ${t('en', key, vars)}`;
}

/** @param {import('playwright-core').Page} page @param {string} query */
async function open(page, query) {
  await page.goto('about:blank');
  await page.goto(new URL(query, server.base).href);
  await ready(page);
}

test('the first Tab press focuses the skip link, shown on focus; Enter takes the focus to the results', async () => {
  const { page, problems } = browser;
  for (const lang of /** @type {const} */ (['en', 'ko'])) {
    await open(page, `?lang=${lang}${HOUR}`);
    const hash = new URL(page.url()).hash;
    const before = await page.locator('#skip-link').boundingBox();
    assert.ok(before && before.x + before.width < 0, 'off-screen until focused');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).id, 'skip-link');
    assert.equal(await page.textContent('#skip-link'), STRINGS[lang].skipResults);
    const box = await page.locator('#skip-link').boundingBox();
    assert.ok(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= 1200, `on screen when focused: ${JSON.stringify(box)}`);
    if (lang === 'en') await page.screenshot({ path: path.join(SHOTS, 'a11y-skip-link.png'), clip: { x: 0, y: 0, width: 600, height: 120 } });
    await page.keyboard.press('Enter');
    // The focus is on the selected view tab, in the results; the link did not touch the
    // URL's hash (the page's state).
    assert.deepEqual(await focused(page), { id: 'tab-run', role: 'tab', selected: 'true' });
    assert.equal(await page.evaluate(() => document.getElementById('views')?.contains(document.activeElement)), true);
    assert.equal(new URL(page.url()).hash, hash);
    assert.equal(await page.isVisible('#link-problem'), false);
  }
  assert.deepEqual(problems, []);
});

test('the view tabs: a WAI-ARIA tab list before the controls, reached a few Tab presses after the skip link; arrows select the views', async () => {
  const { page, problems } = browser;
  await open(page, `?lang=en${HOUR}`);
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'skip-link');
  // After the skip link: the language, the strip's Pin and Copy link, then the selected tab
  // (before it: 28 controls, 33 presses).
  /** @type {string[]} */
  const passed = [];
  for (let i = 0; i < 4 && (await focused(page)).role !== 'tab'; i++) {
    await page.keyboard.press('Tab');
    passed.push((await focused(page)).id);
  }
  assert.deepEqual(passed, ['lang', 'pin', 'copy-link', 'tab-run']);
  // The pattern: a tablist of tabs, each controlling its panel; only the selected tab is in
  // the Tab order.
  assert.equal(await page.getAttribute('#views .tabs', 'role'), 'tablist');
  assert.equal(await page.getAttribute('#views .tabs', 'aria-label'), 'Views');
  const tabs = ['run', 'timeline', 'compare', 'sweep'];
  for (const v of tabs) {
    assert.equal(await page.getAttribute(`#tab-${v}`, 'role'), 'tab');
    assert.equal(await page.getAttribute(`#tab-${v}`, 'aria-controls'), `view-${v}`);
    assert.equal(await page.getAttribute(`#view-${v}`, 'role'), 'tabpanel');
    assert.equal(await page.getAttribute(`#view-${v}`, 'aria-labelledby'), `tab-${v}`);
  }
  /** The selected view by its tabs' attributes, its panel shown and the others hidden. @param {string} v */
  const selected = async (v) => {
    for (const w of tabs) {
      assert.equal(await page.getAttribute(`#tab-${w}`, 'aria-selected'), String(w === v), w);
      assert.equal(await page.getAttribute(`#tab-${w}`, 'tabindex'), w === v ? '0' : '-1', w);
      assert.equal(await page.isVisible(`#view-${w}`), w === v, w);
    }
    assert.equal((await focused(page)).id, `tab-${v}`);
    assert.equal(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('view'), v === 'run' ? null : v);
  };
  await selected('run');
  await page.keyboard.press('ArrowRight');
  await selected('timeline');
  await page.keyboard.press('ArrowRight');
  await selected('compare');
  await page.keyboard.press('ArrowLeft');
  await selected('timeline');
  await page.keyboard.press('End');
  await selected('sweep');
  await page.keyboard.press('ArrowRight');
  await selected('run');
  await page.keyboard.press('ArrowLeft');
  await selected('sweep');
  await page.keyboard.press('Home');
  await selected('run');
  // Tab leaves the tab list for the selected panel.
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'view-run');
  // The look is the same: the controls in the left column, the tabs atop the right one.
  const controls = await page.locator('#controls').boundingBox();
  const tab = await page.locator('#tab-run').boundingBox();
  assert.ok(controls && tab);
  assert.ok(tab.x > controls.x + controls.width, 'the tabs right of the controls');
  assert.ok(Math.abs(tab.y - controls.y) < 40, `the tabs at the top of the controls' row: ${tab.y} vs ${controls.y}`);
  assert.deepEqual(problems, []);
});

test('the trigger interval by keyboard steps through readable stops, read out as durations', async () => {
  const { page, problems } = browser;
  await open(page, `?lang=en${HOUR}`);
  const slider = '#c-trigger-every';
  const at = async (/** @type {number} */ s, /** @type {string} */ text) => {
    assert.equal(await page.getAttribute(slider, 'aria-valuetext'), text);
    assert.equal(await page.textContent('.control[data-path="trigger.every"] output'), text);
    assert.equal(await page.inputValue(`${slider}-typed`), text);
    assert.equal(JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}').trigger.interval_s, s);
  };
  await at(60, '1 min');
  await page.focus(slider);
  /** @param {string} key */
  const press = (key) => change(page, () => page.keyboard.press(key));
  assert.equal((await press('ArrowRight')).trigger.interval_s, 120);
  await at(120, '2 min');
  assert.equal((await press('ArrowRight')).trigger.interval_s, 300);
  await at(300, '5 min');
  assert.equal((await press('ArrowLeft')).trigger.interval_s, 120);
  await at(120, '2 min');
  assert.equal((await press('ArrowUp')).trigger.interval_s, 300);
  assert.equal((await press('PageUp')).trigger.interval_s, 1800);
  await at(1800, '30 min');
  assert.equal((await press('End')).trigger.interval_s, 86400);
  await at(86400, '1 d');
  assert.equal((await press('PageDown')).trigger.interval_s, 7200);
  await at(7200, '2 h');
  assert.equal((await press('Home')).trigger.interval_s, 1);
  await at(1, '1 s');
  // The page's results are the stop's: the CLI's for the scenario.
  const sc = await press('ArrowRight');
  assert.equal(sc.trigger.interval_s, 2);
  assert.equal(Number((await page.textContent('[data-metric="microBatches"] dd'))?.replace(/\D/g, '')), cli(sc).summary.batches);
  // The mouse still moves freely (a value between stops), and a key goes on from there to
  // the next stop.
  const box = await page.locator(slider).boundingBox();
  assert.ok(box);
  const dragged = await change(page, () => page.mouse.click(box.x + box.width * 0.55, box.y + box.height / 2));
  const v = dragged.trigger.interval_s;
  const STOPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
  assert.ok(v > 300 && v < 3600, `${v}`);
  const next = STOPS.find((s) => s > v);
  assert.equal((await press('ArrowRight')).trigger.interval_s, next);
  assert.deepEqual(problems, []);
});

test('with reduced motion, Play does not animate: each press moves one batch', async () => {
  const { page, problems } = browser;
  await page.emulateMedia({ reducedMotion: 'reduce' });
  try {
    await open(page, `?lang=en${HOUR}&view=timeline`);
    const n = cli(JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}')).summary.batches;
    assert.equal(await page.textContent('#tl-info'), `after batch ${n - 1} of ${n}`);
    assert.equal(await page.textContent('#tl-play'), 'Play one batch');
    assert.equal(await page.getAttribute('#tl-play', 'title'), STRINGS.en.tlPlayStepNote);
    assert.equal(await page.getAttribute('#tl-play', 'aria-pressed'), null);
    await page.click('#tl-play'); // from the end: back to the first batch
    assert.equal(await page.textContent('#tl-info'), `after batch 0 of ${n}`);
    await page.click('#tl-play');
    assert.equal(await page.textContent('#tl-info'), `after batch 1 of ${n}`);
    await page.waitForTimeout(1500); // unreduced, Play would be ten batches on by now
    assert.equal(await page.textContent('#tl-info'), `after batch 1 of ${n}`);
    // Motion allowed again: Play animates (the batches go on without a press) and pauses.
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    await page.waitForFunction(() => document.getElementById('tl-play')?.textContent === 'Play');
    assert.equal(await page.getAttribute('#tl-play', 'aria-pressed'), 'false');
    await page.click('#tl-play');
    assert.equal(await page.getAttribute('#tl-play', 'aria-pressed'), 'true');
    await page.waitForFunction(() => /after batch ([4-9]|\d\d+) of/.test(document.getElementById('tl-info')?.textContent ?? ''));
    await page.click('#tl-play');
    assert.equal(await page.getAttribute('#tl-play', 'aria-pressed'), 'false');
  } finally {
    await page.emulateMedia({ reducedMotion: null });
  }
  assert.deepEqual(problems, []);
});

test('the timeline by keyboard: arrow keys go through the events of the batch, each one\'s rule in a live region', async () => {
  const { page, problems } = browser;
  await open(page, `?lang=en${HOUR}&view=timeline`);
  const sc = JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}');
  assert.equal(sc.query.window.kind, 'tumbling');
  const r = cli(sc);
  const n = r.summary.batches;
  const windowUs = sc.query.window.size_s * 1e6;
  // Two batches back from the end: a batch that took events.
  await page.click('#tl-back');
  await page.click('#tl-back');
  const b = n - 3;
  assert.equal(await page.textContent('#tl-info'), `after batch ${b} of ${n}`);
  /** The CLI's sampled events batch b took, in arrival order: their rules. */
  const rules = r.events.id.map((/** @type {number} */ _, /** @type {number} */ i) => i)
    .filter((/** @type {number} */ i) => r.events.batch[i] === b)
    .sort((/** @type {number} */ x, /** @type {number} */ y) => r.events.arrival_us[x] - r.events.arrival_us[y])
    .map((/** @type {number} */ i) => ruleOf(r, i, windowUs));
  assert.ok(rules.length > 10, `${rules.length} events in batch ${b}`);
  assert.equal(await page.getAttribute('#tl-chart', 'tabindex'), '0');
  assert.equal(await page.getAttribute('#tl-chart', 'aria-label'), STRINGS.en.tlChartLabel);
  assert.equal(await page.getAttribute('#tl-hover', 'aria-live'), 'polite');
  await page.focus('#tl-chart');
  /** Waits until the live region says `text`. @param {string} text */
  const says = async (text) => {
    await page.waitForFunction((x) => document.getElementById('tl-hover')?.textContent === x, text, { timeout: 5000 })
      .catch(async () => assert.equal(await page.textContent('#tl-hover'), text));
  };
  await page.keyboard.press('ArrowRight');
  await says(rules[0]);
  assert.match(rules[0], new RegExp(`^Event [\\d,]+ \\(event time .+\\): .*batch ${b}\\b.* → `));
  await page.keyboard.press('ArrowRight');
  await says(rules[1]);
  await page.keyboard.press('ArrowLeft');
  await says(rules[0]);
  await page.keyboard.press('End');
  await says(/** @type {string} */ (rules.at(-1)));
  // Throttled: a held key (ten presses at once) changes the live region once or twice, not
  // ten times, and it ends on the last event reached.
  await page.waitForTimeout(400);
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__said = 0;
    new MutationObserver(() => { w.__said++; }).observe(/** @type {HTMLElement} */ (document.getElementById('tl-hover')), { childList: true, characterData: true, subtree: true });
    const chart = /** @type {HTMLElement} */ (document.getElementById('tl-chart'));
    chart.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }));
    for (let k = 0; k < 9; k++) chart.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
  });
  await says(rules[9]);
  await page.waitForTimeout(400);
  const changes = await page.evaluate(() => /** @type {any} */ (window).__said);
  assert.ok(changes >= 1 && changes <= 2, `${changes} changes of the live region`);
  // Page Down: the batch before, whose first event the next arrow key reads.
  await page.keyboard.press('PageDown');
  assert.equal(await page.textContent('#tl-info'), `after batch ${b - 1} of ${n}`);
  await page.screenshot({ path: path.join(SHOTS, 'a11y-timeline-keyboard.png') });
  assert.deepEqual(problems, []);
});

test('a first visit: each view says what it shows and what to try, the sweep its question before it runs, and links to the lessons and docs (en, ko, 375 px)', async () => {
  const { page, problems } = browser;
  for (const lang of /** @type {const} */ (['en', 'ko'])) {
    const s = STRINGS[lang];
    // The page as a first visit opens it: the default day (its preview is enough here).
    await page.goto('about:blank');
    await page.goto(new URL(`?lang=${lang}`, server.base).href);
    await shown(page);
    assert.equal(await page.isVisible('#view-run > .view-intro'), true);
    assert.equal(await page.textContent('#view-run > .view-intro'), s.introRun);
    assert.equal(await page.getAttribute('#views nav.learn', 'aria-label'), s.learnLabel);
    for (const [id, key, href] of [
      ['learn-lessons', 'learnLessons', `./gallery.html?lang=${lang}`],
      ['learn-embed', 'learnEmbed', './docs/embedding.html'],
      ['learn-model', 'learnModel', './docs/model.html'],
    ]) {
      assert.equal(await page.isVisible(`#${id}`), true, id);
      assert.equal(await page.textContent(`#${id}`), s[key]);
      assert.equal(await page.getAttribute(`#${id}`, 'href'), href);
      const url = await page.evaluate((i) => /** @type {HTMLAnchorElement} */ (document.getElementById(i)).href, id);
      const res = await fetch(url);
      assert.equal(res.status, 200, url);
    }
    // The model page serves docs/model.md itself too.
    assert.equal((await fetch(new URL('docs/model.md', server.base))).status, 200);
    await page.screenshot({ path: path.join(SHOTS, `a11y-first-visit-${lang}.png`) });
    // Every view's introduction shows before anything is run in it; the sweep's question
    // comes before its Run button.
    for (const [v, key] of [['timeline', 'introTimeline'], ['compare', 'introCompare']]) {
      await page.click(`#tab-${v}`);
      assert.equal(await page.isVisible(`#view-${v} > .view-intro`), true, v);
      assert.equal(await page.textContent(`#view-${v} > .view-intro`), s[key]);
    }
    await page.click('#tab-sweep');
    assert.equal(await page.getAttribute('#app', 'data-sweep'), null, 'the sweep has not run');
    assert.equal(await page.isVisible('#sweep-results'), false);
    assert.equal(await page.isVisible('#sweep-question'), true);
    assert.equal(await page.textContent('#sweep-question'), s.sweepQuestion);
    assert.match(await page.textContent('#view-sweep > .view-intro') ?? '', new RegExp(s.introSweep.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    const q = await page.locator('#sweep-question').boundingBox();
    const run = await page.locator('#sweep-run').boundingBox();
    assert.ok(q && run && q.y + q.height <= run.y, 'the question above the Run button');
    assert.equal(await page.evaluate(() => ((document.getElementById('sweep-question')
      ?.compareDocumentPosition(/** @type {Node} */ (document.getElementById('sweep-run'))) ?? 0) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0), true);
    await page.screenshot({ path: path.join(SHOTS, `a11y-sweep-${lang}.png`) });
  }
  // The model page shows docs/model.md as UTF-8 text under its headings.
  await page.goto(new URL('docs/model.html', server.base).href);
  await page.waitForSelector('#model[aria-busy="false"]');
  assert.equal(await page.textContent('#model h1'), 'The models behind the numbers');
  assert.ok(await page.locator('#model h2').count() >= 10);
  assert.match(await page.textContent('#model') ?? '', /1 × 1 KB/);
  // 375 px wide: the first visit's help, and nothing wider than the screen.
  await page.setViewportSize({ width: 375, height: 800 });
  try {
    await page.goto(new URL('?lang=ko', server.base).href);
    await shown(page);
    assert.equal(await page.isVisible('#learn-lessons'), true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page wider than the screen by ${overflow}px`);
    await page.screenshot({ path: path.join(SHOTS, 'a11y-first-visit-ko-375.png'), fullPage: false });
  } finally {
    await page.setViewportSize({ width: 1200, height: 900 });
  }
  assert.deepEqual(problems, []);
});

test('at 375 px the results come first and the sticky summary is one line that covers nothing', async () => {
  const { page, problems } = browser;
  await page.setViewportSize({ width: 375, height: 812 });
  try {
    for (const lang of ['en', 'ko']) {
      await page.goto('about:blank');
      await page.goto(new URL(`?lang=${lang}${HOUR}`, server.base).href);
      await ready(page);
      const m = await page.evaluate(() => {
        const r = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id)).getBoundingClientRect();
        const line = /** @type {HTMLElement} */ (document.querySelector('#strip-list dd'));
        return {
          strip: r('strip').height,
          lineHeight: parseFloat(getComputedStyle(line).lineHeight) || line.getBoundingClientRect().height,
          views: r('views').top,
          controls: r('controls').top,
          cost: r('cost').top,
          wide: document.documentElement.scrollWidth,
        };
      });
      // One line: the strip is no taller than one value's line plus its padding and border.
      assert.ok(m.strip <= m.lineHeight + 20, `${lang}: strip ${m.strip} px for a ${m.lineHeight} px line`);
      assert.ok(m.views < 812 && m.cost < 812, `${lang}: the results start within the first screen (${m.views}, ${m.cost})`);
      assert.ok(m.controls > m.cost, `${lang}: the controls come after the results`);
      assert.equal(m.wide, 375, `${lang}: no sideways scrolling`);
      // Scrolled down, the strip stays on top and is still one line; its buttons stay reachable.
      await page.evaluate(() => window.scrollTo(0, 2000));
      const top = await page.evaluate(() => /** @type {HTMLElement} */ (document.getElementById('strip')).getBoundingClientRect().top);
      assert.equal(top, 0);
      await page.focus('#copy-link');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'copy-link');
      if (lang === 'ko') await page.screenshot({ path: path.join(SHOTS, 'a11y-375-scrolled-ko.png') });
    }
  } finally {
    await page.setViewportSize({ width: 1200, height: 900 });
  }
  assert.deepEqual(problems, []);
});
