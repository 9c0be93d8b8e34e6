// The page's handle on the simulation worker: promise-returning runs, progress callbacks,
// and cancel (the worker is terminated and a fresh one started).

export class SimClient {
  constructor() {
    /** @type {Worker} */
    this.worker = this.#spawn();
    this.nextId = 1;
    /** @type {Map<number, {resolve: (v: any) => void, reject: (e: Error) => void, progress?: (d: number, t: number) => void}>} */
    this.pending = new Map();
    /** Files given to the worker, by name: given again to a fresh worker. @type {Map<string, ArrayBuffer>} */
    this.files = new Map();
  }

  /**
   * Gives the worker a file's bytes under `name` (scenarios name it in `workload.data`).
   * @param {string} name @param {ArrayBuffer} bytes
   */
  addFile(name, bytes) {
    this.files.set(name, bytes);
    this.worker.postMessage({ type: 'file', name, bytes: bytes.slice(0) });
  }

  /**
   * A report table of `scenario` as Arrow IPC or CSV bytes (the last run is reused).
   * @param {any} scenario @param {'batches' | 'events'} table @param {'arrow' | 'csv'} format
   * @returns {Promise<Uint8Array>}
   */
  exportTable(scenario, table, format) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'export', id, scenario, table, format });
    });
  }

  #spawn() {
    const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    w.onmessage = (e) => {
      const m = e.data;
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') {
        p.progress?.(m.done, m.total);
        return;
      }
      this.pending.delete(m.id);
      if (m.type === 'error') p.reject(new Error(m.message));
      else p.resolve(m.type === 'result' ? m.result : m.type === 'export-result' ? m.bytes
        : m.type === 'pyspark-result' ? m.text : m.rows);
    };
    w.onerror = (e) => {
      for (const p of this.pending.values()) p.reject(new Error(e.message || 'worker failed'));
      this.pending.clear();
    };
    return w;
  }

  /**
   * Runs one scenario. @param {any} scenario
   * @param {(done: number, total: number) => void} [progress] fraction done (total 1)
   * @returns {Promise<import('./run-result.js').RunResult>}
   */
  run(scenario, progress) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, progress });
      this.worker.postMessage({ type: 'run', id, scenario });
    });
  }

  /**
   * Runs `scenario` once per trigger point.
   * @param {any} scenario @param {{label: string, trigger: any}[]} points
   * @param {(done: number, total: number) => void} progress
   * @returns {Promise<import('./run-result.js').SweepRow[]>}
   */
  sweep(scenario, points, progress) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, progress });
      this.worker.postMessage({ type: 'sweep', id, scenario, points });
    });
  }

  /**
   * The scenario as a runnable PySpark Structured Streaming script.
   * @param {any} scenario @returns {Promise<string>}
   */
  pyspark(scenario) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'pyspark', id, scenario });
    });
  }

  /** Stops everything in flight: pending promises reject with "cancelled". */
  cancel() {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error('cancelled'));
    this.pending.clear();
    this.worker = this.#spawn();
    for (const [name, bytes] of this.files) this.worker.postMessage({ type: 'file', name, bytes: bytes.slice(0) });
  }
}
