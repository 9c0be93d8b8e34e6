// Monthly cost as one stacked bar by component, with the amounts as a legend.
import { t } from './i18n.js';
import { PALETTE } from './charts/palette.js';
import { usd, costParts } from './cost-summary.js';

/**
 * @param {HTMLElement} el @param {import('./i18n.js').Lang} lang @param {any} m usd_per_month
 * @param {number} [scaleTo] the total a full-width bar stands for (compare-panel.js: the
 *   largest pinned run's, so that bars compare); default: this bar's own total
 */
export function renderCostBars(el, lang, m, scaleTo) {
  const parts = costParts(m);
  const total = parts.reduce((a, [, v]) => a + v, 0);
  const bar = document.createElement('div');
  bar.className = 'stack';
  if (scaleTo != null && scaleTo > 0) bar.style.width = `${(100 * Math.min(1, total / scaleTo)).toFixed(2)}%`;
  bar.dataset.total = String(total);
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
