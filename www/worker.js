// The simulation worker: all runs happen here, off the main thread, in the wasm core.
// Messages in:  {type: 'run', id, scenario}   {type: 'sweep', id, scenario, points}
//               {type: 'file', name, bytes}   (a dropped file: it never leaves the browser)
//               {type: 'export', id, scenario, table, format}  (format: arrow | csv)
//               {type: 'pyspark', id, scenario}  (the scenario as a PySpark script, or a
//               Flink scenario as a PyFlink one)
// Messages out: {type: 'result', id, result}  {type: 'progress', id, done, total}
//               (a run's progress: done ∈ 0..1 of total 1; a sweep's: runs done of total)
//               {type: 'sweep-result', id, rows}  {type: 'export-result', id, bytes}
//               {type: 'pyspark-result', id, text}
//               {type: 'error', id, message, crashed?, stage?}  (crashed: a wasm trap, such as
//               running out of memory: the module is unusable and this worker must be replaced)
//               {type: 'alive', id, stage}  (a heartbeat for the page's watchdog: what it is doing)
import { ready, coreFor, atPoint, isFlink, needsFlink } from './worker-core.js';
import { extract } from './run-result.js';
// Data files and the formats module's wrappers: fetched with the first data load or export
// (a generated workload's run needs neither).
const filesCode = () => import('./worker-files.js');
const formatsCode = () => import('./formats.js');

const ctx = /** @type {{postMessage: (m: any, t?: Transferable[]) => void, onmessage: any}} */ (
  /** @type {unknown} */ (self)
);

/** Files by name: dropped ones, and bundled ones once fetched. @type {Map<string, Uint8Array>} */
const files = new Map();
/** Loaded data by its module and `workload.data` JSON (the last few). @type {Map<string, {data: import('./pkg/pipeline_sim.js').Data, ms: number}>} */
const loaded = new Map();
const MAX_LOADED = 4;
/** The last run, kept for exports. @type {{json: string, run: import('./pkg/pipeline_sim.js').Run} | null} */
let lastRun = null;

/**
 * The scenario's loaded data (in the module that runs it), loading it on first use; null
 * without `workload.data`. @param {any} sc @param {any} core the module (coreFor)
 */
async function dataFor(sc, core) {
  const spec = sc?.workload?.data;
  if (!spec) return null;
  const key = JSON.stringify(spec);
  const slot = `${needsFlink(sc) ? 'flink' : 'core'} ${key}`;
  const have = loaded.get(slot);
  if (have) return have;
  const [{ bytesOf }, { loadEncoded }] = await Promise.all([filesCode(), formatsCode()]);
  const bytes = await bytesOf(files, spec.file);
  const join = spec.join ? await bytesOf(files, spec.join.file) : undefined;
  const t0 = performance.now();
  // Read by the formats module (fetched on the first load), handed over as bytes.
  const data = core.dataFromBytes(await loadEncoded(bytes, join, key));
  const entry = { data, ms: performance.now() - t0 };
  loaded.set(slot, entry);
  while (loaded.size > MAX_LOADED) {
    const [k, v] = /** @type {[string, {data: any}]} */ (loaded.entries().next().value);
    v.data.free();
    loaded.delete(k);
  }
  return entry;
}

/** What the request in hand is doing (told to the page with a failure or a heartbeat). */
let stage = 'start';
/** Set by a trap: the module's memory and stack are unusable from then on. */
let poisoned = '';
/** The request in hand, for heartbeats. */
let currentId = 0;
let lastAlive = 0;

/** Tells the page what the request in hand is doing now. @param {string} s */
function enter(s) {
  stage = s;
  lastAlive = performance.now();
  ctx.postMessage({ type: 'alive', id: currentId, stage });
}

/** A heartbeat, at most once a second (from the core's progress callback). */
function alive() {
  const now = performance.now();
  if (now - lastAlive < 1000) return;
  lastAlive = now;
  ctx.postMessage({ type: 'alive', id: currentId, stage });
}

/**
 * Whether an error means the wasm module can no longer be trusted: a trap (out of memory
 * aborts with `unreachable`, a panic too, a bad access), or the stack or memory running out.
 * @param {unknown} err
 */
function isTrap(err) {
  return err instanceof WebAssembly.RuntimeError || err instanceof RangeError
    || (err instanceof Error && err.name === 'InternalError');
}

/**
 * Simulates, with the scenario's data when it has some.
 * @param {any} sc @param {((f: number) => void) | null} progress (null: heartbeats only)
 * @param {string} what the stage the simulation is part of: simulate, sweep or export
 */
async function runScenario(sc, progress, what) {
  if (sc?.workload?.data) enter('load');
  const core = await coreFor(sc);
  const d = await dataFor(sc, core);
  const json = JSON.stringify(sc);
  const cb = progress ?? alive;
  if (stage !== what) enter(what);
  return { run: d ? d.data.simulateWithProgress(json, cb) : core.simulateWithProgress(json, cb), d };
}

/** @param {{json: string, run: any} | null} r */
function keep(r) {
  if (lastRun && lastRun.run !== r?.run) lastRun.run.free();
  lastRun = r;
}

ctx.onmessage = async (/** @type {MessageEvent} */ e) => {
  const msg = e.data;
  try {
    if (msg.id != null) {
      currentId = msg.id;
      stage = 'start';
    }
    if (poisoned) throw new WebAssembly.RuntimeError(`the module trapped before: ${poisoned}`);
    try {
      await ready;
    } catch (err) {
      // The module did not load (a network error, say): a fresh worker tries again.
      poisoned = `the module did not load: ${err instanceof Error ? err.message : err}`;
      throw new WebAssembly.RuntimeError(poisoned);
    }
    if (msg.type === 'file') {
      files.set(msg.name, new Uint8Array(msg.bytes));
      // A file of the same name replaces the old one: drop what was loaded from it.
      for (const [k, v] of loaded) {
        const spec = JSON.parse(k.slice(k.indexOf(' ') + 1));
        if (spec.file === msg.name || spec.join?.file === msg.name) {
          v.data.free();
          loaded.delete(k);
        }
      }
    } else if (msg.type === 'run') {
      const t0 = performance.now();
      // Progress messages, at most every 100 ms of wall time.
      let lastPost = t0;
      const { run, d } = await runScenario(msg.scenario, (/** @type {number} */ f) => {
        const now = performance.now();
        if (now - lastPost < 100 && f < 1) return;
        lastPost = now;
        lastAlive = now;
        ctx.postMessage({ type: 'progress', id: msg.id, done: f, total: 1 });
      }, 'simulate');
      const ms = performance.now() - t0;
      const result = extract(run, ms, d ? d.ms : null);
      if (needsFlink(msg.scenario)) (await import('./flink-result.js')).addFlinkParts(result, run);
      keep({ json: JSON.stringify(msg.scenario), run });
      ctx.postMessage({ type: 'result', id: msg.id, result }, result.transfer);
    } else if (msg.type === 'sweep') {
      enter('sweep');
      // One worker's sweep (SimClient.sweep; the page's sweeps run in the pool): its code
      // is fetched with the first one.
      const { sweepHere } = await import('./worker-sweep.js');
      const rows = await sweepHere(msg.scenario, msg.points, {
        atPoint, coreFor, dataFor, runScenario, isTrap,
        progress: (done, total) => ctx.postMessage({ type: 'progress', id: msg.id, done, total }),
      });
      ctx.postMessage({ type: 'sweep-result', id: msg.id, rows });
    } else if (msg.type === 'pyspark') {
      enter('pyspark');
      // A Flink scenario's job is PyFlink's (the Flink module writes it).
      const json = JSON.stringify(msg.scenario);
      const text = isFlink(msg.scenario) ? (await coreFor(msg.scenario)).pyflinkScript(json) : await (await formatsCode()).pysparkScript(json);
      ctx.postMessage({ type: 'pyspark-result', id: msg.id, text });
    } else if (msg.type === 'export') {
      enter('export');
      const json = JSON.stringify(msg.scenario);
      if (lastRun?.json !== json) keep({ json, run: (await runScenario(msg.scenario, null, 'export')).run });
      const run = /** @type {any} */ (lastRun).run;
      const bytes = msg.format === 'arrow'
        ? await (await formatsCode()).arrowIpc(run.tableBytes(msg.table))
        : new TextEncoder().encode(run.tableCsv(msg.table));
      ctx.postMessage({ type: 'export-result', id: msg.id, bytes }, [bytes.buffer]);
    }
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    if (isTrap(err)) {
      poisoned ||= message;
      ctx.postMessage({ type: 'error', id: msg.id, message, crashed: true, stage });
    } else {
      ctx.postMessage({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) });
    }
  }
};
