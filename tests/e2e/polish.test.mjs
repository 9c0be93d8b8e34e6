// The smaller items of a user test (issue #15, item 6), each in the page:
// 1. the sweep chart's axes read as durations (1 s, 1 min, 1 h, 1 d) and dollars, and the
//    right axis is wide enough for its ticks (its title never overlaps them);
// 2. each cost figure in the cost card is the bar's figure of the same label;
// 3. the compare panel's cost bars share one scale (the largest total is a full bar);
// 4. the batch table's watermark column has one format, and "none yet" for Spark's initial one;
// 5. the timeline legend says whose counts it shows, and they are those events' counts;
// 6. a Korean particle after a number and unit follows its last sound ("15분을", "30초를");
// 7. numbers in sentences are grouped and durations readable ("2,000 events/s for 10 min");
// 8. the events CSV names each fate (on_time, …), as the CLI's export does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, SHOTS, HOUR, startServer, openBrowser, ready, cli, setLang } from './harness.mjs';
import { t, particle, finalConsonant, loadLang } from '../../www/i18n.js';

await loadLang('ko');
import { describeScenario } from '../../www/summary.js';
import { PAGE_DEFAULT } from '../../www/state.js';

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {Awaited<ReturnType<typeof openBrowser>>} */ let browser;
const TMP = mkdtempSync(path.join(tmpdir(), 'pipeline-sim-polish-'));

before(async () => { server = await startServer(); browser = await openBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

/** A link's hash for a scenario patch of BASE (state.js), with more parameters. @param {any} patch @param {string} [more] */
const link = (patch, more = '') => `#v=1&s=${Buffer.from(JSON.stringify(patch)).toString('base64url')}${more}`;

/** Dollars as the page writes them in English. @param {number} v */
const dollars = (v) => `$${v.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** A readable duration tick: "1 s", "1.5 min", "250 ms", "1 d" (no bare seconds). */
const DURATION = /^\d+(\.\d)? (ms|s|min|h|d)$/;

test('1, 6: the sweep chart reads in durations and dollars, its right title clear of its ticks; Korean particles follow the number', async () => {
  const { page, problems } = browser;
  await page.goto(new URL(`?lang=en${HOUR}&view=sweep`, server.base).href);
  await ready(page);
  await page.click('#sweep-run');
  await page.waitForSelector('#app[data-sweep="done"]', { timeout: 180_000 });
  const axes = await page.evaluate(async () => {
    const { sweepPlotOf } = await import('./charts/sweep-chart.js');
    const u = /** @type {any} */ (sweepPlotOf(/** @type {HTMLElement} */ (document.getElementById('sweep-chart'))));
    const ctx = u.ctx;
    return u.axes.map((/** @type {any} */ a) => {
      ctx.font = a.font[0];
      const values = /** @type {(string | null)[]} */ (a._values).filter((v) => v);
      return {
        label: a.label, values, size: a._size, pos: a._pos, lpos: a._lpos, tick: a.ticks.size, gap: a.gap,
        widest: Math.max(0, ...values.map((v) => ctx.measureText(v).width / devicePixelRatio)),
      };
    });
  });
  const [x, cost, p95] = axes;
  console.log(`# sweep axes: x ${JSON.stringify(x.values)}; $ ${JSON.stringify(cost.values)}; p95 ${JSON.stringify(p95.values)}`);
  assert.equal(x.label, 'Trigger interval');
  // The trigger interval (1 s … 1 d): round durations, not seconds up to 100,000.
  for (const v of x.values) assert.match(v, DURATION);
  for (const v of ['1 s', '1 min', '1 h', '1 d']) assert.ok(x.values.includes(v), `${v} in ${x.values}`);
  assert.ok(p95.values.length >= 2, 'the p95 axis has ticks');
  for (const v of p95.values) assert.match(v, DURATION);
  assert.equal(p95.label, 'p95 latency');
  assert.ok(cost.values.length >= 2);
  for (const v of cost.values) assert.match(v, /^\$[\d,.]+$/);
  // Nothing raw: no number of 4 digits or more without a group separator.
  assert.doesNotMatch([...x.values, ...p95.values, ...cost.values].join(' '), /\d{4}/);
  // The right axis: its ticks (tick mark, gap, widest label) fit in its size, and its title
  // is drawn beyond that (uPlot puts the label at _lpos, after the axis's _size).
  assert.ok(p95.tick + p95.gap + p95.widest <= p95.size, `ticks ${p95.tick + p95.gap + p95.widest} px in ${p95.size} px`);
  assert.ok(p95.lpos >= p95.pos + p95.size, `title at ${p95.lpos}, ticks end at ${p95.pos + p95.size}`);
  assert.ok(cost.tick + cost.gap + cost.widest <= cost.size, `$ ticks ${cost.tick + cost.gap + cost.widest} px in ${cost.size} px`);
  await page.locator('#sweep-chart').screenshot({ path: path.join(SHOTS, 'polish-sweep-chart.png') });

  // 6. In Korean: "p95 ≤ 15분을", "30초를", "1시간을" (never "15분를").
  await setLang(page, 'ko');
  await page.waitForFunction(() => /분을 만족/.test(document.getElementById('sweep-answer')?.textContent ?? ''));
  assert.match(await page.textContent('#sweep-answer') ?? '', /p95 ≤ 15분을 만족/);
  for (const [sla, want] of [['0.5', '30초를'], ['60', '1시간을'], ['1440', '1일을']]) {
    await page.fill('#sla', sla);
    await page.waitForFunction((w) => (document.getElementById('sweep-answer')?.textContent ?? '').includes(`≤ ${w}`), want);
  }
  assert.doesNotMatch(await page.textContent('#sweep-answer') ?? '', /[분일간]를|초을/);
  await page.locator('#sweep-chart').screenshot({ path: path.join(SHOTS, 'polish-sweep-chart-ko.png') });
  // The rule itself: the last syllable's final consonant (jongseong), a digit as it reads.
  assert.equal(particle('15분', '를'), '을');
  assert.equal(particle('30초', '을'), '를');
  assert.equal(particle('2시간', '를'), '을');
  assert.equal(particle('5분', '와'), '과');
  assert.equal(particle('30초', '과'), '와');
  assert.equal(particle('1일', '으로'), '로'); // ㄹ takes 로
  assert.equal(particle('events.csv', '와'), '와'); // a Latin letter: as written
  assert.equal(finalConsonant('2'), 0);
  assert.ok(finalConsonant('3') > 0);
  assert.equal(t('ko', 'monthShort', { warm: '30초' }).startsWith('실행이 워밍업 30초와 '), true);
  assert.equal(t('ko', 'sweepNone', { sla: '15분' }), 'p95 ≤ 15분을 만족하는 간격이 없습니다.');
  // "이지만" is a word, not a particle: left alone.
  assert.match(t('ko', 'rule_late_counted', { b: 1, wm: '00:00:02.000', we: '00:00:10.000' }), /02\.000이지만/);
  assert.deepEqual(problems, []);
});

test('2: every cost figure in the card is the bar\'s figure of the same label', async () => {
  const { page, problems } = browser;
  // A Delta table that compacts (maintenance) and the default dashboard reader (readers).
  const patch = { sink: { format: 'delta', delta: { optimize_write: false, auto_compact: true } }, trigger: { kind: 'processing_time', interval_s: 10 } };
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${link(patch)}`, server.base).href);
  await ready(page);
  const m = cli(JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}')).cost.usd_per_month;
  assert.ok(m.reader_requests > 0.005 && m.maintenance_requests + m.maintenance_compute > 0.005, 'this run has readers and maintenance');
  const want = {
    usdCompute: ['c_compute', m.compute],
    usdRequests: ['c_requests', m.sink_requests + m.checkpoint_requests + (m.source_requests ?? 0)],
    usdReaders: ['c_readers', m.reader_requests],
    usdMaintenance: ['c_maintenance', m.maintenance_requests + m.maintenance_compute],
    usdAtRest: ['c_at_rest', m.at_rest],
  };
  const card = await page.$$eval('#cost-list [data-metric]', (els) => els.map((e) => [e.getAttribute('data-metric'), e.querySelector('dt')?.textContent, e.querySelector('dd')?.textContent]));
  const bar = Object.fromEntries(await page.$$eval('#cost-bars [data-part]', (els) => els.map((e) => [e.getAttribute('data-part'), e.textContent])));
  let sum = 0;
  for (const [key, [part, usd]] of Object.entries(want)) {
    const row = card.find(([k]) => k === key);
    assert.ok(row, `the card has ${key}`);
    const [, label, value] = /** @type {string[]} */ (row);
    assert.equal(value, dollars(usd), key);
    // The bar's legend: the same label and the same amount.
    assert.equal(bar[part], `${label}: ${value}`, part);
    sum += usd;
  }
  assert.equal(Object.keys(bar).length, Object.keys(want).length, 'one card line per bar part');
  assert.ok(Math.abs(sum - m.total) < 0.01, `the parts make the total: ${sum} vs ${m.total}`);
  assert.equal(await page.textContent('[data-metric="usdTotal"] dd'), dollars(m.total));
  // In Korean, the same.
  await setLang(page, 'ko');
  assert.equal(await page.textContent('[data-metric="usdReaders"] dt'), '읽기');
  assert.equal(await page.textContent('[data-metric="usdMaintenance"] dt'), '유지 관리');
  assert.match(await page.textContent('#cost-bars [data-part="c_readers"]') ?? '', /^읽기: \$/);
  await setLang(page, 'en');
  assert.deepEqual(problems, []);
});

test('3: the compare panel\'s cost bars share one scale, the largest total a full bar', async () => {
  const { page, problems } = browser;
  const pins = [{}, { trigger: { kind: 'processing_time', interval_s: 5 } }, { trigger: { kind: 'processing_time', interval_s: 1 } }];
  const p = Buffer.from(JSON.stringify(pins)).toString('base64url');
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${HOUR}&view=compare&p=${p}`, server.base).href);
  await ready(page);
  await page.waitForSelector('#app[data-compare="done"]', { timeout: 120_000 });
  const cards = page.locator('#compare-cards .card');
  assert.equal(await cards.count(), 3);
  const totals = [];
  const widths = [];
  for (let i = 0; i < 3; i++) {
    const stack = cards.nth(i).locator('.stack');
    const box = await stack.boundingBox();
    const room = await stack.evaluate((el) => /** @type {HTMLElement} */ (el.parentElement).getBoundingClientRect().width);
    assert.ok(box);
    totals.push(Number(await stack.getAttribute('data-total')));
    widths.push(box.width / room);
  }
  const largest = Math.max(...totals);
  console.log(`# compare: totals ${totals.map((v) => v.toFixed(2))}, bar widths ${widths.map((w) => w.toFixed(3))}`);
  for (const [i, total] of totals.entries()) {
    // Each bar's share of the card's width is its total's share of the largest (±1 %).
    assert.ok(Math.abs(widths[i] - total / largest) < 0.01, `pin ${i}: ${widths[i]} wide, ${total / largest} of the largest`);
  }
  assert.ok(Math.min(...widths) < 0.9, 'the cheaper runs have visibly shorter bars');
  // The totals are the cards' totals.
  for (let i = 0; i < 3; i++) {
    assert.equal(await cards.nth(i).locator('[data-metric="stripUsd"] dd').textContent(), dollars(totals[i]));
  }
  await page.locator('#compare-cards').screenshot({ path: path.join(SHOTS, 'polish-compare.png') });
  assert.deepEqual(problems, []);
});

test('4: the watermark column has one format, and "none yet" before the first watermark', async () => {
  const { page, problems } = browser;
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${HOUR}`, server.base).href);
  await ready(page);
  const r = cli(JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}'));
  const cells = await page.$$eval('#batch-table tbody tr:not(:has(.more)) td:nth-child(5)', (tds) => tds.map((td) => td.textContent ?? ''));
  assert.ok(cells.length > 10);
  assert.equal(r.batches.watermark_us[0], 0, "Spark's initial watermark is the epoch");
  assert.equal(cells[0], 'none yet');
  for (const [i, c] of cells.entries()) {
    if (r.batches.watermark_us[i] === 0) { assert.equal(c, 'none yet'); continue; }
    const iso = new Date(r.batches.watermark_us[i] / 1000).toISOString();
    assert.equal(c, `${iso.slice(0, 10)} ${iso.slice(11, 23)}`, `row ${i}`);
  }
  // One format in every row that has a watermark: a date and a time to the ms.
  assert.ok(cells.slice(1).every((c) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/.test(c)));
  await setLang(page, 'ko');
  // (The table is redrawn in parts, a frame each.)
  await page.waitForFunction(() => document.querySelector('#batch-table thead th:nth-child(5)')?.textContent === '워터마크'
    && document.querySelectorAll('#batch-table tbody tr').length > 10);
  assert.equal(await page.textContent('#batch-table tbody tr:first-child td:nth-child(5)'), '아직 없음');
  await setLang(page, 'en');
  assert.deepEqual(problems, []);
});

/** The legend's counts by fate code, and its title. @param {import('playwright-core').Page} page */
async function legend(page) {
  const counts = await page.$$eval('#tl-legend [data-fate]', (els) => els.map((e) => Number(e.textContent?.match(/\(([\d,]+)\)$/)?.[1].replace(/,/g, ''))));
  return { counts, title: (await page.textContent('#tl-legend-title')) ?? '' };
}

test('5: the timeline legend says whose counts it shows, and they are those events\' counts', async () => {
  const { page, problems } = browser;
  // Every event drawn (12,000 < the 20,000 the page draws): the legend is the whole run's.
  const small = { workload: { duration_s: 600, rate_per_s: 20, keys: 10, lateness: { kind: 'exponential', mean_s: 20 } }, query: { watermark_delay_s: 30 }, trigger: { kind: 'processing_time', interval_s: 30 } };
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${link(small, '&view=timeline')}`, server.base).href);
  await ready(page);
  let r = cli(JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}'));
  assert.equal(r.events.stride, 1);
  let l = await legend(page);
  assert.equal(l.title, 'Events by fate (every event of the run):');
  const f = r.summary.fates;
  assert.equal(l.counts[2], f.dropped_late);
  assert.equal(l.counts[3], f.duplicate);
  assert.equal(l.counts[4], f.in_state_at_end);
  assert.equal(l.counts[5], r.summary.unprocessed_events);
  assert.equal(l.counts[0] + l.counts[1], f.on_time + f.late_counted - f.in_state_at_end);
  assert.ok(l.counts[1] > 0 && l.counts[2] > 0, 'late and dropped events');
  assert.equal(await page.textContent('#tl-note'), '');
  // A sample (an hour at 200 events/s: one event in 36 drawn): the legend counts the drawn
  // events, and its title and the note say so.
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${HOUR}&view=timeline`, server.base).href);
  await ready(page);
  r = cli(JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}'));
  assert.ok(r.events.stride > 1);
  l = await legend(page);
  const shown = r.events.id.length;
  assert.equal(l.title, `Events drawn, by fate (the ${shown.toLocaleString('en')} drawn, not the whole run):`);
  for (const [code, n] of l.counts.entries()) {
    assert.equal(n, r.events.fate.filter((/** @type {number} */ x) => x === code).length, `fate ${code}`);
  }
  assert.equal(l.counts.reduce((a, b) => a + b, 0), shown);
  assert.match(await page.textContent('#tl-note') ?? '', /The legend counts these; the summary’s counts and percentiles use every event\./);
  await setLang(page, 'ko');
  assert.match((await legend(page)).title, /^그린 이벤트의 결과별 개수 \(실행 전체가 아니라 그린 [\d,]+개\):$/);
  await setLang(page, 'en');
  assert.deepEqual(problems, []);
});

test('7: numbers in sentences are grouped and durations readable, in English and Korean', async () => {
  const { page, problems } = browser;
  const patch = { workload: { duration_s: 600, rate_per_s: 2000, keys: 10000 } };
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${link(patch)}`, server.base).href);
  await ready(page);
  assert.match(await page.textContent('#scenario-text') ?? '',
    /^2,000 events\/s for 10 min, 10,000 keys, 1 min tumbling count, watermark 1 min, trigger every 1 min, append mode, seed 42\./);
  assert.match(await page.textContent('#ran-in') ?? '', /^Simulated in (\d{1,3}(,\d{3})*|\d\.\d) ms$/);
  assert.match(await page.textContent('[data-metric="stripRan"] dd') ?? '', /^(\d{1,3}(,\d{3})*|\d\.\d) ms$/);
  await setLang(page, 'ko');
  assert.match(await page.textContent('#scenario-text') ?? '',
    /^초당 이벤트 2,000개, 10분, 키 10,000개, 1분 텀블링 카운트, 워터마크 1분, 트리거 1분마다, append 모드, 시드 42\./);
  await setLang(page, 'en');
  // The page's default day: "1 d", not "1440 min".
  assert.match(describeScenario('en', PAGE_DEFAULT, 0), /^1,000 events\/s for 1 d, 100 keys, 10 min tumbling count, watermark 2 min, trigger every 1 min,/);
  assert.match(describeScenario('ko', PAGE_DEFAULT, 0), /^초당 이벤트 1,000개, 1일, 키 100개, 10분 텀블링 카운트, 워터마크 2분, 트리거 1분마다,/);
  assert.doesNotMatch(await page.textContent('main') ?? '', /\d{5,} ?(ms|min|events\/s)/);
  assert.deepEqual(problems, []);
});

test('8: the events CSV names each fate, as the CLI\'s export does', async () => {
  const { page, problems } = browser;
  const patch = { workload: { duration_s: 600, rate_per_s: 20, keys: 10, lateness: { kind: 'exponential', mean_s: 20 } }, query: { watermark_delay_s: 30 }, trigger: { kind: 'processing_time', interval_s: 30 } };
  await page.goto('about:blank');
  await page.goto(new URL(`?lang=en${link(patch)}`, server.base).href);
  await ready(page);
  const scenario = JSON.parse(await page.getAttribute('#app', 'data-scenario') ?? '{}');
  const r = cli(scenario);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="events.csv"]')]);
  const file = path.join(TMP, 'events.csv');
  await dl.saveAs(file);
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'id,event_time_us,arrival_us,batch,fate,late_watermark_us,visible_us');
  assert.equal(lines.length, r.events.id.length + 1);
  const NAMES = ['on_time', 'late_counted', 'dropped_late', 'duplicate', 'in_state', 'unprocessed'];
  const fates = lines.slice(1).map((l) => l.split(',')[4]);
  assert.deepEqual(fates, r.events.fate.map((/** @type {number} */ c) => NAMES[c]));
  for (const name of ['on_time', 'late_counted', 'dropped_late', 'in_state']) assert.ok(fates.includes(name), `a ${name} event`);
  // The CLI's CSV is the same file.
  const sc = path.join(TMP, 'scenario.json');
  writeFileSync(sc, JSON.stringify(scenario));
  const out = path.join(TMP, 'cli-events.csv');
  execFileSync(path.join(ROOT, 'target/release/pipeline-sim'), ['export', sc, '--table', 'events', '--format', 'csv', '--out', out]);
  assert.equal(readFileSync(out, 'utf8'), readFileSync(file, 'utf8'));
  assert.deepEqual(problems, []);
});
