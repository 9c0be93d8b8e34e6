// The page's handle on the simulation worker: promise-returning runs, progress callbacks,
// cancel (the worker is terminated and a fresh one started), and recovery. A wasm trap
// (out of memory, an internal error) leaves the worker's module unusable, so a worker that
// traps, fails, or stays silent past the watchdog is terminated; every request in flight
// rejects with a WorkerFailure and the next request gets a fresh worker.

/** Silence (no progress, no answer) after which a request counts as stuck, ms. */
export const WATCHDOG_MS = 90_000;

/**
 * A request that ended without an answer from the core: the worker crashed (`crash`: a
 * wasm trap such as running out of memory, or the worker failing) or stayed silent past
 * the watchdog (`stuck`). The worker has been replaced.
 */
export class WorkerFailure extends Error {
  /**
   * @param {'crash' | 'stuck'} kind
   * @param {string} stage what the worker was doing: start, load, simulate, sweep, export, pyspark
   * @param {string} detail the error the worker saw (for developers; pages say it in words)
   * @param {number} silentMs for `stuck`: how long it was silent
   */
  constructor(kind, stage, detail, silentMs = 0) {
    super(kind === 'crash'
      ? `the simulator stopped (out of memory or an internal error) while at ${stage}: ${detail}; a fresh worker takes the next request`
      : `the simulator did not answer for ${Math.round(silentMs / 1000)} s while at ${stage}; a fresh worker takes the next request`);
    this.name = 'WorkerFailure';
    this.kind = kind;
    this.stage = stage;
    this.detail = detail;
    this.silentMs = silentMs;
  }
}

/**
 * @typedef {object} Pending
 * @property {(v: any) => void} resolve
 * @property {(e: Error) => void} reject
 * @property {(d: number, t: number) => void} [progress]
 * @property {string} stage the last stage the worker reported for it
 */

export class SimClient {
  /** @param {{watchdogMs?: number}} [opts] */
  constructor(opts = {}) {
    this.watchdogMs = opts.watchdogMs ?? WATCHDOG_MS;
    /** The worker, or null until the next request (after a failure). @type {Worker | null} */
    this.worker = null;
    this.nextId = 1;
    /** @type {Map<number, Pending>} */
    this.pending = new Map();
    /** Files given to the worker, by name: given again to a fresh worker. @type {Map<string, ArrayBuffer>} */
    this.files = new Map();
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.watchdog = undefined;
    this.#current();
  }

  /** The worker, started (and given the files) if there is none. */
  #current() {
    if (!this.worker) {
      this.worker = this.#spawn();
      for (const [name, bytes] of this.files) this.worker.postMessage({ type: 'file', name, bytes: bytes.slice(0) });
    }
    return this.worker;
  }

  /**
   * Gives the worker a file's bytes under `name` (scenarios name it in `workload.data`).
   * @param {string} name @param {ArrayBuffer} bytes
   */
  addFile(name, bytes) {
    this.files.set(name, bytes);
    this.#current().postMessage({ type: 'file', name, bytes: bytes.slice(0) });
  }

  /**
   * Posts a request; its promise settles with the worker's answer (or a failure).
   * @param {Record<string, any>} msg @param {((d: number, t: number) => void)} [progress]
   * @returns {Promise<any>}
   */
  #request(msg, progress) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, progress, stage: 'start' });
      this.#current().postMessage({ ...msg, id });
      this.#arm();
    });
  }

  /** (Re)starts the watchdog while requests are in flight. */
  #arm() {
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
    if (!this.pending.size) return;
    this.watchdog = setTimeout(() => {
      const stage = [...this.pending.values()].at(-1)?.stage ?? 'start';
      this.#fail(new WorkerFailure('stuck', stage, '', this.watchdogMs));
    }, this.watchdogMs);
  }

  /** Ends the worker; every request in flight rejects with `err`. @param {Error} err */
  #fail(err) {
    this.worker?.terminate();
    this.worker = null;
    const all = [...this.pending.values()];
    this.pending.clear();
    this.#arm();
    for (const p of all) p.reject(err);
  }

  #spawn() {
    const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    w.onmessage = (e) => {
      if (w !== this.worker) return; // a replaced worker's last words
      const m = e.data;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.#arm();
      if (m.stage) p.stage = m.stage;
      if (m.type === 'alive') return;
      if (m.type === 'progress') {
        p.progress?.(m.done, m.total);
        return;
      }
      if (m.type === 'error' && m.crashed) {
        this.#fail(new WorkerFailure('crash', m.stage ?? p.stage, m.message));
        return;
      }
      this.pending.delete(m.id);
      this.#arm();
      if (m.type === 'error') p.reject(new Error(m.message));
      else p.resolve(m.type === 'result' ? m.result : m.type === 'export-result' ? m.bytes
        : m.type === 'pyspark-result' ? m.text : m.rows);
    };
    const failed = (/** @type {string} */ detail) => {
      if (w !== this.worker) return;
      const stage = [...this.pending.values()].at(-1)?.stage ?? 'start';
      this.#fail(new WorkerFailure('crash', stage, detail));
    };
    w.onerror = (e) => {
      e.preventDefault();
      failed(e.message || 'the worker failed');
    };
    w.onmessageerror = () => failed('a message could not be read');
    return w;
  }

  /**
   * A report table of `scenario` as Arrow IPC or CSV bytes (the last run is reused).
   * @param {any} scenario @param {'batches' | 'events'} table @param {'arrow' | 'csv'} format
   * @returns {Promise<Uint8Array>}
   */
  exportTable(scenario, table, format) {
    return this.#request({ type: 'export', scenario, table, format });
  }

  /**
   * Runs one scenario. @param {any} scenario
   * @param {(done: number, total: number) => void} [progress] fraction done (total 1)
   * @returns {Promise<import('./run-result.js').RunResult>}
   */
  run(scenario, progress) {
    return this.#request({ type: 'run', scenario }, progress);
  }

  /**
   * Runs `scenario` once per trigger point.
   * @param {any} scenario @param {{label: string, trigger: any}[]} points
   * @param {(done: number, total: number) => void} [progress]
   * @returns {Promise<import('./run-result.js').SweepRow[]>}
   */
  sweep(scenario, points, progress) {
    return this.#request({ type: 'sweep', scenario, points }, progress);
  }

  /**
   * The scenario as a runnable PySpark Structured Streaming script.
   * @param {any} scenario @returns {Promise<string>}
   */
  pyspark(scenario) {
    return this.#request({ type: 'pyspark', scenario });
  }

  /**
   * Stops everything in flight at once (the worker is terminated, not asked: a run stuck
   * in the core never reads messages): pending promises reject with "cancelled", and a
   * fresh worker is started for what comes next.
   */
  cancel() {
    this.#fail(new Error('cancelled'));
    this.#current();
  }

  /** Ends the worker for good (a request after this starts a new one). */
  close() {
    this.#fail(new Error('cancelled'));
  }
}
