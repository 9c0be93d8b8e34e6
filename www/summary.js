// The summary panel: the scenario in one sentence and the few numbers that matter.
import { t } from './i18n.js';
import { int } from './format.js';

/**
 * @typedef {object} Summary
 * @property {number} events
 * @property {number} batches
 * @property {number} no_data_batches
 * @property {number} dropped_late
 * @property {number} output_rows
 * @property {number} peak_state_rows
 * @property {number} max_backlog_rows
 */

/**
 * @param {import('./i18n.js').Lang} lang
 * @param {any} sc the scenario (as JSON)
 * @param {Summary} s
 * @param {number} ms time the simulation took
 */
export function renderSummary(lang, sc, s, ms) {
  const scenarioText = /** @type {HTMLElement} */ (document.getElementById('scenario-text'));
  const interval = sc.trigger.kind === 'processing_time' ? sc.trigger.interval_s : 0;
  scenarioText.textContent = t(lang, 'scenarioText', {
    rate: sc.workload.rate_per_s,
    minutes: sc.workload.duration_s / 60,
    keys: sc.workload.keys,
    window: sc.query.window.size_s,
    delay: sc.query.watermark_delay_s ?? '–',
    interval,
    mode: sc.query.output_mode,
    seed: sc.seed,
  });
  /** @type {[string, number][]} */
  const items = [
    ['events', s.events],
    ['microBatches', s.batches],
    ['noDataBatches', s.no_data_batches],
    ['droppedLate', s.dropped_late],
    ['outputRows', s.output_rows],
    ['peakState', s.peak_state_rows],
    ['maxBacklog', s.max_backlog_rows],
  ];
  const list = /** @type {HTMLElement} */ (document.getElementById('summary-list'));
  list.replaceChildren(
    ...items.map(([key, value]) => {
      const div = document.createElement('div');
      div.dataset.metric = key;
      const dt = document.createElement('dt');
      dt.textContent = t(lang, key);
      const dd = document.createElement('dd');
      dd.textContent = int(value, lang);
      div.append(dt, dd);
      return div;
    }),
  );
  /** @type {HTMLElement} */ (document.getElementById('ran-in')).textContent = t(lang, 'ranIn', { ms: ms.toFixed(1) });
  /** @type {HTMLElement} */ (document.getElementById('scenario')).hidden = false;
  /** @type {HTMLElement} */ (document.getElementById('summary')).hidden = false;
}
