// The scenario's controls: one spec per field (path in the scenario JSON, widget, range,
// unit), rendered as labelled inputs with a one-line explanation each. Sliders over wide
// ranges are logarithmic.
import { t } from './i18n.js';
import { getPath, setPath } from './state.js';
import { duration } from './format.js';

/**
 * @typedef {object} ControlSpec
 * @property {string} path dotted path in the scenario (or 'trigger.mode' / 'trigger.every')
 * @property {'log' | 'linear' | 'select' | 'check' | 'number' | 'nodes'} kind  'number': a typed
 *   price override; empty = the preset's (null in the scenario). 'nodes': a typed count or
 *   "auto" (empty = auto)
 * @property {number} [min] @property {number} [max] @property {number} [step]
 * @property {(string | number)[]} [options]
 * @property {'s' | 'min' | 'count' | 'rate' | 'usd' | 'share' | 'bytes'} [unit]
 * @property {boolean} [typed] a text box beside the slider or list for any value (with
 *   its unit: "50k", "2 h", "30 d"); the core checks it and names the field
 * @property {string} group
 * @property {number[]} [stops] a log slider's readable values, ascending: the arrow keys,
 *   Page Up/Down (three at a time), Home and End go from one to the next (a drag still
 *   moves freely)
 * @property {'spark' | 'flink'} [engine] shown only when the scenario runs on this engine
 * @property {(sc: any) => any} [get] the value it shows (default: the scenario's at `path`)
 * @property {(sc: any, v: any) => void} [set] applies a value (default: written at `path`)
 */

/** The trigger interval's stops by keyboard, s: 1, 2, 5, 10, 15, 30 s, 1 … 30 min, 1, 2, 6, 12 h, 1 d. */
export const TRIGGER_STOPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];

/** @type {ControlSpec[]} */
export const CONTROLS = [
  { path: 'trigger.every', kind: 'log', min: 1, max: 86400, unit: 's', typed: true, group: 'trigger', stops: TRIGGER_STOPS, engine: 'spark' },
  { path: 'trigger.mode', kind: 'select', options: ['stream', 'job'], group: 'trigger', engine: 'spark' },
  { path: 'workload.rate_per_s', kind: 'log', min: 1, max: 1_000_000, unit: 'rate', typed: true, group: 'workload' },
  { path: 'workload.duration_s', kind: 'select', options: [600, 3600, 21600, 86400], unit: 's', typed: true, group: 'workload' },
  { path: 'workload.keys', kind: 'log', min: 1, max: 10000, unit: 'count', typed: true, group: 'workload' },
  { path: 'workload.row_bytes', kind: 'log', min: 10, max: 100_000, unit: 'bytes', typed: true, group: 'workload' },
  { path: 'workload.key_skew', kind: 'linear', min: 0, max: 2, step: 0.1, unit: 'count', group: 'workload' },
  { path: 'workload.lateness.kind', kind: 'select', options: ['none', 'fixed', 'uniform', 'exponential', 'log_normal'], group: 'workload' },
  { path: 'workload.lateness.mean_s', kind: 'log', min: 0.1, max: 3600, unit: 's', typed: true, group: 'workload' },
  { path: 'workload.offline.fraction', kind: 'linear', min: 0, max: 0.2, step: 0.005, unit: 'share', group: 'workload' },
  { path: 'source.kafka_partitions', kind: 'log', min: 1, max: 1000, unit: 'count', typed: true, group: 'workload' },
  { path: 'query.operator', kind: 'select', options: ['window_count', 'dedup', 'dedup_within_watermark', 'select'], group: 'query' },
  { path: 'query.window.kind', kind: 'select', options: ['tumbling', 'sliding', 'session'], group: 'query' },
  { path: 'query.window.size_s', kind: 'select', options: [10, 60, 300, 600, 900, 3600], group: 'query' },
  { path: 'query.watermark_delay_s', kind: 'log', min: 1, max: 7200, unit: 's', typed: true, group: 'query' },
  { path: 'engine.shuffle_partitions', kind: 'log', min: 1, max: 400, unit: 'count', typed: true, group: 'query', engine: 'spark' },
  { path: 'sink.format', kind: 'select', options: ['parquet', 'delta', 'iceberg'], group: 'sink' },
  { path: 'sink.partition_by', kind: 'check', group: 'sink' },
  { path: 'sink.delta.optimize_write', kind: 'check', group: 'sink' },
  { path: 'sink.delta.auto_compact', kind: 'check', group: 'sink' },
  { path: 'cost.storage.preset', kind: 'select', options: ['s3_standard', 's3_standard_ia', 'adls_hot', 'adls_cool', 'gcs_standard'], group: 'prices' },
  { path: 'cost.compute.preset', kind: 'select', options: ['databricks_jobs_aws', 'databricks_all_purpose_aws', 'databricks_serverless_aws', 'emr_aws', 'ec2_aws'], group: 'prices' },
  { path: 'cost.compute.nodes', kind: 'nodes', unit: 'count', group: 'prices' },
  { path: 'cost.brokers.preset', kind: 'select', options: ['none', 'gcp_managed_kafka'], group: 'prices' },
  { path: 'cost.storage.write_per_1k', kind: 'number', min: 0, step: 0.0001, unit: 'usd', group: 'prices' },
  { path: 'cost.storage.read_per_1k', kind: 'number', min: 0, step: 0.0001, unit: 'usd', group: 'prices' },
  { path: 'cost.storage.per_gb_month', kind: 'number', min: 0, step: 0.001, unit: 'usd', group: 'prices' },
  { path: 'cost.compute.vm_per_h', kind: 'number', min: 0, step: 0.001, unit: 'usd', group: 'prices' },
  { path: 'cost.compute.dbu_price', kind: 'number', min: 0, step: 0.01, unit: 'usd', group: 'prices' },
  { path: 'cost.reader.every_min', kind: 'log', min: 1, max: 1440, unit: 'min', typed: true, group: 'prices' },
  { path: 'cost.reader.lookback_h', kind: 'select', options: [1, 6, 24, 168], group: 'prices' },
  { path: 'seed', kind: 'linear', min: 0, max: 999, step: 1, unit: 'count', group: 'workload' },
];

const STEPS = 1000;

/**
 * Controls another module adds (the engine panel's: engine-panel.js), drawn into a root of
 * their own (renderControls' `specs`); read and applied here like CONTROLS.
 * @type {ControlSpec[]}
 */
const added = [];

/** Adds controls (controlValue, applyControl and field errors know them). @param {ControlSpec[]} specs */
export function addControls(specs) {
  added.push(...specs.filter((c) => !added.some((a) => a.path === c.path)));
}

/** The scenario's engine: 'spark' (the default) or 'flink'. @param {any} sc */
export const engineOf = (sc) => (sc?.engine?.name === 'flink' ? 'flink' : 'spark');

/** Slider position (0..STEPS) of a value on a log scale. @param {ControlSpec} c @param {number} v */
function toPos(c, v) {
  const lo = Math.log(c.min ?? 1);
  const hi = Math.log(c.max ?? 1);
  return Math.round(((Math.log(Math.min(Math.max(v, c.min ?? v), c.max ?? v)) - lo) / (hi - lo)) * STEPS);
}

/** Value at a log slider position, rounded to 2 significant digits. @param {ControlSpec} c @param {number} pos */
function fromPos(c, pos) {
  // The ends are the range's own values (1 s and 1 day, not 1.0 s and 86 000 s).
  if (pos <= 0) return c.min ?? 0;
  if (pos >= STEPS) return c.max ?? 0;
  const lo = Math.log(c.min ?? 1);
  const hi = Math.log(c.max ?? 1);
  const v = Math.exp(lo + ((hi - lo) * pos) / STEPS);
  const unit = c.unit === 'count' || c.unit === 'rate' || c.unit === 'min' ? 1 : 0.1;
  const p = Math.pow(10, Math.floor(Math.log10(v)) - 1);
  return Math.max(unit, Math.round(v / Math.max(p, unit)) * Math.max(p, unit));
}

/**
 * The mean lateness of a lateness model, s (the slider's value). @param {any} l
 */
export function latenessMean(l) {
  switch (l?.kind) {
    case 'fixed': return l.s;
    case 'uniform': return (l.min_s + l.max_s) / 2;
    case 'exponential': return l.mean_s;
    case 'log_normal': return l.median_s * Math.exp((l.sigma * l.sigma) / 2);
    default: return 0;
  }
}

/**
 * A lateness model of a kind with mean `m` s: uniform on [0, 2m], log-normal with σ = 1.
 * @param {string} kind @param {number} m
 */
export function latenessOf(kind, m) {
  switch (kind) {
    case 'none': return { kind };
    case 'fixed': return { kind, s: m };
    case 'uniform': return { kind, min_s: 0, max_s: 2 * m };
    case 'log_normal': return { kind, median_s: m / Math.exp(0.5), sigma: 1 };
    default: return { kind: 'exponential', mean_s: m };
  }
}

/** Unit words a typed duration may carry, in seconds (English and Korean). */
const DURATION_UNITS = /** @type {Record<string, number>} */ ({
  ms: 0.001, s: 1, sec: 1, secs: 1, second: 1, seconds: 1, '초': 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60, '분': 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600, '시간': 3600,
  d: 86400, day: 86400, days: 86400, '일': 86400,
});
/** Multipliers a typed count may carry: 50k, 2.5M, 1G (and 만 = 10⁴, 억 = 10⁸). */
const COUNT_SUFFIXES = /** @type {Record<string, number>} */ ({
  '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6, g: 1e9, G: 1e9, b: 1e9, B: 1e9, '만': 1e4, '억': 1e8,
});

/**
 * A typed value in a control's unit, or null when it does not read as one: durations
 * ("90", "15 min", "2 h", "1.5d", "30일") in the control's unit (s, or min), counts and rates
 * ("50000", "50,000", "50k", "10M"), bytes ("400", "1k").
 * @param {ControlSpec} c @param {string} text @returns {number | null}
 */
export function parseTyped(c, text) {
  const s = text.trim().replace(/[,_\s]+(?=\d)/g, '').replace(/\/s$/, '');
  const m = /^(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*([^\d\s.]*)$/i.exec(s);
  if (!m) return null;
  const v = Number(m[1]);
  const u = m[2];
  if (!Number.isFinite(v)) return null;
  if (c.unit === 's' || c.unit === 'min') {
    const per = u === '' ? (c.unit === 'min' ? 60 : 1) : DURATION_UNITS[u.toLowerCase()] ?? DURATION_UNITS[u];
    if (per === undefined) return null;
    return c.unit === 'min' ? (v * per) / 60 : v * per;
  }
  const k = COUNT_SUFFIXES[u];
  return k === undefined ? null : v * k;
}

/**
 * The stop a key moves a slider with stops to from `v` (which may lie between stops), or
 * null for a key that is none of them. @param {number[]} stops @param {number} v @param {string} key
 */
export function stopFor(stops, v, key) {
  if (key === 'Home') return stops[0];
  if (key === 'End') return stops[stops.length - 1];
  const move = /** @type {Record<string, number>} */ ({
    ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 3, PageDown: -3,
  })[key];
  if (move === undefined) return null;
  // The stop at v; between two stops, half a stop above the lower: one up or down from there.
  let at = stops.findIndex((s) => Math.abs(s - v) <= 1e-9 * s);
  if (at < 0) at = stops.filter((s) => s < v).length - 0.5;
  const to = move > 0 ? Math.floor(at) + move : Math.ceil(at) + move;
  return stops[Math.max(0, Math.min(stops.length - 1, to))];
}

/** The value a control shows for the scenario. @param {any} sc @param {string} path */
export function controlValue(sc, path) {
  const own = added.find((c) => c.path === path)?.get;
  if (own) return own(sc);
  if (path === 'trigger.mode') return sc.trigger.kind === 'scheduled' ? 'job' : 'stream';
  if (path === 'trigger.every') return sc.trigger.kind === 'scheduled' ? sc.trigger.every_s : sc.trigger.interval_s;
  if (path === 'query.window.size_s') return sc.query.window.size_s ?? sc.query.window.gap_s;
  if (path === 'workload.lateness.mean_s') return latenessMean(sc.workload.lateness);
  if (path === 'workload.key_skew') return sc.workload.key_skew ?? 0;
  if (path === 'workload.offline.fraction') return sc.workload.offline?.fraction ?? 0;
  if (path === 'cost.reader.every_min') return sc.cost.reader?.every_min ?? 5;
  if (path === 'cost.reader.lookback_h') return sc.cost.reader?.lookback_h ?? 24;
  if (path === 'sink.partition_by') return (sc.sink?.partition_by ?? []).length > 0;
  if (path === 'workload.row_bytes') return sc.workload.row_bytes ?? 200;
  if (path === 'source.kafka_partitions') return sc.source?.kafka_partitions ?? 1;
  if (path === 'cost.compute.nodes') return sc.cost.compute?.nodes ?? 'auto';
  if (path === 'cost.brokers.preset') return sc.cost.brokers?.preset ?? 'none';
  return getPath(sc, path);
}

/** Applies a control's value to a scenario (in place). @param {any} sc @param {string} path @param {any} v */
export function applyControl(sc, path, v) {
  const own = added.find((c) => c.path === path)?.set;
  if (own) return own(sc, v);
  if (path === 'trigger.mode' || path === 'trigger.every') {
    const mode = path === 'trigger.mode' ? v : controlValue(sc, 'trigger.mode');
    const every = path === 'trigger.every' ? v : controlValue(sc, 'trigger.every');
    sc.trigger = mode === 'job'
      ? { kind: 'scheduled', every_s: every, startup_s: 270 }
      : { kind: 'processing_time', interval_s: every };
    return;
  }
  if (path === 'query.window.kind' || path === 'query.window.size_s') {
    // Sliding windows slide by half their size; a session's gap is the "size".
    const kind = path === 'query.window.kind' ? v : sc.query.window.kind;
    const size = path === 'query.window.size_s' ? v : controlValue(sc, 'query.window.size_s');
    sc.query.window = kind === 'session' ? { kind, gap_s: size }
      : kind === 'sliding' ? { kind, size_s: size, slide_s: size / 2 } : { kind, size_s: size };
    return;
  }
  if (path === 'workload.lateness.kind' || path === 'workload.lateness.mean_s') {
    const kind = path === 'workload.lateness.kind' ? v : sc.workload.lateness.kind;
    const m = path === 'workload.lateness.mean_s' ? v : latenessMean(sc.workload.lateness) || 5;
    sc.workload.lateness = latenessOf(kind, m);
    return;
  }
  if (path === 'sink.partition_by') {
    if (sc.sink) sc.sink.partition_by = v ? ['key'] : [];
    return;
  }
  if (path === 'workload.offline.fraction') {
    // The tail keeps its lateness range (PAGE_DEFAULT's: 1 min to 2 h); 0 removes it.
    const off = sc.workload.offline;
    if (v > 0) sc.workload.offline = { fraction: v, min_s: off?.min_s ?? 60, max_s: off?.max_s ?? 7200 };
    else delete sc.workload.offline;
    return;
  }
  setPath(sc, path, v);
}

/** @param {ControlSpec} c @param {any} v @param {import('./i18n.js').Lang} lang */
function shown(c, v, lang) {
  if (c.kind === 'check') return '';
  if (c.kind === 'select') return '';
  if (c.kind === 'number') return v == null ? t(lang, 'preset') : `$${Number(v)}`;
  if (c.kind === 'nodes') return v === 'auto' ? t(lang, 'auto') : Number(v).toLocaleString(lang);
  if (c.unit === 'bytes') return `${Number(v).toLocaleString(lang)} B`;
  if (c.unit === 's') return duration(Number(v), lang);
  if (c.unit === 'min') return duration(Number(v) * 60, lang);
  if (c.unit === 'rate') return `${Number(v).toLocaleString(lang)}/s`;
  if (c.unit === 'share') return Number(v).toLocaleString(lang, { style: 'percent', maximumFractionDigits: 1 });
  return Number(v).toLocaleString(lang);
}

/**
 * A value as its typed box shows it: a plain number in the control's unit (s, min, events/s,
 * count, bytes). @param {ControlSpec} c @param {any} v @param {import('./i18n.js').Lang} lang
 */
function typedText(c, v, lang) {
  const n = Number(v);
  if (!Number.isFinite(n)) return '';
  if (c.unit === 's') return duration(n, lang).replace(/\s+/g, ' ');
  if (c.unit === 'min') return duration(n * 60, lang).replace(/\s+/g, ' ');
  return String(n);
}

/**
 * Renders the controls (CONTROLS, or `specs`) of the scenario's engine into `root`; calls
 * `onChange(path, value)` on input.
 * @param {HTMLElement} root @param {import('./i18n.js').Lang} lang @param {any} sc
 * @param {(path: string, value: any) => void} onChange @param {ControlSpec[]} [specs]
 */
export function renderControls(root, lang, sc, onChange, specs = CONTROLS) {
  /** @type {Map<string, HTMLElement>} */
  const groups = new Map();
  root.replaceChildren();
  const engine = engineOf(sc);
  for (const c of specs) {
    if (c.engine && c.engine !== engine) continue;
    let g = groups.get(c.group);
    if (!g) {
      const fs = document.createElement('fieldset');
      const lg = document.createElement('legend');
      lg.textContent = t(lang, `group_${c.group}`);
      fs.append(lg);
      root.append(fs);
      groups.set(c.group, fs);
      g = fs;
    }
    const id = `c-${c.path.replace(/\./g, '-')}`;
    const wrap = document.createElement('div');
    wrap.className = 'control';
    wrap.dataset.path = c.path;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = t(lang, `f_${c.path}`);
    const value = document.createElement('output');
    value.htmlFor.add(id);
    const v = controlValue(sc, c.path);
    /** @type {HTMLInputElement | HTMLSelectElement} */
    let input;
    if (c.kind === 'select') {
      const sel = document.createElement('select');
      for (const o of c.options ?? []) {
        const opt = document.createElement('option');
        opt.value = String(o);
        opt.textContent = typeof o !== 'number' ? t(lang, `o_${o}`)
          : c.path.endsWith('_h') ? duration(o * 3600, lang) : duration(o, lang);
        sel.append(opt);
      }
      if (!(c.options ?? []).some((o) => String(o) === String(v))) {
        // A typed value outside the list: shown as an entry of its own.
        const opt = document.createElement('option');
        opt.value = String(v);
        opt.textContent = typeof v === 'number' ? duration(v, lang) : String(v);
        sel.append(opt);
      }
      sel.value = String(v);
      input = sel;
    } else if (c.kind === 'number') {
      const n = document.createElement('input');
      n.type = 'number';
      n.inputMode = 'decimal';
      n.min = String(c.min ?? '');
      n.step = String(c.step ?? 'any');
      n.placeholder = t(lang, 'preset');
      n.value = v == null ? '' : String(v);
      input = n;
    } else if (c.kind === 'nodes') {
      const n = document.createElement('input');
      n.type = 'text';
      n.inputMode = 'numeric';
      n.placeholder = t(lang, 'auto');
      n.value = v === 'auto' ? '' : String(v);
      input = n;
    } else if (c.kind === 'check') {
      const cb = document.createElement('input');
      cb.type = 'checkbox';
      cb.checked = Boolean(v);
      input = cb;
    } else {
      const r = document.createElement('input');
      r.type = 'range';
      if (c.kind === 'log') {
        r.min = '0';
        r.max = String(STEPS);
        r.value = String(toPos(c, Number(v)));
      } else {
        r.min = String(c.min);
        r.max = String(c.max);
        r.step = String(c.step ?? 1);
        r.value = String(v);
      }
      input = r;
    }
    input.id = id;
    const help = document.createElement('small');
    help.id = `${id}-help`;
    help.textContent = t(lang, `h_${c.path}`);
    input.setAttribute('aria-describedby', `${id}-help ${id}-error`);
    const err = document.createElement('span');
    err.className = 'field-error';
    err.id = `${id}-error`;
    err.setAttribute('role', 'alert');
    value.textContent = shown(c, v, lang);
    // A slider's position (0…1000 on a log scale) means nothing read out: its value does.
    const valueText = (/** @type {any} */ nv) => {
      if (input instanceof HTMLInputElement && input.type === 'range') input.setAttribute('aria-valuetext', shown(c, nv, lang));
    };
    valueText(v);
    const read = () => {
      if (input instanceof HTMLInputElement && input.type === 'checkbox') return input.checked;
      if (c.kind === 'select') {
        const o = (c.options ?? []).find((x) => String(x) === input.value);
        return o ?? input.value;
      }
      // An emptied price override falls back to the preset's price.
      if (c.kind === 'number') return input.value.trim() === '' ? null : Number(input.value);
      // Nodes: empty or "auto" is auto; anything else goes to the core as typed (a number,
      // or the text itself, which the core refuses at the field).
      if (c.kind === 'nodes') {
        const text = input.value.trim();
        if (text === '' || text.toLowerCase() === 'auto' || text === t(lang, 'auto')) return 'auto';
        const n = parseTyped(c, text);
        return n ?? text;
      }
      return c.kind === 'log' ? fromPos(c, Number(input.value)) : Number(input.value);
    };
    // Typed boxes and the nodes box commit on Enter or leaving the box, not per keystroke.
    input.addEventListener(c.kind === 'nodes' ? 'change' : 'input', () => {
      const nv = read();
      current = nv;
      value.textContent = shown(c, nv, lang);
      valueText(nv);
      if (typed) typed.value = typedText(c, nv, lang);
      onChange(c.path, nv);
    });
    /** The control's value (a slider with stops moves from it by keyboard). */
    let current = v;
    const stops = c.stops;
    if (stops) {
      input.addEventListener('keydown', (ev) => {
        const e = /** @type {KeyboardEvent} */ (ev);
        if (e.altKey || e.ctrlKey || e.metaKey) return;
        const nv = stopFor(stops, Number(current), e.key);
        if (nv === null) return;
        e.preventDefault();
        if (nv === current) return;
        current = nv;
        input.value = String(toPos(c, nv));
        value.textContent = shown(c, nv, lang);
        valueText(nv);
        if (typed) typed.value = typedText(c, nv, lang);
        onChange(c.path, nv);
      });
    }
    const head = document.createElement('div');
    head.className = 'control-head';
    head.append(label, value);
    /** @type {HTMLInputElement | null} */
    let typed = null;
    if (c.typed) {
      const box = document.createElement('input');
      box.type = 'text';
      box.id = `${id}-typed`;
      box.className = 'typed';
      box.inputMode = c.unit === 's' || c.unit === 'min' ? 'text' : 'decimal';
      box.value = typedText(c, v, lang);
      box.setAttribute('aria-label', t(lang, 'typedLabel', { field: t(lang, `f_${c.path}`) }));
      box.setAttribute('aria-describedby', `${id}-help ${id}-error`);
      box.addEventListener('change', () => {
        const nv = parseTyped(c, box.value);
        if (nv === null) {
          err.textContent = t(lang, c.unit === 's' || c.unit === 'min' ? 'typedBadDuration' : 'typedBadNumber', { text: box.value });
          wrap.classList.add('invalid');
          return;
        }
        err.textContent = '';
        wrap.classList.remove('invalid');
        current = nv;
        value.textContent = shown(c, nv, lang);
        valueText(nv);
        if (c.kind === 'log') input.value = String(toPos(c, nv));
        if (input instanceof HTMLSelectElement) {
          if (![...input.options].some((o) => o.value === String(nv))) {
            const opt = document.createElement('option');
            opt.value = String(nv);
            opt.textContent = duration(nv, lang);
            input.append(opt);
          }
          input.value = String(nv);
        }
        onChange(c.path, nv);
      });
      typed = box;
    }
    wrap.append(head, ...(typed ? [input, typed] : [input]), help, err);
    g.append(wrap);
  }
}

/**
 * Shows a validation message next to the control of its field (the core names the field,
 * e.g. "trigger.interval_s: must be …"); returns false when no control matches.
 * @param {HTMLElement} root @param {string | null} message
 */
export function showFieldError(root, message) {
  for (const el of root.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of root.querySelectorAll('.control.invalid')) el.classList.remove('invalid');
  if (!message) return true;
  const field = message.split(':')[0].trim();
  const candidates = [...added, ...CONTROLS].map((c) => c.path).filter(
    (p) => field === p || field.startsWith(`${p}.`) || (p.startsWith('trigger.') && field.startsWith('trigger')),
  );
  const path = candidates.sort((a, b) => b.length - a.length)[0];
  if (!path) return false;
  const wrap = root.querySelector(`.control[data-path="${path}"]`);
  if (!wrap) return false;
  wrap.classList.add('invalid');
  const err = wrap.querySelector('.field-error');
  if (err) err.textContent = message;
  return true;
}
