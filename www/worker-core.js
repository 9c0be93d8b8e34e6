// The wasm core a worker runs a scenario in: the core module (www/pkg/, Spark only), loaded
// with the worker, or the Flink module (www/pkg-flink/: the same core with the Flink engine,
// ~30 KB more compressed), fetched the first time a scenario's engine is Flink. The page's
// first result never waits for the Flink module.
import init, * as spark from './pkg/pipeline_sim.js';

/** The core module, once loaded (a failure is reported with the first request). */
export const ready = init().then(() => spark);
ready.catch(() => {});

/** The Flink module's load, started by the first Flink scenario. @type {Promise<any> | null} */
let flink = null;

/** Whether a scenario runs on Flink (`engine.name`, docs/scenario.md). @param {any} sc */
export function isFlink(sc) {
  return sc?.engine?.name === 'flink';
}

/**
 * Whether `sc` needs the Flink module: a Flink scenario, or one with a `flink` section
 * (which a Spark scenario may carry and the native core ignores, but the core module
 * refuses: it has no Flink settings to read). @param {any} sc
 */
export function needsFlink(sc) {
  return isFlink(sc) || (sc != null && typeof sc === 'object' && sc.flink !== undefined);
}

/**
 * The module that runs `sc`. A Flink module that did not load (a network error) is tried
 * again with the next Flink scenario; its failure is a plain error, not a trap.
 * @param {any} sc @returns {Promise<any>}
 */
export function coreFor(sc) {
  if (!needsFlink(sc)) return ready;
  flink ??= import('./pkg-flink/pipeline_sim.js')
    .then(async (m) => {
      await m.default();
      return m;
    })
    .catch((err) => {
      flink = null;
      throw new Error(`engine.name: the Flink module could not be loaded (${err instanceof Error ? err.message : err}); try again`);
    });
  return flink;
}

/**
 * A sweep point's scenario: `sc` with the point's trigger, on the point's engine (default:
 * the scenario's). On Flink, whose trigger is its checkpoint (docs/model.md §13), the point's
 * interval is the checkpoint interval; a Flink scenario swept on Spark loses its `flink`
 * section (the core refuses it on Spark). @param {any} sc @param {any} trigger
 * @param {'spark' | 'flink'} [engine]
 */
export function atPoint(sc, trigger, engine) {
  const on = engine ?? (isFlink(sc) ? 'flink' : 'spark');
  if (on === 'flink') {
    const every = trigger?.interval_s ?? trigger?.every_s;
    return { ...sc, engine: { ...sc.engine, name: 'flink' }, trigger, flink: { ...sc.flink, checkpoint_interval_s: every } };
  }
  if (!isFlink(sc)) return { ...sc, trigger };
  const { flink: _, ...rest } = sc;
  const { name: __, ...eng } = sc.engine;
  return { ...rest, engine: eng, trigger };
}

/**
 * The module for a sweep's points: the Flink module when any of them runs on Flink.
 * @param {any} sc @param {{engine?: 'spark' | 'flink'}[]} points
 */
export function coreForPoints(sc, points) {
  return coreFor(points.some((p) => p.engine === 'flink') ? { engine: { name: 'flink' } } : sc);
}
