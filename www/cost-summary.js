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

/**
 * The monthly cost by component, as the cost bar (cost-bars.js) and the cost card both
 * show it: one label, one sum. [i18n key of the bar's legend, $/month].
 * @param {CostReport['usd_per_month']} m @returns {[string, number][]}
 */
export function costParts(m) {
  /** @type {[string, number][]} */
  const parts = [
    ['c_compute', m.compute],
    ['c_requests', m.sink_requests + m.checkpoint_requests + (m.source_requests ?? 0)],
    ['c_readers', m.reader_requests],
    ['c_maintenance', m.maintenance_requests + m.maintenance_compute],
    ['c_at_rest', m.at_rest],
  ];
  // A Kafka source's brokers, when a preset prices them (crate/src/storage/broker.rs).
  if ((m.source_brokers ?? 0) > 0) parts.push(['c_brokers', m.source_brokers ?? 0]);
  return parts;
}

/** The cost card's key of each part (its label is the bar's). */
const CARD_KEYS = /** @type {Record<string, string>} */ ({
  c_compute: 'usdCompute', c_requests: 'usdRequests', c_readers: 'usdReaders',
  c_maintenance: 'usdMaintenance', c_at_rest: 'usdAtRest', c_brokers: 'usdBrokers',
});

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
  /** @type {[string, string][]} */
  const items = [
    ['usdTotal', usd(m.total, lang)],
    ...costParts(m).map(([k, v]) => /** @type {[string, string]} */ ([CARD_KEYS[k], usd(v, lang)])),
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
