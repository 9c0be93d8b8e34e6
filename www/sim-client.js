// The page's handle on the simulation worker: promise-returning runs, progress callbacks,
// cancel (the worker is terminated and a fresh one started), and recovery. A wasm trap
// (out of memory, an internal error) leaves the worker's module unusable, so a worker that
// traps, fails, or stays silent past the watchdog is terminated; the request in hand
// rejects with a WorkerFailure and the next request gets a fresh worker.
//
// Requests wait here, in order, and go to the worker one at a time: a run that a newer
// change made pointless (its `signal` aborted) is dropped before it starts, and one already
// in the worker is stopped by replacing the worker (the wasm core is single-threaded and
// cannot be interrupted otherwise) unless it is about to finish. Its answer, if one still
// comes, is never delivered.

/** Silence (no progress, no answer) after which a request counts as stuck, ms. */
export const WATCHDOG_MS = 90_000;

/**
 * An abandoned run that has been simulating this long is stopped by replacing the worker;
 * a younger one gets until then to finish on its own. A fresh worker is ready in about
 * 40–130 ms (measured on a 2-core machine), so stopping a run younger than that rarely
 * pays: most of a drag's hour-long runs end within it. A worker still starting (loading
 * its scripts and the core, or a data file) is never stopped: that would waste the load
 * and abort its requests; it is stopped once it starts simulating the abandoned run.
 */
export const ABANDON_AFTER_MS = 100;

/** An abandoned run that is expected (from its progress) to end within this is let end, ms. */
const ABOUT_TO_END_MS = 40;

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

/** The rejection of a request whose `signal` was aborted. */
function abandoned() {
  return new DOMException('a newer request replaced this one', 'AbortError');
}

/** Whether `err` is the rejection of an abandoned request. @param {unknown} err */
export function isAbandoned(err) {
  return err instanceof DOMException && err.name === 'AbortError';
}

/**
 * @typedef {object} Pending
 * @property {number} id
 * @property {Record<string, any>} msg the request, posted when the worker is free
 * @property {(v: any) => void} resolve
 * @property {(e: Error) => void} reject
 * @property {((d: number, t: number) => void) | undefined} progress
 * @property {string} stage the last stage the worker reported for it
 * @property {number} posted when it went to the worker (performance.now()); 0 while waiting
 * @property {number} simulating when the worker said it started simulating it; 0 before
 * @property {number} fraction its last progress, 0..1
 * @property {boolean} dropped abandoned (its promise has rejected): the answer is not wanted
 */

export class SimClient {
  /** @param {{watchdogMs?: number}} [opts] */
  constructor(opts = {}) {
    this.watchdogMs = opts.watchdogMs ?? WATCHDOG_MS;
    /** The worker, or null until the next request (after a failure). @type {Worker | null} */
    this.worker = null;
    this.nextId = 1;
    /** Requests not yet given to the worker, oldest first. @type {Pending[]} */
    this.queue = [];
    /** The request the worker has. @type {Pending | null} */
    this.inFlight = null;
    /** Files given to the worker, by name: given again to a fresh worker. @type {Map<string, ArrayBuffer>} */
    this.files = new Map();
    /** Workers replaced to stop an abandoned run (for tests and benchmarks). */
    this.respawns = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.watchdog = undefined;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.abandonTimer = undefined;
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
   * Queues a request; its promise settles with the worker's answer (or a failure, or an
   * AbortError once `signal` aborts).
   * @param {Record<string, any>} msg @param {((d: number, t: number) => void)} [progress]
   * @param {AbortSignal} [signal]
   * @returns {Promise<any>}
   */
  #request(msg, progress, signal) {
    if (signal?.aborted) return Promise.reject(abandoned());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      /** @type {Pending} */
      const p = { id, msg, resolve, reject, progress, stage: 'start', posted: 0, simulating: 0, fraction: 0, dropped: false };
      this.queue.push(p);
      signal?.addEventListener('abort', () => this.#abandon(p), { once: true });
      this.#pump();
    });
  }

  /** Gives the worker the next request if it has none. */
  #pump() {
    if (this.inFlight) return;
    const p = this.queue.shift();
    if (!p) return;
    p.posted = performance.now();
    this.inFlight = p;
    this.#current().postMessage({ ...p.msg, id: p.id });
    this.#arm();
  }

  /** A request nobody waits for any more. @param {Pending} p */
  #abandon(p) {
    const i = this.queue.indexOf(p);
    if (i >= 0) {
      this.queue.splice(i, 1);
      p.reject(abandoned());
      return;
    }
    if (this.inFlight !== p || p.dropped) return;
    p.dropped = true;
    p.progress = undefined;
    p.reject(abandoned());
    this.#stopIfWorthIt();
  }

  /**
   * Replaces the worker if the request it has is abandoned, is being simulated, and is
   * neither young nor about to end; checks again when it would be old enough (or, for
   * one not simulating yet, when the worker says it started).
   */
  #stopIfWorthIt() {
    clearTimeout(this.abandonTimer);
    const p = this.inFlight;
    if (!p?.dropped || !p.simulating) return;
    const age = performance.now() - p.simulating;
    const left = p.fraction > 0 ? (age * (1 - p.fraction)) / p.fraction : Infinity;
    if (left <= ABOUT_TO_END_MS) return;
    if (age < ABANDON_AFTER_MS) {
      this.abandonTimer = setTimeout(() => this.#stopIfWorthIt(), ABANDON_AFTER_MS - age);
      return;
    }
    this.worker?.terminate();
    this.worker = null;
    this.inFlight = null;
    this.respawns++;
    this.#current(); // started now: it loads the core while the page draws
    this.#pump();
    this.#arm();
  }

  /** (Re)starts the watchdog while a request is in the worker. */
  #arm() {
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
    if (!this.inFlight) return;
    this.watchdog = setTimeout(() => {
      this.#fail(new WorkerFailure('stuck', this.inFlight?.stage ?? 'start', '', this.watchdogMs));
    }, this.watchdogMs);
  }

  /**
   * Ends the worker; the request in it rejects with `err` (an abandoned one has already
   * rejected), and the waiting ones go to a fresh worker.
   * @param {Error} err
   */
  #fail(err) {
    this.worker?.terminate();
    this.worker = null;
    const p = this.inFlight;
    this.inFlight = null;
    clearTimeout(this.abandonTimer);
    if (p && !p.dropped) p.reject(err);
    this.#pump();
    this.#arm();
  }

  #spawn() {
    const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    w.onmessage = (e) => {
      if (w !== this.worker) return; // a replaced worker's last words
      const m = e.data;
      const p = this.inFlight;
      if (!p || m.id !== p.id) return;
      this.#arm();
      if (m.stage) p.stage = m.stage;
      if (m.type === 'alive' || m.type === 'progress') {
        if (!p.simulating && (p.stage === 'simulate' || m.type === 'progress')) {
          p.simulating = performance.now();
          if (p.dropped) this.#stopIfWorthIt();
        }
        if (m.type === 'progress') {
          p.fraction = m.done / (m.total || 1);
          p.progress?.(m.done, m.total);
        }
        return;
      }
      if (m.type === 'error' && m.crashed) {
        this.#fail(new WorkerFailure('crash', m.stage ?? p.stage, m.message));
        return;
      }
      this.inFlight = null;
      clearTimeout(this.abandonTimer);
      // The next request first: the worker starts on it while the page handles this answer.
      this.#pump();
      this.#arm();
      if (p.dropped) return;
      if (m.type === 'error') p.reject(new Error(m.message));
      else p.resolve(m.type === 'result' ? m.result : m.type === 'export-result' ? m.bytes
        : m.type === 'pyspark-result' ? m.text : m.rows);
    };
    const failed = (/** @type {string} */ detail) => {
      if (w !== this.worker) return;
      this.#fail(new WorkerFailure('crash', this.inFlight?.stage ?? 'start', detail));
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
   * @param {{signal?: AbortSignal}} [opts] aborting `signal` abandons the run: its promise
   *   rejects with an AbortError at once, and its result never comes
   * @returns {Promise<import('./run-result.js').RunResult>}
   */
  run(scenario, progress, opts = {}) {
    return this.#request({ type: 'run', scenario }, progress, opts.signal);
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
   * Stops everything at once (the worker is terminated, not asked: a run stuck in the core
   * never reads messages): the request in the worker and the waiting ones reject with
   * "cancelled", and a fresh worker is started for what comes next.
   */
  cancel() {
    this.close();
    this.#current();
  }

  /** Ends the worker for good (a request after this starts a new one); everything rejects with "cancelled". */
  close() {
    const waiting = this.queue.splice(0);
    this.#fail(new Error('cancelled'));
    for (const p of waiting) p.reject(new Error('cancelled'));
  }
}
