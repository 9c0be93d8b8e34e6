// The embeddable view (embed.html#<state>, the app's URL state): one scenario's summary and
// one view (`run`: cost and files; `timeline`), with minimal chrome, for an <iframe> in a
// blog post. It reports its height to the parent page ({type: 'pipeline-sim:height',
// height}) so the iframe can fit its content; runs happen in the worker, as in the app.
import { initialLang, applyStatic, loadLang, t } from './i18n.js';
import { decodeHash, partsText } from './state.js';
import { SimClient } from './sim-client.js';
import { renderMetricList } from './metric-list.js';
import { renderCostBars } from './cost-bars.js';
import { usd } from './cost-summary.js';
import { duration, int } from './format.js';
import { describeScenario } from './summary.js';
import { failureText } from './run-failure.js';

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const app = $('app');
const lang = initialLang();
await loadLang(lang);
applyStatic(lang);

// Height to the parent, whenever the content's size changes, and when the parent asks
// ({type: 'pipeline-sim:height?'}): a parent whose listener starts after this frame's
// first message (a deferred module script) would otherwise never hear it, the height
// being reserved up front and so never changing.
let lastHeight = 0;
const postHeight = (/** @type {boolean} */ always) => {
  const height = Math.ceil(document.documentElement.scrollHeight);
  if ((height === lastHeight && !always) || window.parent === window) return;
  lastHeight = height;
  window.parent.postMessage({ type: 'pipeline-sim:height', height }, '*');
};
new ResizeObserver(() => postHeight(false)).observe(document.body);
addEventListener('message', (e) => {
  if (e.source === window.parent && e.data?.type === 'pipeline-sim:height?') postHeight(true);
});

const { state, problem, parts } = decodeHash(location.hash);
/** @type {string[]} */
const notes = [];
if (problem) notes.push(t(lang, 'linkProblem', { problem }));
if (parts.length) notes.push(t(lang, 'linkParts', { parts: partsText(parts) }));
$('link-problem').textContent = notes.join(' ');
$('link-problem').hidden = notes.length === 0;
const full = new URL(`./index.html?lang=${lang}${location.hash}`, location.href);
/** @type {HTMLAnchorElement} */ ($('open-full')).href = full.href;

const sim = new SimClient();
// The view's drawing code is fetched beside the run, the other view's never: the timeline
// (its canvas) or the run view's chart (uPlot).
const timelineCode = state.view === 'timeline' ? import('./timeline-panel.js') : null;
const chartCode = state.view === 'timeline' ? null : import('./charts/time-chart.js');
try {
  const r = await sim.run(state.scenario);
  const c = r.cost;
  const sc = state.scenario;
  $('scenario-text').textContent = describeScenario(lang, sc, r.summary.events)
    + (r.scaled ? ` ${t(lang, 'embedScaled', { k: int(r.scaled.factor, lang) })}` : '');
  renderMetricList('strip-list', lang, [
    ['stripUsd', usd(c.usd_per_month.total, lang)],
    ['stripP95', c.freshness.p95_latency_s >= 0 ? duration(c.freshness.p95_latency_s, lang) : '–'],
    ['stripFiles', int(c.data_files_per_day, lang)],
    ['events', int(r.summary.events, lang)],
  ]);
  if (timelineCode) {
    const { renderTimeline } = await timelineCode;
    $('embed-timeline').hidden = false;
    renderTimeline(lang, r, sc);
  } else if (chartCode) {
    const { timeChart } = await chartCode;
    $('embed-run').hidden = false;
    renderCostBars($('cost-bars'), lang, c.usd_per_month);
    timeChart($('chart-files'), r.seriesTimeUs, r.seriesTimeUs[0] ?? 0,
      [{ label: t(lang, 'sFiles'), values: r.seriesLiveDataFiles }], {});
  }
  app.dataset.state = 'ready';
} catch (err) {
  $('scenario-text').textContent = t(lang, 'error', { message: failureText(lang, err) });
  app.dataset.state = 'invalid';
} finally {
  $('status').hidden = true;
  app.setAttribute('aria-busy', 'false');
}
