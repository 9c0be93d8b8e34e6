// Entry point: the app's state (in the URL), the controls, and the views. Every run goes to
// the simulation worker (the wasm core); the page only draws.
import { initialLang, applyStatic, loadLang, t } from './i18n.js';
import { renderSummary, renderScaledNote } from './summary.js';
import { renderBatchTable, MAX_ROWS, ROWS_PER_PART } from './batch-table.js';
import { renderCost, usd } from './cost-summary.js';
import { renderCostBars } from './cost-bars.js';
import { renderControls, showFieldError, applyControl, addControls, TRIGGER_STOPS } from './controls.js';
import { renderMetricList } from './metric-list.js';
import { timeChart } from './charts/time-chart.js';
import { decodeHash, encodeHash, merge, clone, BASE, PAGE_DEFAULT, previewOf, previewSpanS, partsText, MAX_PINS } from './state.js';
import { SimClient, isAbandoned } from './sim-client.js';
import { duration, int, millis } from './format.js';
import { failureText, isFailure } from './run-failure.js';
import { selectTab, tabKeys, skipLink } from './tabs.js';

/** @typedef {import('./i18n.js').Lang} Lang */

// The views other than this configuration's load their code when first shown (the first
// result needs none of it): the timeline, compare, and the sweep with its pool of workers.
/** @type {Promise<typeof import('./timeline-panel.js')> | null} */ let timelineCode = null;
const timelineModule = () => (timelineCode ??= import('./timeline-panel.js'));
/** @type {Promise<typeof import('./compare-panel.js')> | null} */ let compareCode = null;
const compareModule = () => (compareCode ??= import('./compare-panel.js'));
/** @typedef {typeof import('./sweep-panel.js') & {pool: import('./sweep-pool.js').SweepPool, SweepRefused: typeof import('./sweep-pool.js').SweepRefused}} SweepCode */
/** The sweep's code once loaded (renderSweep is drawn synchronously). @type {SweepCode | null} */
let sweepCode = null;
/** @type {Promise<SweepCode> | null} */ let sweepLoading = null;
/** Data files added before the sweep's pool exists, handed to it when it starts. */
const sweepFiles = /** @type {Map<string, ArrayBuffer>} */ (new Map());
const sweepModule = () => (sweepLoading ??= Promise.all([import('./sweep-panel.js'), import('./sweep-pool.js')])
  .then(([panel, poolModule]) => {
    // The sweep's workers (sweep-pool.js): several, apart from the run's worker.
    const pool = new poolModule.SweepPool();
    for (const [name, bytes] of sweepFiles) pool.addFile(name, bytes);
    sweepCode = { ...panel, pool, SweepRefused: poolModule.SweepRefused };
    return sweepCode;
  }));

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const app = $('app');
const status = $('status');
const langSelect = /** @type {HTMLSelectElement} */ ($('lang'));

/** @type {Lang} */
let lang = initialLang();
await loadLang(lang);
// A link without a scenario opens the page's default (PAGE_DEFAULT: a day).
const decoded = decodeHash(location.hash, PAGE_DEFAULT);
const state = decoded.state;
const sim = new SimClient();
/** @type {import('./run-result.js').RunResult | null} */
let last = null;
/** The sweep on show: its points and results so far. @type {import('./sweep-panel.js').SweepView | null} */
let sweepView = null;
/** The scenario `last` was computed from (a preview's: its first minutes). @type {any} */
let lastScenario = null;
/** When `last` is a preview: the full scenario it previews; else null. @type {any} */
let previewFor = null;
/** The full run of `previewFor` ended without a result (cancelled, refused, crashed). */
let previewStopped = false;

/** An inline lesson (`#…&lesson=`) rides along in the hash the page writes. */
const lessonParam = new URLSearchParams(location.hash.replace(/^#/, '')).get('lesson');
/** @type {import('./lesson.js').Lesson | null} */
let lesson = null;

let writtenHash = '';
function saveUrl() {
  writtenHash = encodeHash(state, PAGE_DEFAULT) + (lessonParam ? `&lesson=${lessonParam}` : '');
  history.replaceState(null, '', `${location.pathname}${location.search}${writtenHash}`);
  app.dataset.scenario = JSON.stringify(state.scenario);
}

/** A run still going after this long shows its progress and Cancel, ms. */
const BUSY_MS = 250;
let busyTimer = 0;

/** Grows with every run the page starts: a result lands only while its run is the newest. */
let generation = 0;
/** Abandons the page's runs in flight (a newer change replaces them). @type {AbortController | null} */
let runAbort = null;
/** The full run's progress while its preview is shown, 0..1. */
let fullDone = 0;

/**
 * Runs the current scenario. A change while a run is going abandons it (the worker is
 * replaced if the run is not about to end: sim-client.js) and starts the new one at once;
 * an abandoned run's result never lands. A longer scenario first runs its first minutes
 * (previewOf: ~1 M events) and shows them, labelled as a preview, while the full run goes on.
 * @returns {Promise<boolean>} false when a newer run replaced this one
 */
async function rerun() {
  const gen = ++generation;
  // When this run began, and how long each step of drawing its results took (the last
  // run's only): for tests and tests/bench/browser-rerun.mjs.
  performance.clearMarks('rerun');
  performance.clearMeasures();
  performance.mark('rerun');
  runAbort?.abort();
  const ac = new AbortController();
  runAbort = ac;
  const fresh = () => gen === generation;
  const scenario = clone(state.scenario);
  const preview = previewOf(scenario);
  app.setAttribute('aria-busy', 'true');
  const bar = /** @type {HTMLProgressElement} */ ($('run-progress'));
  bar.removeAttribute('value'); // indeterminate until the first progress
  fullDone = 0;
  // Progress and Cancel for any run still going after BUSY_MS, whether or not it has
  // reported progress (a run stuck in the core never does); quicker ones, such as a
  // slider drag's, do not flicker.
  clearTimeout(busyTimer);
  busyTimer = window.setTimeout(() => {
    if (!fresh()) return;
    $('strip').hidden = false;
    $('run-busy').hidden = false;
  }, BUSY_MS);
  // Both go to the worker's queue now: the full run starts the moment the preview's
  // result leaves the worker, while the page draws the preview.
  const previewRun = preview ? sim.run(preview, undefined, { signal: ac.signal }) : null;
  const fullRun = sim.run(scenario, (done) => {
    if (!fresh()) return;
    bar.value = done;
    fullDone = done;
    if (previewFor) renderPreviewNote();
  }, { signal: ac.signal });
  fullRun.catch(() => {}); // settled below (or abandoned)
  if (previewRun) {
    try {
      const r = await previewRun;
      if (!fresh()) return false;
      await show(r, preview, scenario);
      if (!fresh()) return false;
      app.dataset.state = 'preview';
    } catch (err) {
      if (!fresh()) return false;
      // A preview that fails says nothing: the full run gives the verdict (the same
      // refusal, or the full scenario's own).
    }
  }
  try {
    const r = await fullRun;
    if (!fresh()) return false;
    await show(r, scenario, null);
    if (!fresh()) return false;
    // What the results on the page were computed from (tests wait for it).
    app.dataset.ran = JSON.stringify(scenario);
    app.dataset.state = 'ready';
  } catch (err) {
    if (!fresh() || isAbandoned(err)) return false;
    const message = err instanceof Error ? err.message : String(err);
    // A preview on show stays, labelled as the first minutes of a run that did not finish.
    previewStopped = previewFor !== null;
    renderPreviewNote();
    const ownPreview = previewFor !== null && JSON.stringify(previewFor) === JSON.stringify(scenario);
    if (message === 'cancelled') {
      $('run-note').textContent = t(lang, ownPreview ? 'runCancelledPreview' : 'runCancelled', { first: previewFirst() });
      app.dataset.state = 'cancelled';
    } else if (isFailure(err)) {
      // The worker was replaced; the results shown (if any) are the last good run's.
      $('run-note').textContent = failureText(lang, err);
      app.dataset.ran = JSON.stringify(scenario);
      app.dataset.state = 'crashed';
    } else {
      if (message.startsWith('workload.data')) $('data-problem').textContent = message;
      // Every control's error box (the engine's and the failure's controls are beside the list).
      else if (!showFieldError($('controls'), message)) $('general-error').textContent = message;
      // Also where the results are: the field's control (if it has one) may be far down.
      $('run-note').textContent = t(lang, last ? 'runInvalid' : 'runInvalidNone', { message: message.replace(/\.$/, '') });
      app.dataset.ran = JSON.stringify(scenario);
      app.dataset.state = 'invalid';
    }
  } finally {
    if (fresh()) {
      clearTimeout(busyTimer);
      $('run-busy').hidden = true;
      app.setAttribute('aria-busy', 'false');
    }
  }
  return true;
}

/**
 * Puts a result on the page: the full run of `sc`, or (with `full`) the preview `sc` of
 * the scenario `full` whose run is still going. Resolves when it is drawn.
 * @param {import('./run-result.js').RunResult} r @param {any} sc @param {any} full
 */
async function show(r, sc, full) {
  last = r;
  lastScenario = sc;
  previewFor = full;
  // Every result drawn, preview or full (a test checks that an abandoned run's never is),
  // and for a preview the scenario it previews (tests that need no full result wait for it).
  app.dataset.shown = JSON.stringify(sc);
  if (full) app.dataset.previewOf = JSON.stringify(full);
  else delete app.dataset.previewOf;
  $('run-note').textContent = '';
  showFieldError($('controls'), null);
  $('general-error').textContent = '';
  $('data-problem').textContent = '';
  previewStopped = false;
  renderPreviewNote();
  drawRun();
  await drawn();
}

/** How much of the run in progress its preview shows, in words ("16 min"). */
function previewFirst() {
  return duration(previewSpanS(previewFor?.workload), lang);
}

/**
 * The preview's label over the results (while `last` is a preview): what it is, and how
 * far the full run is or that it did not finish.
 */
function renderPreviewNote() {
  const note = $('preview-note');
  if (!previewFor) {
    note.hidden = true;
    delete app.dataset.preview;
    return;
  }
  const s = previewFor.workload?.duration_s ?? 0;
  const span = s === 86400 ? t(lang, 'previewDay') : duration(s, lang);
  const first = previewFirst();
  $('preview-label').textContent = t(lang, previewStopped ? 'previewStopped' : 'previewNote', { span, first });
  // The percentage is not announced (the progress bar is): a live region would read each.
  $('preview-pct').textContent = previewStopped ? '' : t(lang, 'previewPct', { pct: Math.floor(fullDone * 100) });
  note.hidden = false;
  app.dataset.preview = 'true';
}

/** Changes closer together than this are one burst (a drag, a held key), ms. */
const BURST_MS = 30;
let timer = 0;
/** When the last change came (performance.now()). */
let lastChange = -Infinity;
/**
 * Runs the changed scenario: at once after a quiet spell (a key press, a click: its preview
 * goes to the worker before the page lays out the change, and its first figures come one
 * worker round trip later), and within a burst of changes once it pauses for BURST_MS (a
 * drag runs what it rests on, not every step it passed).
 */
function scheduleRun() {
  clearTimeout(timer);
  // The scenario changed: a run in flight is for one already left, and its result must not
  // land in the moment before the new run starts (a run ending inside that wait did).
  generation += 1;
  const now = performance.now();
  const quiet = now - lastChange > BURST_MS;
  lastChange = now;
  if (quiet) rerun();
  else timer = window.setTimeout(rerun, BURST_MS);
}

/**
 * Tags the labels of `keys` in the metric list `id` (all when empty) as a preview's.
 * @param {string} id @param {string[]} [keys]
 */
function tagPreview(id, keys = []) {
  if (!previewFor) return;
  for (const div of $(id).querySelectorAll('[data-metric]')) {
    if (keys.length && !keys.includes(/** @type {HTMLElement} */ (div).dataset.metric ?? '')) continue;
    div.querySelector('dt')?.append(previewTag());
  }
}

/** A "preview" tag for a label. */
function previewTag() {
  const tag = document.createElement('span');
  tag.className = 'preview-tag';
  tag.textContent = t(lang, 'previewTag');
  return tag;
}

/** The headings of the result sections, tagged while a preview is shown. */
const PREVIEW_HEADINGS = ['cost-h', 'summary-h', 'batches-h', 'chart-files-h', 'chart-cost-h', 'chart-state-h', 'tl-help'];

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
    ['stripRan', millis(last.ms, lang)],
  ];
  renderMetricList('strip-list', lang, items);
  // Every figure of a preview is in a dashed box (style.css); the monthly one says so too.
  tagPreview('strip-list', ['stripUsd']);
  $('strip').hidden = false;
}

/** Grows with every drawRun: an older drawing stops at its next step. */
let drawSeq = 0;

/**
 * Resolves once the page has rendered a frame (or after 100 ms, in a hidden tab that
 * renders none). A result's drawing is done in steps with one of these between them, so
 * each step's scripts *and* the style, layout and paint of what it changed get a frame
 * of their own: the page never stalls long (tests/bench/browser-rerun.mjs measures it).
 */
function yieldToPage() {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() => setTimeout(() => {
      clearTimeout(timer);
      resolve(undefined);
    }, 0));
  });
}

/** The drawing in progress (or done). */
let drawing = Promise.resolve();

/** Draws `last`: the strip, the summary, and the current view, in steps. */
function drawRun() {
  drawing = drawSteps();
  return drawing;
}

/** Resolves when the drawing in progress, and any that replaced it, is done. */
async function drawn() {
  let p;
  do {
    p = drawing;
    await p;
  } while (p !== drawing);
}

async function drawSteps() {
  if (!last) return;
  const seq = ++drawSeq;
  const r = last;
  const sc = lastScenario ?? state.scenario;
  /** The steps so far are still wanted: nothing newer is being drawn. */
  const current = () => seq === drawSeq && last === r;
  const step = async (/** @type {string} */ name, /** @type {() => void} */ f) => {
    if (!current()) return false;
    const t0 = performance.now();
    f();
    performance.measure(`draw ${name}`, { start: t0 });
    await yieldToPage();
    return current();
  };
  const headings = () => {
    for (const id of PREVIEW_HEADINGS) {
      document.getElementById(id)?.querySelector('.preview-tag')?.remove();
      if (previewFor) document.getElementById(id)?.append(previewTag());
    }
  };
  if (!await step('summary', () => {
    renderPreviewNote();
    drawStrip();
    headings();
    if (r.data) deferredCode().then((p) => p.showStats(r.data, r.loadMs), () => {});
    else dataPanel?.showStats(null, null);
    renderSummary(lang, sc, r.summary, r.ms);
    if (r.flink || r.recovery || r.stateMemory?.out_of_memory) deferredCode().then(() => engine?.show(r), () => {});
    else engine?.show(r);
    renderScaledNote($('scaled-note'), lang, r.scaled, r.summary.events);
    renderCost(lang, r.cost);
    tagPreview('cost-list', ['usdTotal']);
    renderCostBars($('cost-bars'), lang, r.cost.usd_per_month);
  })) return;
  if (state.view === 'timeline') {
    const { renderTimeline } = await timelineModule();
    // Made in one step, its marks drawn in the next (renderTimeline's own).
    let marks = Promise.resolve();
    if (await step('timeline', () => { marks = renderTimeline(lang, r, sc, { inSteps: true }); })) await marks;
    return;
  }
  if (state.view !== 'run') return;
  const start = r.seriesTimeUs[0] ?? 0;
  if (!await step('chart files', () => {
    $('charts').hidden = false;
    timeChart($('chart-files'), r.seriesTimeUs, start, [{ label: t(lang, 'sFiles'), values: r.seriesLiveDataFiles }], {});
  })) return;
  if (!await step('chart cost', () => timeChart($('chart-cost'), r.seriesTimeUs, start, [
    { label: t(lang, 'sCompute'), values: r.seriesComputeUsd },
    { label: t(lang, 'sRequests'), values: r.seriesRequestsUsd },
    { label: t(lang, 'sAtRest'), values: r.seriesAtRestUsd },
  ], { y: 'USD' }))) return;
  if (!await step('chart state', () => timeChart($('chart-state'), r.batchEndUs, start, [
    { label: t(lang, 'sState'), values: r.batchStateRows },
    { label: t(lang, 'sBacklog'), values: r.batchBacklogRows, scale: 'y2' },
  ], { y: t(lang, 'sState'), y2: t(lang, 'sBacklog') }))) return;
  // The table in parts of ROWS_PER_PART rows, a frame each: its layout was the longest
  // stall of a result landing.
  const rows = Math.min(r.batchStartUs.length, MAX_ROWS);
  for (let from = 0; from === 0 || from < rows; from += ROWS_PER_PART) {
    if (!await step(`table ${from}`, () => renderBatchTable(lang, r, from, from + ROWS_PER_PART))) return;
  }
  await step('export', () => {
    // Shown once its code is there (see deferredCode).
    $('export').hidden = !exporter;
    exporter?.refresh();
  });
}

/** A control changed. @param {string} path @param {any} value */
function onControl(path, value) {
  applyControl(state.scenario, path, value);
  // Another engine has other controls.
  if (path === 'engine.name') drawControls();
  saveUrl();
  scheduleRun();
}

/** Draws the controls anew (the focused one keeps the focus). */
function drawControls() {
  const focused = document.activeElement?.id;
  renderControls($('control-list'), lang, state.scenario, onControl);
  engine?.draw(onControl);
  if (focused && document.activeElement?.id !== focused) document.getElementById(focused)?.focus();
}

function showView() {
  $('pin-count').textContent = String(state.pins.length);
  for (const v of ['run', 'timeline', 'compare', 'sweep']) $(`view-${v}`).hidden = state.view !== v;
  selectTab(tabList, $(`tab-${state.view}`));
}

/** The view tabs (a WAI-ARIA tab list, tabs.js); the skip link takes the focus to the selected one. */
const tabList = /** @type {HTMLElement} */ (document.querySelector('#views [role="tablist"]'));
tabKeys(tabList, (tab) => setView(tab.id.replace(/^tab-/, '')));
skipLink($('skip-link'), () => tabList.querySelector('[aria-selected="true"]'));

/** The first visit's links, in the page's language (the lessons gallery takes it along). */
function learnLinks() {
  /** @type {HTMLAnchorElement} */ ($('learn-lessons')).href = `./gallery.html?lang=${lang}`;
}

/** Redraws the strip and the current view (after a view, language or size change). */
function redrawView() {
  drawRun();
  if (state.view === 'sweep' && sweepView && sweepCode) sweepCode.renderSweep(lang, sweepView, state.slaMin);
  if (state.view === 'compare') drawCompare();
}

function setView(/** @type {string} */ v) {
  state.view = v;
  // Its code starts loading with the click, before anything is drawn.
  if (v === 'sweep') sweepModule();
  saveUrl();
  showView();
  redrawView();
}

/** Results of pinned scenarios, by their JSON. @type {Map<string, import('./run-result.js').RunResult>} */
const pinResults = new Map();

/** Draws the pinned scenarios (compare-panel.js showPins: its code comes with the view's). */
async function drawCompare() {
  app.dataset.compare = 'running';
  const { showPins } = await compareModule();
  await showPins({
    lang,
    pins: state.pins,
    // A lesson's variants keep the names the lesson gave them.
    names: new Map((lesson?.variants ?? []).map((v) => [JSON.stringify(merge(clone(BASE), v.scenario)), v.label[lang]])),
    results: pinResults,
    run: (sc) => sim.run(sc),
    shown: () => state.view === 'compare',
    onRemove: (i) => {
      state.pins.splice(i, 1);
      saveUrl();
      showView();
      drawCompare();
    },
  });
  app.dataset.compare = 'done';
}

/**
 * Runs the sweep over the current scenario in the pool (sweep-panel.js runSweep: its code
 * comes with the sweep view's, not with the first result's).
 */
async function runSweep() {
  const code = await sweepModule();
  await code.runSweep({
    lang: () => lang,
    scenario: () => state.scenario,
    slaMin: () => state.slaMin,
    shown: () => state.view === 'sweep',
    current: () => sweepView,
    setCurrent: (v) => { sweepView = v; },
    known: () => (last && !previewFor ? { scenario: lastScenario, cost: last.cost, scale: last.scaled?.factor ?? 1 } : null),
    pool: code.pool,
    SweepRefused: code.SweepRefused,
  });
}

// The data panel and the downloads (their code is not needed for a first result) load when
// the reader first reaches for anything (a pointer, a key, focus), a scenario reads data, or
// the page has been settled for a moment after its first result; a change of the data
// source made before the panel's code is there is replayed once it is.
/** @type {import('./data-panel.js').DataPanel | null} */ let dataPanel = null;
/** @type {{refresh: () => void} | null} */ let exporter = null;
/** @type {Promise<import('./data-panel.js').DataPanel> | null} */ let deferredLoading = null;
/** The engine switch (engine-panel.js), with the later code. @type {ReturnType<typeof import('./engine-panel.js').initEngine> | null} */ let engine = null;
const deferredCode = () => (deferredLoading ??= import('./deferred.js').then(({ initDataPanel, initExport, initEngine, engineControls }) => {
  const specs = engineControls(TRIGGER_STOPS);
  addControls(specs);
  engine = initEngine({
    specs,
    render: (root, sc, onChange, list) => renderControls(root, lang, sc, onChange, list),
    lang: () => lang,
    scenario: () => state.scenario,
    pinBoth: (a, b) => {
      for (const sc of [a, b]) {
        const key = JSON.stringify(sc);
        if (state.pins.some((p) => JSON.stringify(p) === key)) continue;
        if (state.pins.length >= MAX_PINS) state.pins.shift();
        state.pins.push(sc);
      }
      setView('compare');
    },
  });
  // The engine's own controls; the others anew only if they are Flink's (a reader's focus
  // on a Spark control stays where it is).
  if (state.scenario.engine?.name === 'flink') drawControls();
  else engine.draw(onControl);
  dataPanel = initDataPanel({
    lang: () => lang,
    scenario: () => state.scenario,
    addFile: (name, bytes) => {
      sim.addFile(name, bytes);
      sweepFiles.set(name, bytes);
      sweepCode?.pool.addFile(name, bytes);
    },
    changed: () => {
      saveUrl();
      drawControls();
      scheduleRun();
    },
  });
  exporter = initExport({
    lang: () => lang,
    scenario: () => lastScenario ?? state.scenario,
    exportTable: (sc, table, format) => sim.exportTable(sc, table, format),
    pyspark: (sc) => sim.pyspark(sc),
  });
  if (last) {
    $('export').hidden = false;
    exporter.refresh();
    engine.show(last);
  }
  return dataPanel;
}).catch((err) => {
  deferredLoading = null; // the next reach for it tries again
  $('data-problem').textContent = t(lang, 'codeFetchFailed', { message: err instanceof Error ? err.message : String(err) });
  throw err;
}));
/** Fetches it (once; a failure is shown at the data panel, and the next reach tries again). */
const laterCode = () => {
  if (!dataPanel) deferredCode().catch(() => {});
};
for (const type of ['pointerdown', 'keydown', 'focusin', 'dragenter']) {
  document.addEventListener(type, laterCode, { capture: true, passive: true });
}
const source = /** @type {HTMLSelectElement} */ ($('data-source'));
source.addEventListener('change', () => {
  if (dataPanel) return;
  const chosen = source.value;
  deferredCode().then(() => {
    source.value = chosen;
    source.dispatchEvent(new Event('change'));
  }, () => {});
});
if (state.scenario.workload?.data || state.scenario.engine?.name === 'flink') deferredCode().catch(() => {});

langSelect.value = lang;
langSelect.addEventListener('change', async () => {
  const next = langSelect.value === 'ko' ? 'ko' : 'en';
  await loadLang(next);
  lang = next;
  const url = new URL(location.href);
  url.searchParams.set('lang', lang);
  history.replaceState(null, '', url);
  applyStatic(lang);
  learnLinks();
  drawControls();
  dataPanel?.render();
  engine?.redraw();
  drawLesson();
  redrawView();
});
// A link pasted into the address bar (or edited by hand) replaces the state.
window.addEventListener('hashchange', () => {
  if (location.hash === writtenHash) return;
  const d = decodeHash(location.hash, PAGE_DEFAULT);
  Object.assign(state, d.state);
  showLinkProblems(linkProblems(d));
  /** @type {HTMLInputElement} */ ($('sla')).value = String(state.slaMin);
  detail.value = String(state.scenario.report?.detail_events ?? 20000);
  drawControls();
  if (state.scenario.workload?.data || state.scenario.engine?.name === 'flink') deferredCode().catch(() => {});
  dataPanel?.render();
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
  // The result shown, if it is this scenario's full run (not a preview, not an older one).
  if (last && JSON.stringify(lastScenario) === key) pinResults.set(key, last);
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
$('run-cancel').addEventListener('click', () => sim.cancel());
$('sweep-cancel').addEventListener('click', () => sweepCode?.cancelSweep());
const slaInput = /** @type {HTMLInputElement} */ ($('sla'));
slaInput.value = String(state.slaMin);
slaInput.addEventListener('input', () => {
  const v = Number(slaInput.value);
  if (!(v > 0)) return;
  state.slaMin = v;
  saveUrl();
  if (sweepView && sweepCode) sweepCode.renderSweep(lang, sweepView, state.slaMin);
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

/** The lesson panel's code, fetched when a link carries a lesson. @type {Promise<typeof import('./lesson-panel.js')> | null} */
let lessonCode = null;

function drawLesson() {
  const l = lesson;
  if (!l) return;
  (lessonCode ??= import('./lesson-panel.js')).then(({ renderLesson }) => {
    if (lesson === l) renderLesson(lang, l, lessonResults);
  });
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
  // lesson.js is fetched only for a link that names a lesson.
  const named = new URLSearchParams(location.hash.replace(/^#/, '')).has('lesson')
    || new URLSearchParams(location.search).has('lesson');
  const lessonCode = named ? await import('./lesson.js') : null;
  const l = lessonCode ? await lessonCode.lessonFromUrl(location) : null;
  if (l && lessonCode) {
    const problems = lessonCode.lessonProblems(l);
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
  learnLinks();
  drawLesson();
  showLinkProblems(notices);
  drawControls();
  showView();
  saveUrl();
  status.hidden = true;
  const finished = await rerun();
  setTimeout(laterCode, 2000);
  if (state.view === 'compare') drawCompare();
  // (A run replaced by a newer change gives way: the newer run says how it went.)
  if (finished && !['ready', 'invalid', 'crashed', 'cancelled'].includes(app.dataset.state ?? '')) {
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
