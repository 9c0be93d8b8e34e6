// Compare: up to 4 pinned configurations of the same seeded workload, side by side —
// cards, cost by component, latency percentiles — and overlaid charts of files over time,
// state rows, backlog and written file sizes.
import { t } from './i18n.js';
import { duration, int, bytes } from './format.js';
import { usd, costParts } from './cost-summary.js';
import { renderCostBars } from './cost-bars.js';
import { timeChart } from './charts/time-chart.js';
import { histogramChart } from './charts/histogram-chart.js';
import { metricItems } from './metric-list.js';
import { recoveryItems } from './recovery-panel.js';
import { failureText } from './run-failure.js';

/** A short name for a configuration. @param {any} sc @param {import('./i18n.js').Lang} lang */
export function pinLabel(sc, lang) {
  // A Flink job's interval is its checkpoint interval (docs/model.md §13).
  if (sc.engine?.name === 'flink') return `Flink ${duration(sc.flink?.checkpoint_interval_s ?? 60, lang)} · ${t(lang, `o_${sc.sink?.format ?? 'parquet'}`)}`;
  const tr = sc.trigger;
  const every = tr.kind === 'scheduled' ? tr.every_s : tr.interval_s;
  const kind = tr.kind === 'scheduled' ? t(lang, 'pinJob') : t(lang, 'pinStream');
  return `${kind} ${duration(every, lang)} · ${t(lang, `o_${sc.sink?.format ?? 'parquet'}`)}`;
}

/**
 * @param {import('./i18n.js').Lang} lang
 * @param {{scenario: any, result: import('./run-result.js').RunResult, label?: string}[]} pins
 *   (`label`: a name given to the pin, e.g. a lesson's variant; else one made from its trigger)
 * @param {(i: number) => void} onRemove
 */
export function renderCompare(lang, pins, onRemove) {
  const cards = /** @type {HTMLElement} */ (document.getElementById('compare-cards'));
  const empty = /** @type {HTMLElement} */ (document.getElementById('compare-empty'));
  const charts = /** @type {HTMLElement} */ (document.getElementById('compare-charts'));
  empty.hidden = pins.length > 0;
  charts.hidden = pins.length === 0;
  // Every bar on one scale: the largest total is a full bar.
  const largest = Math.max(0, ...pins.map((p) => costParts(p.result.cost.usd_per_month).reduce((a, [, v]) => a + v, 0)));
  cards.replaceChildren(...pins.map((p, i) => {
    const c = p.result.cost;
    const lat = p.result.summary.latency;
    const card = document.createElement('article');
    card.className = 'card';
    card.dataset.pin = String(i);
    const h = document.createElement('h3');
    h.textContent = p.label ?? pinLabel(p.scenario, lang);
    const rm = document.createElement('button');
    rm.type = 'button';
    rm.className = 'unpin';
    rm.textContent = '×';
    rm.setAttribute('aria-label', t(lang, 'unpin', { label: h.textContent }));
    rm.addEventListener('click', () => onRemove(i));
    h.append(' ', rm);
    const dl = document.createElement('dl');
    /** @type {[string, string][]} */
    const items = [
      ['stripUsd', usd(c.usd_per_month.total, lang)],
      ['stripFiles', int(c.data_files_per_day, lang)],
      ['stripRequests', int(c.requests_per_day, lang)],
      ['latP50', lat.p50_s == null ? '–' : duration(lat.p50_s, lang)],
      ['latP95', lat.p95_s == null ? '–' : duration(lat.p95_s, lang)],
      ['latP99', lat.p99_s == null ? '–' : duration(lat.p99_s, lang)],
      ['stripClass', t(lang, `sla_${c.freshness.sla_class}`)],
      // A run with an injected failure: what it left and how long it took to catch up.
      ...(p.result.recovery ? recoveryItems(lang, p.result.recovery) : []),
    ];
    dl.append(...metricItems(lang, items));
    const bars = document.createElement('div');
    renderCostBars(bars, lang, c.usd_per_month, largest);
    card.append(h, dl, bars);
    return card;
  }));
  if (!pins.length) return;
  const names = pins.map((p) => p.label ?? pinLabel(p.scenario, lang));
  // Overlaid series need one x: the union of sample times, each series at its own.
  overlay(/** @type {HTMLElement} */ (document.getElementById('cmp-files')), pins.map((p) => [p.result.seriesTimeUs, p.result.seriesLiveDataFiles]), names, {});
  overlay(/** @type {HTMLElement} */ (document.getElementById('cmp-state')), pins.map((p) => [p.result.batchEndUs, p.result.batchStateRows]), names, {});
  overlay(/** @type {HTMLElement} */ (document.getElementById('cmp-backlog')), pins.map((p) => [p.result.batchEndUs, p.result.batchBacklogRows]), names, {});
  histogramChart(/** @type {HTMLElement} */ (document.getElementById('cmp-sizes')),
    pins.map((p) => p.result.fileSizeHistogram), names, (b) => bytes(b, lang));
}

/**
 * Lines with different x samples on one chart: merged x, gaps elsewhere (uPlot joins them).
 * @param {HTMLElement} el @param {[Float64Array, Float64Array][]} xy @param {string[]} names
 * @param {{y?: string}} axes
 */
function overlay(el, xy, names, axes) {
  const start = Math.min(...xy.map(([x]) => x[0] ?? Infinity));
  const all = Array.from(new Set(xy.flatMap(([x]) => Array.from(x)))).sort((a, b) => a - b);
  const index = new Map(all.map((v, i) => [v, i]));
  const lines = xy.map(([x, y], k) => {
    /** @type {(number | null)[]} */
    const vals = new Array(all.length).fill(null);
    for (let i = 0; i < x.length; i++) vals[/** @type {number} */ (index.get(x[i]))] = y[i];
    return { label: names[k], values: /** @type {any} */ (vals), spanGaps: true };
  });
  timeChart(el, all, Number.isFinite(start) ? start : 0, lines, axes);
}

/**
 * Runs the pins not run yet (in order, through the page's worker; results kept in
 * `results` by their JSON) and draws them; a failure is shown under the controls.
 * @param {object} host
 * @param {import('./i18n.js').Lang} host.lang
 * @param {any[]} host.pins the pinned scenarios
 * @param {Map<string, string>} host.names names given to pins (a lesson's variants), by JSON
 * @param {Map<string, import('./run-result.js').RunResult>} host.results
 * @param {(sc: any) => Promise<import('./run-result.js').RunResult>} host.run
 * @param {() => boolean} host.shown whether the compare view is still on show
 * @param {(i: number) => void} host.onRemove
 */
export async function showPins(host) {
  /** @type {{scenario: any, result: import('./run-result.js').RunResult, label?: string}[]} */
  const pins = [];
  try {
    for (const sc of host.pins) {
      const key = JSON.stringify(sc);
      let r = host.results.get(key);
      if (!r) {
        r = await host.run(sc);
        host.results.set(key, r);
      }
      pins.push({ scenario: sc, result: r, label: host.names.get(key) });
    }
  } catch (err) {
    /** @type {HTMLElement} */ (document.getElementById('general-error')).textContent = failureText(host.lang, err);
  }
  if (host.shown()) renderCompare(host.lang, pins, host.onRemove);
}
