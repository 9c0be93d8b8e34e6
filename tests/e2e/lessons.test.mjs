// The lesson gallery and workshop mode: every gallery lesson opens from its link in both
// languages (a screenshot each) with its results blurred until the question is answered;
// "Reveal" gives the simulation's answer (checked against the CLI for one lesson); an
// instructor's own lesson opens from an inline link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, SHOTS, startServer, openBrowser, settled, shown } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {Awaited<ReturnType<typeof openBrowser>>} */ let browser;
before(async () => { server = await startServer(); browser = await openBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const GALLERY = path.join(ROOT, 'www', 'gallery');
const files = /** @type {string[]} */ (JSON.parse(readFileSync(path.join(GALLERY, 'index.json'), 'utf8')));

test('the gallery lists every lesson, in English and Korean', async () => {
  const { page, problems } = browser;
  for (const lang of ['en', 'ko']) {
    await page.goto(new URL(`gallery.html?lang=${lang}`, server.base).href);
    await page.waitForSelector('#gallery[data-state="ready"]');
    assert.equal(await page.locator('#gallery-list li').count(), files.length);
    const first = JSON.parse(readFileSync(path.join(GALLERY, files[0]), 'utf8'));
    assert.equal(await page.textContent('#gallery-list li h2 a'), first.title[lang]);
    await page.screenshot({ path: path.join(SHOTS, `gallery-${lang}.png`), fullPage: true });
  }
  assert.deepEqual(problems, []);
});

for (const file of files) {
  for (const lang of ['en', 'ko']) {
    test(`lesson ${file} opens from its link (${lang})`, async () => {
      const { page, problems } = browser;
      const lesson = JSON.parse(readFileSync(path.join(GALLERY, file), 'utf8'));
      await page.goto('about:blank');
      await page.goto(new URL(`index.html?lang=${lang}&lesson=${encodeURIComponent(`gallery/${file}`)}`, server.base).href);
      await settled(page);
      assert.equal(await page.getAttribute('#app', 'data-state'), 'ready', await page.textContent('#general-error') ?? '');
      assert.equal(await page.textContent('#lesson h2'), lesson.title[lang]);
      assert.equal(await page.getAttribute('#app', 'data-lesson'), 'predict');
      assert.equal(await page.textContent('#pin-count'), String(lesson.variants.length > 1 ? lesson.variants.length : 0));
      // Answer (anything), reveal: the simulation's answer and the explanation appear.
      const a = lesson.question.answer;
      if (a.kind === 'choice') await page.check('input[name="lesson-choice"][value="0"]');
      else await page.fill('#lesson-guess', '1');
      await page.click('#lesson-reveal');
      await page.waitForSelector('#app[data-lesson="revealed"]', { timeout: 120_000 });
      assert.match(await page.getAttribute('#lesson-result', 'data-right') ?? '', /^(true|false)$/);
      assert.equal(await page.textContent('#lesson-explain'), lesson.reveal[lang]);
      assert.doesNotMatch(await page.textContent('main') ?? '', /NaN|undefined|\{\w+\}/);
      await page.screenshot({ path: path.join(SHOTS, `lesson-${file.replace('.json', '')}-${lang}.png`) });
      assert.deepEqual(problems, []);
    });
  }
}

test('the revealed answer is the CLI\'s number, and a right guess is called right', async () => {
  const { page, problems } = browser;
  const file = files.find((f) => JSON.parse(readFileSync(path.join(GALLERY, f), 'utf8')).question.answer.kind === 'number'
    && JSON.parse(readFileSync(path.join(GALLERY, f), 'utf8')).question.answer.path) ?? files[0];
  const lesson = JSON.parse(readFileSync(path.join(GALLERY, file), 'utf8'));
  const a = lesson.question.answer;
  const tmp = mkdtempSync(path.join(tmpdir(), 'pipeline-sim-lesson-'));
  const sc = path.join(tmp, 'v.json');
  writeFileSync(sc, JSON.stringify(lesson.variants[a.variant ?? 0].scenario));
  const report = JSON.parse(execFileSync(path.join(ROOT, 'target/release/pipeline-sim'), ['run', sc], { cwd: ROOT, maxBuffer: 1 << 30 }).toString());
  const want = a.path.split('.').reduce((/** @type {any} */ o, /** @type {string} */ k) => o[k], report);
  await page.goto('about:blank');
  await page.goto(new URL(`index.html?lang=en&lesson=gallery/${file}`, server.base).href);
  await settled(page);
  await page.fill('#lesson-guess', String(want));
  await page.click('#lesson-reveal');
  await page.waitForSelector('#app[data-lesson="revealed"]', { timeout: 120_000 });
  assert.equal(await page.getAttribute('#lesson-result', 'data-right'), 'true', await page.textContent('#lesson-result') ?? '');
  assert.deepEqual(problems, []);
});

test('the "write a lesson" page checks a lesson and makes a link that opens it', async () => {
  const { page, problems } = browser;
  await page.goto(new URL('docs/lessons.html', server.base).href);
  await page.click('#make-link');
  await page.waitForSelector('#lesson-link:not([hidden])');
  const href = await page.getAttribute('#lesson-link', 'href') ?? '';
  assert.match(href, /index\.html#lesson=/);
  await page.goto(href);
  await settled(page);
  assert.equal(await page.textContent('#lesson h2'), 'How many files in an hour?');
  await page.goto(new URL('docs/lessons.html', server.base).href);
  await page.fill('#lesson-json', '{"title": {"en": "x"}}');
  await page.click('#make-link');
  assert.match(await page.textContent('#lesson-check') ?? '', /^Problems: title needs "en" and "ko" text/);
  assert.deepEqual(problems, []);
});

test('an instructor\'s lesson opens from an inline link, and a broken one says why', async () => {
  const { page, problems } = browser;
  const lesson = {
    id: 'mine', title: { en: 'How many batches?', ko: '배치는 몇 개?' }, explain: { en: 'Ten minutes, a 60 s trigger.', ko: '10분, 60초 트리거.' },
    variants: [{ label: { en: 'only', ko: '하나' }, scenario: { seed: 5, workload: { duration_s: 600, rate_per_s: 10 }, trigger: { kind: 'processing_time', interval_s: 60 } } }],
    question: { en: 'How many micro-batches run?', ko: '마이크로 배치는 몇 번 실행될까요?', answer: { kind: 'number', path: 'summary.batches', unit: 'count', tolerance: 0 } },
    reveal: { en: 'One per trigger tick with data, plus no-data batches.', ko: '데이터가 있는 트리거마다 하나, 그리고 데이터 없는 배치.' },
  };
  const b64 = Buffer.from(JSON.stringify(lesson)).toString('base64url');
  await page.goto('about:blank');
  await page.goto(new URL(`index.html?lang=ko#lesson=${b64}`, server.base).href);
  await settled(page);
  assert.equal(await page.textContent('#lesson h2'), '배치는 몇 개?');
  const batches = await page.evaluate(() => JSON.parse(document.getElementById('app')?.dataset.ran ?? '{}'));
  assert.equal(batches.trigger.interval_s, 60);
  // The link the page writes keeps the lesson.
  assert.match(page.url(), /&lesson=/);
  await page.fill('#lesson-guess', '3');
  await page.click('#lesson-reveal');
  await page.waitForSelector('#app[data-lesson="revealed"]');
  assert.match(await page.textContent('#lesson-result') ?? '', /시뮬레이션 결과는 \d+/);
  const bad = Buffer.from(JSON.stringify({ title: { en: 'x' } })).toString('base64url');
  await page.goto('about:blank');
  await page.goto(new URL(`index.html?lang=en#lesson=${bad}`, server.base).href);
  await shown(page); // the page's default (a day): its preview is enough here
  assert.match(await page.textContent('#link-problem') ?? '', /^This lesson cannot be used: title needs "en" and "ko" text/);
  assert.deepEqual(problems, []);
});
