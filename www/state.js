// The app's state: a scenario (the core's JSON format, docs/scenario.md) plus the view,
// kept in the URL hash as `#v=1&s=<base64url JSON of the fields that differ from BASE>`.

/** URL state format version. */
export const URL_VERSION = 1;

/** The page's starting scenario: an hour at 200 events/s, fast enough to re-run on drag. */
export const BASE = Object.freeze({
  version: 1,
  seed: 42,
  workload: { duration_s: 3600, rate_per_s: 200, keys: 100, lateness: { kind: 'exponential', mean_s: 5 } },
  trigger: { kind: 'processing_time', interval_s: 60 },
  query: { operator: 'window_count', window: { kind: 'tumbling', size_s: 60 }, watermark_delay_s: 60, output_mode: 'append' },
  engine: { shuffle_partitions: 200 },
  sink: { format: 'parquet', delta: { optimize_write: false, auto_compact: false } },
  cost: { storage: { preset: 's3_standard' }, compute: { preset: 'databricks_jobs_aws', nodes: 2 } },
  report: { detail_events: 20000 },
});

/** @param {any} v @returns {any} */
export function clone(v) {
  return JSON.parse(JSON.stringify(v));
}

/**
 * Whether two values are objects to recurse into: plain objects, and not tagged unions of
 * different kinds (a trigger `{kind: 'scheduled', …}` replaces `{kind: 'processing_time', …}`
 * whole, or its fields would mix). @param {any} a @param {any} b
 */
function sameShape(a, b) {
  const obj = (/** @type {any} */ v) => v && typeof v === 'object' && !Array.isArray(v);
  return obj(a) && obj(b) && a.kind === b.kind;
}

/** Fields of `next` that differ from `base` (objects recursed, everything else whole). @param {any} base @param {any} next @returns {any} */
export function diff(base, next) {
  /** @type {Record<string, any>} */
  const out = {};
  for (const k of Object.keys(next)) {
    const b = base?.[k];
    const n = next[k];
    if (sameShape(b, n)) {
      const d = diff(b, n);
      if (Object.keys(d).length) out[k] = d;
    } else if (JSON.stringify(b) !== JSON.stringify(n)) {
      out[k] = n;
    }
  }
  return out;
}

/** `base` with `patch` merged in (objects recursed). @param {any} base @param {any} patch @returns {any} */
export function merge(base, patch) {
  const out = clone(base);
  for (const [k, v] of Object.entries(patch ?? {})) {
    // A patch of a tagged object without `kind` keeps the base's kind.
    const w = v && typeof v === 'object' && !Array.isArray(v) && !('kind' in v) && out[k]?.kind ? { ...v, kind: out[k].kind } : v;
    out[k] = sameShape(out[k], w) ? merge(out[k], w) : clone(w);
  }
  return out;
}

/** @param {string} s */
function b64urlEncode(s) {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** @param {string} s */
function b64urlDecode(s) {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/**
 * @typedef {object} AppState
 * @property {any} scenario
 * @property {string} view 'run' | 'timeline' | 'sweep'
 * @property {number} slaMin freshness SLA for the sweep's answer, minutes
 * @property {any[]} pins pinned scenarios (Compare), at most 4
 */

/** @param {AppState} st @returns {string} the hash, with '#' */
export function encodeHash(st) {
  const p = new URLSearchParams();
  p.set('v', String(URL_VERSION));
  const d = diff(BASE, st.scenario);
  if (Object.keys(d).length) p.set('s', b64urlEncode(JSON.stringify(d)));
  if (st.view !== 'run') p.set('view', st.view);
  if (st.slaMin !== 15) p.set('sla', String(st.slaMin));
  if (st.pins.length) p.set('p', b64urlEncode(JSON.stringify(st.pins.map((sc) => diff(BASE, sc)))));
  return `#${p.toString()}`;
}

/**
 * The state in a hash; unknown versions and broken data fall back to the defaults, with a
 * message. @param {string} hash @returns {{state: AppState, problem: string | null}}
 */
export function decodeHash(hash) {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  /** @type {AppState} */
  const state = { scenario: clone(BASE), view: 'run', slaMin: 15, pins: /** @type {any[]} */ ([]) };
  let problem = null;
  const v = p.get('v');
  if (v && v !== String(URL_VERSION)) problem = `link format v${v} is not known to this version`;
  else {
    const s = p.get('s');
    if (s) {
      try {
        state.scenario = merge(BASE, JSON.parse(b64urlDecode(s)));
      } catch {
        problem = 'the link\'s scenario could not be read';
      }
    }
    const view = p.get('view');
    if (view === 'sweep' || view === 'timeline' || view === 'compare') state.view = view;
    const pins = p.get('p');
    if (pins) {
      try {
        state.pins = JSON.parse(b64urlDecode(pins)).slice(0, 4).map((/** @type {any} */ d) => merge(BASE, d));
      } catch {
        problem = 'the link\'s pinned configurations could not be read';
      }
    }
    const sla = Number(p.get('sla'));
    if (p.has('sla') && Number.isFinite(sla) && sla > 0) state.slaMin = sla;
  }
  return { state, problem };
}

/** Reads a dotted path. @param {any} obj @param {string} path */
export function getPath(obj, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

/** Writes a dotted path (creating objects). @param {any} obj @param {string} path @param {any} value */
export function setPath(obj, path, value) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[keys[keys.length - 1]] = value;
}
