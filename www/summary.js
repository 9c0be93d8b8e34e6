// The summary panel: the scenario in one sentence and the few numbers that matter.
import { t } from './i18n.js';
import { renderMetricList } from './metric-list.js';
import { int, seconds, duration, millis } from './format.js';
import { EXACT_EVENTS } from './state.js';

/**
 * @typedef {object} Summary
 * @property {number} events
 * @property {number} batches
 * @property {number} no_data_batches
 * @property {{dropped_late: number, late_counted: number}} fates
 * @property {number} output_rows
 * @property {number} peak_state_rows
 * @property {number} max_backlog_rows
 * @property {{p50_s: number | null, p95_s: number | null, max_s: number | null}} latency
 */

/** The query in a few words. @param {import('./i18n.js').Lang} lang @param {any} q */
export function queryText(lang, q) {
  const w = q.window ?? {};
  if (q.operator && q.operator !== 'window_count') return t(lang, `o_${q.operator}`);
  if (w.kind === 'session') return t(lang, 'qSession', { gap: duration(w.gap_s, lang) });
  if (w.kind === 'sliding') return t(lang, 'qSliding', { size: duration(w.size_s, lang), slide: duration(w.slide_s, lang) });
  return t(lang, 'qTumbling', { size: duration(w.size_s, lang) });
}

/** A count as the reader's locale groups it (20,000; 2.5 stays 2.5); – when absent. @param {number} n @param {string} lang */
function num(n, lang) {
  return typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString(lang, { maximumFractionDigits: 3 }) : '–';
}

/**
 * One sentence for a scenario: its workload (or data file), query, watermark and trigger.
 * @param {import('./i18n.js').Lang} lang @param {any} sc the scenario (as JSON)
 * @param {number} events events the run had
 */
export function describeScenario(lang, sc, events) {
  const data = sc.workload?.data;
  return t(lang, data ? 'scenarioTextData' : 'scenarioText', {
    events: int(events, lang),
    file: data?.file ?? '',
    rate: num(sc.workload.rate_per_s, lang),
    duration: duration(sc.workload.duration_s, lang),
    keys: num(sc.workload.keys, lang),
    query: queryText(lang, sc.query),
    delay: sc.query.watermark_delay_s == null ? '–' : duration(sc.query.watermark_delay_s, lang),
    // Flink's trigger is its checkpoint (docs/model.md §13).
    interval: duration(sc.engine?.name === 'flink' ? sc.flink?.checkpoint_interval_s ?? 60 : sc.trigger.interval_s ?? sc.trigger.every_s ?? 0, lang),
    mode: sc.query.output_mode ?? 'append',
    seed: sc.seed,
  });
}

/**
 * @param {import('./i18n.js').Lang} lang
 * @param {any} sc the scenario (as JSON)
 * @param {Summary} s
 * @param {number} ms time the simulation took
 */
export function renderSummary(lang, sc, s, ms) {
  const scenarioText = /** @type {HTMLElement} */ (document.getElementById('scenario-text'));
  scenarioText.textContent = describeScenario(lang, sc, s.events);
  delete scenarioText.dataset.flink; // engine-panel.js adds Flink's sentence
  /** @type {[string, string][]} */
  const items = [
    ['events', int(s.events, lang)],
    ['microBatches', int(s.batches, lang)],
    ['noDataBatches', int(s.no_data_batches, lang)],
    ['lateCounted', int(s.fates.late_counted, lang)],
    ['droppedLate', int(s.fates.dropped_late, lang)],
    ['outputRows', int(s.output_rows, lang)],
    ['peakState', int(s.peak_state_rows, lang)],
    ['maxBacklog', int(s.max_backlog_rows, lang)],
    ['latencyP50', seconds(s.latency.p50_s, lang)],
    ['latencyP95', seconds(s.latency.p95_s, lang)],
  ];
  renderMetricList('summary-list', lang, items);
  /** @type {HTMLElement} */ (document.getElementById('ran-in')).textContent = t(lang, 'ranIn', { ms: millis(ms, lang) });
  /** @type {HTMLElement} */ (document.getElementById('scenario')).hidden = false;
  /** @type {HTMLElement} */ (document.getElementById('summary')).hidden = false;
}


/**
 * Says that a run is scaled, by how much, and which figures are estimates; hidden for an
 * exact run.
 * @param {HTMLElement} el
 * @param {import('./i18n.js').Lang} lang
 * @param {{factor: number, simulated_events: number, group_coverage: number, estimates: string[], timeline_slice_s: number} | null} scaled
 * @param {number} events the real events (the summary's)
 */
export function renderScaledNote(el, lang, scaled, events) {
  el.hidden = !scaled;
  if (!scaled) {
    el.textContent = '';
    return;
  }
  const groups = scaled.estimates.includes('summary.output_rows')
    ? t(lang, 'scaledGroups', { cov: scaled.group_coverage.toLocaleString(lang, { style: 'percent', maximumFractionDigits: 1 }) })
    : '';
  el.textContent = t(lang, 'scaledNote', {
    real: int(events, lang), budget: int(EXACT_EVENTS, lang), k: int(scaled.factor, lang),
    sim: int(scaled.simulated_events, lang), groups, slice: duration(scaled.timeline_slice_s, lang),
  });
}
