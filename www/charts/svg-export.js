// A drawn uPlot chart as a standalone SVG document, for slides and papers: the same
// series, scales, ticks and labels uPlot computed for the canvas, written as vector
// paths. (uPlot draws to a canvas only; its PNG is the canvas itself.)

const esc = (/** @type {string} */ s) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/**
 * @param {import('uplot')} u a drawn chart
 * @param {string} title
 * @returns {string} an SVG document
 */
export function chartSvg(u, title) {
  const dpr = (u.bbox.width / Math.max(1, u.over.clientWidth)) || 1;
  const left = u.bbox.left / dpr;
  const top = u.bbox.top / dpr;
  const w = u.bbox.width / dpr;
  const h = u.bbox.height / dpr;
  const legendH = 18;
  const W = u.width;
  const H = u.height + legendH + 20;
  const oy = 20 + legendH;
  const font = 'font-family="system-ui, sans-serif" font-size="11"';
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="4" y="14" ${font} font-weight="bold">${esc(title)}</text>`,
  ];
  // Legend.
  let lx = 4;
  u.series.forEach((s, i) => {
    if (i === 0) return;
    const stroke = typeof s.stroke === 'function' ? s.stroke(u, i) : s.stroke;
    const label = String(s.label ?? '');
    out.push(`<rect x="${lx}" y="${22}" width="10" height="10" fill="${esc(String(stroke))}"/>`);
    out.push(`<text x="${lx + 14}" y="${31}" ${font}>${esc(label)}</text>`);
    lx += 24 + label.length * 6.5;
  });
  out.push(`<rect x="${left}" y="${oy + top}" width="${w}" height="${h}" fill="none" stroke="#d0d7de"/>`);
  // Axes: uPlot's own tick positions and labels.
  u.axes.forEach((a, i) => {
    const ax = /** @type {any} */ (a);
    if (ax.show === false) return;
    const splits = /** @type {number[] | null} */ (ax._splits);
    const values = /** @type {(string | number | null)[] | null} */ (ax._values);
    if (!splits || !values) return;
    const scale = ax.scale ?? (i === 0 ? 'x' : 'y');
    const horizontal = ax.side === 0 || ax.side === 2 || (ax.side == null && i === 0);
    splits.forEach((v, k) => {
      const p = u.valToPos(v, scale);
      if (!Number.isFinite(p)) return;
      const label = values[k] == null ? '' : esc(String(values[k]));
      if (horizontal) {
        const x = left + p;
        out.push(`<line x1="${x}" y1="${oy + top}" x2="${x}" y2="${oy + top + h}" stroke="#eaeef2"/>`);
        out.push(`<text x="${x}" y="${oy + top + h + 14}" text-anchor="middle" ${font}>${label}</text>`);
      } else {
        const y = oy + top + p;
        const right = ax.side === 1;
        if (!right) out.push(`<line x1="${left}" y1="${y}" x2="${left + w}" y2="${y}" stroke="#eaeef2"/>`);
        out.push(`<text x="${right ? left + w + 4 : left - 4}" y="${y + 4}" text-anchor="${right ? 'start' : 'end'}" ${font}>${label}</text>`);
      }
    });
    if (ax.label) {
      if (horizontal) out.push(`<text x="${left + w / 2}" y="${H - 2}" text-anchor="middle" ${font}>${esc(String(ax.label))}</text>`);
      else {
        const x = ax.side === 1 ? W - 6 : 10;
        out.push(`<text transform="translate(${x},${oy + top + h / 2}) rotate(-90)" text-anchor="middle" ${font}>${esc(String(ax.label))}</text>`);
      }
    }
  });
  // Series: polylines, broken at missing values.
  const xs = u.data[0];
  u.series.forEach((s, i) => {
    if (i === 0 || s.show === false) return;
    const stroke = typeof s.stroke === 'function' ? s.stroke(u, i) : s.stroke;
    const ys = u.data[i];
    const scale = s.scale ?? 'y';
    /** @type {string[]} */
    const parts = [];
    let pen = false;
    for (let k = 0; k < xs.length; k++) {
      const y = ys[k];
      if (y == null || !Number.isFinite(y)) {
        pen = false;
        continue;
      }
      const px = (left + u.valToPos(xs[k], 'x')).toFixed(1);
      const py = (oy + top + u.valToPos(y, scale)).toFixed(1);
      parts.push(`${pen ? 'L' : 'M'}${px},${py}`);
      pen = true;
    }
    out.push(`<path d="${parts.join('')}" fill="none" stroke="${esc(String(stroke))}" stroke-width="${s.width ?? 1}"/>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
