// The sweep: the current scenario under trigger intervals from 1 s to 1 day (log grid), in
// the worker with progress and cancel; cost and p95 against the interval, the Pareto front,
// and the cheapest interval that meets a freshness SLA.
import { t } from './i18n.js';
import { duration, int } from './format.js';
import { usd } from './cost-summary.js';
import { sweepChart, paretoFront } from './charts/sweep-chart.js';

/** Stream intervals, s (1 s … 1 d, about 3 a decade). */
export const STREAM_GRID = [1, 2, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
/** Job intervals, s (a job starts a cluster: from 5 min). */
export const JOB_GRID = [300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];

/** @param {'stream' | 'job'} mode @param {import('./i18n.js').Lang} lang */
export function sweepPoints(mode, lang) {
  const grid = mode === 'job' ? JOB_GRID : STREAM_GRID;
  return grid.map((s) => ({
    label: duration(s, lang),
    every: s,
    trigger: mode === 'job'
      ? { kind: 'scheduled', every_s: s, startup_s: 270 }
      : { kind: 'processing_time', interval_s: s },
  }));
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
 * Draws a finished sweep. @param {import('./i18n.js').Lang} lang
 * @param {(import('./run-result.js').SweepRow & {every: number})[]} rows @param {number} slaMin
 */
export function renderSweep(lang, rows, slaMin) {
  const pareto = paretoFront(rows);
  // Shown first, so that the chart can measure its width.
  /** @type {HTMLElement} */ (document.getElementById('sweep-results')).hidden = false;
  const chart = /** @type {HTMLElement} */ (document.getElementById('sweep-chart'));
  sweepChart(chart, rows.map((r) => r.every), rows.map((r) => r.usdPerMonth), rows.map((r) => r.p95s), pareto, {
    usd: t(lang, 'sUsd'), p95: t(lang, 'sP95'), pareto: t(lang, 'sPareto'),
  });
  const best = cheapestMeeting(rows, slaMin * 60);
  const answer = /** @type {HTMLElement} */ (document.getElementById('sweep-answer'));
  answer.textContent = best
    ? t(lang, 'sweepAnswer', { sla: duration(slaMin * 60, lang), label: best.label, usd: usd(best.usdPerMonth, lang), p95: duration(best.p95s, lang) })
    : t(lang, 'sweepNone', { sla: duration(slaMin * 60, lang) });
  const table = /** @type {HTMLTableElement} */ (document.getElementById('sweep-table'));
  const head = ['thTrigger', 'thUsd', 'thP95', 'thFiles', 'thRequests', 'thPareto'].map((k) => {
    const th = document.createElement('th');
    th.textContent = t(lang, k);
    return th;
  });
  const hr = document.createElement('tr');
  hr.append(...head);
  /** @type {HTMLElement} */ (table.tHead).replaceChildren(hr);
  const body = rows.map((r, i) => {
    const tr = document.createElement('tr');
    if (r === best) tr.className = 'best';
    for (const v of [r.label, usd(r.usdPerMonth, lang), r.p95s >= 0 ? duration(r.p95s, lang) : '–', int(r.dataFilesPerDay, lang), int(r.requestsPerDay, lang), pareto[i] ? '●' : '']) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(td);
    }
    return tr;
  });
  /** @type {HTMLElement} */ (table.tBodies[0]).replaceChildren(...body);
}
