// Monthly cost as one stacked bar by component, with the amounts as a legend.
import { t } from './i18n.js';
import { PALETTE } from './charts/palette.js';
import { usd } from './cost-summary.js';

/** @param {HTMLElement} el @param {import('./i18n.js').Lang} lang @param {any} m usd_per_month */
export function renderCostBars(el, lang, m) {
  /** @type {[string, number][]} */
  const parts = [
    ['c_compute', m.compute],
    ['c_requests', m.sink_requests + m.checkpoint_requests + (m.source_requests ?? 0)],
    ['c_readers', m.reader_requests],
    ['c_maintenance', m.maintenance_requests + m.maintenance_compute],
    ['c_at_rest', m.at_rest],
  ];
  // A Kafka source's brokers, when a preset prices them (crate/src/broker.rs).
  if (m.source_brokers > 0) parts.push(['c_brokers', m.source_brokers]);
  const total = parts.reduce((a, [, v]) => a + v, 0);
  const bar = document.createElement('div');
  bar.className = 'stack';
  bar.setAttribute('role', 'img');
  bar.setAttribute('aria-label', parts.map(([k, v]) => `${t(lang, k)} ${usd(v, lang)}`).join(', '));
  const legend = document.createElement('ul');
  legend.className = 'stack-legend';
  parts.forEach(([k, v], i) => {
    const seg = document.createElement('span');
    seg.style.width = `${total > 0 ? (100 * v) / total : 0}%`;
    seg.style.background = PALETTE[i];
    bar.append(seg);
    const li = document.createElement('li');
    li.dataset.part = k;
    const sw = document.createElement('i');
    sw.style.background = PALETTE[i];
    li.append(sw, `${t(lang, k)}: ${usd(v, lang)}`);
    legend.append(li);
  });
  el.replaceChildren(bar, legend);
}
