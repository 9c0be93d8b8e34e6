// Histograms with power-of-two buckets (written file sizes), overlaid as step lines on a
// log x axis (uPlot).
import uPlot from 'uplot';
import { PALETTE, axisColors } from './palette.js';

/**
 * @param {HTMLElement} el
 * @param {Float64Array[]} hists low, high, count triples per configuration
 * @param {string[]} names
 * @param {(b: number) => string} fmt x tick format
 */
export function histogramChart(el, hists, names, fmt) {
  const { stroke, grid } = axisColors();
  const edges = new Set();
  for (const h of hists) for (let i = 0; i < h.length; i += 3) { edges.add(Math.max(1, h[i])); edges.add(h[i + 1]); }
  const xs = Array.from(edges).map(Number).sort((a, b) => a - b);
  const series = hists.map((h) => {
    const m = new Map();
    for (let i = 0; i < h.length; i += 3) m.set(Math.max(1, h[i]), h[i + 2]);
    return xs.map((x) => m.get(x) ?? 0);
  });
  /** @type {uPlot.Options} */
  const opts = {
    width: Math.max(280, el.clientWidth || 600),
    height: 220,
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false, distr: 3 }, y: {} },
    axes: [
      { stroke, grid: { stroke: grid }, values: (_u, ticks) => ticks.map((v) => (v == null ? '' : fmt(v))), size: 40 },
      { stroke, grid: { stroke: grid }, size: 60 },
    ],
    series: [
      {},
      ...names.map((n, i) => ({
        label: n, stroke: PALETTE[i % PALETTE.length], width: 2,
        paths: uPlot.paths.stepped?.({ align: /** @type {1} */ (1) }), points: { show: false },
      })),
    ],
  };
  el.replaceChildren();
  return new uPlot(opts, [xs, ...series], el);
}
