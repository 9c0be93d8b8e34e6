// The extended module's own parts of a run result (run-result.js): a Flink run's summary and
// trace, and an injected failure's recovery section, from the getters of the extended module
// (www/pkg-flink/). Imported by the worker (and the JS API) for the runs that module makes
// only, so that a core run's code does not carry it.

/**
 * Adds a Flink run's summary and trace to its result (and their buffers to its transfer);
 * nothing for a Spark run, or from a module without the Flink engine (no such getters).
 * @param {import('./run-result.js').RunResult} r @param {import('./pkg/pipeline_sim.js').Run} run
 */
export function addFlinkParts(r, run) {
  const fr = /** @type {any} */ (run);
  const rec = typeof fr.recoveryJson === 'function' ? fr.recoveryJson() : undefined;
  if (rec) r.recovery = JSON.parse(rec);
  const json = typeof fr.flinkJson === 'function' ? fr.flinkJson() : undefined;
  if (!json) return;
  const f = (/** @type {string} */ name) => Float64Array.from(fr[name]());
  r.flink = JSON.parse(json);
  r.flinkTrace = {
    watermarkAtUs: f('flinkWatermarkAtUs'),
    watermarkUs: f('flinkWatermarkUs'),
    firingAtUs: f('flinkFiringAtUs'),
    firingEndUs: f('flinkFiringEndUs'),
    firingBy: f('flinkFiringBy'),
    firingRows: f('flinkFiringRows'),
    strides: f('flinkTraceStrides'),
  };
  for (const v of Object.values(r.flinkTrace)) r.transfer.push(v.buffer);
}
