// The cost panel: dollars per 30-day month by component, requests, files and the latency
// class, as the core's cost model computed them (formulas in docs/model.md).
import { t } from './i18n.js';
import { renderMetricList } from './metric-list.js';
import { int, duration } from './format.js';

/**
 * @typedef {object} CostReport
 * @property {{total: number, compute: number, maintenance_compute: number, sink_requests: number,
 *   checkpoint_requests: number, maintenance_requests: number, reader_requests: number, source_requests?: number,
 *   source_brokers?: number,
 *   at_rest: number}} usd_per_month
 * @property {number} requests_per_day
 * @property {number} data_files_per_day
 * @property {MonthBasis} month
 * @property {{auto: boolean, nodes: number, utilization: number}} cluster
 * @property {{data_files_written: number}} storage
 * @property {{sla_class: string}} freshness
 */

/**
 * How the core made the monthly figures (`cost.month`, docs/model.md §9).
 * @typedef {object} MonthBasis
 * @property {boolean} steady
 * @property {number} warm_up_s
 * @property {number} from_s
 * @property {number} to_s
 * @property {{component: string, reason: string}[]} extrapolated
 * @property {number} at_rest_growth_usd_per_month
 */

/** Dollars with two decimals. @param {number} v @param {string} lang */
export function usd(v, lang) {
  return Number.isFinite(v)
    ? `$${v.toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`
    : '–';
}

/**
 * @param {import('./i18n.js').Lang} lang
 * @param {CostReport} c
 */
export function renderCost(lang, c) {
  const m = c.usd_per_month;
  const requests = m.sink_requests + m.checkpoint_requests + m.maintenance_requests + m.reader_requests + (m.source_requests ?? 0);
  /** @type {[string, string][]} */
  const items = [
    ['usdTotal', usd(m.total, lang)],
    ['usdCompute', usd(m.compute + m.maintenance_compute, lang)],
    ['usdRequests', usd(requests, lang)],
    ['usdAtRest', usd(m.at_rest, lang)],
    ...(/** @type {[string, string][]} */ ((m.source_brokers ?? 0) > 0 ? [['usdBrokers', usd(m.source_brokers ?? 0, lang)]] : [])),
    ['requestsPerDay', int(c.requests_per_day, lang)],
    ['dataFilesPerDay', int(c.data_files_per_day, lang)],
    ['dataFiles', int(c.storage.data_files_written, lang)],
    ['slaClass', t(lang, `sla_${c.freshness.sla_class}`)],
    ['cluster', clusterLine(lang, c.cluster)],
  ];
  renderMetricList('cost-list', lang, items);
  /** @type {HTMLElement} */ (document.getElementById('cost-basis')).textContent = monthBasis(lang, c.month);
  /** @type {HTMLElement} */ (document.getElementById('cost')).hidden = false;
}

/**
 * One sentence on what "per month" rests on: the steady window, or the whole (too short)
 * run; then each estimated component with its reason.
 * @param {import('./i18n.js').Lang} lang @param {MonthBasis} m @returns {string}
 */
export function monthBasis(lang, m) {
  if (!m) return '';
  const parts = [m.steady
    ? t(lang, 'monthSteady', { from: duration(m.from_s, lang), to: duration(m.to_s, lang), warm: duration(m.warm_up_s, lang) })
    : t(lang, 'monthShort', { warm: duration(m.warm_up_s, lang) })];
  for (const e of m.extrapolated) {
    if (e.reason === 'short_run') continue;
    parts.push(t(lang, `month_${e.reason}`, { growth: usd(m.at_rest_growth_usd_per_month, lang) }));
  }
  return parts.join(' ');
}

/**
 * The cluster in words: nodes (chosen or given) and how busy the peak keeps it.
 * @param {import('./i18n.js').Lang} lang @param {{auto: boolean, nodes: number, utilization: number}} k
 */
export function clusterLine(lang, k) {
  if (!k) return '–';
  const busy = k.utilization.toLocaleString(lang, { style: 'percent', maximumFractionDigits: 0 });
  const key = k.utilization > 1 ? 'clusterBehind' : k.auto ? 'clusterAuto' : 'clusterFixed';
  return t(lang, key, { nodes: k.nodes.toLocaleString(lang), busy });
}
