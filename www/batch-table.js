// The per-micro-batch table, read from the report's typed-array columns.
import { t } from './i18n.js';
import { int, fixed, clock } from './format.js';

/** Rows drawn at most. */
export const MAX_ROWS = 500;

/**
 * @param {import('./i18n.js').Lang} lang
 * @param {import('./run-result.js').RunResult} run
 */
export function renderBatchTable(lang, run) {
  const start = run.batchStartUs;
  const end = run.batchEndUs;
  const wm = run.batchWatermarkUs;
  const input = run.batchInputRows;
  const dropped = run.batchDroppedLate;
  const state = run.batchStateRows;
  const output = run.batchOutputRows;
  const t0 = start[0] ?? 0;
  const cols = ['colBatch', 'colStart', 'colDuration', 'colInput', 'colWatermark', 'colDropped', 'colState', 'colOutput'];
  const table = /** @type {HTMLTableElement} */ (document.getElementById('batch-table'));
  const head = document.createElement('tr');
  for (const c of cols) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = t(lang, c);
    head.append(th);
  }
  table.tHead?.replaceChildren(head);
  const rows = [];
  // The first MAX_ROWS batches: a day of 1-second batches would be 86 400 rows.
  const n = Math.min(start.length, MAX_ROWS);
  for (let i = 0; i < n; i++) {
    const cells = [
      int(i, lang),
      fixed((start[i] - t0) / 1e6, 1, lang),
      fixed((end[i] - start[i]) / 1e6, 3, lang),
      int(input[i], lang),
      clock(wm[i], start[i]),
      int(dropped[i], lang),
      int(state[i], lang),
      int(output[i], lang),
    ];
    const tr = document.createElement('tr');
    for (const c of cells) {
      const td = document.createElement('td');
      td.textContent = c;
      tr.append(td);
    }
    rows.push(tr);
  }
  if (start.length > n) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = cols.length;
    td.className = 'more';
    td.textContent = t(lang, 'moreBatches', { shown: int(n, lang), total: int(start.length, lang) });
    tr.append(td);
    rows.push(tr);
  }
  table.tBodies[0].replaceChildren(...rows);
  /** @type {HTMLElement} */ (document.getElementById('batches')).hidden = false;
}
