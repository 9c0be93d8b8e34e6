// A line chart over time (uPlot): x in hours since the workload's start.
import uPlot from 'uplot';
import { PALETTE, axisColors } from './palette.js';

/**
 * @typedef {object} Line
 * @property {string} label
 * @property {ArrayLike<number>} values
 * @property {'y' | 'y2'} [scale]
 * @property {boolean} [spanGaps] join across missing (null) values
 */

/**
 * Draws (or redraws) a chart into `el`.
 * @param {HTMLElement} el
 * @param {ArrayLike<number>} xUs sample times, µs
 * (lines' values may be null where a line has no sample)
 * @param {number} startUs the workload's start, µs
 * @param {Line[]} lines
 * @param {{y?: string, y2?: string}} axes axis labels
 */
export function timeChart(el, xUs, startUs, lines, axes) {
  const { stroke, grid } = axisColors();
  const x = Array.from(xUs, (v) => (v - startUs) / 3.6e9);
  const width = Math.max(280, el.clientWidth || 600);
  /** @type {uPlot.Options} */
  const opts = {
    width,
    height: 220,
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false } },
    axes: [
      { stroke, grid: { stroke: grid }, label: 'h', size: 40 },
      { stroke, grid: { stroke: grid }, label: axes.y ?? '', size: 60, scale: 'y' },
      ...(axes.y2 ? [{ stroke, grid: { show: false }, label: axes.y2, side: 1, scale: 'y2', size: 60 }] : []),
    ],
    series: [
      {},
      ...lines.map((l, i) => ({
        label: l.label,
        stroke: PALETTE[i % PALETTE.length],
        width: 2,
        scale: l.scale ?? 'y',
        spanGaps: l.spanGaps ?? false,
        points: { show: false },
      })),
    ],
  };
  /** @type {uPlot.AlignedData} */
  const data = [x, ...lines.map((l) => Array.from(l.values))];
  chartOf(el)?.destroy();
  el.replaceChildren();
  const plot = new uPlot(opts, data, el);
  plots.set(el, plot);
  return plot;
}

/** The chart drawn into each element (for exports). @type {WeakMap<HTMLElement, uPlot>} */
const plots = new WeakMap();

/** The uPlot chart last drawn into `el`, if any. @param {HTMLElement} el */
export function chartOf(el) {
  return plots.get(el);
}
