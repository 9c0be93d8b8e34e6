// The per-micro-batch table, read from the report's typed-array columns.
import { t } from './i18n.js';
import { int, fixed, dateTime } from './format.js';

/**
 * A batch's watermark, every row in one format (date and time, UTC); Spark's initial
 * watermark, the epoch (no data seen yet), says so; – without a watermark.
 * @param {import('./i18n.js').Lang} lang @param {number} us
 */
export function watermarkCell(lang, us) {
  if (!Number.isFinite(us)) return '–';
  return us <= 0 ? t(lang, 'wmNone') : dateTime(us);
}

/**
 * Rows drawn at most: the first ones (all of them are in the Arrow and CSV downloads).
 * Laying out 500 rows took ~60–90 ms of the frame a result lands in (style and layout of
 * 4,000 cells; tests/bench/browser-rerun.mjs), 200 about a third of that.
 */
export const MAX_ROWS = 200;

/** Rows a page draws per frame (main.js draws the table in such parts). */
export const ROWS_PER_PART = 50;

/**
 * Draws the table's rows `from` (0: the header too, and the old rows go) up to `to`; the
 * note on the rows left out comes with the part that reaches MAX_ROWS.
 * @param {import('./i18n.js').Lang} lang
 * @param {import('./run-result.js').RunResult} run
 * @param {number} [from] @param {number} [to]
 */
export function renderBatchTable(lang, run, from = 0, to = MAX_ROWS) {
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
  if (from === 0) table.tHead?.replaceChildren(head);
  const rows = [];
  // The first MAX_ROWS batches: a day of 1-second batches would be 86 400 rows.
  const n = Math.min(start.length, MAX_ROWS);
  for (let i = from; i < Math.min(n, to); i++) {
    const cells = [
      int(i, lang),
      fixed((start[i] - t0) / 1e6, 1, lang),
      fixed((end[i] - start[i]) / 1e6, 3, lang),
      int(input[i], lang),
      watermarkCell(lang, wm[i]),
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
  if (start.length > n && to >= n) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = cols.length;
    td.className = 'more';
    td.textContent = t(lang, 'moreBatches', { shown: int(n, lang), total: int(start.length, lang) });
    tr.append(td);
    rows.push(tr);
  }
  if (from === 0) table.tBodies[0].replaceChildren(...rows);
  else table.tBodies[0].append(...rows);
  /** @type {HTMLElement} */ (document.getElementById('batches')).hidden = false;
}
