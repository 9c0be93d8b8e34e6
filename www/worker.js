// The simulation worker: all runs happen here, off the main thread, in the wasm core.
// Messages in:  {type: 'run', id, scenario}   {type: 'sweep', id, scenario, points}
//               {type: 'file', name, bytes}   (a dropped file: it never leaves the browser)
//               {type: 'export', id, scenario, table, format}  (format: arrow | csv)
//               {type: 'pyspark', id, scenario}  (the scenario as a PySpark script)
// Messages out: {type: 'result', id, result}  {type: 'progress', id, done, total}
//               (a run's progress: done ∈ 0..1 of total 1; a sweep's: runs done of total)
//               {type: 'sweep-result', id, rows}  {type: 'export-result', id, bytes}
//               {type: 'pyspark-result', id, text}
//               {type: 'error', id, message}
import init, { simulate, simulateWithProgress, loadData, pysparkScript } from './pkg/pipeline_sim.js';
import { extract, sweepRow } from './run-result.js';

const ready = init();
const ctx = /** @type {{postMessage: (m: any, t?: Transferable[]) => void, onmessage: any}} */ (
  /** @type {unknown} */ (self)
);

/** Files by name: dropped ones, and bundled ones once fetched. @type {Map<string, Uint8Array>} */
const files = new Map();
/** Loaded data by its `workload.data` JSON (the last few). @type {Map<string, {data: import('./pkg/pipeline_sim.js').Data, ms: number}>} */
const loaded = new Map();
const MAX_LOADED = 4;
/** The last run, kept for exports. @type {{json: string, run: import('./pkg/pipeline_sim.js').Run} | null} */
let lastRun = null;

/** A file's bytes: a dropped one, or a bundled dataset fetched from this site (same origin). @param {string} name */
async function bytesOf(name) {
  const have = files.get(name);
  if (have) return have;
  if (/^datasets\/[\w./-]+$/.test(name) && !name.includes('..')) {
    const r = await fetch(new URL(`./${name}`, self.location.href));
    if (!r.ok) throw new Error(`workload.data: the bundled file ${name} could not be read (HTTP ${r.status})`);
    const b = new Uint8Array(await r.arrayBuffer());
    files.set(name, b);
    return b;
  }
  throw new Error(`workload.data: the file '${name}' is not open here: choose it again (your files stay in this browser and are not part of a link)`);
}

/** The scenario's loaded data, loading it on first use; null without `workload.data`. @param {any} sc */
async function dataFor(sc) {
  const spec = sc?.workload?.data;
  if (!spec) return null;
  const key = JSON.stringify(spec);
  const have = loaded.get(key);
  if (have) return have;
  const bytes = await bytesOf(spec.file);
  const join = spec.join ? await bytesOf(spec.join.file) : undefined;
  const t0 = performance.now();
  const data = loadData(bytes, join, key);
  const entry = { data, ms: performance.now() - t0 };
  loaded.set(key, entry);
  while (loaded.size > MAX_LOADED) {
    const [k, v] = /** @type {[string, {data: any}]} */ (loaded.entries().next().value);
    v.data.free();
    loaded.delete(k);
  }
  return entry;
}

/** Simulates, with the scenario's data when it has some. @param {any} sc @param {((f: number) => void) | null} progress */
async function runScenario(sc, progress) {
  const d = await dataFor(sc);
  const json = JSON.stringify(sc);
  if (progress) return { run: d ? d.data.simulateWithProgress(json, progress) : simulateWithProgress(json, progress), d };
  return { run: d ? d.data.simulate(json) : simulate(json), d };
}

/** @param {{json: string, run: any} | null} r */
function keep(r) {
  if (lastRun && lastRun.run !== r?.run) lastRun.run.free();
  lastRun = r;
}

ctx.onmessage = async (/** @type {MessageEvent} */ e) => {
  const msg = e.data;
  await ready;
  try {
    if (msg.type === 'file') {
      files.set(msg.name, new Uint8Array(msg.bytes));
      // A file of the same name replaces the old one: drop what was loaded from it.
      for (const [k, v] of loaded) {
        const spec = JSON.parse(k);
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
        ctx.postMessage({ type: 'progress', id: msg.id, done: f, total: 1 });
      });
      const ms = performance.now() - t0;
      const result = extract(run, ms, d ? d.ms : null);
      keep({ json: JSON.stringify(msg.scenario), run });
      ctx.postMessage({ type: 'result', id: msg.id, result }, result.transfer);
    } else if (msg.type === 'sweep') {
      /** @type {import('./run-result.js').SweepRow[]} */
      const rows = [];
      const points = /** @type {{label: string, trigger: any}[]} */ (msg.points);
      for (let i = 0; i < points.length; i++) {
        const sc = { ...msg.scenario, trigger: points[i].trigger };
        const { run } = await runScenario(sc, null);
        rows.push(sweepRow(points[i].label, points[i].trigger, run));
        run.free();
        ctx.postMessage({ type: 'progress', id: msg.id, done: i + 1, total: points.length });
      }
      ctx.postMessage({ type: 'sweep-result', id: msg.id, rows });
    } else if (msg.type === 'pyspark') {
      ctx.postMessage({ type: 'pyspark-result', id: msg.id, text: pysparkScript(JSON.stringify(msg.scenario)) });
    } else if (msg.type === 'export') {
      const json = JSON.stringify(msg.scenario);
      if (lastRun?.json !== json) keep({ json, run: (await runScenario(msg.scenario, null)).run });
      const run = /** @type {any} */ (lastRun).run;
      const bytes = msg.format === 'arrow'
        ? run.tableArrow(msg.table)
        : new TextEncoder().encode(run.tableCsv(msg.table));
      ctx.postMessage({ type: 'export-result', id: msg.id, bytes }, [bytes.buffer]);
    }
  } catch (err) {
    ctx.postMessage({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) });
  }
};
