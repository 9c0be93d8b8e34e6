// The timeline view: the dual-clock chart with play / pause / step / scrub, a legend of
// fates, and the rule that decided the fate of the event under the pointer (or, by keyboard,
// of the event picked with the arrow keys on the focused chart). With reduced motion asked
// for, Play does not animate: each press moves one batch. A Flink run adds its trace: the
// watermark's periodic steps and the window firings, with their legend entries.
import { STRINGS, t } from './i18n.js';
import { clock, duration, int } from './format.js';
import { FATES, FLINK_MARKS, timelineChart } from './charts/timeline.js';

// A Flink run's labels (its trace: crate/src/report/flink_trace.rs, docs/model.md §13), with
// this view's code rather than in i18n.js, which every first result fetches.
Object.assign(STRINGS.en, {
  tlFlinkWatermark: 'watermark: Flink’s periodic steps ({n} drawn)',
  tlFlinkFiredByWatermark: 'window fired by the watermark, at (firing time, window end) ({points} marks, {rows} rows)',
  tlFlinkFiredByElement: 'window re-fired by a late element within allowed lateness ({points} marks, {rows} rows)',
  tlFlinkNote: 'A Flink run: the red step line is the watermark the source forwarded, checked every {ms} ms of processing time and moved only when it advanced; a blue tick marks a window fired when the watermark passed its end (its row is written then and visible at the next completed checkpoint).',
  tlFlinkThinned: 'Thinned evenly over the whole run: every {ws}th watermark step and every {fs}th firing mark are drawn.',
  tlFlinkAt: 'after checkpoint {b} of {n}',
  tlFlinkScrub: 'Checkpoint',
  tlOutage: 'The red band: the query was down from the driver failure to its restart (restart delay {restart}, state restore {restore}); batch {batch} then ran again with the same rows, and the next batch read the {rows} rows that piled up.',
  tlOutageIdle: 'The red band: the query was down from the driver failure to its restart (restart delay {restart}, state restore {restore}); its first batch read the {rows} rows that piled up.',
});
Object.assign(STRINGS.ko, {
  tlFlinkWatermark: '워터마크: Flink의 주기적 계단 ({n}개 표시)',
  tlFlinkFiredByWatermark: '워터마크가 발화한 윈도우, (발화 시각, 윈도우 끝) 위치 ({points}개 표시, {rows}행)',
  tlFlinkFiredByElement: '허용 지연 안의 늦은 요소가 다시 발화한 윈도우 ({points}개 표시, {rows}행)',
  tlFlinkNote: 'Flink 실행: 빨간 계단선은 소스가 내보낸 워터마크로, 처리 시간 {ms} ms마다 확인하고 앞으로 나아갈 때만 움직입니다. 파란 눈금은 워터마크가 윈도우 끝을 지나 발화한 윈도우입니다 (그 행은 그때 쓰이고 다음 체크포인트가 완료될 때 보입니다).',
  tlFlinkThinned: '실행 전체에 고르게 솎아 그렸습니다: 워터마크 계단은 {ws}개마다, 발화 표시는 {fs}개마다 하나.',
  tlFlinkAt: '체크포인트 {n}개 중 {b}번 이후',
  tlFlinkScrub: '체크포인트',
  tlOutage: '빨간 띠: 드라이버 장애부터 재시작까지 쿼리가 멈춘 구간입니다(재시작 지연 {restart}, 상태 복원 {restore}). 그다음 배치 {batch}를 같은 행으로 다시 실행했고, 다음 배치가 그동안 쌓인 {rows}행을 읽었습니다.',
  tlOutageIdle: '빨간 띠: 드라이버 장애부터 재시작까지 쿼리가 멈춘 구간입니다(재시작 지연 {restart}, 상태 복원 {restore}). 첫 배치가 그동안 쌓인 {rows}행을 읽었습니다.',
});

/** @type {{plot: any, timer: number, nowUs: number, batch: number, sel: number | null, say: number} | null} */
let current = null;

/** The system's "reduce motion" setting (none outside a browser). */
const motion = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null;
/** Called when that setting changes: the timeline on show relabels its Play button. */
let onMotion = () => {};
motion?.addEventListener('change', () => onMotion());

/** A live region's text at most every this many ms (a held arrow key would flood it). */
const SAY_MS = 300;

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
 * The chart by keyboard: focusable; Left/Right (Home/End) pick the events of the current
 * batch (the nearest earlier batch that took any) in arrival order, ringed on the chart,
 * each one's rule said in the live region `hover` (the text the pointer shows, at most
 * every SAY_MS); Page Up/Down move to the next or previous batch.
 * @param {import('./i18n.js').Lang} lang @param {import('./run-result.js').RunResult} r
 * @param {HTMLElement} host @param {HTMLElement} hover
 * @param {{plot: any, batch: number, sel: number | null, say: number}} state
 * @param {number} n batches shown @param {number | null} windowUs @param {(b: number) => void} toBatch
 */
function keyboard(lang, r, host, hover, state, n, windowUs, toBatch) {
  host.tabIndex = 0;
  host.setAttribute('role', 'application');
  host.setAttribute('aria-label', t(lang, 'tlChartLabel'));
  /** The drawn events by the batch that took them, in arrival order (made at the first key). @type {Map<number, number[]> | null} */
  let byBatch = null;
  const groups = () => {
    if (byBatch) return byBatch;
    byBatch = new Map();
    for (let i = 0; i < r.eventBatch.length; i++) {
      // Events no batch took (and a scaled run's past the batches shown) are with the last.
      const b = r.eventBatch[i] < 0 || r.eventBatch[i] > n - 1 ? n - 1 : r.eventBatch[i];
      let g = byBatch.get(b);
      if (!g) byBatch.set(b, (g = []));
      g.push(i);
    }
    for (const g of byBatch.values()) g.sort((x, y) => r.eventArrivalUs[x] - r.eventArrivalUs[y]);
    return byBatch;
  };
  let saidAt = -Infinity;
  let pending = '';
  const say = (/** @type {string} */ text) => {
    pending = text;
    if (state.say) return;
    state.say = window.setTimeout(() => {
      state.say = 0;
      saidAt = performance.now();
      hover.textContent = pending;
    }, Math.max(0, saidAt + SAY_MS - performance.now()));
  };
  host.onkeydown = (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'PageUp' || e.key === 'PageDown') {
      e.preventDefault();
      toBatch(state.batch + (e.key === 'PageUp' ? 1 : -1));
      return;
    }
    if (!['ArrowRight', 'ArrowLeft', 'Home', 'End'].includes(e.key)) return;
    e.preventDefault();
    let b = state.batch;
    while (b >= 0 && !groups().get(b)?.length) b--;
    if (b < 0) {
      say(t(lang, 'tlKeyNone', { b: int(state.batch, lang) }));
      return;
    }
    const list = /** @type {number[]} */ (groups().get(b));
    let at = state.sel === null ? -1 : list.indexOf(state.sel);
    const last = list.length - 1;
    if (e.key === 'Home') at = 0;
    else if (e.key === 'End') at = last;
    else if (at < 0) at = e.key === 'ArrowRight' ? 0 : last;
    else at = Math.max(0, Math.min(last, at + (e.key === 'ArrowRight' ? 1 : -1)));
    state.sel = list[at];
    state.plot?.redraw(false, false);
    say(fateRule(lang, r, list[at], windowUs));
  };
}

/**
 * A Flink run's legend entries (none for Spark): the watermark's steps and the firing
 * marks, each with what is drawn (forwarded watermarks; firing points and their rows).
 * @param {import('./i18n.js').Lang} lang @param {import('./run-result.js').RunResult} r
 * @returns {HTMLLIElement[]}
 */
function flinkLegend(lang, r) {
  const tr = r.flinkTrace;
  if (!tr) return [];
  /** Points and rows of the firings by `by` (0 watermark, 1 element). @param {number} by */
  const fired = (by) => {
    let points = 0;
    let rows = 0;
    for (let i = 0; i < tr.firingBy.length; i++) {
      if (tr.firingBy[i] !== by) continue;
      points++;
      rows += tr.firingRows[i];
    }
    return { points: int(points, lang), rows: int(rows, lang) };
  };
  const vars = [{ n: int(tr.watermarkUs.length, lang) }, fired(0), fired(1)];
  return FLINK_MARKS.map((m, i) => {
    const li = document.createElement('li');
    li.dataset.flink = m.shape;
    const sw = document.createElement('span');
    sw.className = `shape shape-${m.shape}`;
    sw.style.color = m.color;
    sw.setAttribute('aria-hidden', 'true');
    li.append(sw, t(lang, m.key, vars[i]));
    return li;
  });
}

/**
 * A Flink run's note on its trace (empty for Spark): the periodic watermark, the firing
 * marks, and how thinly they are drawn.
 * @param {import('./i18n.js').Lang} lang @param {import('./run-result.js').RunResult} r
 */
function flinkNote(lang, r) {
  const tr = r.flinkTrace;
  if (!tr) return '';
  const interval = r.flink?.watermark_interval_ms ?? 200;
  const note = t(lang, 'tlFlinkNote', { ms: int(interval, lang) });
  const [ws, fs] = [tr.strides[0] ?? 1, tr.strides[1] ?? 1];
  if (ws <= 1 && fs <= 1) return note;
  return `${note} ${t(lang, 'tlFlinkThinned', { ws: int(ws, lang), fs: int(fs, lang) })}`;
}

/**
 * A run with an injected failure: what the red band is (empty without one).
 * @param {import('./i18n.js').Lang} lang @param {import('./run-result.js').RunResult} r
 */
function outageNote(lang, r) {
  const rec = r.recovery;
  if (!rec || rec.during === 'after_end') return '';
  return t(lang, rec.during === 'batch' ? 'tlOutage' : 'tlOutageIdle', {
    restart: duration(rec.restart_s, lang),
    restore: duration(rec.restore_s, lang),
    batch: rec.failed_batch,
    rows: int(rec.backlog_rows, lang),
  });
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
  if (previous) {
    clearInterval(previous.timer);
    clearTimeout(previous.say);
  }
  const w = scenario.query?.window;
  const windowUs = scenario.query?.operator === 'window_count' && w?.kind === 'tumbling' ? w.size_s * 1e6 : null;
  let n = r.batchStartUs.length;
  if (r.scaled) {
    // A scaled run's events are an exact run of its first slice (crate/src/scenario/scale.rs):
    // the timeline shows the batches up to the one that took the slice's last arrival.
    let last = -Infinity;
    for (const a of r.eventArrivalUs) if (a > last) last = a;
    let k = 0;
    while (k < n && r.batchStartUs[k] <= last) k++;
    n = Math.min(n, k + 1);
  }
  const cut = (/** @type {Float64Array} */ a) => (a.length > n ? a.subarray(0, n) : a);
  const scrub = /** @type {HTMLInputElement} */ (document.getElementById('tl-scrub'));
  const scrubLabel = scrub.labels?.[0]?.querySelector('span');
  if (scrubLabel) scrubLabel.textContent = t(lang, r.flink ? 'tlFlinkScrub' : 'tlScrub');
  const play = /** @type {HTMLButtonElement} */ (document.getElementById('tl-play'));
  const info = /** @type {HTMLElement} */ (document.getElementById('tl-info'));
  const hover = /** @type {HTMLElement} */ (document.getElementById('tl-hover'));
  scrub.max = String(Math.max(0, n - 1));
  // In steps: no marks at first ("now" before everything), then every mark.
  const state = {
    plot: /** @type {any} */ (null), timer: 0, nowUs: opts.inSteps ? -Infinity : Infinity, batch: n - 1,
    sel: /** @type {number | null} */ (null), say: 0,
  };
  current = state;
  const setBatch = (/** @type {number} */ b) => {
    state.batch = Math.max(0, Math.min(n - 1, b));
    const nowUs = state.batch >= n - 1 ? Infinity : r.batchEndUs[state.batch];
    scrub.value = String(state.batch);
    // A Flink run's steps are its checkpoints (its batch table's rows).
    info.textContent = t(lang, r.flink ? 'tlFlinkAt' : 'tlAt', { b: int(state.batch, lang), n: int(n, lang) });
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
      flink: r.flinkTrace ?? null,
      outage: r.recovery ? [r.recovery.failed_at_us, r.recovery.resumed_at_us] : null,
    },
    () => state.nowUs,
    (i) => { hover.textContent = i == null ? '' : fateRule(lang, r, i, windowUs); },
    { x: t(lang, 'tlX'), y: t(lang, 'tlY') },
    Math.max(280, host.clientWidth || 600),
    () => state.sel,
  );
  scrub.oninput = () => { stop(); setBatch(Number(scrub.value)); };
  const stop = () => {
    clearInterval(state.timer);
    state.timer = 0;
    // With reduced motion, Play is a plain button that moves one batch a press.
    const still = motion?.matches ?? false;
    play.textContent = t(lang, still ? 'tlPlayStep' : 'tlPlay');
    play.title = still ? t(lang, 'tlPlayStepNote') : '';
    if (still) play.removeAttribute('aria-pressed');
    else play.setAttribute('aria-pressed', 'false');
  };
  onMotion = () => { if (current === state) stop(); };
  play.onclick = () => {
    if (state.timer) { stop(); return; }
    if (motion?.matches) {
      setBatch(state.batch >= n - 1 ? 0 : state.batch + 1);
      return;
    }
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
  keyboard(lang, r, host, hover, state, n, windowUs, (b) => { stop(); setBatch(b); });
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
  // The legend counts the events drawn: every event of an exact, unsampled run; else a
  // sample (or a scaled run's first slice), and its title says so (the summary has the run's).
  const legendTitle = document.getElementById('tl-legend-title');
  if (legendTitle) {
    legendTitle.textContent = r.eventStride > 1 || r.scaled
      ? t(lang, 'tlLegendDrawn', { shown: int(r.eventFate.length, lang) })
      : t(lang, 'tlLegendAll');
  }
  legend.replaceChildren(...FATES.map((f, i) => {
    const li = document.createElement('li');
    li.dataset.fate = String(i);
    const sw = document.createElement('span');
    sw.className = `shape shape-${f.shape}`;
    sw.style.color = f.color;
    sw.setAttribute('aria-hidden', 'true');
    li.append(sw, `${t(lang, f.key)} (${int(counts[i], lang)})`);
    return li;
  }), ...flinkLegend(lang, r));
  const note = /** @type {HTMLElement} */ (document.getElementById('tl-note'));
  note.textContent = [
    r.scaled ? t(lang, 'tlScaled', { slice: duration(r.scaled.timeline_slice_s, lang) }) : '',
    r.eventStride > 1 ? t(lang, 'tlSampled', { shown: int(r.eventFate.length, lang), stride: int(r.eventStride, lang) }) : '',
    flinkNote(lang, r),
    outageNote(lang, r),
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
