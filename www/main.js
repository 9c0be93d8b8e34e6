// Entry point: the app's state (in the URL), the controls, and the views. Every run goes to
// the simulation worker (the wasm core); the page only draws.
import { initialLang, applyStatic, t } from './i18n.js';
import { renderSummary } from './summary.js';
import { renderBatchTable } from './batch-table.js';
import { renderCost, usd } from './cost-summary.js';
import { renderCostBars } from './cost-bars.js';
import { renderControls, showFieldError, applyControl } from './controls.js';
import { renderMetricList } from './metric-list.js';
import { timeChart } from './charts/time-chart.js';
import { decodeHash, encodeHash, merge, clone, BASE, partsText } from './state.js';
import { lessonFromUrl, lessonProblems } from './lesson.js';
import { renderLesson } from './lesson-panel.js';
import { SimClient } from './sim-client.js';
import { sweepPoints, renderSweep } from './sweep-panel.js';
import { renderTimeline } from './timeline-panel.js';
import { renderCompare, MAX_PINS } from './compare-panel.js';
import { duration, int } from './format.js';
import { initDataPanel } from './data-panel.js';
import { initExport } from './export-panel.js';
import { failureText, isFailure } from './run-failure.js';

/** @typedef {import('./i18n.js').Lang} Lang */

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const app = $('app');
const status = $('status');
const langSelect = /** @type {HTMLSelectElement} */ ($('lang'));

/** @type {Lang} */
let lang = initialLang();
const decoded = decodeHash(location.hash);
const state = decoded.state;
const sim = new SimClient();
/** @type {import('./run-result.js').RunResult | null} */
let last = null;
/** @type {(import('./run-result.js').SweepRow & {every: number})[] | null} */
let sweepRows = null;
/** The scenario `last` was computed from. @type {any} */
let lastScenario = null;
let running = false;
let dirty = false;

/** An inline lesson (`#…&lesson=`) rides along in the hash the page writes. */
const lessonParam = new URLSearchParams(location.hash.replace(/^#/, '')).get('lesson');
/** @type {import('./lesson.js').Lesson | null} */
let lesson = null;

let writtenHash = '';
function saveUrl() {
  writtenHash = encodeHash(state) + (lessonParam ? `&lesson=${lessonParam}` : '');
  history.replaceState(null, '', `${location.pathname}${location.search}${writtenHash}`);
  app.dataset.scenario = JSON.stringify(state.scenario);
}

/** A run still going after this long shows its progress and Cancel, ms. */
const BUSY_MS = 250;
let busyTimer = 0;

/** Runs the current scenario; changes made meanwhile coalesce into one more run. */
async function rerun() {
  if (running) {
    dirty = true;
    return;
  }
  running = true;
  app.setAttribute('aria-busy', 'true');
  try {
    do {
      dirty = false;
      try {
        const bar = /** @type {HTMLProgressElement} */ ($('run-progress'));
        bar.removeAttribute('value'); // indeterminate until the first progress
        const scenario = JSON.parse(JSON.stringify(state.scenario));
        // Progress and Cancel for any run still going after BUSY_MS, whether or not it has
        // reported progress (a run stuck in the core never does); quicker ones, such as a
        // slider drag's, do not flicker.
        clearTimeout(busyTimer);
        busyTimer = window.setTimeout(() => {
          $('strip').hidden = false;
          $('run-busy').hidden = false;
        }, BUSY_MS);
        last = await sim.run(scenario, (done) => {
          bar.value = done;
        });
        lastScenario = scenario;
        // What the results on the page were computed from (tests wait for it).
        app.dataset.ran = JSON.stringify(scenario);
        clearTimeout(busyTimer);
        $('run-busy').hidden = true;
        $('run-note').textContent = '';
        showFieldError($('control-list'), null);
        $('general-error').textContent = '';
        $('data-problem').textContent = '';
        drawRun();
        app.dataset.state = 'ready';
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        clearTimeout(busyTimer);
        $('run-busy').hidden = true;
        if (message === 'cancelled') {
          $('run-note').textContent = t(lang, 'runCancelled');
          app.dataset.state = 'cancelled';
          continue;
        }
        if (isFailure(err)) {
          // The worker was replaced; the results shown (if any) are the last good run's.
          $('run-note').textContent = failureText(lang, err);
          app.dataset.ran = JSON.stringify(state.scenario);
          app.dataset.state = 'crashed';
          continue;
        }
        if (message.startsWith('workload.data')) $('data-problem').textContent = message;
        else if (!showFieldError($('control-list'), message)) $('general-error').textContent = message;
        // Also where the results are: the field's control (if it has one) may be far down.
        $('run-note').textContent = t(lang, last ? 'runInvalid' : 'runInvalidNone', { message: message.replace(/\.$/, '') });
        app.dataset.ran = JSON.stringify(state.scenario);
        app.dataset.state = 'invalid';
      }
    } while (dirty);
  } finally {
    running = false;
    app.setAttribute('aria-busy', 'false');
  }
}

let timer = 0;
function scheduleRun() {
  clearTimeout(timer);
  timer = window.setTimeout(rerun, 30);
}

function drawStrip() {
  if (!last) return;
  const c = last.cost;
  /** @type {[string, string][]} */
  const items = [
    ['stripUsd', usd(c.usd_per_month.total, lang)],
    ['stripP95', c.freshness.p95_latency_s >= 0 ? duration(c.freshness.p95_latency_s, lang) : '–'],
    ['stripFiles', int(c.data_files_per_day, lang)],
    ['stripRequests', int(c.requests_per_day, lang)],
    ['stripClass', t(lang, `sla_${c.freshness.sla_class}`)],
    ['stripRan', `${last.ms.toFixed(0)} ms`],
  ];
  renderMetricList('strip-list', lang, items);
  $('strip').hidden = false;
}

function drawRun() {
  if (!last) return;
  const r = last;
  drawStrip();
  dataPanel.showStats(r.data, r.loadMs);
  renderSummary(lang, lastScenario ?? state.scenario, r.summary, r.ms);
  renderCost(lang, r.cost);
  renderCostBars($('cost-bars'), lang, r.cost.usd_per_month);
  if (state.view === 'timeline') renderTimeline(lang, r, lastScenario ?? state.scenario);
  if (state.view !== 'run') return;
  const start = r.seriesTimeUs[0] ?? 0;
  $('charts').hidden = false;
  timeChart($('chart-files'), r.seriesTimeUs, start, [{ label: t(lang, 'sFiles'), values: r.seriesLiveDataFiles }], {});
  timeChart($('chart-cost'), r.seriesTimeUs, start, [
    { label: t(lang, 'sCompute'), values: r.seriesComputeUsd },
    { label: t(lang, 'sRequests'), values: r.seriesRequestsUsd },
    { label: t(lang, 'sAtRest'), values: r.seriesAtRestUsd },
  ], { y: 'USD' });
  timeChart($('chart-state'), r.batchEndUs, start, [
    { label: t(lang, 'sState'), values: r.batchStateRows },
    { label: t(lang, 'sBacklog'), values: r.batchBacklogRows, scale: 'y2' },
  ], { y: t(lang, 'sState'), y2: t(lang, 'sBacklog') });
  renderBatchTable(lang, r);
  $('export').hidden = false;
  exporter.refresh();
}

function drawControls() {
  renderControls($('control-list'), lang, state.scenario, (path, value) => {
    applyControl(state.scenario, path, value);
    saveUrl();
    scheduleRun();
  });
}

function showView() {
  $('pin-count').textContent = String(state.pins.length);
  for (const v of ['run', 'timeline', 'compare', 'sweep']) {
    $(`view-${v}`).hidden = state.view !== v;
    $(`tab-${v}`).setAttribute('aria-pressed', String(state.view === v));
  }
}

/** Redraws the strip and the current view (after a view, language or size change). */
function redrawView() {
  drawRun();
  if (state.view === 'sweep' && sweepRows) renderSweep(lang, sweepRows, state.slaMin);
  if (state.view === 'compare') drawCompare();
}

function setView(/** @type {string} */ v) {
  state.view = v;
  saveUrl();
  showView();
  redrawView();
}

/** Results of pinned scenarios, by their JSON. @type {Map<string, import('./run-result.js').RunResult>} */
const pinResults = new Map();

async function drawCompare() {
  app.dataset.compare = 'running';
  /** @type {{scenario: any, result: import('./run-result.js').RunResult, label?: string}[]} */
  const pins = [];
  // A lesson's variants keep the names the lesson gave them.
  const names = new Map((lesson?.variants ?? []).map((v) => [JSON.stringify(merge(clone(BASE), v.scenario)), v.label[lang]]));
  try {
    for (const sc of state.pins) {
      const key = JSON.stringify(sc);
      let r = pinResults.get(key);
      if (!r) {
        r = await sim.run(sc);
        pinResults.set(key, r);
      }
      pins.push({ scenario: sc, result: r, label: names.get(key) });
    }
  } catch (err) {
    $('general-error').textContent = failureText(lang, err);
  }
  if (state.view !== 'compare') return;
  renderCompare(lang, pins, (i) => {
    state.pins.splice(i, 1);
    saveUrl();
    showView();
    drawCompare();
  });
  app.dataset.compare = 'done';
}

async function runSweep() {
  const mode = /** @type {'stream' | 'job'} */ (/** @type {HTMLSelectElement} */ ($('sweep-mode')).value);
  const points = sweepPoints(mode, lang);
  const progress = /** @type {HTMLProgressElement} */ ($('sweep-progress'));
  const runBtn = /** @type {HTMLButtonElement} */ ($('sweep-run'));
  const cancelBtn = /** @type {HTMLButtonElement} */ ($('sweep-cancel'));
  progress.hidden = false;
  progress.value = 0;
  runBtn.disabled = true;
  cancelBtn.disabled = false;
  $('sweep-status').textContent = t(lang, 'sweepProgress', { done: 0, total: points.length });
  app.dataset.sweep = 'running';
  try {
    const rows = await sim.sweep(state.scenario, points.map(({ label, trigger }) => ({ label, trigger })), (done, total) => {
      progress.value = done / total;
      $('sweep-status').textContent = t(lang, 'sweepProgress', { done, total });
    });
    sweepRows = rows.map((r, i) => ({ ...r, every: points[i].every }));
    renderSweep(lang, sweepRows, state.slaMin);
    app.dataset.sweep = 'done';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    $('sweep-status').textContent = message === 'cancelled' ? t(lang, 'sweepCancelled') : failureText(lang, err);
    app.dataset.sweep = message === 'cancelled' ? 'cancelled' : 'error';
    if (message === 'cancelled' && dirty) rerun();
  } finally {
    progress.hidden = true;
    runBtn.disabled = false;
    cancelBtn.disabled = true;
  }
}

const dataPanel = initDataPanel({
  lang: () => lang,
  scenario: () => state.scenario,
  addFile: (name, bytes) => sim.addFile(name, bytes),
  changed: () => {
    saveUrl();
    drawControls();
    scheduleRun();
  },
});
const exporter = initExport({
  lang: () => lang,
  scenario: () => lastScenario ?? state.scenario,
  exportTable: (sc, table, format) => sim.exportTable(sc, table, format),
  pyspark: (sc) => sim.pyspark(sc),
});

langSelect.value = lang;
langSelect.addEventListener('change', () => {
  lang = langSelect.value === 'ko' ? 'ko' : 'en';
  const url = new URL(location.href);
  url.searchParams.set('lang', lang);
  history.replaceState(null, '', url);
  applyStatic(lang);
  drawControls();
  dataPanel.render();
  drawLesson();
  redrawView();
});
// A link pasted into the address bar (or edited by hand) replaces the state.
window.addEventListener('hashchange', () => {
  if (location.hash === writtenHash) return;
  const d = decodeHash(location.hash);
  Object.assign(state, d.state);
  showLinkProblems(linkProblems(d));
  /** @type {HTMLInputElement} */ ($('sla')).value = String(state.slaMin);
  detail.value = String(state.scenario.report?.detail_events ?? 20000);
  drawControls();
  dataPanel.render();
  showView();
  saveUrl();
  scheduleRun();
  if (state.view === 'compare') drawCompare();
});
// Enter in a field must not submit (and reload) the page.
$('controls').addEventListener('submit', (e) => e.preventDefault());
$('tab-run').addEventListener('click', () => setView('run'));
$('tab-compare').addEventListener('click', () => setView('compare'));
$('pin').addEventListener('click', () => {
  const key = JSON.stringify(state.scenario);
  if (state.pins.some((p) => JSON.stringify(p) === key)) return;
  if (state.pins.length >= MAX_PINS) {
    $('copy-status').textContent = t(lang, 'pinFull');
    return;
  }
  state.pins.push(JSON.parse(key));
  if (last) pinResults.set(key, last);
  $('copy-status').textContent = t(lang, 'pinned');
  saveUrl();
  showView();
});
$('tab-timeline').addEventListener('click', () => setView('timeline'));
const detail = /** @type {HTMLSelectElement} */ ($('tl-detail'));
detail.value = String(state.scenario.report?.detail_events ?? 20000);
detail.addEventListener('change', () => {
  applyControl(state.scenario, 'report.detail_events', Number(detail.value));
  saveUrl();
  scheduleRun();
});
$('tab-sweep').addEventListener('click', () => setView('sweep'));
$('sweep-run').addEventListener('click', runSweep);
$('run-cancel').addEventListener('click', () => {
  dirty = false;
  sim.cancel();
});
$('sweep-cancel').addEventListener('click', () => {
  running = false;
  sim.cancel();
});
const slaInput = /** @type {HTMLInputElement} */ ($('sla'));
slaInput.value = String(state.slaMin);
slaInput.addEventListener('input', () => {
  const v = Number(slaInput.value);
  if (!(v > 0)) return;
  state.slaMin = v;
  saveUrl();
  if (sweepRows) renderSweep(lang, sweepRows, state.slaMin);
});
$('copy-link').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(location.href);
    $('copy-status').textContent = t(lang, 'copied');
  } catch {
    $('copy-status').textContent = location.href;
  }
});
// Its own timer: a resize must not cancel a run that a control change scheduled.
let resizeTimer = 0;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(redrawView, 150);
});

/** The variants' results (cached like pins), for the lesson's answer. */
function lessonResults() {
  if (!lesson) return Promise.resolve([]);
  return Promise.all(lesson.variants.map(async (v) => {
    const sc = merge(clone(BASE), v.scenario);
    const key = JSON.stringify(sc);
    let r = pinResults.get(key);
    if (!r) {
      r = await sim.run(sc);
      pinResults.set(key, r);
    }
    return r;
  }));
}

function drawLesson() {
  if (lesson) renderLesson(lang, lesson, lessonResults);
}

/**
 * What is wrong with a link, as sentences: the whole of it, or the parts left at their
 * defaults. @param {{problem: string | null, parts: string[]}} d
 */
function linkProblems(d) {
  /** @type {string[]} */
  const out = [];
  if (d.problem) out.push(t(lang, 'linkProblem', { problem: d.problem }));
  if (d.parts.length) out.push(t(lang, 'linkParts', { parts: partsText(d.parts) }));
  return out;
}

/** @param {string[]} notes */
function showLinkProblems(notes) {
  $('link-problem').textContent = notes.join(' ');
  $('link-problem').hidden = notes.length === 0;
}

/** @type {string[]} */
const notices = [];
try {
  const l = await lessonFromUrl(location);
  if (l) {
    const problems = lessonProblems(l);
    if (problems.length) throw new Error(problems.join('; '));
    lesson = /** @type {import('./lesson.js').Lesson} */ (l);
    // The lesson sets the scenario unless the link carries one (a shared state of it).
    if (!new URLSearchParams(location.hash.replace(/^#/, '')).get('s')) {
      state.scenario = merge(clone(BASE), lesson.variants[0].scenario);
      state.pins = lesson.variants.length > 1 ? lesson.variants.map((v) => merge(clone(BASE), v.scenario)) : [];
      state.view = lesson.view ?? (state.pins.length ? 'compare' : 'run');
      if (lesson.sla_min) state.slaMin = lesson.sla_min;
      /** @type {HTMLInputElement} */ ($('sla')).value = String(state.slaMin);
      detail.value = String(state.scenario.report?.detail_events ?? 20000);
    }
  }
} catch (err) {
  lesson = null;
  notices.push(t(lang, 'lessonProblem', { problem: err instanceof Error ? err.message : String(err) }));
}
notices.push(...linkProblems(decoded));

try {
  applyStatic(lang);
  drawLesson();
  showLinkProblems(notices);
  drawControls();
  showView();
  saveUrl();
  status.hidden = true;
  await rerun();
  if (state.view === 'compare') drawCompare();
  if (!['ready', 'invalid', 'crashed', 'cancelled'].includes(app.dataset.state ?? '')) {
    throw new Error('no result');
  }
} catch (err) {
  // Never a page left on "Loading…": whatever stopped it is said.
  status.textContent = t(lang, 'error', { message: err instanceof Error ? err.message : String(err) });
  status.hidden = false;
  status.classList.add('error');
  app.dataset.state = 'error';
  app.setAttribute('aria-busy', 'false');
}
