// The sweep pool: a sweep's points across several dedicated workers (sweep-worker.js, each
// its own wasm instance; no SharedArrayBuffer, so any static host will do). Every point is
// checked before any runs (a point that cannot run refuses the sweep, naming it); then the
// points run in groups, each group in one worker sharing one event stream (when the core
// has `simulateMany`), and every finished point is handed over as it arrives. A point that
// fails while running — the core stops it, or its worker traps or goes silent — fails
// alone: the points that ran are kept, and a trapped group's other points run again one
// by one in a fresh worker. Aborting the sweep's signal terminates its workers at once;
// nothing from them lands afterwards. Used by the page (main.js) and the JS API (api.js).
import { WATCHDOG_MS, WorkerFailure } from './sim-client.js';

/**
 * @typedef {object} SweepPoint
 * @property {string} label
 * @property {any} trigger a trigger in the scenario format
 * @property {'spark' | 'flink'} [engine] the engine it runs on (default: the scenario's;
 *   Flink's interval is its checkpoint interval: worker-core.js atPoint)
 */

/**
 * A finished point: its row, or why it failed while running (`failure`: its worker
 * trapped or went silent, and was replaced), or why it could not run (`refused`, with the
 * `runTheRest` option).
 * A point given as `known` is handed over with `known: true` and `ms` 0, not run.
 * @typedef {{index: number, row: import('./run-result.js').SweepRow, ms: number, shared: number, known?: boolean}
 *   | {index: number, error: string, failure: WorkerFailure | null, refused?: boolean}} PointResult
 */

/**
 * What the points of one group may hold together, bytes, by the core's estimate
 * (`validateScenario`: `Scenario::expected_held_bytes`): they run side by side in one wasm
 * memory, which never shrinks. Each group reads one generated stream, so fewer groups are
 * faster (a day at 1,000 events/s: its stream takes ~1.4 s of a group's time in Chromium,
 * each point ~1 s more), and groups of points that each hold little are capped at
 * MAX_GROUP points.
 */
export const GROUP_BYTES = 400e6;
/** Most points in a group: the page's 16-point grid arrives in two waves at least. */
export const MAX_GROUP = 8;

/** The pool's size: one worker per core, less one for the page and its own worker. */
export function poolSize() {
  return Math.max(1, (navigator.hardwareConcurrency || 2) - 1);
}

/**
 * A sweep refused before any point ran: every point that cannot run, with the core's
 * reason (which names the field). The message is the first one's:
 * `(sweep point '<label>') <field>: <reason>`.
 */
export class SweepRefused extends Error {
  /** @param {{index: number, label: string, message: string}[]} refusals */
  constructor(refusals) {
    super(`(sweep point '${refusals[0].label}') ${refusals[0].message}`);
    this.name = 'SweepRefused';
    this.refusals = refusals;
  }
}

/** A trigger's period, s (its cost falls as it grows); 0 when it has none. @param {any} trigger */
function period(trigger) {
  const s = Number(trigger?.interval_s ?? trigger?.every_s ?? trigger?.checkpoint_interval_s ?? 0);
  return Number.isFinite(s) && s > 0 ? s : 0;
}

/**
 * The points' groups (indices into `points`): as few as the memory allows, and at least
 * one per worker. `held[i]` is what point i would hold at its peak, bytes. The points go
 * from the largest holder down, each to the group with the fewest points among those it
 * fits in (under GROUP_BYTES and MAX_GROUP; then the group holding least), so that groups
 * take about the same time and memory; a point that fits in none opens a group (a point
 * over the budget alone has a group to itself). Within a group, points keep the longest
 * period first.
 * @param {SweepPoint[]} points @param {number} workers @param {number[]} [held]
 * @returns {number[][]}
 */
export function groupsOf(points, workers, held = []) {
  const n = points.length;
  if (!n) return [];
  const bytes = (/** @type {number} */ i) => Math.max(0, Number(held[i]) || 0);
  const total = points.reduce((a, _, i) => a + bytes(i), 0);
  const g = Math.min(n, Math.max(workers, Math.ceil(total / GROUP_BYTES), Math.ceil(n / MAX_GROUP)));
  /** @type {{idx: number[], bytes: number}[]} */
  const groups = Array.from({ length: g }, () => ({ idx: [], bytes: 0 }));
  const order = points.map((_, i) => i)
    .sort((a, b) => bytes(b) - bytes(a) || period(points[b].trigger) - period(points[a].trigger) || a - b);
  for (const i of order) {
    const fits = groups.filter((x) => !x.idx.length || (x.idx.length < MAX_GROUP && x.bytes + bytes(i) <= GROUP_BYTES));
    let to = fits.sort((a, b) => a.idx.length - b.idx.length || a.bytes - b.bytes)[0];
    if (!to) {
      to = { idx: [], bytes: 0 };
      groups.push(to);
    }
    to.idx.push(i);
    to.bytes += bytes(i);
  }
  return groups.map((x) => x.idx.sort((a, b) => period(points[b].trigger) - period(points[a].trigger) || a - b));
}

/**
 * @typedef {object} SweepOptions
 * @property {AbortSignal} [signal] aborting ends the sweep's workers at once; the promise
 *   rejects with an `AbortError`
 * @property {(r: PointResult) => void} [onPoint] each finished point, as it arrives
 * @property {(done: number, total: number, work: number) => void} [onProgress] after each
 *   point and as the runs progress: points finished, points, and the work done in points
 *   (fractional)
 * @property {() => void} [onStart] every point passed its check; the runs begin
 * @property {Record<string, ArrayBuffer | Uint8Array>} [files] more files for this sweep
 *   (over the pool's)
 * @property {number} [size] workers for this sweep (default: the pool's)
 * @property {boolean} [runTheRest] when some points cannot run, run the others and give each
 *   refused point as a result with its `error` (and `refused: true`) instead of refusing the
 *   whole sweep (it is still refused when no point can run)
 * @property {Map<number, import('./run-result.js').SweepRow>} [known] rows the caller already
 *   has, by point index (the page's own run of that point's scenario): checked like the
 *   others, then handed over first, without a run
 */

export class SweepPool {
  /** @param {{size?: number, watchdogMs?: number}} [opts] */
  constructor(opts = {}) {
    this.size = Math.max(1, Math.floor(opts.size ?? poolSize()));
    this.watchdogMs = opts.watchdogMs ?? WATCHDOG_MS;
    /** Files given to every sweep's workers, by name. @type {Map<string, ArrayBuffer | Uint8Array>} */
    this.files = new Map();
  }

  /**
   * Gives the pool a file's bytes under `name` (scenarios name it in `workload.data`): the
   * workers of every later sweep get a copy.
   * @param {string} name @param {ArrayBuffer | Uint8Array} bytes
   */
  addFile(name, bytes) {
    this.files.set(name, bytes);
  }

  /**
   * Runs `scenario` once per point. Resolves with one result per point, in order (a row,
   * or the reason it failed while running); rejects with `SweepRefused` when a point cannot
   * run (before any runs), an `AbortError` when aborted, or an `Error` for a failure of the
   * sweep as a whole (a data file that cannot be read, the module not loading).
   * @param {any} scenario @param {SweepPoint[]} points @param {SweepOptions} [opts]
   * @returns {Promise<PointResult[]>}
   */
  sweep(scenario, points, opts = {}) {
    const files = new Map(this.files);
    for (const [name, bytes] of Object.entries(opts.files ?? {})) files.set(name, bytes);
    return new Promise((resolve, reject) => {
      new Sweep({
        // A snapshot: the caller's scenario may change while the sweep runs.
        scenario: JSON.parse(JSON.stringify(scenario)),
        points: points.map(({ label, trigger, engine }) => ({
          label: String(label), trigger: JSON.parse(JSON.stringify(trigger ?? null)), ...(engine === 'flink' || engine === 'spark' ? { engine } : {}),
        })),
        files,
        size: Math.max(1, Math.floor(opts.size ?? this.size)),
        watchdogMs: this.watchdogMs,
        opts,
        resolve,
        reject,
      }).begin();
    });
  }
}

/**
 * One worker of a sweep.
 * @typedef {object} Slot
 * @property {Worker} worker
 * @property {number[]} group the points it was given (check or run)
 * @property {Set<number>} pending the run's points not yet back
 * @property {number} fraction of its run done
 * @property {string} stage what it last said it was doing
 * @property {ReturnType<typeof setTimeout> | undefined} timer its watchdog
 */

/** One sweep in flight: its workers, queue and results. */
class Sweep {
  /**
   * @param {{scenario: any, points: SweepPoint[], files: Map<string, ArrayBuffer | Uint8Array>,
   *   size: number, watchdogMs: number, opts: SweepOptions,
   *   resolve: (r: PointResult[]) => void, reject: (e: Error) => void}} a
   */
  constructor(a) {
    this.a = a;
    this.points = a.points;
    /** @type {(PointResult | null)[]} */
    this.results = a.points.map(() => null);
    this.done = 0;
    /** @type {Set<Slot>} */
    this.slots = new Set();
    /** Groups waiting for a worker. @type {number[][]} */
    this.queue = [];
    /** 'check' until every point passed, then 'run'. */
    this.phase = 'check';
    this.checked = 0;
    /** @type {{index: number, label: string, message: string}[]} */
    this.refusals = [];
    /** What each checked point would hold at its peak, bytes, by index. @type {number[]} */
    this.held = [];
    this.closed = false;
    this.onAbort = () => this.finish(new DOMException('the sweep was cancelled', 'AbortError'));
  }

  begin() {
    try {
      this.start();
    } catch (err) {
      this.finish(err instanceof Error ? err : new Error(String(err)));
    }
  }

  start() {
    const { signal } = this.a.opts;
    if (signal?.aborted) return this.onAbort();
    signal?.addEventListener('abort', this.onAbort, { once: true });
    const n = this.points.length;
    if (!n) return this.finish(null);
    // The checks, split over as many workers as will run points (contiguous shares); the
    // groups are made when every check is in (they pack by what each point holds).
    const known = this.a.opts.known ?? new Map();
    const runnable = this.points.map((_, i) => i).filter((i) => !known.has(i)).length;
    const w = Math.max(1, Math.min(this.a.size, runnable));
    for (let k = 0; k < w; k++) {
      const share = [];
      for (let i = Math.floor((k * n) / w); i < Math.floor(((k + 1) * n) / w); i++) share.push(i);
      const slot = this.spawn();
      this.post(slot, 'check', share);
    }
  }

  /** A worker, given the sweep's files. */
  spawn() {
    const worker = new Worker(new URL('./sweep-worker.js', import.meta.url), { type: 'module' });
    /** @type {Slot} */
    const slot = { worker, group: [], pending: new Set(), fraction: 0, stage: 'start', timer: undefined };
    this.slots.add(slot);
    worker.onmessage = (e) => this.message(slot, e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      this.lost(slot, new WorkerFailure('crash', slot.stage, e.message || 'the worker failed'));
    };
    worker.onmessageerror = () => this.lost(slot, new WorkerFailure('crash', slot.stage, 'a message could not be read'));
    for (const [name, bytes] of this.a.files) {
      const copy = bytes instanceof Uint8Array ? bytes.slice().buffer : bytes.slice(0);
      worker.postMessage({ type: 'file', name, bytes: copy }, [copy]);
    }
    return slot;
  }

  /** Gives a worker points to check or run. @param {Slot} slot @param {'check' | 'run'} type @param {number[]} group */
  post(slot, type, group) {
    slot.group = group;
    slot.pending = new Set(type === 'run' ? group : []);
    slot.fraction = 0;
    slot.worker.postMessage({
      type,
      scenario: this.a.scenario,
      points: group.map((index) => ({ index, ...this.points[index] })),
    });
    this.arm(slot);
  }

  /** (Re)starts a busy worker's watchdog. @param {Slot} slot */
  arm(slot) {
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => this.lost(slot, new WorkerFailure('stuck', slot.stage, '', this.a.watchdogMs)), this.a.watchdogMs);
  }

  /** @param {Slot} slot */
  end(slot) {
    clearTimeout(slot.timer);
    slot.worker.terminate();
    this.slots.delete(slot);
  }

  /** @param {Slot} slot @param {any} m */
  message(slot, m) {
    if (this.closed || !this.slots.has(slot)) return; // an ended worker's last words
    this.arm(slot);
    if (m.stage) slot.stage = m.stage;
    if (m.type === 'alive') return;
    if (m.type === 'error') {
      this.lost(slot, m.crashed ? new WorkerFailure('crash', m.stage ?? slot.stage, m.message) : new Error(m.message));
    } else if (m.type === 'checked') {
      for (const r of m.refusals) this.refusals.push({ index: r.index, label: this.points[r.index].label, message: r.message });
      for (const h of m.held ?? []) this.held[h.index] = Number(h.bytes) || 0;
      this.checked += slot.group.length;
      if (this.checked < this.points.length) {
        clearTimeout(slot.timer); // idle until every check is in
        return;
      }
      if (this.refusals.length) {
        this.refusals.sort((a, b) => a.index - b.index);
        if (!this.a.opts.runTheRest || this.refusals.length === this.points.length) {
          this.finish(new SweepRefused(this.refusals));
          return;
        }
        // The others run; each refused point is a result with its reason, at once.
        for (const r of this.refusals) this.land({ index: r.index, error: r.message, failure: null, refused: true });
      }
      // Known points are not run: the groups are made of the others that passed.
      const known = this.a.opts.known ?? new Map();
      const refused = new Set(this.refusals.map((r) => r.index));
      const runnable = this.points.map((_, i) => i).filter((i) => !known.has(i) && !refused.has(i));
      this.queue = groupsOf(runnable.map((i) => this.points[i]), this.a.size, runnable.map((i) => this.held[i]))
        .map((g) => g.map((k) => runnable[k]));
      this.phase = 'run';
      this.a.opts.onStart?.();
      for (const [index, row] of this.a.opts.known ?? []) {
        if (!this.results[index]) this.land({ index, row, ms: 0, shared: 0, known: true });
      }
      for (const s of [...this.slots]) this.next(s);
    } else if (m.type === 'point') {
      if (!slot.pending.delete(m.index) || this.results[m.index]) return;
      this.land(m.error !== undefined
        ? { index: m.index, error: String(m.error), failure: null }
        : { index: m.index, row: m.row, ms: m.ms, shared: m.shared });
      slot.fraction = 1 - slot.pending.size / Math.max(1, slot.group.length);
    } else if (m.type === 'progress') {
      slot.fraction = Math.max(slot.fraction, Math.min(1, Number(m.fraction) || 0));
      this.progress();
    } else if (m.type === 'ran') {
      // Points the worker never reported (it should not happen) are run again alone.
      for (const i of slot.pending) this.queue.push([i]);
      slot.pending.clear();
      this.next(slot);
    }
  }

  /** A finished point: kept, and handed over. @param {PointResult} r */
  land(r) {
    this.results[r.index] = r;
    this.done += 1;
    this.a.opts.onPoint?.(r);
    if (!this.closed) this.progress();
  }

  progress() {
    // Finished points, and the part of each group in flight not yet back as points.
    let work = this.done;
    for (const s of this.slots) {
      if (s.pending.size) work += Math.min(s.pending.size, Math.max(0, s.fraction * s.group.length - (s.group.length - s.pending.size)));
    }
    this.a.opts.onProgress?.(this.done, this.points.length, Math.min(this.points.length, work));
  }

  /** Gives an idle worker the next group, or ends it; the sweep ends with its last. @param {Slot} slot */
  next(slot) {
    const group = this.queue.shift();
    if (group) {
      this.post(slot, 'run', group);
      return;
    }
    this.end(slot);
    if (!this.slots.size) this.finish(null);
  }

  /**
   * A worker that trapped, failed or went silent: ended. Before the runs, the sweep fails
   * with it. During them, its group's points not yet back run again one at a time in a
   * fresh worker; a point that was alone fails with the reason.
   * @param {Slot} slot @param {Error} err
   */
  lost(slot, err) {
    if (this.closed || !this.slots.has(slot)) return;
    const pending = [...slot.pending];
    this.end(slot);
    if (this.phase === 'check') {
      this.finish(err);
      return;
    }
    if (pending.length === 1 && slot.group.length === 1) {
      this.land({ index: pending[0], error: err.message, failure: err instanceof WorkerFailure ? err : null });
    } else {
      this.queue.unshift(...pending.map((i) => [i]));
    }
    if (this.closed) return;
    if (this.queue.length) this.next(this.spawn());
    else if (!this.slots.size) this.finish(null);
  }

  /** Ends every worker; settles the promise (once). @param {Error | null} err */
  finish(err) {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.slots]) this.end(s);
    this.a.opts.signal?.removeEventListener('abort', this.onAbort);
    if (err) this.a.reject(err);
    else this.a.resolve(/** @type {PointResult[]} */ (this.results));
  }
}
