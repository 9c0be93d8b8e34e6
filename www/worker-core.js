// The wasm core a worker runs a scenario in: the core module (www/pkg/, Spark only), loaded
// with the worker, or the extended module (www/pkg-flink/: the same core with the Flink
// engine, failure injection and the sweep's shared digest; ~30 KB more compressed than the
// core), fetched the first time a run is on Flink or has a failure, or a sweep starts. The
// page's first result never waits for it.
import init, * as spark from './pkg/pipeline_sim.js';
import { isFlink, needsFlink, flinkModule } from './flink-module.js';

export { isFlink, needsFlink };

/** The core module, once loaded (a failure is reported with the first request). */
export const ready = init().then(() => spark);
ready.catch(() => {});

/**
 * The module that runs `sc`: the core, or the Flink module (flink-module.js).
 * @param {any} sc @returns {Promise<any>}
 */
export function coreFor(sc) {
  return needsFlink(sc) ? flinkModule() : ready;
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
 * The module for a sweep's points: the extended module (www/pkg-flink/), which has, beside
 * the Flink engine, the sweep's shared chunk digest (the core's `sweep_digest` feature:
 * points whose batches take a shared chunk whole add it per window and key, made once,
 * not row by row). The page's 16-point sweep of a day took 17.6-17.9 s with the core
 * module and 13.1-13.6 s with it, alternated (tests/bench/sweep.mjs); the module is
 * ~230 KB more to fetch, once, when the first sweep starts. @param {any} _sc
 * @param {{engine?: 'spark' | 'flink'}[]} _points
 */
export function coreForPoints(_sc, _points) {
  // A Spark sweep that cannot fetch it has no field to change (flinkModule's message names
  // engine.name, a Flink scenario's).
  return flinkModule().catch((err) => {
    throw new Error(String(err instanceof Error ? err.message : err).replace(/^engine\.name: the Flink module/, "the sweep's module (www/pkg-flink/)"));
  });
}
