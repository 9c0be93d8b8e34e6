// Entry point: loads the wasm core, runs the default scenario, renders the result.
import init, { simulate, defaultScenario } from './pkg/pipeline_sim.js';
import { initialLang, applyStatic, t } from './i18n.js';
import { renderSummary } from './summary.js';
import { renderBatchTable } from './batch-table.js';
import { renderCost } from './cost-summary.js';

/** @typedef {import('./i18n.js').Lang} Lang */

const app = /** @type {HTMLElement} */ (document.getElementById('app'));
const status = /** @type {HTMLElement} */ (document.getElementById('status'));
const langSelect = /** @type {HTMLSelectElement} */ (document.getElementById('lang'));

/** @type {Lang} */
let lang = initialLang();
/** @type {(() => void) | null} */
let redraw = null;

langSelect.value = lang;
langSelect.addEventListener('change', () => {
  lang = langSelect.value === 'ko' ? 'ko' : 'en';
  const url = new URL(location.href);
  url.searchParams.set('lang', lang);
  history.replaceState(null, '', url);
  applyStatic(lang);
  redraw?.();
});
applyStatic(lang);

try {
  await init();
  const scenario = JSON.parse(defaultScenario());
  const t0 = performance.now();
  const run = simulate(JSON.stringify(scenario));
  const ms = performance.now() - t0;
  const summary = JSON.parse(run.summaryJson());
  const cost = JSON.parse(run.costJson());
  redraw = () => {
    renderSummary(lang, scenario, summary, ms);
    renderCost(lang, cost);
    renderBatchTable(lang, run);
  };
  redraw();
  status.hidden = true;
  app.dataset.state = 'ready';
} catch (err) {
  status.textContent = t(lang, 'error', { message: err instanceof Error ? err.message : String(err) });
  status.classList.add('error');
  app.dataset.state = 'error';
} finally {
  app.setAttribute('aria-busy', 'false');
}
