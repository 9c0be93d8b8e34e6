// The app's state: a scenario (the core's JSON format, docs/scenario.md) plus the view,
// kept in the URL hash as `#v=1&s=<base64url JSON of the fields that differ from BASE>`.

/** URL state format version. */
export const URL_VERSION = 1;

/**
 * What links, lessons, embeds and the JS API patch: an hour at 200 events/s. Frozen for
 * good — a link's `s` is the fields that differ from it, so changing it would change what
 * every shared link means. The page itself opens PAGE_DEFAULT.
 */
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

/** Keys never taken from a link: they would reach an object's prototype. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * How much the page's default workload is: a full day at 1,000 events/s (86.4 M events),
 * so that the first picture is a representative day (a month's cost from a day, not from
 * an hour). THE one place to change it: a day of PAGE_DEFAULT is one run of 2.7–2.8 s
 * through the worker in Chromium on a 2-core machine (~31 M events/s; measured 2026-11-30
 * with tests/bench/browser-rerun.mjs), and the page shows its first 16 minutes as a
 * labelled preview meanwhile (previewOf). `{duration_s: 3600, rate_per_s: 200}` is the old,
 * hour-long default.
 */
export const DEFAULT_SIZE = Object.freeze({ duration_s: 86_400, rate_per_s: 1_000 });

/**
 * The scenario the page opens with (a link without `s`): BASE at DEFAULT_SIZE, with
 * lateness and a watermark chosen so that the first timeline shows late-but-counted and
 * dropped events, as a real mobile or IoT stream has them:
 * - most events arrive seconds after they happen (BASE's lateness: exponential, mean 5 s);
 * - 5 % come from devices that were offline and arrive 1 min to 2 h late (uniform): app
 *   SDKs queue events while offline and flush them on reconnect;
 * - a 10-minute tumbling window counted per key, with a 2-minute watermark: freshness
 *   (p95 ≈ 13 min) bought with completeness.
 * A day of it: about 0.26 % of the events are late but still counted (behind the
 * watermark, in a window still open) and about 4.6 % are dropped (their window closed
 * before they came); at a day's scale the dropped ones are a cloud under the diagonal.
 * The cluster is sized to the load (`nodes: 'auto'`, the core's default; BASE keeps 2 so
 * that links keep their meaning).
 * (A log-normal body, as plausible, is the engine's slow path: ~2.6 M events/s in wasm
 * against ~10 M/s with this one, measured on six hours after the engine speed-up.)
 */
export const PAGE_DEFAULT = Object.freeze(merge(BASE, {
  workload: { ...DEFAULT_SIZE, offline: { fraction: 0.05, min_s: 60, max_s: 7200 } },
  query: { window: { kind: 'tumbling', size_s: 600 }, watermark_delay_s: 120 },
  cost: { compute: { nodes: 'auto' } },
}));

/** Expected events past which `workload.scale: "auto"` scales a run (crate/src/scenario/scale.rs EXACT_EVENTS). */
export const EXACT_EVENTS = 100_000_000;

/** The longest preview, s (its first hour); no shorter scenario has one. */
export const PREVIEW_S = 3600;

/**
 * Events a preview simulates, about: 1 M events come back through the worker in ~40 ms
 * (tests/bench/browser-rerun.mjs, 2026-11-30), so that a change shows figures within
 * issue #13's 100 ms; the first hour of a day at 1,000 events/s (3.6 M) took 160–200 ms.
 */
export const PREVIEW_EVENTS = 1_000_000;

/**
 * How much of workload `w` its preview simulates, s: PREVIEW_EVENTS at its mean rate, in
 * whole minutes, from 1 min to PREVIEW_S (16 min of a day at 1,000 events/s).
 * @param {any} w @returns {number}
 */
export function previewSpanS(w) {
  const rate = Number(w?.rate_per_s);
  const s = rate > 0 ? Math.floor(PREVIEW_EVENTS / rate / 60) * 60 : PREVIEW_S;
  return Math.min(PREVIEW_S, Math.max(60, s));
}

/**
 * The preview of a scenario: the same scenario (same seed) cut to its first
 * `previewSpanS` of event time; null when there is nothing to preview (an hour or less,
 * or events from a file or a list, whose span the duration does not set).
 * @param {any} sc @returns {any}
 */
export function previewOf(sc) {
  const w = sc?.workload;
  if (!w || w.data || w.events || !(Number(w.duration_s) > PREVIEW_S)) return null;
  // A run the core scales (crate/src/scenario/scale.rs, `auto` past EXACT_EVENTS) is as quick as
  // its preview would be.
  if ((w.scale ?? 'auto') === 'auto' && Number(w.rate_per_s) * Number(w.duration_s) > EXACT_EVENTS) return null;
  const p = clone(sc);
  p.workload.duration_s = previewSpanS(w);
  return p;
}

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
    if (UNSAFE_KEYS.has(k)) continue;
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

/** Longest string, and longest key, a link's field may hold. */
export const MAX_FIELD_CHARS = 1000;

/** Most pinned configurations (the compare view). */
export const MAX_PINS = 4;
const MAX_KEY_CHARS = 100;
/** Deepest nesting of a value a link may hold (explicit events, filters: a few levels). */
const MAX_DEPTH = 16;
/** Fields of BASE whose `null` is meaningful (docs/scenario.md): no watermark, no table. */
const NULLABLE = new Set(['query.watermark_delay_s', 'sink']);
/**
 * Fields not in BASE that the page reads, with the JSON types they may have (the core
 * checks everything else and names the field).
 * @type {Record<string, string[]>}
 */
const EXTRA = {
  'workload.key_skew': ['number'],
  'workload.scale': ['number', 'string'],
  'workload.offline': ['object'],
  'workload.offline.fraction': ['number'],
  'workload.data': ['object'],
  'workload.data.file': ['string'],
  'sink.partition_by': ['array'],
  'cost.reader': ['object'],
  'cost.reader.every_min': ['number', 'null'],
  'cost.reader.lookback_h': ['number'],
  'cost.storage.write_per_1k': ['number', 'null'],
  'cost.storage.read_per_1k': ['number', 'null'],
  'cost.storage.per_gb_month': ['number', 'null'],
  'cost.compute.vm_per_h': ['number', 'null'],
  'cost.compute.dbu_price': ['number', 'null'],
  'cost.brokers': ['object'],
  'cost.brokers.preset': ['string'],
};

/** BASE fields that may also hold another JSON type: nodes may be "auto". */
const ALSO = /** @type {Record<string, string[]>} */ ({ 'cost.compute.nodes': ['string'] });

/** A value's JSON type: object, array, string, number (finite), boolean, null, or 'bad'. @param {unknown} v */
function jsonType(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isFinite(v) ? 'number' : 'bad';
  if (typeof v === 'string' || typeof v === 'boolean') return typeof v;
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return 'object';
  return 'bad';
}

/**
 * Whether `v` is plain JSON within the limits (depth, string and key lengths, no unsafe
 * keys); iterative, so any nesting is safe to look at. @param {unknown} v
 */
function plainJson(v) {
  /** @type {[unknown, number][]} */
  const todo = [[v, 0]];
  while (todo.length) {
    const [x, depth] = /** @type {[unknown, number]} */ (todo.pop());
    const ty = jsonType(x);
    if (ty === 'bad' || depth > MAX_DEPTH) return false;
    if (ty === 'string' && /** @type {string} */ (x).length > MAX_FIELD_CHARS) return false;
    if (ty === 'array') for (const y of /** @type {unknown[]} */ (x)) todo.push([y, depth + 1]);
    if (ty === 'object') {
      for (const [k, y] of Object.entries(/** @type {object} */ (x))) {
        if (UNSAFE_KEYS.has(k) || k.length > MAX_KEY_CHARS) return false;
        todo.push([y, depth + 1]);
      }
    }
  }
  return true;
}

/** A field's path for a message: long keys cut short. @param {string} prefix @param {string} k */
function pathOf(prefix, k) {
  const key = k.length > 40 ? `${k.slice(0, 37)}…` : k;
  return prefix ? `${prefix}.${key}` : key;
}

/**
 * The part of `patch` (fields of a scenario, as a link or a lesson carries them) that the
 * page can use, and the paths of the fields left out: a field of the wrong JSON type for
 * BASE (a section that is not an object, a string where a number goes, `null`), a number
 * that is not finite, a string over MAX_FIELD_CHARS, deep nesting, or a `__proto__` key.
 * Merged into BASE, the result always has BASE's sections as objects and BASE's fields of
 * BASE's types, so the page can draw it; the core judges the values. Never throws.
 * @param {unknown} patch @returns {{patch: Record<string, any>, bad: string[]}}
 */
export function checkScenario(patch) {
  /** @type {string[]} */
  const bad = [];
  if (jsonType(patch) !== 'object') return { patch: {}, bad: ['scenario'] };
  return { patch: checkObject(BASE, /** @type {Record<string, unknown>} */ (patch), '', bad), bad };
}

/**
 * @param {any} base the BASE section at this path (or undefined)
 * @param {Record<string, unknown>} obj @param {string} prefix @param {string[]} bad
 * @returns {Record<string, any>}
 */
function checkObject(base, obj, prefix, bad) {
  /** @type {Record<string, any>} */
  const out = {};
  // A tagged object of another kind than BASE's replaces it whole: a `kind` and numbers.
  const otherKind = base && 'kind' in base && 'kind' in obj && obj.kind !== base.kind;
  for (const [k, v] of Object.entries(obj)) {
    const path = pathOf(prefix, k);
    const ty = jsonType(v);
    if (UNSAFE_KEYS.has(k) || k.length > MAX_KEY_CHARS) {
      bad.push(path);
      continue;
    }
    // `kind` on an object of BASE's that has none would make merge() replace it whole.
    if (k === 'kind' && base && !('kind' in base)) {
      bad.push(path);
      continue;
    }
    if (otherKind) {
      const ok = k === 'kind' ? ty === 'string' && /** @type {string} */ (v).length <= MAX_KEY_CHARS
        : ty === 'number' || ty === 'boolean' || ty === 'null';
      if (ok) out[k] = v;
      else bad.push(path);
      continue;
    }
    const b = base && Object.hasOwn(base, k) ? base[k] : undefined;
    if (v === null && NULLABLE.has(path)) {
      out[k] = v;
    } else if (ALSO[path]?.includes(ty) && (ty !== 'string' || /** @type {string} */ (v).length <= MAX_KEY_CHARS)) {
      out[k] = v;
    } else if (b !== undefined) {
      const want = jsonType(b);
      if (ty !== want) bad.push(path);
      else if (want === 'object') out[k] = checkObject(b, /** @type {Record<string, unknown>} */ (v), path, bad);
      else if (want === 'string' && /** @type {string} */ (v).length > MAX_KEY_CHARS) bad.push(path);
      else out[k] = v;
    } else if (EXTRA[path]) {
      if (!EXTRA[path].includes(ty) || !plainJson(v)) bad.push(path);
      else if (ty === 'object') out[k] = checkObject(undefined, /** @type {Record<string, unknown>} */ (v), path, bad);
      else out[k] = v;
    } else if (plainJson(v)) {
      out[k] = v;
    } else {
      bad.push(path);
    }
  }
  return out;
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

/** Whether two scenarios are the same. @param {any} a @param {any} b */
function same(a, b) {
  return !Object.keys(diff(a, b)).length && !Object.keys(diff(b, a)).length;
}

/**
 * The state as a hash. `s` holds the fields that differ from BASE; it is left out only
 * for `fallback`, the scenario a link without `s` opens (the page's: PAGE_DEFAULT).
 * @param {AppState} st @param {any} [fallback] @returns {string} the hash, with '#'
 */
export function encodeHash(st, fallback = BASE) {
  const p = new URLSearchParams();
  p.set('v', String(URL_VERSION));
  if (!same(st.scenario, fallback)) p.set('s', b64urlEncode(JSON.stringify(diff(BASE, st.scenario))));
  if (st.view !== 'run') p.set('view', st.view);
  if (st.slaMin !== 15) p.set('sla', String(st.slaMin));
  if (st.pins.length) p.set('p', b64urlEncode(JSON.stringify(st.pins.map((sc) => diff(BASE, sc)))));
  return `#${p.toString()}`;
}

/**
 * The state in a hash. Never throws: an unknown version or a scenario that cannot be read
 * at all falls back to `fallback` with `problem` (a sentence); fields that are there but
 * not usable (checkScenario) are left at BASE's values and listed in `parts`. A hash
 * without `s` opens `fallback` (the page's: PAGE_DEFAULT; embeds: BASE).
 * @param {string} hash @param {any} [fallback]
 * @returns {{state: AppState, problem: string | null, parts: string[]}}
 */
export function decodeHash(hash, fallback = BASE) {
  /** @type {AppState} */
  const state = { scenario: clone(fallback), view: 'run', slaMin: 15, pins: /** @type {any[]} */ ([]) };
  /** @type {string | null} */
  let problem = null;
  /** @type {string[]} */
  const parts = [];
  let p;
  try {
    p = new URLSearchParams(String(hash).replace(/^#/, ''));
  } catch {
    return { state, problem: 'the link could not be read', parts };
  }
  const v = p.get('v');
  if (v && v !== String(URL_VERSION)) problem = `link format v${v.slice(0, 20)} is not known to this version`;
  else {
    const s = p.get('s');
    if (s) {
      const read = readJson(s);
      if (!read.ok) problem = 'the link\'s scenario could not be read';
      else if (jsonType(read.value) !== 'object') problem = 'the link\'s scenario is not a JSON object';
      else {
        const c = checkScenario(read.value);
        state.scenario = merge(BASE, c.patch);
        parts.push(...c.bad);
      }
    }
    const view = p.get('view');
    if (view === 'sweep' || view === 'timeline' || view === 'compare') state.view = view;
    const pins = p.get('p');
    if (pins) {
      const read = readJson(pins);
      if (!read.ok || !Array.isArray(read.value)) problem = 'the link\'s pinned configurations could not be read';
      else {
        read.value.slice(0, 4).forEach((/** @type {unknown} */ d, /** @type {number} */ i) => {
          const c = checkScenario(d ?? {});
          state.pins.push(merge(BASE, c.patch));
          parts.push(...c.bad.map((b) => `p[${i}].${b}`));
        });
      }
    }
    const sla = Number(p.get('sla'));
    if (p.has('sla') && Number.isFinite(sla) && sla > 0) state.slaMin = sla;
    else if (p.has('sla')) parts.push('sla');
  }
  return { state, problem, parts };
}

/** Base64url JSON, or why not. @param {string} s @returns {{ok: true, value: unknown} | {ok: false}} */
function readJson(s) {
  try {
    return { ok: true, value: JSON.parse(b64urlDecode(s)) };
  } catch {
    return { ok: false };
  }
}

/**
 * The parts of a link that were left at their defaults, for a message: the first few.
 * @param {string[]} parts @returns {string}
 */
export function partsText(parts) {
  const shown = parts.slice(0, 5).map((p) => `\`${p}\``).join(', ');
  return parts.length > 5 ? `${shown} (+${parts.length - 5})` : shown;
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
