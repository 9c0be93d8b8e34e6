// Downloads of the current run: report tables as Arrow IPC or CSV (made by the core in the
// worker) and the charts as PNG (the canvas) or SVG (charts/svg-export.js). Everything is
// made in the browser; nothing is sent anywhere.
import { t } from './i18n.js';
import { chartOf } from './charts/time-chart.js';
import { chartSvg } from './charts/svg-export.js';
import { failureText } from './run-failure.js';

/** Saves bytes as a file through a temporary link. @param {BlobPart} data @param {string} type @param {string} name */
export function download(data, type, name) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The run view's charts: element id and file name. */
const CHARTS = [['chart-files', 'files-over-time'], ['chart-cost', 'cost-over-time'], ['chart-state', 'state-and-backlog']];

/**
 * @param {object} o
 * @param {() => import('./i18n.js').Lang} o.lang
 * @param {() => any} o.scenario the scenario of the run on screen
 * @param {(scenario: any, table: 'batches' | 'events', format: 'arrow' | 'csv') => Promise<Uint8Array>} o.exportTable
 * @param {(scenario: any) => Promise<string>} o.pyspark the scenario as a PySpark script
 */
export function initExport({ lang, scenario, exportTable, pyspark }) {
  const details = /** @type {HTMLDetailsElement} */ (document.getElementById('pyspark'));
  const code = /** @type {HTMLElement} */ (document.getElementById('pyspark-code'));
  const pyStatus = /** @type {HTMLElement} */ (document.getElementById('pyspark-status'));
  /** Fills the code when the section is open (after each run, too). */
  const fill = async () => {
    if (!details.open) return;
    try {
      code.textContent = await pyspark(scenario());
      pyStatus.textContent = '';
    } catch (err) {
      code.textContent = '';
      pyStatus.textContent = failureText(lang(), err);
    }
  };
  details.addEventListener('toggle', fill);
  /** @type {HTMLButtonElement} */ (document.getElementById('pyspark-copy')).addEventListener('click', async () => {
    if (!code.textContent) await fill();
    try {
      await navigator.clipboard.writeText(code.textContent ?? '');
      pyStatus.textContent = t(lang(), 'pysparkCopied');
    } catch {
      pyStatus.textContent = '';
    }
  });
  const status = /** @type {HTMLElement} */ (document.getElementById('export-status'));
  for (const b of document.querySelectorAll('[data-export]')) {
    b.addEventListener('click', async () => {
      const [table, format] = /** @type {['batches' | 'events', 'arrow' | 'csv']} */ (
        (/** @type {HTMLElement} */ (b).dataset.export ?? '').split('.')
      );
      status.textContent = t(lang(), 'exporting');
      try {
        const bytes = await exportTable(scenario(), table, format);
        const name = `pipeline-sim-${table}.${format}`;
        download(/** @type {Uint8Array<ArrayBuffer>} */ (bytes), format === 'arrow' ? 'application/vnd.apache.arrow.file' : 'text/csv', name);
        status.textContent = t(lang(), 'exported', { name, bytes: bytes.length.toLocaleString(lang()) });
      } catch (err) {
        status.textContent = failureText(lang(), err);
      }
    });
  }
  for (const b of document.querySelectorAll('[data-chart-export]')) {
    b.addEventListener('click', () => {
      const kind = /** @type {HTMLElement} */ (b).dataset.chartExport;
      let n = 0;
      for (const [id, name] of CHARTS) {
        const el = /** @type {HTMLElement} */ (document.getElementById(id));
        const u = chartOf(el);
        if (!u) continue;
        const title = el.previousElementSibling?.textContent ?? name;
        if (kind === 'svg') download(chartSvg(u, title), 'image/svg+xml', `${name}.svg`);
        else u.ctx.canvas.toBlob((blob) => blob && download(blob, 'image/png', `${name}.png`));
        n++;
      }
      status.textContent = t(lang(), 'exportedCharts', { n });
    });
  }
  return { refresh: fill };
}
