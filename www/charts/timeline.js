// The dual-clock timeline: x = processing time (arrival), y = event time. Each sampled
// event is a point coloured *and* shaped by its fate; the watermark is a step line;
// micro-batches are alternating bands; tumbling windows are rectangles that fill when the
// watermark passes their end and they are emitted. uPlot draws the axes and scales; the
// marks are drawn in its draw hook. A "now" cursor (play / step / scrub) shows the state
// at a processing time. A Flink run's watermark is its periodic steps (the run's trace,
// crate/src/report/flink_trace.rs), and its window firings are marks at (firing time,
// window end).
import uPlot from 'uplot';
import { PALETTE, axisColors } from './palette.js';

/** Fate → colour and shape (Okabe–Ito; shapes so that colour is not the only cue). */
export const FATES = [
  { key: 'fate_on_time', color: PALETTE[0], shape: 'square' },
  { key: 'fate_late_counted', color: PALETTE[1], shape: 'triangle' },
  { key: 'fate_dropped', color: PALETTE[3], shape: 'cross' },
  { key: 'fate_duplicate', color: PALETTE[4], shape: 'ring' },
  { key: 'fate_in_state', color: PALETTE[2], shape: 'diamond' },
  { key: 'fate_unprocessed', color: '#999999', shape: 'dot' },
];

/** A Flink run's marks: the watermark's steps, and window firings by their cause. */
export const FLINK_MARKS = [
  { key: 'tlFlinkWatermark', color: PALETTE[3], shape: 'line' },
  { key: 'tlFlinkFiredByWatermark', color: PALETTE[5], shape: 'tick' },
  { key: 'tlFlinkFiredByElement', color: PALETTE[5], shape: 'plus' },
];

/**
 * @typedef {object} TimelineData
 * @property {Float64Array} arrival µs @property {Float64Array} eventTime µs
 * @property {Uint8Array} fate @property {Float64Array} batchStart @property {Float64Array} batchEnd
 * @property {Float64Array} watermark µs per batch (NaN: none)
 * @property {number | null} windowUs tumbling window size, or null (no rectangles)
 * @property {import('../run-result.js').FlinkTrace | null} [flink] a Flink run's trace: the
 *   watermark drawn from it, and its firings marked; absent for Spark
 * @property {[number, number] | null} [outage] an injected failure: from the failure to the
 *   restarted query's first batch, µs (shaded); absent without one
 */

/**
 * A Flink run's watermark as a step line: each forwarded value from its tick, up to `nowUs`
 * and at most to `endUs`. Adds to the current path.
 * @param {CanvasRenderingContext2D} ctx @param {import('../run-result.js').FlinkTrace} tr
 * @param {(us: number) => number} X @param {(us: number) => number} Y
 * @param {number} nowUs @param {number} endUs
 */
function watermarkSteps(ctx, tr, X, Y, nowUs, endUs) {
  let prev = NaN;
  for (let i = 0; i < tr.watermarkAtUs.length; i++) {
    const at = tr.watermarkAtUs[i];
    if (at > nowUs) break;
    const x = X(at);
    const y = Y(tr.watermarkUs[i]);
    if (Number.isNaN(prev)) ctx.moveTo(x, y);
    else { ctx.lineTo(x, prev); ctx.lineTo(x, y); }
    prev = y;
  }
  if (!Number.isNaN(prev)) ctx.lineTo(X(Math.min(nowUs, Math.max(endUs, tr.watermarkAtUs[tr.watermarkAtUs.length - 1]))), prev);
}

/**
 * A Flink run's window firings up to `nowUs` at (firing time, window end): a vertical tick
 * when the watermark fired the window, a plus when a late element re-fired it.
 * @param {CanvasRenderingContext2D} ctx @param {import('../run-result.js').FlinkTrace} tr
 * @param {(us: number) => number} X @param {(us: number) => number} Y
 * @param {number} nowUs @param {number} dpr
 */
function firingMarks(ctx, tr, X, Y, nowUs, dpr) {
  const r = 4 * dpr;
  ctx.beginPath();
  for (let i = 0; i < tr.firingAtUs.length; i++) {
    if (tr.firingAtUs[i] > nowUs) break;
    const x = X(tr.firingAtUs[i]);
    const y = Y(tr.firingEndUs[i]);
    ctx.moveTo(x, y - r);
    ctx.lineTo(x, y + r);
    if (tr.firingBy[i] === 1) { ctx.moveTo(x - r, y); ctx.lineTo(x + r, y); }
  }
  ctx.strokeStyle = FLINK_MARKS[1].color;
  ctx.lineWidth = 1.5 * dpr;
  ctx.stroke();
}

/**
 * When each window [k·w, (k+1)·w) is emitted: the end of the first batch whose watermark
 * reaches its end (append mode), or Infinity. @param {TimelineData} d @param {number} lo @param {number} hi
 * @returns {{start: number, end: number, emitted: number}[]}
 */
export function windowEmissions(d, lo, hi) {
  const w = d.windowUs;
  if (!w) return [];
  const out = [];
  let b = 0;
  for (let s = Math.floor(lo / w) * w; s < hi && out.length < 5000; s += w) {
    const e = s + w;
    while (b < d.watermark.length && !(d.watermark[b] >= e)) b++;
    out.push({ start: s, end: e, emitted: b < d.batchEnd.length ? d.batchEnd[b] : Infinity });
  }
  return out;
}

/**
 * Adds a point's mark to the path. Filled shapes are left open (fill() closes them):
 * closePath() on a path of thousands of subpaths cost Chromium ~40 ms a layer.
 * @param {CanvasRenderingContext2D} ctx @param {string} shape @param {number} x @param {number} y @param {number} r
 */
function mark(ctx, shape, x, y, r) {
  switch (shape) {
    case 'triangle':
      ctx.moveTo(x, y - r); ctx.lineTo(x + r, y + r); ctx.lineTo(x - r, y + r); break;
    case 'cross':
      ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r); ctx.moveTo(x + r, y - r); ctx.lineTo(x - r, y + r); break;
    case 'square':
      ctx.rect(x - r * 0.8, y - r * 0.8, 1.6 * r, 1.6 * r); break;
    case 'ring':
      ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 2 * Math.PI); break;
    case 'diamond':
      ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); break;
    case 'dot':
      ctx.rect(x - 1, y - 1, 2, 2); break;
    default:
      ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 2 * Math.PI);
  }
}

/**
 * Draws the timeline into `el`. `now()` gives the processing-time cursor (µs); call
 * `plot.redraw()` after changing it. `onHover(i | null)` gets the event under the cursor.
 * @param {HTMLElement} el @param {TimelineData} d @param {() => number} now
 * @param {(i: number | null) => void} onHover
 * @param {{x: string, y: string}} labels
 * @param {number} [widthPx] the chart's width (default: `el`'s; give it for an `el` not on the page)
 * @param {() => number | null} [selected] the event picked by keyboard (ringed), or null
 */
export function timelineChart(el, d, now, onHover, labels, widthPx, selected) {
  const { stroke, grid } = axisColors();
  const t0 = d.batchStart.length ? d.batchStart[0] : d.arrival[0] ?? 0;
  const toMin = (/** @type {number} */ us) => (us - t0) / 6e7;
  let yLo = Infinity;
  let yHi = -Infinity;
  for (const v of d.eventTime) { if (v < yLo) yLo = v; if (v > yHi) yHi = v; }
  if (!Number.isFinite(yLo)) { yLo = t0; yHi = t0 + 6e7; }
  const xMax = Math.max(toMin(d.batchEnd[d.batchEnd.length - 1] ?? t0), ...[toMin(d.arrival[d.arrival.length - 1] ?? t0)]);
  const windows = windowEmissions(d, yLo, yHi + 1);
  // Every point drawn once into an offscreen layer per scale/size; a "now" cursor only
  // clips it (x is the arrival, so the events up to now are the layer left of now).
  /** @type {{key: string, canvas: HTMLCanvasElement} | null} */
  let layer = null;
  const width = widthPx ?? Math.max(280, el.clientWidth || 600);

  /**
   * Every event's mark, by fate, in the plot area of `u`, onto `c`.
   * @param {uPlot} u @param {CanvasRenderingContext2D} c
   */
  const drawPoints = (u, c) => {
    const { left, top, width: w, height: h } = u.bbox;
    const dpr = devicePixelRatio || 1;
    const r = 2.5 * dpr;
    // Both scales are linear: positions by one multiply-add each, not valToPos per point
    // (tens of thousands of points, drawn while a result lands).
    const { x: sx, y: sy } = u.scales;
    const kx = w / (/** @type {number} */ (sx.max) - /** @type {number} */ (sx.min));
    const ky = h / (/** @type {number} */ (sy.max) - /** @type {number} */ (sy.min));
    const x0 = left - /** @type {number} */ (sx.min) * kx;
    const y0 = top + /** @type {number} */ (sy.max) * ky;
    FATES.forEach((f, code) => {
      if (f.shape === 'square' || f.shape === 'dot') {
        // Most points are on time: a fillRect each is ~3× faster than one path of them all.
        const s = f.shape === 'square' ? 0.8 * r : 1;
        c.fillStyle = f.color;
        for (let i = 0; i < d.arrival.length; i++) {
          if (d.fate[i] !== code) continue;
          c.fillRect(x0 + toMin(d.arrival[i]) * kx - s, y0 - toMin(d.eventTime[i]) * ky - s, 2 * s, 2 * s);
        }
        return;
      }
      c.beginPath();
      for (let i = 0; i < d.arrival.length; i++) {
        if (d.fate[i] !== code) continue;
        mark(c, f.shape, x0 + toMin(d.arrival[i]) * kx, y0 - toMin(d.eventTime[i]) * ky, r);
      }
      if (f.shape === 'cross' || f.shape === 'ring') {
        c.strokeStyle = f.color;
        c.lineWidth = 1.5 * dpr;
        c.stroke();
      } else {
        c.fillStyle = f.color;
        c.fill();
      }
    });
  };

  /** @param {uPlot} u */
  const draw = (u) => {
    const ctx = u.ctx;
    const nowUs = now();
    const { left, top, width: w, height: h } = u.bbox;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, w, h);
    ctx.clip();
    const X = (/** @type {number} */ us) => u.valToPos(toMin(us), 'x', true);
    const Y = (/** @type {number} */ us) => u.valToPos(toMin(us), 'y', true);
    // Micro-batches: alternate bands up to now.
    ctx.fillStyle = 'rgba(127,127,127,0.08)';
    for (let b = 0; b < d.batchStart.length; b += 2) {
      if (d.batchStart[b] > nowUs) break;
      const x0 = X(d.batchStart[b]);
      const x1 = X(Math.min(d.batchEnd[b], nowUs));
      ctx.fillRect(x0, top, Math.max(1, x1 - x0), h);
    }
    // An injected failure: the query down (restart and restore), shaded red up to now.
    if (d.outage && d.outage[0] <= nowUs) {
      const x0 = X(d.outage[0]);
      const x1 = X(Math.min(d.outage[1], nowUs));
      ctx.fillStyle = 'rgba(213,94,0,0.16)';
      ctx.fillRect(x0, top, Math.max(2, x1 - x0), h);
    }
    // Windows: outlined until emitted, filled after.
    for (const win of windows) {
      const y0 = Y(win.end);
      const y1 = Y(win.start);
      const xs = X(win.start);
      const emitted = win.emitted <= nowUs;
      const xe = X(Math.min(emitted ? win.emitted : nowUs, nowUs));
      if (xe <= xs) continue;
      ctx.fillStyle = emitted ? 'rgba(0,158,115,0.18)' : 'rgba(0,0,0,0)';
      ctx.strokeStyle = 'rgba(0,158,115,0.6)';
      ctx.lineWidth = 1;
      ctx.fillRect(xs, y0, xe - xs, y1 - y0);
      ctx.strokeRect(xs, y0, xe - xs, y1 - y0);
    }
    // Events up to now, by fate. Every event (no "now" yet: the chart as it lands) is drawn
    // straight onto the chart; once "now" moves (step, play, scrub), every point is drawn
    // once into a layer per scale and size, and each frame only clips the layer at now
    // (x is the arrival, so the events up to now are the layer left of now).
    const key = [u.scales.x.min, u.scales.x.max, u.scales.y.min, u.scales.y.max, u.ctx.canvas.width, u.ctx.canvas.height].join();
    if (nowUs === -Infinity) {
      // Before every event: no marks (a chart made in steps, timeline-panel.js).
    } else if (nowUs === Infinity && layer?.key !== key) {
      drawPoints(u, ctx);
    } else {
      if (!layer || layer.key !== key) {
        const canvas = layer?.canvas ?? document.createElement('canvas');
        canvas.width = u.ctx.canvas.width;
        canvas.height = u.ctx.canvas.height;
        const lc = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
        lc.clearRect(0, 0, canvas.width, canvas.height);
        drawPoints(u, lc);
        layer = { key, canvas };
      }
      const xNow = Math.min(X(nowUs), left + w);
      if (xNow > left) {
        const sw = Math.ceil(xNow - left);
        ctx.drawImage(layer.canvas, left, top, sw, h, left, top, sw, h);
      }
    }
    const dpr = devicePixelRatio || 1;
    // Watermark: a step line, each batch's value from its start (Flink: each forwarded
    // watermark from its tick).
    ctx.beginPath();
    ctx.strokeStyle = PALETTE[3];
    ctx.lineWidth = 2 * dpr;
    let started = false;
    if (d.flink) {
      const yClamp = (/** @type {number} */ us) => Y(Math.max(us, yLo - 1e12));
      watermarkSteps(ctx, d.flink, X, yClamp, nowUs, d.batchEnd[d.batchEnd.length - 1] ?? -Infinity);
    }
    for (let b = 0; !d.flink && b < d.batchStart.length; b++) {
      const wm = d.watermark[b];
      if (!Number.isFinite(wm) || d.batchStart[b] > nowUs) continue;
      const x0 = X(d.batchStart[b]);
      const x1 = X(Math.min(b + 1 < d.batchStart.length ? d.batchStart[b + 1] : d.batchEnd[b], nowUs));
      const y = Y(Math.max(wm, yLo - 1e12));
      if (!started) { ctx.moveTo(x0, y); started = true; } else ctx.lineTo(x0, y);
      ctx.lineTo(x1, y);
    }
    ctx.stroke();
    if (d.flink) firingMarks(ctx, d.flink, X, Y, nowUs, dpr);
    // The event picked by keyboard: a ring around it.
    const sel = selected?.() ?? null;
    if (sel !== null && d.arrival[sel] <= nowUs) {
      ctx.beginPath();
      ctx.strokeStyle = stroke;
      ctx.lineWidth = 2 * dpr;
      ctx.arc(X(d.arrival[sel]), Y(d.eventTime[sel]), 7 * dpr, 0, 2 * Math.PI);
      ctx.stroke();
    }
    // The cursor.
    const xn = X(nowUs);
    ctx.strokeStyle = stroke;
    ctx.setLineDash([4 * dpr, 4 * dpr]);
    ctx.lineWidth = 1 * dpr;
    ctx.beginPath();
    ctx.moveTo(xn, top);
    ctx.lineTo(xn, top + h);
    ctx.stroke();
    ctx.restore();
  };

  /** @type {uPlot.Options} */
  const opts = {
    width,
    height: 360,
    legend: { show: false },
    cursor: { drag: { x: true, y: true, uni: 20 }, points: { show: false } },
    scales: {
      x: { time: false, range: [0, Math.max(xMax, 1e-3)] },
      y: { time: false, range: [toMin(yLo) - 0.5, toMin(yHi) + 0.5] },
    },
    axes: [
      { stroke, grid: { stroke: grid }, label: labels.x, size: 40 },
      { stroke, grid: { stroke: grid }, label: labels.y, size: 60 },
    ],
    series: [{}, { stroke: 'transparent', points: { show: false } }],
    hooks: {
      draw: [draw],
      setCursor: [
        (u) => {
          const { left, top } = u.cursor;
          if (left == null || top == null || left < 0) { onHover(null); return; }
          const nowUs = now();
          const dpr = devicePixelRatio || 1;
          let best = -1;
          let bestD = 64;
          for (let i = 0; i < d.arrival.length; i++) {
            if (d.arrival[i] > nowUs) continue;
            const dx = u.valToPos(toMin(d.arrival[i]), 'x') - left;
            const dy = u.valToPos(toMin(d.eventTime[i]), 'y') - top;
            const dd = dx * dx + dy * dy;
            if (dd < bestD) { bestD = dd; best = i; }
          }
          void dpr;
          onHover(best >= 0 ? best : null);
        },
      ],
    },
  };
  el.replaceChildren();
  return new uPlot(opts, [[0, xMax], [null, null]], el);
}
