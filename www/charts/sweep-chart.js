// Cost and p95 latency against the trigger interval, log–log (uPlot), with the Pareto
// front (no other interval is both cheaper and fresher) marked.
import uPlot from 'uplot';
import { PALETTE, axisColors } from './palette.js';
import { duration } from '../format.js';

/** Round durations for log-scale ticks, s: sub-second, then 1 s … a year. */
const NICE_S = [0.001, 0.01, 0.1, 1, 10, 60, 600, 3600, 21600, 86400, 7 * 86400, 30 * 86400, 365 * 86400];
/** More of them, for a narrow range. */
const FINER_S = [0.002, 0.005, 0.02, 0.05, 0.2, 0.5, 2, 5, 30, 120, 300, 1800, 7200, 43200, 2 * 86400];

/**
 * The ticks of a duration axis from `min` to `max` s: round durations (1 s, 1 min, 1 h,
 * 1 d, …), finer ones when the range holds fewer than two.
 * @param {number} min @param {number} max @returns {number[]}
 */
export function durationSplits(min, max) {
  const inRange = (/** @type {number[]} */ l) => l.filter((v) => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9));
  const coarse = inRange(NICE_S);
  return coarse.length >= 2 ? coarse : inRange([...NICE_S, ...FINER_S]).sort((a, b) => a - b);
}

/** A tick's duration: ms below a second, else as format.js `duration` (1 s, 15 min, 2 h, 1 d). @param {number} s @param {string} lang */
export function tickDuration(s, lang) {
  if (!(s > 0)) return '';
  if (s < 1) return `${(s * 1000).toLocaleString(lang, { maximumFractionDigits: 1 })} ms`;
  return duration(s, lang);
}

/**
 * An axis just wide enough for its tick labels (uPlot's axis-autosize recipe): the axis
 * title (drawn beyond `size`, in `labelSize`) then never overlaps them.
 * @param {uPlot} u @param {string[] | null} values @param {number} i @param {number} cycle
 */
function fitSize(u, values, i, cycle) {
  const axis = u.axes[i];
  if (cycle > 1) return /** @type {any} */ (axis)._size;
  let size = (axis.ticks?.size ?? 10) + (axis.gap ?? 5) + 6;
  const longest = (values ?? []).reduce((a, v) => (String(v).length > a.length ? String(v) : a), '');
  if (longest) {
    u.ctx.font = /** @type {any} */ (axis.font)[0];
    size += u.ctx.measureText(longest).width / (devicePixelRatio || 1);
  }
  return Math.ceil(size);
}

/** Where the chart drawn into an element is kept (tests read its axes): on the element, under
 * a registered symbol, so that every copy of this module finds it (the page's bundled copy,
 * and this file imported on its own). */
const PLOT = Symbol.for('pipeline-sim.sweep-plot');

/** The sweep chart in `el`, if any. @param {HTMLElement} el @returns {uPlot | undefined} */
export function sweepPlotOf(el) {
  return /** @type {any} */ (el)[PLOT];
}

/**
 * @param {HTMLElement} el
 * @param {number[]} intervals s
 * @param {number[]} usd $/month
 * @param {number[]} p95 s
 * @param {boolean[]} pareto
 * @param {{x: string, usd: string, p95: string, pareto: string}} labels
 * @param {string} lang for the ticks: durations on x and p95, dollars on cost
 * @param {{usd: number[], p95: number[], pareto: boolean[], names: [string, string]}} [other]
 *   a second engine's points at the same intervals (a sweep of both engines), drawn in other
 *   colours; `names` the two engines', put before their series' labels
 */
export function sweepChart(el, intervals, usd, p95, pareto, labels, lang, other) {
  const { stroke, grid } = axisColors();
  const width = Math.max(280, el.clientWidth || 600);
  /** @type {uPlot.Options} */
  const opts = {
    width,
    height: 260,
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false, distr: 3 }, usd: { distr: 3 }, p95: { distr: 3 } },
    axes: [
      {
        stroke, grid: { stroke: grid }, label: labels.x, size: 40,
        splits: (u, _i, min, max) => durationSplits(min, max),
        filter: (u, splits) => splits,
        values: (u, splits) => splits.map((v) => tickDuration(v, lang)),
      },
      {
        stroke, grid: { stroke: grid }, label: labels.usd, scale: 'usd', size: fitSize,
        // (The log scale's own filter leaves only 1, 2, 5 × 10ⁿ; the rest are null.)
        values: (u, splits) => splits.map((v) => (v == null ? '' : `$${v.toLocaleString(lang, { maximumFractionDigits: v < 1 ? 2 : 0 })}`)),
      },
      {
        stroke, grid: { show: false }, label: labels.p95, scale: 'p95', side: 1, size: fitSize,
        splits: (u, _i, min, max) => durationSplits(min, max),
        filter: (u, splits) => splits,
        values: (u, splits) => splits.map((v) => tickDuration(v, lang)),
      },
    ],
    series: [
      {},
      { label: labels.usd, stroke: PALETTE[0], width: 2, scale: 'usd', points: { size: 6 } },
      { label: labels.p95, stroke: PALETTE[1], width: 2, dash: [6, 4], scale: 'p95', points: { size: 6 } },
      {
        label: labels.pareto,
        stroke: PALETTE[3],
        scale: 'usd',
        paths: () => null,
        points: { show: true, size: 12, width: 2, fill: 'transparent', stroke: PALETTE[3] },
      },
    ],
  };
  const positive = (/** @type {number[]} */ a) => a.map((v) => (v > 0 ? v : null));
  const front = (/** @type {number[]} */ u, /** @type {boolean[]} */ on) => u.map((v, i) => (on[i] && v > 0 ? v : null));
  /** @type {uPlot.AlignedData} */
  const data = [intervals, positive(usd), positive(p95), front(usd, pareto)];
  if (other) {
    const [a, b] = other.names;
    for (const s of opts.series.slice(1)) s.label = `${a}: ${s.label}`;
    opts.series.push(
      { label: `${b}: ${labels.usd}`, stroke: PALETTE[2], width: 2, scale: 'usd', points: { size: 6 } },
      { label: `${b}: ${labels.p95}`, stroke: PALETTE[4], width: 2, dash: [6, 4], scale: 'p95', points: { size: 6 } },
      { ...opts.series[3], label: `${b}: ${labels.pareto}` },
    );
    data.push(positive(other.usd), positive(other.p95), front(other.usd, other.pareto));
  }
  sweepPlotOf(el)?.destroy();
  el.replaceChildren();
  const u = new uPlot(opts, data, el);
  /** @type {any} */ (el)[PLOT] = u;
  return u;
}

/**
 * Which rows are on the Pareto front of (cost, p95): no other row is at most as expensive
 * and at most as slow and better in one. Rows with nothing visible (p95 < 0) are not.
 * @param {{usdPerMonth: number, p95s: number}[]} rows
 */
export function paretoFront(rows) {
  return rows.map((r, i) =>
    r.p95s >= 0 &&
    !rows.some(
      (o, j) =>
        j !== i &&
        o.p95s >= 0 &&
        o.usdPerMonth <= r.usdPerMonth &&
        o.p95s <= r.p95s &&
        (o.usdPerMonth < r.usdPerMonth || o.p95s < r.p95s),
    ),
  );
}
