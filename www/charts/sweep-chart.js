// Cost and p95 latency against the trigger interval, log–log (uPlot), with the Pareto
// front (no other interval is both cheaper and fresher) marked.
import uPlot from 'uplot';
import { PALETTE, axisColors } from './palette.js';

/**
 * @param {HTMLElement} el
 * @param {number[]} intervals s
 * @param {number[]} usd $/month
 * @param {number[]} p95 s
 * @param {boolean[]} pareto
 * @param {{usd: string, p95: string, pareto: string}} labels
 */
export function sweepChart(el, intervals, usd, p95, pareto, labels) {
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
      { stroke, grid: { stroke: grid }, label: 's', size: 40 },
      { stroke, grid: { stroke: grid }, label: labels.usd, scale: 'usd', size: 70 },
      { stroke, grid: { show: false }, label: labels.p95, scale: 'p95', side: 1, size: 60 },
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
  /** @type {uPlot.AlignedData} */
  const data = [
    intervals,
    usd.map((v) => (v > 0 ? v : null)),
    p95.map((v) => (v > 0 ? v : null)),
    usd.map((v, i) => (pareto[i] && v > 0 ? v : null)),
  ];
  el.replaceChildren();
  return new uPlot(opts, data, el);
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
