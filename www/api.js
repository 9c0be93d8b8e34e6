// Pipeline Simulator's JS API, for a blog post or a notebook that scripts the simulator.
// An ES module: import it from where the site is served.
//
//   import { simulate, defaultScenario, link } from 'https://…/api.js';
//   const report = await simulate({ seed: 1, trigger: { kind: 'processing_time', interval_s: 10 } });
//   report.cost.usd_per_month.total;   // dollars per 30-day month (docs/model.md)
//   report.summary.latency.p95_s;      // p95 arrival → visible latency, s
//   report.batches.dataFiles;          // Float64Array, data files per micro-batch
//   link(scenario);                    // a URL that opens the app on this scenario
//
// The scenario format (every field optional but `seed`) is docs/scenario.md; errors are
// thrown as `Error` whose message names the field ("trigger.interval_s: must be …").
// Runs happen on the calling thread; use `simulateInWorker` to keep a page responsive.
// A worker run that traps (out of memory) or stays silent for 90 s rejects with a
// `WorkerFailure` (`kind` 'crash' or 'stuck'); the next call gets a fresh worker.
import init, { simulate as wasmSimulate, dataFromBytes } from './pkg/pipeline_sim.js';
import { loadEncoded, defaultScenarioJson } from './formats.js';
import { extract } from './run-result.js';
import { needsFlink, flinkModule } from './flink-module.js';
import { SimClient } from './sim-client.js';
import { SweepPool } from './sweep-pool.js';

export { WorkerFailure } from './sim-client.js';
export { SweepRefused } from './sweep-pool.js';
import { BASE, clone, encodeHash, merge } from './state.js';

/** @type {Promise<unknown> | null} */
let ready = null;

/** Loads the wasm core once (the module next to this file). */
export function load() {
  ready ??= init();
  return ready;
}

/** The module that runs `scenario`: the core, or the Flink module (flink-module.js). @param {any} scenario */
async function coreOf(scenario) {
  if (needsFlink(scenario)) return flinkModule();
  await load();
  return { simulate: wasmSimulate, dataFromBytes };
}

/**
 * @typedef {object} Report
 * @property {any} summary counts, fates, latency percentiles (docs/scenario.md, "The report")
 * @property {any} cost dollars by component, requests, storage, readers, freshness (docs/model.md)
 * @property {string} digest a hash of the full report: equal for equal scenarios, native or wasm
 * @property {any} flink a Flink run's own figures (docs/model.md §13); null for Spark
 * @property {number} ms time the run took in wasm
 * @property {any} data with `workload.data`: what the load read and dropped (docs/scenario.md), else null
 * @property {{startUs: Float64Array, endUs: Float64Array, inputRows: Float64Array, outputRows: Float64Array,
 *   stateRows: Float64Array, backlogRows: Float64Array, dataFiles: Float64Array, watermarkUs: Float64Array}} batches
 * @property {{timeUs: Float64Array, liveDataFiles: Float64Array, requestsUsd: Float64Array,
 *   atRestUsd: Float64Array, computeUsd: Float64Array}} series
 * @property {{timeUs: Float64Array, arrivalUs: Float64Array, fate: Uint8Array, stride: number}} events
 */

/** @param {import('./run-result.js').RunResult} r @returns {Report} */
function toReport(r) {
  return {
    summary: r.summary,
    cost: r.cost,
    digest: r.digest,
    ms: r.ms,
    data: r.data,
    flink: r.flink,
    batches: {
      startUs: r.batchStartUs, endUs: r.batchEndUs, inputRows: r.batchInputRows, outputRows: r.batchOutputRows,
      stateRows: r.batchStateRows, backlogRows: r.batchBacklogRows, dataFiles: r.batchDataFiles, watermarkUs: r.batchWatermarkUs,
    },
    series: {
      timeUs: r.seriesTimeUs, liveDataFiles: r.seriesLiveDataFiles, requestsUsd: r.seriesRequestsUsd,
      atRestUsd: r.seriesAtRestUsd, computeUsd: r.seriesComputeUsd,
    },
    events: { timeUs: r.eventTimeUs, arrivalUs: r.eventArrivalUs, fate: r.eventFate, stride: r.eventStride },
  };
}

/**
 * @typedef {object} Files the bytes of the files `workload.data` names, by name (a
 *   bundled `datasets/…` file is fetched from this site when not given)
 */

/** A file's bytes: given, or a bundled dataset fetched from this site. @param {string} name @param {Record<string, ArrayBuffer | Uint8Array>} files */
async function bytesOf(name, files) {
  const b = files[name];
  if (b) return b instanceof Uint8Array ? b : new Uint8Array(b);
  if (!name.startsWith('datasets/')) throw new Error(`workload.data: the file '${name}' was not given (pass {files: {'${name}': bytes}})`);
  const r = await fetch(new URL(`./${name}`, import.meta.url));
  if (!r.ok) throw new Error(`workload.data: ${name}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/**
 * Runs a scenario (an object in the format of docs/scenario.md) on this thread. With
 * `workload.data`, `files` gives the file's bytes (they stay in the page).
 * @param {any} scenario @param {{files?: Record<string, ArrayBuffer | Uint8Array>}} [opts]
 * @returns {Promise<Report>}
 */
export async function simulate(scenario, opts = {}) {
  const core = await coreOf(scenario);
  const spec = scenario?.workload?.data;
  const t0 = performance.now();
  let run;
  if (spec) {
    const files = opts.files ?? {};
    const bytes = await bytesOf(spec.file, files);
    const join = spec.join ? await bytesOf(spec.join.file, files) : undefined;
    const data = core.dataFromBytes(await loadEncoded(bytes, join, JSON.stringify(spec)));
    try {
      run = data.simulate(JSON.stringify(scenario));
    } finally {
      data.free();
    }
  } else {
    run = core.simulate(JSON.stringify(scenario));
  }
  const r = extract(run, performance.now() - t0);
  if (needsFlink(scenario)) (await import('./flink-result.js')).addFlinkParts(r, run);
  run.free();
  return toReport(r);
}

/** @type {SimClient | null} */
let worker = null;

/**
 * Runs a scenario in a Web Worker (the page stays responsive); `files` as for `simulate`.
 * @param {any} scenario @param {{files?: Record<string, ArrayBuffer>}} [opts]
 * @returns {Promise<Report>}
 */
export async function simulateInWorker(scenario, opts = {}) {
  worker ??= new SimClient();
  for (const [name, bytes] of Object.entries(opts.files ?? {})) worker.addFile(name, bytes);
  return toReport(await worker.run(scenario));
}

/**
 * A report table as a file's bytes: `batches` or `events`, as Arrow IPC or CSV (the
 * columns of docs/scenario.md; times in µs). Runs in the worker.
 * @param {any} scenario @param {'batches' | 'events'} table @param {'arrow' | 'csv'} format
 * @param {{files?: Record<string, ArrayBuffer>}} [opts] @returns {Promise<Uint8Array>}
 */
export async function exportTable(scenario, table, format, opts = {}) {
  worker ??= new SimClient();
  for (const [name, bytes] of Object.entries(opts.files ?? {})) worker.addFile(name, bytes);
  return worker.exportTable(scenario, table, format);
}

/**
 * A trigger as a short label: `processing_time 60 s`, `scheduled every 900 s`, `once`.
 * @param {any} trigger
 */
function triggerLabel(trigger) {
  const kind = String(trigger?.kind ?? 'processing_time');
  const s = trigger?.interval_s ?? trigger?.every_s ?? trigger?.checkpoint_interval_s;
  if (s == null) return kind;
  return `${kind} ${kind === 'scheduled' ? 'every ' : ''}${s} s`;
}

/** The sweeps' workers (the page's sweep uses the same pool, sweep-pool.js). @type {SweepPool | null} */
let sweeper = null;

/**
 * @typedef {import('./run-result.js').SweepRow & {error?: string}} SweepResultRow a sweep's
 *   row; `error` when the point failed while running (its figures are then NaN)
 */

/**
 * One workload under several triggers, in the sweep pool's workers (one per core less one,
 * each its own wasm instance): resolves to one row per trigger (in order), the rows the
 * app's sweep shows — `label`, `trigger`, `usdPerMonth`, `usd` (by component), `p95s`,
 * `dataFilesPerDay`, `requestsPerDay`, `sla`. Every point is checked before the first runs;
 * points that cannot run reject the sweep with a `SweepRefused` (an `Error` whose message
 * names the first point and its field; `refusals` lists them all). A point that fails
 * while running does not fail the sweep: its row has `error` (the reason, naming the
 * field) and NaN figures. `onProgress(done, total)` after each point; aborting `signal`
 * ends the workers at once and rejects with an `AbortError`.
 * @param {any} scenario @param {any[]} triggers trigger objects in the scenario format
 * @param {{onProgress?: (done: number, total: number) => void, signal?: AbortSignal,
 *   files?: Record<string, ArrayBuffer | Uint8Array>, workers?: number}} [opts] `workers`:
 *   how many workers (default: one per core less one)
 * @returns {Promise<SweepResultRow[]>}
 */
export async function sweep(scenario, triggers, opts = {}) {
  const abortError = () => new DOMException('the sweep was aborted', 'AbortError');
  if (opts.signal?.aborted) throw abortError();
  sweeper ??= new SweepPool();
  const points = triggers.map((trigger) => ({ label: triggerLabel(trigger), trigger }));
  let reported = 0;
  try {
    const results = await sweeper.sweep(scenario, points, {
      signal: opts.signal,
      files: opts.files,
      size: opts.workers,
      onProgress: (done, total) => {
        if (done === reported) return;
        reported = done;
        opts.onProgress?.(done, total);
      },
    });
    return results.map((r, i) => ('row' in r ? r.row : {
      label: points[i].label,
      trigger: points[i].trigger,
      error: r.error,
      usdPerMonth: NaN,
      usd: null,
      p95s: NaN,
      dataFilesPerDay: NaN,
      requestsPerDay: NaN,
      sla: '',
      scale: NaN,
    }));
  } catch (err) {
    if (opts.signal?.aborted) throw abortError();
    throw err;
  }
}

/** Every field with its default (seed 42). @returns {Promise<any>} */
export async function defaultScenario() {
  return JSON.parse(await defaultScenarioJson());
}

/** The base scenario links, embeds and lessons build on (an hour at 200 events/s; the page without a link opens PAGE_DEFAULT, a day). */
export function appScenario() {
  return clone(BASE);
}

/**
 * A link that opens the app on `scenario` (fields missing from it take the app's defaults).
 * @param {any} scenario @param {{view?: 'run' | 'timeline' | 'compare' | 'sweep', base?: string}} [opts]
 */
export function link(scenario, opts = {}) {
  const base = opts.base ?? new URL('./index.html', import.meta.url).href;
  return `${base}${encodeHash({ scenario: merge(BASE, scenario), view: opts.view ?? 'run', slaMin: 15, pins: [] })}`;
}
