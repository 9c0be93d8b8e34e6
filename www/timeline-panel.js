// The timeline view: the dual-clock chart with play / pause / step / scrub, a legend of
// fates, and the rule that decided the fate of the event under the pointer.
import { t } from './i18n.js';
import { clock, duration, int } from './format.js';
import { FATES, timelineChart } from './charts/timeline.js';

/** @type {{plot: any, timer: number, nowUs: number, batch: number} | null} */
let current = null;

/**
 * The sentence for one event's fate. @param {import('./i18n.js').Lang} lang
 * @param {import('./run-result.js').RunResult} r @param {number} i @param {number | null} windowUs
 */
export function fateRule(lang, r, i, windowUs) {
  const et = r.eventTimeUs[i];
  const b = r.eventBatch[i];
  const wm = r.eventLateWatermarkUs[i];
  const we = windowUs ? Math.floor(et / windowUs) * windowUs + windowUs : NaN;
  const vars = {
    id: int(i * r.eventStride, lang), et: clock(et, et), arr: clock(r.eventArrivalUs[i], et),
    wm: Number.isFinite(wm) ? clock(wm, et) : '–', we: Number.isFinite(we) ? clock(we, et) : '–', b: int(b, lang),
  };
  const key = [
    Number.isFinite(wm) ? 'rule_on_time' : 'rule_on_time_nowm',
    'rule_late_counted',
    windowUs ? 'rule_dropped_window' : 'rule_dropped',
    'rule_duplicate', 'rule_in_state', 'rule_unprocessed',
  ][r.eventFate[i]] ?? 'rule_unprocessed';
  return `${t(lang, 'ruleHead', vars)} ${t(lang, key, vars)}`;
}

/**
 * Draws the timeline of a run. With `inSteps`, the chart is made in this task and its
 * points drawn in the next (each about half the work: the page's main thread never
 * stalls long while a result lands); the old chart stays on show until the new one is
 * whole. The promise resolves when it is drawn.
 * @param {import('./i18n.js').Lang} lang @param {import('./run-result.js').RunResult} r
 * @param {any} scenario @param {{inSteps?: boolean}} [opts]
 * @returns {Promise<void>}
 */
export function renderTimeline(lang, r, scenario, opts = {}) {
  const previous = current;
  if (previous) clearInterval(previous.timer);
  const w = scenario.query?.window;
  const windowUs = scenario.query?.operator === 'window_count' && w?.kind === 'tumbling' ? w.size_s * 1e6 : null;
  let n = r.batchStartUs.length;
  if (r.scaled) {
    // A scaled run's events are an exact run of its first slice (crate/src/scale.rs):
    // the timeline shows the batches up to the one that took the slice's last arrival.
    let last = -Infinity;
    for (const a of r.eventArrivalUs) if (a > last) last = a;
    let k = 0;
    while (k < n && r.batchStartUs[k] <= last) k++;
    n = Math.min(n, k + 1);
  }
  const cut = (/** @type {Float64Array} */ a) => (a.length > n ? a.subarray(0, n) : a);
  const scrub = /** @type {HTMLInputElement} */ (document.getElementById('tl-scrub'));
  const play = /** @type {HTMLButtonElement} */ (document.getElementById('tl-play'));
  const info = /** @type {HTMLElement} */ (document.getElementById('tl-info'));
  const hover = /** @type {HTMLElement} */ (document.getElementById('tl-hover'));
  scrub.max = String(Math.max(0, n - 1));
  // In steps: no marks at first ("now" before everything), then every mark.
  const state = { plot: /** @type {any} */ (null), timer: 0, nowUs: opts.inSteps ? -Infinity : Infinity, batch: n - 1 };
  current = state;
  const setBatch = (/** @type {number} */ b) => {
    state.batch = Math.max(0, Math.min(n - 1, b));
    const nowUs = state.batch >= n - 1 ? Infinity : r.batchEndUs[state.batch];
    scrub.value = String(state.batch);
    info.textContent = t(lang, 'tlAt', { b: int(state.batch, lang), n: int(n, lang) });
    // (Drawn already at this "now": the chart was just made, or nothing moved.)
    if (nowUs === state.nowUs) return;
    state.nowUs = nowUs;
    state.plot?.redraw(false, false);
  };
  const host = /** @type {HTMLElement} */ (document.getElementById('tl-chart'));
  // In steps, the chart is made off the page and moved in once drawn.
  const frame = opts.inSteps ? document.createElement('div') : host;
  if (!opts.inSteps) previous?.plot?.destroy();
  state.plot = timelineChart(
    frame,
    {
      arrival: r.eventArrivalUs, eventTime: r.eventTimeUs, fate: r.eventFate,
      batchStart: cut(r.batchStartUs), batchEnd: cut(r.batchEndUs), watermark: cut(r.batchWatermarkUs), windowUs,
    },
    () => state.nowUs,
    (i) => { hover.textContent = i == null ? '' : fateRule(lang, r, i, windowUs); },
    { x: t(lang, 'tlX'), y: t(lang, 'tlY') },
    Math.max(280, host.clientWidth || 600),
  );
  scrub.oninput = () => { stop(); setBatch(Number(scrub.value)); };
  const stop = () => {
    clearInterval(state.timer);
    state.timer = 0;
    play.textContent = t(lang, 'tlPlay');
    play.setAttribute('aria-pressed', 'false');
  };
  play.onclick = () => {
    if (state.timer) { stop(); return; }
    if (state.batch >= n - 1) setBatch(0);
    play.textContent = t(lang, 'tlPause');
    play.setAttribute('aria-pressed', 'true');
    state.timer = window.setInterval(() => {
      if (state.batch >= n - 1) { stop(); return; }
      setBatch(state.batch + 1);
    }, Math.max(30, Math.min(400, 8000 / Math.max(n, 1))));
  };
  /** @type {HTMLButtonElement} */ (document.getElementById('tl-step')).onclick = () => { stop(); setBatch(state.batch + 1); };
  /** @type {HTMLButtonElement} */ (document.getElementById('tl-back')).onclick = () => { stop(); setBatch(state.batch - 1); };
  stop();
  /** "Now" at the end: every mark drawn; in steps, the chart then replaces the old one. */
  const finish = () => {
    setBatch(n - 1);
    if (frame === host) return;
    previous?.plot?.destroy();
    host.replaceChildren(...frame.childNodes);
  };
  const legend = /** @type {HTMLElement} */ (document.getElementById('tl-legend'));
  const counts = new Array(FATES.length).fill(0);
  for (const f of r.eventFate) counts[f]++;
  legend.replaceChildren(...FATES.map((f, i) => {
    const li = document.createElement('li');
    li.dataset.fate = String(i);
    const sw = document.createElement('span');
    sw.className = `shape shape-${f.shape}`;
    sw.style.color = f.color;
    sw.setAttribute('aria-hidden', 'true');
    li.append(sw, `${t(lang, f.key)} (${int(counts[i], lang)})`);
    return li;
  }));
  const note = /** @type {HTMLElement} */ (document.getElementById('tl-note'));
  note.textContent = [
    r.scaled ? t(lang, 'tlScaled', { slice: duration(r.scaled.timeline_slice_s, lang) }) : '',
    r.eventStride > 1 ? t(lang, 'tlSampled', { shown: int(r.eventFate.length, lang), stride: int(r.eventStride, lang) }) : '',
  ].filter(Boolean).join(' ');
  if (!opts.inSteps) {
    finish();
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    setTimeout(() => {
      if (current === state) finish();
      else state.plot.destroy(); // a newer timeline took over meanwhile
      resolve();
    }, 0);
  });
}
