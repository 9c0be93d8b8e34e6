// A sweep worker: one of the pool's (sweep-pool.js), with a wasm instance of its own. It
// checks the points it is given, then runs groups of points, each group sharing one
// generated event stream when the core has `simulateMany` (one point at a time otherwise).
// Messages in:  {type: 'file', name, bytes}   (a dropped file, or one given to the API)
//               {type: 'check', scenario, points}  (points: {index, label, trigger}[])
//               {type: 'run', scenario, points}
// Messages out: {type: 'checked', refusals: {index, message}[], held: {index, bytes}[]}
//               {type: 'point', index, row, ms, shared} (ms: the run's time; shared: how many
//               points shared that run) or {type: 'point', index, error}
//               {type: 'ran'}  (the group is done)   {type: 'progress', fraction}  (of the group)
//               {type: 'alive', stage}  (a heartbeat for the pool's watchdog)
//               {type: 'error', message, crashed?, stage?}  (crashed: a wasm trap; the pool
//               ends this worker)
import { ready, coreForPoints, atPoint } from './worker-core.js';
import { sweepRow } from './worker-sweep.js';
import { bytesOf } from './worker-files.js';
import { loadEncoded } from './formats.js';

const ctx = /** @type {{postMessage: (m: any, t?: Transferable[]) => void, onmessage: any}} */ (
  /** @type {unknown} */ (self)
);
/** The module of the sweep's scenario (the core, or the Flink module: worker-core.js). @type {any} */
let core = null;

/** @typedef {{index: number, label: string, trigger: any, engine?: 'spark' | 'flink'}} Point */

/** Files by name: given ones, and bundled ones once fetched. @type {Map<string, Uint8Array>} */
const files = new Map();
/** The loaded data of the sweep's scenario (one sweep, one `workload.data` and module). @type {{key: string, core: any, data: any} | null} */
let loaded = null;
/** What the worker is doing (told with a heartbeat or a failure): start, load, sweep. */
let stage = 'start';
/** Set by a trap: the module is unusable from then on. */
let poisoned = '';

/** @param {string} s */
function enter(s) {
  stage = s;
  ctx.postMessage({ type: 'alive', stage });
}

/** The scenario's loaded data (loaded on first use); null without `workload.data`. @param {any} sc */
async function dataFor(sc) {
  const spec = sc?.workload?.data;
  if (!spec) return null;
  const key = JSON.stringify(spec);
  if (loaded?.key === key && loaded.core === core) return loaded.data;
  enter('load');
  const bytes = await bytesOf(files, spec.file);
  const join = spec.join ? await bytesOf(files, spec.join.file) : undefined;
  const encoded = await loadEncoded(bytes, join, key);
  loaded?.data.free();
  loaded = null;
  loaded = { key, core, data: core.dataFromBytes(encoded) };
  return loaded.data;
}

/** Whether an error leaves the module unusable (as worker.js). @param {unknown} err */
function isTrap(err) {
  return err instanceof WebAssembly.RuntimeError || err instanceof RangeError
    || (err instanceof Error && err.name === 'InternalError');
}

/** @param {unknown} err */
function messageOf(err) {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A point's message from `RunSet.error(i)`: a plain message, a JSON string, or a JSON
 * object with `message` (and perhaps `field`). @param {string} raw
 */
function manyError(raw) {
  try {
    const v = JSON.parse(raw);
    if (typeof v === 'string') return v;
    if (v && typeof v.message === 'string') {
      return v.field && !v.message.startsWith(`${v.field}:`) ? `${v.field}: ${v.message}` : v.message;
    }
  } catch {
    // not JSON: the message itself
  }
  return raw;
}

let lastProgress = 0;
/** Progress of the group, at most every 200 ms. @param {number} f fraction 0..1 */
function progress(f) {
  const now = performance.now();
  if (now - lastProgress < 200) return;
  lastProgress = now;
  ctx.postMessage({ type: 'progress', fraction: f });
}

/**
 * Runs the group in one `simulateMany` (one event stream); false when this build has no
 * `simulateMany` or it refused the group as a whole (then the points run one at a time).
 * @param {any} d loaded data or null @param {any} scenario @param {Point[]} points
 */
function runShared(d, scenario, points) {
  const many = d ? d.simulateMany : core.simulateMany;
  if (points.length < 2 || typeof many !== 'function') return false;
  const json = JSON.stringify(points.map((p) => atPoint(scenario, p.trigger, p.engine)));
  const t0 = performance.now();
  let set;
  try {
    set = d ? d.simulateMany(json, progress) : core.simulateMany(json, progress);
  } catch (err) {
    if (isTrap(err)) throw err;
    return false;
  }
  const ms = performance.now() - t0;
  try {
    for (let i = 0; i < points.length; i++) {
      const p = points[i];
      const raw = i < set.count ? set.error(i) : 'the core returned no run for this point';
      if (raw !== undefined && raw !== null) {
        ctx.postMessage({ type: 'point', index: p.index, error: manyError(String(raw)) });
        continue;
      }
      const run = set.take(i);
      try {
        ctx.postMessage({ type: 'point', index: p.index, row: sweepRow(p.label, p.trigger, run), ms, shared: points.length });
      } finally {
        run.free();
      }
    }
  } finally {
    set.free?.();
  }
  return true;
}

/** Runs the group one point at a time (each generating its events). @param {any} d @param {any} scenario @param {Point[]} points */
function runEach(d, scenario, points) {
  for (let k = 0; k < points.length; k++) {
    const p = points[k];
    const json = JSON.stringify(atPoint(scenario, p.trigger, p.engine));
    const t0 = performance.now();
    const cb = (/** @type {number} */ f) => progress((k + f) / points.length);
    let run;
    try {
      run = d ? d.simulateWithProgress(json, cb) : core.simulateWithProgress(json, cb);
    } catch (err) {
      if (isTrap(err)) throw err;
      // This point failed while running (the core stopped it): the others go on.
      ctx.postMessage({ type: 'point', index: p.index, error: messageOf(err) });
      continue;
    }
    const ms = performance.now() - t0;
    try {
      ctx.postMessage({ type: 'point', index: p.index, row: sweepRow(p.label, p.trigger, run), ms, shared: 1 });
    } finally {
      run.free();
    }
  }
}

ctx.onmessage = async (/** @type {MessageEvent} */ e) => {
  const msg = e.data;
  try {
    if (poisoned) throw new WebAssembly.RuntimeError(`the module trapped before: ${poisoned}`);
    try {
      await ready;
    } catch (err) {
      poisoned = `the module did not load: ${messageOf(err)}`;
      throw new WebAssembly.RuntimeError(poisoned);
    }
    if (msg.type === 'file') {
      files.set(msg.name, new Uint8Array(msg.bytes));
      if (loaded) {
        const spec = JSON.parse(loaded.key);
        if (spec.file === msg.name || spec.join?.file === msg.name) {
          loaded.data.free();
          loaded = null;
        }
      }
    } else if (msg.type === 'check') {
      // Fields and the resource budget of every point, before any runs.
      core = await coreForPoints(msg.scenario, msg.points);
      const d = await dataFor(msg.scenario);
      enter('sweep');
      /** @type {{index: number, message: string}[]} */
      const refusals = [];
      /** What each point that passed would hold at its peak, bytes (the core's estimate). @type {{index: number, bytes: number}[]} */
      const held = [];
      for (const p of /** @type {Point[]} */ (msg.points)) {
        const json = JSON.stringify(atPoint(msg.scenario, p.trigger, p.engine));
        try {
          const bytes = d ? d.validate(json) : core.validateScenario(json);
          held.push({ index: p.index, bytes: Number(bytes) || 0 });
        } catch (err) {
          if (isTrap(err)) throw err;
          refusals.push({ index: p.index, message: messageOf(err) });
        }
      }
      ctx.postMessage({ type: 'checked', refusals, held });
    } else if (msg.type === 'run') {
      core = await coreForPoints(msg.scenario, msg.points);
      const d = await dataFor(msg.scenario);
      enter('sweep');
      lastProgress = performance.now();
      if (!runShared(d, msg.scenario, msg.points)) runEach(d, msg.scenario, msg.points);
      ctx.postMessage({ type: 'ran' });
    }
  } catch (err) {
    if (isTrap(err)) {
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      poisoned ||= message;
      ctx.postMessage({ type: 'error', message, crashed: true, stage });
    } else {
      ctx.postMessage({ type: 'error', message: messageOf(err), stage });
    }
  }
};
