// A <dl> of labelled numbers, each tagged with data-metric for tests and styling.
import { t } from './i18n.js';

/**
 * The <div><dt><dd></div> entries. @param {import('./i18n.js').Lang} lang
 * @param {[string, string][]} items [i18n key, formatted value]
 */
export function metricItems(lang, items) {
  return items.map(([key, value]) => {
    const div = document.createElement('div');
    div.dataset.metric = key;
    const dt = document.createElement('dt');
    dt.textContent = t(lang, key);
    const dd = document.createElement('dd');
    dd.textContent = value;
    div.append(dt, dd);
    return div;
  });
}

/**
 * @param {string} id the <dl> element's id
 * @param {import('./i18n.js').Lang} lang
 * @param {[string, string][]} items [i18n key, formatted value]
 */
export function renderMetricList(id, lang, items) {
  /** @type {HTMLElement} */ (document.getElementById(id)).replaceChildren(...metricItems(lang, items));
}
