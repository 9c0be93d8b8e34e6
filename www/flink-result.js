// A Flink run's own parts of a run result (run-result.js): its summary and its trace, from
// the Flink module's getters (www/pkg-flink/). Imported by the worker (and the JS API) for
// Flink runs only, so that a Spark run's code does not carry it.

/**
 * A Flink run's summary and trace; nulls for a Spark run, and from a module without the
 * Flink engine (the page's core has no such getters).
 * @param {import('./pkg/pipeline_sim.js').Run} run
 * @returns {{flink: any, flinkTrace: import('./run-result.js').FlinkTrace | null}}
 */
function flinkParts(run) {
  const fr = /** @type {any} */ (run);
  const json = typeof fr.flinkJson === 'function' ? fr.flinkJson() : undefined;
  if (!json) return { flink: null, flinkTrace: null };
  const f = (/** @type {string} */ name) => Float64Array.from(fr[name]());
  return {
    flink: JSON.parse(json),
    flinkTrace: {
      watermarkAtUs: f('flinkWatermarkAtUs'),
      watermarkUs: f('flinkWatermarkUs'),
      firingAtUs: f('flinkFiringAtUs'),
      firingEndUs: f('flinkFiringEndUs'),
      firingBy: f('flinkFiringBy'),
      firingRows: f('flinkFiringRows'),
      strides: f('flinkTraceStrides'),
    },
  };
}

/**
 * Adds a Flink run's summary and trace to its result (and their buffers to its transfer).
 * @param {import('./run-result.js').RunResult} r @param {import('./pkg/pipeline_sim.js').Run} run
 */
export function addFlinkParts(r, run) {
  const p = flinkParts(run);
  r.flink = p.flink;
  r.flinkTrace = p.flinkTrace;
  for (const v of Object.values(p.flinkTrace ?? {})) r.transfer.push(v.buffer);
}
