// The sweep: the current scenario under trigger intervals from 1 s to 1 day (log grid), in
// the sweep pool's workers; cost and p95 against the interval, the Pareto front, and the
// cheapest interval that meets a freshness SLA. Drawn as the points arrive: the chart with
// the points so far, the table with every point (finished, failed with its reason, or
// waiting); points that cannot run are listed, each with its reason and control.
import { STRINGS, t } from './i18n.js';
import { duration, int } from './format.js';
import { usd } from './cost-summary.js';
import { sweepChart, paretoFront } from './charts/sweep-chart.js';
import { failureText } from './run-failure.js';
import { rowOf } from './worker-sweep.js';

/** Stream intervals, s (1 s … 1 d, about 3 a decade). */
export const STREAM_GRID = [1, 2, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
/** Job intervals, s (a job starts a cluster: from 5 min). */
export const JOB_GRID = [300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];

/** @typedef {{label: string, every: number, trigger: any, engine?: 'spark' | 'flink'}} PanelPoint */

/**
 * A sweep on show: its points, the results so far (null: not back yet), and whether it is
 * still running, finished or was cancelled.
 * @typedef {object} SweepView
 * @property {PanelPoint[]} points
 * @property {(import('./sweep-pool.js').PointResult | null)[]} results
 * @property {'running' | 'done' | 'cancelled'} state
 */

/**
 * The sweep's points: a stream's trigger intervals, a job's, or (`engines`) the stream's on
 * Spark then the same intervals as Flink's checkpoint interval.
 * @param {'stream' | 'job' | 'engines'} mode @param {import('./i18n.js').Lang} lang @returns {PanelPoint[]}
 */
export function sweepPoints(mode, lang) {
  if (mode === 'engines') {
    return (/** @type {const} */ (['spark', 'flink'])).flatMap((engine) => STREAM_GRID.map((s) => ({
      label: `${engine === 'flink' ? 'Flink' : 'Spark'} ${duration(s, lang)}`,
      every: s,
      trigger: { kind: 'processing_time', interval_s: s },
      engine,
    })));
  }
  const grid = mode === 'job' ? JOB_GRID : STREAM_GRID;
  return grid.map((s) => ({
    label: duration(s, lang),
    every: s,
    trigger: mode === 'job'
      ? { kind: 'scheduled', every_s: s, startup_s: 270 }
      : { kind: 'processing_time', interval_s: s },
  }));
}

/** A new sweep's view: every point waiting. @param {PanelPoint[]} points @returns {SweepView} */
export function newSweepView(points) {
  return { points, results: points.map(() => null), state: 'running' };
}

/**
 * The cheapest row with 0 ≤ p95 ≤ sla, or null.
 * @template {{usdPerMonth: number, p95s: number}} R @param {R[]} rows @param {number} slaS
 * @returns {R | null}
 */
export function cheapestMeeting(rows, slaS) {
  /** @type {R | null} */
  let best = null;
  for (const r of rows) if (r.p95s >= 0 && r.p95s <= slaS && (!best || r.usdPerMonth < best.usdPerMonth)) best = r;
  return best;
}

/**
 * The control a core message's field belongs to, as "<its label> (<field>)"; the field
 * alone when no control has it; null when the message names no field. A trigger field is
 * the trigger interval's control (the sweep sets the trigger, the workload may change).
 * @param {import('./i18n.js').Lang} lang @param {string} message
 */
export function controlOf(lang, message) {
  const field = /^([A-Za-z_][\w.]*):/.exec(message)?.[1];
  if (!field) return null;
  const keys = Object.keys(STRINGS.en).filter((k) => k.startsWith('f_'));
  let key = field.startsWith('trigger') ? 'f_trigger.every' : '';
  for (let p = field; !key && p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    if (keys.includes(`f_${p}`)) key = `f_${p}`;
  }
  key ||= keys.find((k) => k.startsWith(`f_${field}.`)) ?? '';
  return key ? `${t(lang, key)} (${field})` : field;
}

/** A core message with its control named. @param {import('./i18n.js').Lang} lang @param {string} message */
function withControl(lang, message) {
  const m = message.replace(/\.\s*$/, '');
  const control = controlOf(lang, message);
  return control ? t(lang, 'sweepWithControl', { message: m, control }) : `${m}.`;
}

/**
 * What a point's failure while running says: a worker failure in words (with the fields
 * to change), or the core's message with its control.
 * @param {import('./i18n.js').Lang} lang @param {{error: string, failure: any}} r
 */
export function pointFailureText(lang, r) {
  return r.failure ? failureText(lang, r.failure) : withControl(lang, r.error);
}

/**
 * Lists the points that cannot run (the sweep did not start) in `el`: a sentence, then one
 * line per point with its reason and control.
 * @param {HTMLElement} el @param {import('./i18n.js').Lang} lang
 * @param {{index: number, label: string, message: string}[]} refusals @param {PanelPoint[]} points
 */
export function renderRefusals(el, lang, refusals, points) {
  /** @type {(string | Node)[]} */
  const parts = [t(lang, 'sweepRefused', { count: refusals.length, total: points.length })];
  for (const r of refusals) {
    const line = document.createElement('span');
    line.className = 'warn';
    line.dataset.point = String(r.index);
    const label = points[r.index] ? pointLabel(points[r.index], lang) : r.label;
    line.textContent = `${t(lang, 'sweepPoint', { label })} ${withControl(lang, r.message)}`;
    parts.push(' ', document.createElement('br'), line);
  }
  el.replaceChildren(...parts);
}

/**
 * The status line of a sweep that finished or was cancelled: how many points ran and
 * failed; '' when every point ran.
 * @param {import('./i18n.js').Lang} lang @param {SweepView} view
 */
export function sweepOutcome(lang, view) {
  const ran = view.results.filter((r) => r && 'row' in r).length;
  const refused = view.results.filter((r) => r && 'refused' in r && r.refused).length;
  const failed = view.results.filter((r) => r && 'error' in r).length - refused;
  const total = view.points.length;
  if (view.state === 'cancelled') return t(lang, 'sweepCancelled');
  if (!failed && !refused) return t(lang, 'sweepProgress', { done: total, total });
  if (!failed) return t(lang, 'sweepSomeRefused', { ran, refused, total });
  return t(lang, 'sweepSomeFailed', { ran, failed, total });
}

/** A point's name: its interval, and its engine in a sweep of both. @param {PanelPoint} p @param {import('./i18n.js').Lang} lang */
function pointLabel(p, lang) {
  return p.engine ? `${p.engine === 'flink' ? 'Flink' : 'Spark'} ${duration(p.every, lang)}` : duration(p.every, lang);
}

/**
 * Draws a sweep: finished, or the points so far while it runs. Nothing shows before the
 * first point is back. @param {import('./i18n.js').Lang} lang @param {SweepView} view
 * @param {number} slaMin
 */
export function renderSweep(lang, view, slaMin) {
  const results = /** @type {HTMLElement} */ (document.getElementById('sweep-results'));
  const back = view.results.filter((r) => r !== null).length;
  if (!back) {
    results.hidden = true;
    return;
  }
  /** The finished points, with their index and interval. */
  const rows = view.results.flatMap((r) => (r && 'row' in r ? [{ ...r.row, i: r.index, every: view.points[r.index].every }] : []));
  const pareto = paretoFront(rows);
  const onFront = new Set(rows.filter((_, k) => pareto[k]).map((r) => r.i));
  // Shown first, so that the chart can measure its width.
  results.hidden = false;
  const chart = /** @type {HTMLElement} */ (document.getElementById('sweep-chart'));
  if (rows.length) {
    // Every interval on the axis; points not back (or failed) are gaps.
    const at = (/** @type {number} */ i, /** @type {(r: import('./run-result.js').SweepRow) => number} */ f) => {
      const r = view.results[i];
      return r && 'row' in r ? f(r.row) : NaN;
    };
    // A sweep of both engines: Spark's points then Flink's at the same intervals, drawn as a
    // second pair of lines.
    const flinkFrom = view.points.findIndex((p) => p.engine === 'flink');
    const n = flinkFrom > 0 ? flinkFrom : view.points.length;
    const series = (/** @type {number} */ from) => ({
      usd: Array.from({ length: n }, (_, i) => at(from + i, (r) => r.usdPerMonth)),
      p95: Array.from({ length: n }, (_, i) => at(from + i, (r) => r.p95s)),
      pareto: Array.from({ length: n }, (_, i) => onFront.has(from + i)),
    });
    const first = series(0);
    const labels = { x: t(lang, 'sX'), usd: t(lang, 'sUsd'), p95: t(lang, 'sP95'), pareto: t(lang, 'sPareto') };
    sweepChart(chart, view.points.slice(0, n).map((p) => p.every), first.usd, first.p95, first.pareto, labels, lang,
      flinkFrom > 0 ? { ...series(flinkFrom), names: ['Spark', 'Flink'] } : undefined);
  } else {
    chart.replaceChildren();
  }
  const best = cheapestMeeting(rows, slaMin * 60);
  const answer = /** @type {HTMLElement} */ (document.getElementById('sweep-answer'));
  const sla = duration(slaMin * 60, lang);
  const text = best
    ? t(lang, 'sweepAnswer', { sla, label: pointLabel(view.points[best.i], lang), usd: usd(best.usdPerMonth, lang), p95: duration(best.p95s, lang) })
    : t(lang, 'sweepNone', { sla });
  // A scaled workload (crate/src/scenario/scale.rs): every point is, by the same factor.
  const k = Math.max(1, ...rows.map((r) => r.scale ?? 1));
  const scaled = k > 1 ? ` ${t(lang, 'sweepScaled', { k: k.toLocaleString(lang) })}` : '';
  // Until every point is back, the answer is of the points so far.
  answer.textContent = (rows.length === view.points.length
    ? text
    : `${t(lang, view.state === 'running' ? 'sweepSoFar' : 'sweepOfRan', { done: rows.length, total: view.points.length })} ${text}`) + scaled;
  const table = /** @type {HTMLTableElement} */ (document.getElementById('sweep-table'));
  const head = ['thTrigger', 'thUsd', 'thP95', 'thFiles', 'thRequests', 'thPareto'].map((k) => {
    const th = document.createElement('th');
    th.textContent = t(lang, k);
    return th;
  });
  const hr = document.createElement('tr');
  hr.append(...head);
  /** @type {HTMLElement} */ (table.tHead).replaceChildren(hr);
  const body = view.points.map((p, i) => {
    const tr = document.createElement('tr');
    const cell = (/** @type {string} */ v) => {
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(td);
      return td;
    };
    cell(pointLabel(p, lang));
    const r = view.results[i];
    if (r && 'row' in r) {
      tr.dataset.point = 'done';
      tr.dataset.ms = r.ms.toFixed(0);
      tr.dataset.shared = String(r.shared);
      if (r.known) {
        tr.dataset.known = 'true';
        tr.title = t(lang, 'sweepKnown');
      }
      if (best && best.i === i) tr.className = 'best';
      const row = r.row;
      for (const v of [usd(row.usdPerMonth, lang), row.p95s >= 0 ? duration(row.p95s, lang) : '–', int(row.dataFilesPerDay, lang), int(row.requestsPerDay, lang), onFront.has(i) ? '●' : '']) cell(v);
    } else if (r) {
      const refused = 'refused' in r && r.refused;
      tr.dataset.point = refused ? 'refused' : 'failed';
      tr.className = 'failed';
      const td = cell(`${t(lang, refused ? 'sweepRefusedRow' : 'sweepFailedRow')} ${pointFailureText(lang, r)}`);
      td.colSpan = 5;
      td.className = 'warn';
    } else {
      tr.dataset.point = 'pending';
      tr.className = 'pending';
      cell(t(lang, view.state === 'running' ? 'sweepWaiting' : 'sweepNotRun')).colSpan = 5;
    }
    return tr;
  });
  /** @type {HTMLElement} */ (table.tBodies[0]).replaceChildren(...body);
}

/**
 * The rows the page already has: the point whose scenario is the page's own finished run's
 * (a Spark point: the scenario with that trigger, worker-core.js atPoint) is that run's row,
 * drawn at once instead of run again. @param {PanelPoint[]} points @param {any} scenario
 * @param {{scenario: any, cost: any, scale: number} | null} own
 */
export function knownRows(points, scenario, own) {
  /** @type {Map<number, import('./run-result.js').SweepRow>} */
  const rows = new Map();
  if (!own || scenario?.engine?.name === 'flink') return rows;
  const want = JSON.stringify(own.scenario);
  points.forEach((p, i) => {
    if (p.engine !== 'flink' && JSON.stringify({ ...scenario, trigger: p.trigger }) === want) {
      rows.set(i, rowOf(p.label, p.trigger, own.cost, own.scale));
    }
  });
  return rows;
}

/** Ends the sweep in flight (Cancel, or a new sweep); null when none runs. @type {AbortController | null} */
let sweepAbort = null;

/** Cancels the sweep in flight, if any. */
export function cancelSweep() {
  sweepAbort?.abort();
}

/**
 * What the sweep needs of the page (main.js).
 * @typedef {object} SweepHost
 * @property {() => import('./i18n.js').Lang} lang
 * @property {() => any} scenario the scenario to sweep
 * @property {() => number} slaMin
 * @property {() => boolean} shown whether the sweep view is on show
 * @property {() => SweepView | null} current the sweep on show
 * @property {(v: SweepView | null) => void} setCurrent
 * @property {() => {scenario: any, cost: any, scale: number} | null} known the page's own
 *   finished run (not a preview): its scenario, cost report and scale factor
 * @property {import('./sweep-pool.js').SweepPool} pool
 * @property {typeof import('./sweep-pool.js').SweepRefused} SweepRefused
 */

/**
 * Runs the sweep over the current scenario in the pool: every point is checked first (the
 * ones that cannot run are listed, and nothing runs); then each point is drawn as it comes
 * back, and a point that fails while running is listed in the table with its reason. A
 * cancelled or replaced sweep's results never land. A Flink scenario is swept over its
 * checkpoint interval (a stream: worker-core.js atPoint). @param {SweepHost} host
 */
export async function runSweep(host) {
  sweepAbort?.abort();
  const ac = new AbortController();
  sweepAbort = ac;
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const app = $('app');
  const lang = host.lang();
  const scenario = host.scenario();
  const picked = /** @type {'stream' | 'job' | 'engines'} */ (/** @type {HTMLSelectElement} */ ($('sweep-mode')).value);
  // A Flink job has no scheduled mode: its sweep is over the checkpoint interval.
  const mode = picked === 'job' && scenario.engine?.name === 'flink' ? 'stream' : picked;
  const points = sweepPoints(mode, lang);
  const view = newSweepView(points);
  const known = knownRows(points, scenario, host.known());
  const progress = /** @type {HTMLProgressElement} */ ($('sweep-progress'));
  const runBtn = /** @type {HTMLButtonElement} */ ($('sweep-run'));
  const cancelBtn = /** @type {HTMLButtonElement} */ ($('sweep-cancel'));
  progress.hidden = false;
  progress.value = 0;
  runBtn.disabled = true;
  cancelBtn.disabled = false;
  $('sweep-status').textContent = t(lang, 'sweepProgress', { done: 0, total: points.length });
  app.dataset.sweep = 'running';
  // Redraws coalesce into one a frame (a group's points arrive together).
  let frame = 0;
  const draw = () => {
    frame = 0;
    if (host.current() === view && host.shown()) renderSweep(host.lang(), view, host.slaMin());
  };
  try {
    await host.pool.sweep(scenario, points.map(({ label, trigger, engine }) => ({ label, trigger, engine })), {
      signal: ac.signal,
      // Points that cannot run are shown with their reason; the others run.
      runTheRest: true,
      known,
      onStart: () => {
        host.setCurrent(view);
        draw();
      },
      onPoint: (r) => {
        if (ac.signal.aborted) return;
        view.results[r.index] = r;
        frame ||= requestAnimationFrame(draw);
      },
      onProgress: (done, total, work) => {
        if (ac.signal.aborted) return;
        progress.value = work / total;
        $('sweep-status').textContent = t(host.lang(), 'sweepProgress', { done, total });
      },
    });
    view.state = 'done';
    cancelAnimationFrame(frame);
    draw();
    $('sweep-status').textContent = sweepOutcome(host.lang(), view);
    app.dataset.sweep = 'done';
  } catch (err) {
    if (sweepAbort !== ac) return; // a newer sweep has the panel
    cancelAnimationFrame(frame);
    if (err instanceof DOMException && err.name === 'AbortError') {
      view.state = 'cancelled';
      draw();
      $('sweep-status').textContent = sweepOutcome(host.lang(), view);
      app.dataset.sweep = 'cancelled';
    } else if (err instanceof host.SweepRefused) {
      // Nothing ran: no results to show but the reasons.
      host.setCurrent(null);
      $('sweep-results').hidden = true;
      renderRefusals($('sweep-status'), host.lang(), err.refusals, points);
      app.dataset.sweep = 'error';
    } else {
      $('sweep-status').textContent = failureText(host.lang(), err);
      app.dataset.sweep = 'error';
    }
  } finally {
    if (sweepAbort === ac) {
      sweepAbort = null;
      progress.hidden = true;
      runBtn.disabled = false;
      cancelBtn.disabled = true;
    }
  }
}
