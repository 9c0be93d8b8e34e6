// Where the events come from: the generator (the controls), a bundled real dataset, or a
// file the reader drops or picks (it stays in this browser: bytes go to the worker, never
// to a server). A column mapping (`workload.data`, docs/scenario.md) turns rows into
// events; the load's counts, first bad rows and lateness are shown after each run.
import { t } from './i18n.js';
import { duration, int, fixed, millis } from './format.js';
import { metricItems } from './metric-list.js';

/** @typedef {import('./i18n.js').Lang} Lang */

/** Bundled datasets: their scenario (datasets/scenarios/) and data file. */
export const BUNDLED = {
  earthquakes: 'datasets/vega/earthquakes.json',
  flights: 'datasets/vega/flights-200k.arrow',
  weblog: 'datasets/weblog/access.log',
};
/** The core's limit (loader::MAX_FILE_BYTES). */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

const FORMATS = ['csv', 'jsonl', 'json', 'access_log', 'arrow'];
const TIME_UNITS = ['rfc3339', 'clf', 'epoch_s', 'epoch_ms', 'epoch_us', 'hours'];
const DELAY_UNITS = ['us', 'ms', 's', 'min', 'h'];
/** The access log's columns (loader/access_log.rs). */
const LOG_COLUMNS = ['ip', 'ident', 'user', 'timestamp', 'method', 'endpoint', 'protocol',
  'response_code', 'content_size', 'referer', 'agent', 'serve_us'];

/** The format a file name says (loader::Format::from_name). @param {string} name */
export function formatOf(name) {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  return ({ csv: 'csv', jsonl: 'jsonl', ndjson: 'jsonl', json: 'json', geojson: 'json', log: 'access_log',
    arrow: 'arrow', feather: 'arrow', arrows: 'arrow', ipc: 'arrow' })[ext] ?? null;
}

/**
 * Column names and a first row's values, from a file's first bytes (a guess for the
 * mapping form; the core reads the file for real).
 * @param {string} format @param {Uint8Array} bytes
 * @returns {{columns: string[], first: Record<string, any>}}
 */
export function sniff(format, bytes) {
  if (format === 'access_log') return { columns: LOG_COLUMNS, first: { timestamp: '28/Sep/2025:10:00:00 +0000' } };
  if (format === 'arrow') return { columns: [], first: {} };
  const text = new TextDecoder().decode(bytes.subarray(0, format === 'json' ? bytes.length : 65536));
  try {
    if (format === 'csv') {
      const [head = '', row = ''] = text.replace(/^\uFEFF/, '').split(/\r?\n/);
      const split = (/** @type {string} */ l) => l.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
      const columns = split(head);
      const vals = split(row);
      return { columns, first: Object.fromEntries(columns.map((c, i) => [c, vals[i]])) };
    }
    const obj = format === 'jsonl'
      ? JSON.parse(text.split(/\r?\n/).find((l) => l.trim()) ?? '{}')
      : (() => {
          const doc = JSON.parse(text);
          const row = Array.isArray(doc) ? doc[0] : doc?.features?.[0];
          return row?.properties ? { ...row.properties } : row ?? {};
        })();
    return { columns: Object.keys(obj ?? {}), first: obj ?? {} };
  } catch {
    return { columns: [], first: {} };
  }
}

/** A time unit that fits a sample value. @param {any} v */
export function guessUnit(v) {
  const n = typeof v === 'number' ? v : Number(v);
  if (v !== '' && v != null && Number.isFinite(n)) {
    const a = Math.abs(n);
    return a > 1e14 ? 'epoch_us' : a > 1e11 ? 'epoch_ms' : a > 1e8 ? 'epoch_s' : 'hours';
  }
  return typeof v === 'string' && /^\d{2}\/\w{3}\/\d{4}:/.test(v) ? 'clf' : 'rfc3339';
}

/**
 * A first mapping for a dropped file. @param {string} name @param {string} format
 * @param {{columns: string[], first: Record<string, any>}} s
 */
export function guessMapping(name, format, s) {
  const pick = (/** @type {RegExp} */ re, /** @type {string[]} */ not = []) =>
    s.columns.find((c) => re.test(c) && !not.includes(c)) ?? null;
  const et = format === 'access_log' ? 'timestamp'
    : pick(/^(event_?time|time|timestamp|ts|date|datetime|created_at)$/i) ?? pick(/time|date|ts/i) ?? s.columns[0] ?? 'time';
  /** @type {any} */
  const spec = { file: name, format, event_time: { column: et, unit: guessUnit(s.first[et]) } };
  const arr = format === 'access_log' ? null : pick(/arriv|updated|ingest|receiv|processed|load/i, [et]);
  if (format === 'access_log') spec.arrival = { delay_column: 'serve_us', unit: 'us' };
  else if (arr) spec.arrival = { column: arr, unit: guessUnit(s.first[arr]) };
  const key = format === 'access_log' ? 'response_code' : pick(/^(key|user|user_?id|uid|device|host|ip|net|id)$/i, [et, arr ?? '']);
  if (key) spec.key = key;
  return spec;
}

/** @typedef {ReturnType<typeof initDataPanel>} DataPanel */

/**
 * @param {object} o
 * @param {() => Lang} o.lang
 * @param {() => any} o.scenario the live scenario (edited in place)
 * @param {(name: string, bytes: ArrayBuffer) => void} o.addFile hands a file to the worker
 * @param {() => void} o.changed the scenario changed: save, redraw controls, re-run
 */
export function initDataPanel({ lang, scenario, addFile, changed }) {
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const source = /** @type {HTMLSelectElement} */ ($('data-source'));
  const input = /** @type {HTMLInputElement} */ ($('data-file'));
  const drop = $('data-drop');
  const problem = $('data-problem');
  /** Columns seen in dropped files, for the mapping's suggestions. @type {string[]} */
  let columns = [];

  const current = () => {
    const d = scenario().workload?.data;
    if (!d) return 'generated';
    for (const [k, f] of Object.entries(BUNDLED)) if (d.file === f) return k;
    return 'file';
  };

  /** @param {any} spec */
  const setSpec = (spec) => {
    const sc = scenario();
    sc.workload ??= {};
    if (spec) sc.workload.data = spec;
    else delete sc.workload.data;
    render();
    changed();
  };

  source.addEventListener('change', async () => {
    problem.textContent = '';
    const v = source.value;
    if (v === 'generated') return setSpec(null);
    if (v === 'file') {
      drop.hidden = false;
      input.focus();
      return;
    }
    const r = await fetch(new URL(`./datasets/scenarios/${v}.json`, import.meta.url));
    if (!r.ok) {
      problem.textContent = t(lang(), 'dataFetchFailed', { status: r.status });
      return;
    }
    const preset = await r.json();
    const sc = scenario();
    // The dataset's own query and trigger: its clocks need them (hours of lateness).
    for (const k of ['trigger', 'query', 'sink']) if (preset[k]) sc[k] = preset[k];
    setSpec(preset.workload.data);
  });

  /** @param {File} file */
  const take = async (file) => {
    problem.textContent = '';
    if (file.size > MAX_FILE_BYTES) {
      problem.textContent = t(lang(), 'dataTooLarge', { name: file.name, mib: fixed(file.size / 1048576, 1, lang()), max: int(MAX_FILE_BYTES / 1048576, lang()) });
      return;
    }
    const format = formatOf(file.name);
    if (!format) {
      problem.textContent = t(lang(), 'dataUnknownFormat', { name: file.name });
      return;
    }
    const bytes = await file.arrayBuffer();
    addFile(file.name, bytes);
    const s = sniff(format, new Uint8Array(bytes));
    columns = s.columns;
    setSpec(guessMapping(file.name, format, s));
  };
  input.addEventListener('change', () => {
    const f = input.files?.[0];
    if (f) take(f);
  });
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files?.[0];
    if (f) take(f);
  });

  /** The mapping form for the current `workload.data`. */
  function render() {
    const L = lang();
    const d = scenario().workload?.data;
    source.value = current();
    drop.hidden = source.value !== 'file';
    const form = $('data-mapping');
    form.replaceChildren();
    form.hidden = !d;
    if (!d) {
      $('data-stats').replaceChildren();
      $('data-bad').replaceChildren();
      return;
    }
    const list = document.createElement('datalist');
    list.id = 'data-columns';
    for (const c of columns) {
      const o = document.createElement('option');
      o.value = c;
      list.append(o);
    }
    form.append(list);
    /**
     * @param {string} key @param {string} value @param {string[] | null} options
     * @param {(v: string) => void} set
     */
    const field = (key, value, options, set) => {
      const id = `data-${key}`;
      const wrap = document.createElement('div');
      wrap.className = 'control';
      const label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = t(L, `d_${key}`);
      /** @type {HTMLInputElement | HTMLSelectElement} */
      let el;
      if (options) {
        const sel = document.createElement('select');
        for (const o of options) {
          const opt = document.createElement('option');
          opt.value = o;
          opt.textContent = t(L, `du_${o}`);
          sel.append(opt);
        }
        el = sel;
      } else {
        const inp = document.createElement('input');
        inp.type = 'text';
        inp.setAttribute('list', 'data-columns');
        inp.spellcheck = false;
        el = inp;
      }
      el.id = id;
      el.value = value;
      el.addEventListener('change', () => {
        set(el.value.trim());
        changed();
      });
      wrap.append(label, el);
      form.append(wrap);
    };
    const spec = d;
    field('format', spec.format ?? formatOf(spec.file) ?? 'csv', FORMATS, (v) => { spec.format = v; });
    field('event_time', spec.event_time.column, null, (v) => { spec.event_time.column = v; });
    field('event_unit', spec.event_time.unit, TIME_UNITS, (v) => { spec.event_time.unit = v; });
    const mode = !spec.arrival ? 'model' : 'delay_column' in spec.arrival ? 'delay' : 'column';
    field('arrival_mode', mode, ['column', 'delay', 'model'], (v) => {
      spec.arrival = v === 'model' ? null
        : v === 'delay' ? { delay_column: spec.arrival?.column ?? spec.arrival?.delay_column ?? 'delay', unit: 's' }
          : { column: spec.arrival?.delay_column ?? spec.arrival?.column ?? 'arrival', unit: spec.event_time.unit };
      if (!spec.arrival) delete spec.arrival;
      render();
    });
    if (spec.arrival && 'delay_column' in spec.arrival) {
      field('arrival', spec.arrival.delay_column, null, (v) => { spec.arrival.delay_column = v; });
      field('arrival_unit', spec.arrival.unit, DELAY_UNITS, (v) => { spec.arrival.unit = v; });
    } else if (spec.arrival) {
      field('arrival', spec.arrival.column, null, (v) => { spec.arrival.column = v; });
      field('arrival_unit', spec.arrival.unit, TIME_UNITS, (v) => { spec.arrival.unit = v; });
    }
    field('key', spec.key ?? '', null, (v) => {
      if (v) spec.key = v;
      else delete spec.key;
    });
    // The join and filter are kept from the scenario (editable in its JSON or a link).
    const parts = [];
    if (spec.join) parts.push(t(L, 'dJoin', { file: spec.join.file, on: spec.join.on, key: spec.join.table_key, type: spec.join.key_type, how: spec.join.how ?? 'left' }));
    if (spec.filter?.length) {
      const ops = { eq: '=', ne: '≠', gt: '>', ge: '≥', lt: '<', le: '≤' };
      parts.push(t(L, 'dFilter', { cond: spec.filter.map((/** @type {any} */ f) => `${f.column} ${ops[/** @type {'eq'} */ (f.op)] ?? f.op} ${f.value}`).join(' AND ') }));
    }
    if (parts.length) {
      const p = document.createElement('p');
      p.className = 'muted data-query';
      p.textContent = parts.join(' · ');
      form.append(p);
    }
  }

  /**
   * The load's figures after a run (text only: a file's contents are never HTML).
   * @param {any} stats LoadStats or null @param {number | null} loadMs
   */
  function showStats(stats, loadMs) {
    const L = lang();
    const dl = $('data-stats');
    const bad = $('data-bad');
    dl.replaceChildren();
    bad.replaceChildren();
    if (!stats) return;
    /** @type {[string, string][]} */
    const rows = [
      ['dRows', int(stats.rows, L)],
      ['dEvents', int(stats.events, L)],
      ['dBad', int(stats.bad_rows, L)],
      ['dKeys', int(stats.keys, L)],
    ];
    if (stats.join_unmatched) rows.push(['dUnmatched', int(stats.join_unmatched, L)]);
    if (stats.filtered_out) rows.push(['dFiltered', int(stats.filtered_out, L)]);
    if (stats.arrival_clamped) rows.push(['dClamped', int(stats.arrival_clamped, L)]);
    if (stats.lateness_p50_s != null) {
      rows.push(['dLateP50', duration(stats.lateness_p50_s, L)]);
      rows.push(['dLateP99', duration(stats.lateness_p99_s, L)]);
    } else {
      rows.push(['dLateModel', t(L, 'dLateModelV')]);
    }
    if (loadMs != null) rows.push(['dLoadMs', millis(loadMs, L)]);
    dl.replaceChildren(...metricItems(L, rows));
    for (const b of stats.bad_examples) {
      const li = document.createElement('li');
      li.textContent = t(L, 'dBadLine', { line: b.line, reason: b.reason });
      bad.append(li);
    }
  }

  render();
  return { render, showStats };
}
